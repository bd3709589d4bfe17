"""What the crawler remembers between runs: validators per URL, what each page linked, what failed.

Conditional GET needs the ETag / Last-Modified of the last fetch; skipping unchanged bodies needs their
sha256; retrying needs the URLs that failed and why. A small SQLite file beside the archive.

A URL's validators are a promise that what it answered is kept: they are committed (`commit`) only
once that answer is done with, i.e. its report durably archived (and stored, when the crawl writes a
database), or, for a page that only links its documents, its links recorded. A crash before that
leaves no validators, so the next run fetches the URL in full. Rows written by older versions, which
recorded validators on arrival, have no `committed_as` and are not trusted.
"""
import sqlite3
import threading
from datetime import datetime, timezone

SCHEMA = """
create table if not exists fetched (
  url text primary key, etag text, last_modified text, sha256 text, status integer, fetched_at text,
  committed_as text);
create table if not exists links (page_url text, document_url text, primary key (page_url, document_url));
create table if not exists failed (
  url text primary key, source_id text, reason text, attempts integer default 1, last_try text,
  page_url text, kind text);
"""
# what a committed URL's answer became: its report (archived), its links (a page), or another URL's report
COMMITTED_AS = ("report", "links", "duplicate")


def now():
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class CrawlState:
    def __init__(self, path):
        self.db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None, timeout=30)
        self.db.executescript(SCHEMA)
        columns = {r[1] for r in self.db.execute("pragma table_info(fetched)")}
        if "committed_as" not in columns:  # a state file from before validators waited for the archive
            self.db.execute("alter table fetched add column committed_as text")
        self.lock = threading.Lock()

    def committed(self, url):
        """(committed_as, sha256) of a URL whose last answer was done with, or None."""
        return self.db.execute("select committed_as, sha256 from fetched where url = ? and committed_as is not null",
                               (url,)).fetchone()

    def validators(self, url):
        row = self.db.execute("select etag, last_modified from fetched where url = ? and committed_as is not null",
                              (url,)).fetchone()
        return row or (None, None)

    def previous_sha256(self, url):
        """sha256 of the last full fetch of this URL that was done with, or None."""
        row = self.committed(url)
        return row[1] if row else None

    def commit(self, url, etag, last_modified, sha256, status, committed_as):
        """The URL's answer is done with (see the module's docstring): keep its validators and hash."""
        assert committed_as in COMMITTED_AS, committed_as
        with self.lock:
            self.db.execute(
                "insert into fetched values (?,?,?,?,?,?,?) on conflict(url) do update set "
                "etag=excluded.etag, last_modified=excluded.last_modified, sha256=excluded.sha256, "
                "status=excluded.status, fetched_at=excluded.fetched_at, committed_as=excluded.committed_as",
                (url, etag, last_modified, sha256, status, now(), committed_as))
            self.db.execute("delete from failed where url = ?", (url,))

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
