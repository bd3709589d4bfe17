"""Dated releases of the database, for researchers to download and cite.

`DIR/releases/YYYY-MM-DD/` holds the database (`nianbao-YYYY-MM-DD.db`), a gzip copy, `CHANGES.md` and
`CHANGES.json` (reports new, changed and removed since the previous release, by source) and
`SHA256SUMS` (the format `sha256sum -c` reads). `DIR/releases/latest` is a symbolic link to the newest.

A release is written under a hidden temporary name and renamed into place, so a release killed half-way
leaves the previous ones intact (its leftovers are removed by the next release). A document is known by
its URL across releases: the database is rebuilt from the archive every night, so row ids are not stable,
while the URL and the content hash are.
"""
import gzip
import hashlib
import json
import os
import re
import shutil
import sqlite3
import tempfile
from datetime import date
from pathlib import Path

from .staging import copy_database

KEEP = 7  # releases kept by default: a week of nightly runs
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_FIELDS = ("url", "source_id", "agency", "year", "title", "sha256")


class ReleaseError(Exception):
    pass


def releases(root):
    """The release directories under `root`, oldest first (dated names sort by date)."""
    root = Path(root)
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if p.is_dir() and not p.is_symlink() and _DAY.match(p.name))


def make_release(data_dir, keep=KEEP, day=None, db_path=None):
    """Write today's release from the database; return a summary (dict). Raises ReleaseError."""
    data_dir = Path(data_dir)
    db_path = Path(db_path or data_dir / "nianbao.db")
    if not db_path.is_file():
        raise ReleaseError(f"no database at {db_path}: build it first (nianbao build)")
    if keep < 1:
        raise ReleaseError("keep must be at least 1")
    day = day or date.today().isoformat()
    if not _DAY.match(day):
        raise ReleaseError(f"{day!r} is not a date (YYYY-MM-DD)")
    root = data_dir / "releases"
    root.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(root)
    previous = [p for p in releases(root) if p.name < day]
    previous_db = previous[-1] / f"nianbao-{previous[-1].name}.db" if previous else None

    tmp = Path(tempfile.mkdtemp(prefix=f".{day}-", dir=root))
    try:
        name = f"nianbao-{day}.db"
        copy_database(db_path, tmp / name)
        _gzip(tmp / name, tmp / f"{name}.gz")
        changes = diff(previous_db, tmp / name)
        changes["release"], changes["previous"] = day, previous[-1].name if previous else None
        (tmp / "CHANGES.json").write_text(json.dumps(changes, ensure_ascii=False, indent=1), encoding="utf-8")
        (tmp / "CHANGES.md").write_text(changes_markdown(changes), encoding="utf-8")
        files = [name, f"{name}.gz", "CHANGES.md", "CHANGES.json"]
        (tmp / "SHA256SUMS").write_text("".join(f"{sha256_file(tmp / f)}  {f}\n" for f in files), encoding="utf-8")
        _fsync_dir_files(tmp)
        final = root / day
        _swap_in(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _point_latest(root, day)
    removed = [p.name for p in releases(root)[:-keep]]
    for old in removed:
        shutil.rmtree(root / old)
    return {"release": day, "dir": str(final), "previous": changes["previous"], "totals": changes["totals"],
            "removed_releases": removed,
            "bytes": {f: (final / f).stat().st_size for f in files}}


def _remove_leftovers(root):
    for p in root.iterdir():
        if p.name.startswith(".") and p.is_dir():
            shutil.rmtree(p, ignore_errors=True)  # a release killed half-way


def _gzip(src, dst):
    with open(src, "rb") as f, gzip.open(dst, "wb", compresslevel=6) as g:
        shutil.copyfileobj(f, g, 1 << 20)


def sha256_file(path):
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def _fsync_dir_files(directory):
    for p in directory.iterdir():
        with open(p, "rb") as f:
            os.fsync(f.fileno())
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _swap_in(tmp, final):
    """Rename the finished release into place; a same-day rerun replaces the earlier one."""
    if final.exists():
        old = final.with_name(f".{final.name}-replaced")
        shutil.rmtree(old, ignore_errors=True)
        os.rename(final, old)
        os.rename(tmp, final)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.rename(tmp, final)


def _point_latest(root, day):
    """`latest` -> the newest release, swapped atomically (a new link renamed over the old one)."""
    link = root / "latest"
    tmp = root / f".latest-{os.getpid()}"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    os.symlink(day, tmp)
    os.replace(tmp, link)


def _current_reports(db_path):
    if db_path is None:
        return {}
    con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        rows = con.execute(f"select {', '.join(_FIELDS)} from reports where is_current = 1").fetchall()
    finally:
        con.close()
    return {r[0]: dict(zip(_FIELDS, r)) for r in rows}


def diff(previous_db, current_db):
    """Reports new, changed (same URL, other content) and removed between two databases, by source."""
    before, after = _current_reports(previous_db), _current_reports(current_db)
    kinds = {
        "new": [after[u] for u in sorted(after.keys() - before.keys())],
        "changed": [after[u] for u in sorted(after.keys() & before.keys()) if after[u]["sha256"] != before[u]["sha256"]],
        "removed": [before[u] for u in sorted(before.keys() - after.keys())],
    }
    by_source = {}
    for kind, reports in kinds.items():
        for r in reports:
            by_source.setdefault(r["source_id"] or "", {"new": [], "changed": [], "removed": []})[kind].append(r)
    return {"totals": {k: len(v) for k, v in kinds.items()} | {"reports": len(after)},
            "sources": dict(sorted(by_source.items()))}


def changes_markdown(changes):
    t = changes["totals"]
    since = f"since the release of {changes['previous']}" if changes["previous"] else "(first release)"
    lines = [f"# nianbao release {changes['release']}", "",
             f"{t['reports']} reports (current versions). {since}: {t['new']} new, {t['changed']} changed, "
             f"{t['removed']} removed.", ""]
    for source, kinds in changes["sources"].items():
        lines += [f"## {source or '(no source)'}", ""]
        for kind in ("new", "changed", "removed"):
            for r in kinds[kind]:
                lines.append(f"- {kind}: {r['agency'] or '?'} {r['year'] or '?'} — {r['title'] or ''} <{r['url']}>")
        lines.append("")
    return "\n".join(lines)
