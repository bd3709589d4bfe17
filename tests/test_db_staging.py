"""db/staging.py: a database is written beside the published file and renamed into place; a crawl
continues the published file, or the file a crashed crawl left, never a half-made copy."""
import os
import sqlite3
import time

from db.staging import continued, fresh, publish, staging_path


def make_db(path, *values):
    with sqlite3.connect(path) as db:
        db.execute("create table if not exists t (v text)")
        db.executemany("insert into t values (?)", [(v,) for v in values])
    return path


def values(path):
    with sqlite3.connect(path) as db:
        return sorted(r[0] for r in db.execute("select v from t"))


def test_a_crawl_starts_from_a_copy_of_the_published_file_and_publishes_by_rename(tmp_path):
    published = make_db(tmp_path / "nianbao.db", "old")
    inode = published.stat().st_ino
    reader = open(published, "rb")  # a server's open file: it keeps the old one whole
    tmp = continued(published)
    assert tmp == staging_path(published, "crawling") and values(tmp) == ["old"]
    make_db(tmp, "new")
    assert values(published) == ["old"]  # nothing reaches the published file before the rename
    publish(tmp, published)
    assert values(published) == ["new", "old"] and not tmp.exists()
    assert os.fstat(reader.fileno()).st_ino == inode != published.stat().st_ino
    reader.close()


def test_the_file_a_crashed_crawl_left_is_continued_unless_the_published_file_is_newer(tmp_path):
    published = make_db(tmp_path / "nianbao.db", "old")
    time.sleep(0.01)
    left = make_db(continued(published), "stored by the crashed crawl")  # then kill -9: never published
    assert values(continued(published)) == ["old", "stored by the crashed crawl"]
    time.sleep(0.01)
    make_db(published, "rebuilt since")  # a build published a newer file: the leftover is stale
    os.utime(published)
    assert values(continued(published)) == ["old", "rebuilt since"]
    assert left == staging_path(published, "crawling")


def test_a_stale_journal_never_reaches_a_new_file(tmp_path):
    published = make_db(tmp_path / "nianbao.db", "old")
    tmp = staging_path(published, "building")
    tmp.with_name(tmp.name + "-journal").write_bytes(b"a journal of a file that is gone")
    assert fresh(published) == tmp and not tmp.exists() and not tmp.with_name(tmp.name + "-journal").exists()


def test_without_a_published_file_a_crawl_starts_empty(tmp_path):
    tmp = continued(tmp_path / "sub" / "nianbao.db")
    assert not tmp.exists() and tmp.parent.is_dir()
