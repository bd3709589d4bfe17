"""What the crawler remembers between runs: validators per URL, what each page linked, what failed.

Conditional GET needs the ETag / Last-Modified of the last fetch; skipping unchanged bodies needs their
sha256; retrying needs the URLs that failed and why. A small SQLite file beside the archive.
"""
import sqlite3
import threading
from datetime import datetime, timezone

SCHEMA = """
create table if not exists fetched (
  url text primary key, etag text, last_modified text, sha256 text, status integer, fetched_at text);
create table if not exists links (page_url text, document_url text, primary key (page_url, document_url));
create table if not exists failed (
  url text primary key, source_id text, reason text, attempts integer default 1, last_try text,
  page_url text, kind text);
"""


def now():
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class CrawlState:
    def __init__(self, path):
        self.db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self.db.executescript(SCHEMA)
        self.lock = threading.Lock()

    def validators(self, url):
        row = self.db.execute("select etag, last_modified from fetched where url = ?", (url,)).fetchone()
        return row or (None, None)

    def previous_sha256(self, url):
        """sha256 of the last full fetch of this URL, or None."""
        row = self.db.execute("select sha256 from fetched where url = ?", (url,)).fetchone()
        return row[0] if row else None

    def remember(self, url, etag, last_modified, sha256, status):
        with self.lock:
            self.db.execute(
                "insert into fetched values (?,?,?,?,?,?) on conflict(url) do update set "
                "etag=excluded.etag, last_modified=excluded.last_modified, sha256=excluded.sha256, "
                "status=excluded.status, fetched_at=excluded.fetched_at",
                (url, etag, last_modified, sha256, status, now()))
            self.db.execute("delete from failed where url = ?", (url,))

    def forget(self, url):
        """Drop a URL's validators, so the next run fetches it in full (its processing failed)."""
        with self.lock:
            self.db.execute("delete from fetched where url = ?", (url,))

    def link(self, page_url, document_url):
        with self.lock:
            self.db.execute("insert or ignore into links values (?, ?)", (page_url, document_url))

    def documents_of(self, page_url):
        return [r[0] for r in self.db.execute("select document_url from links where page_url = ?", (page_url,))]

    def fail(self, url, source_id, reason, page_url=None, kind=None):
        with self.lock:
            self.db.execute(
                "insert into failed (url, source_id, reason, attempts, last_try, page_url, kind) "
                "values (?,?,?,1,?,?,?) on conflict(url) do update set reason=excluded.reason, "
                "attempts=failed.attempts+1, last_try=excluded.last_try",
                (url, source_id, reason, now(), page_url, kind))

    def failures(self, source_id):
        return [dict(zip(("url", "reason", "attempts", "page_url", "kind"), r)) for r in self.db.execute(
            "select url, reason, attempts, page_url, kind from failed where source_id = ?", (source_id,))]

    def close(self):
        self.db.close()
