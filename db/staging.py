"""A database is never written where it may be served: it is written beside it, `<name>.building`
for a rebuild (`nianbao build`), `<name>.crawling` for a crawl (`nianbao crawl --db`), and moved into
place in one rename (`publish`). A server that has the old file open (`nianbao serve` opens it
immutable) goes on reading the old file whole; a crash leaves the published file as it was.

A rebuild starts empty (`fresh`); a crawl adds to what is published (`continued`): it starts from a
copy of it, or, after a crash, from the crashed crawl's own file, which holds the published
database and every report that crawl stored (each committed on its own): the crawl state has already
taken those reports as done, so dropping them would lose them from the database.
"""
import os
import sqlite3
from pathlib import Path


def staging_path(db_path, purpose):
    db_path = Path(db_path)
    return db_path.with_name(f"{db_path.name}.{purpose}")


def _remove(path):
    for stale in (path, path.with_name(path.name + "-journal")):  # a stale journal must not reach a new file
        stale.unlink(missing_ok=True)


def fresh(db_path, purpose="building"):
    """An empty place to build db_path in."""
    tmp = staging_path(db_path, purpose)
    tmp.parent.mkdir(parents=True, exist_ok=True)
    _remove(tmp)
    return tmp


def continued(db_path, purpose="crawling"):
    """A place to add to db_path in: the leftover of a crashed run if it is newer than db_path (it was
    made from it), else a copy of db_path (SQLite's backup API: consistent, whatever else reads it),
    else nothing yet (an empty database)."""
    db_path = Path(db_path)
    tmp = staging_path(db_path, purpose)
    if tmp.exists() and (not db_path.exists() or tmp.stat().st_mtime_ns >= db_path.stat().st_mtime_ns):
        return tmp
    fresh(db_path, purpose)
    if db_path.exists():
        copying = staging_path(db_path, purpose + ".copying")  # named tmp only once the copy is whole
        _remove(copying)
        copy_database(db_path, copying)
        os.replace(copying, tmp)
    return tmp


def copy_database(src, dst):
    """A consistent copy through SQLite's backup API, whatever else has the source open."""
    source = sqlite3.connect(f"file:{src}?mode=ro", uri=True)
    target = sqlite3.connect(dst)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


def publish(tmp, db_path):
    """Put the finished file in place of db_path: on disk first, then one rename."""
    with open(tmp, "rb") as f:
        os.fsync(f.fileno())
    os.replace(tmp, db_path)
    directory = os.open(Path(db_path).parent, os.O_RDONLY)
    try:
        os.fsync(directory)  # the rename itself survives a power cut
    finally:
        os.close(directory)
