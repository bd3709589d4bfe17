"""The crawl state in Redis, for crawl workers on several processes or machines (crawler/distributed.py).

The same interface as crawler/state.py's CrawlState (validators and content hash per URL, committed only once
the URL's answer is done with; the documents a page linked; the failed URLs by source), so any worker can make a conditional GET for a URL another worker
fetched last night, or retry another's failure. Kept across runs under `<prefix>:state:`.
"""
import json

import redis

from .state import COMMITTED_AS, now


class RedisState:
    def __init__(self, url, prefix="nianbao"):
        self.server = redis.Redis.from_url(url)
        self.server.ping()
        self.key = f"{prefix}:state"

    def _fetched(self, url):
        raw = self.server.hget(f"{self.key}:fetched", url)
        return json.loads(raw) if raw else None

    def committed(self, url):
        """(committed_as, sha256) of a URL whose last answer was done with, or None (crawler/state.py)."""
        row = self._fetched(url)
        return (row["committed_as"], row["sha256"]) if row else None

    def validators(self, url):
        row = self._fetched(url)
        return (row["etag"], row["last_modified"]) if row else (None, None)

    def previous_sha256(self, url):
        row = self._fetched(url)
        return row["sha256"] if row else None

    def commit(self, url, etag, last_modified, sha256, status, committed_as):
        """The URL's answer is done with: keep its validators and hash (only then: see crawler/state.py)."""
        assert committed_as in COMMITTED_AS, committed_as
        row = {"etag": etag, "last_modified": last_modified, "sha256": sha256, "status": status,
               "fetched_at": now(), "committed_as": committed_as}
        pipe = self.server.pipeline()
        pipe.hset(f"{self.key}:fetched", url, json.dumps(row))
        pipe.hget(f"{self.key}:failed-source", url)
        _, source_id = pipe.execute()
        if source_id:
            self.server.hdel(f"{self.key}:failed:{source_id.decode()}", url)

    def link(self, page_url, document_url):
        self.server.sadd(f"{self.key}:links:{page_url}", document_url)

    def documents_of(self, page_url):
        return sorted(m.decode() for m in self.server.smembers(f"{self.key}:links:{page_url}"))

    def fail(self, url, source_id, reason, page_url=None, kind=None):
        key = f"{self.key}:failed:{source_id}"
        before = self.server.hget(key, url)
        attempts = json.loads(before)["attempts"] + 1 if before else 1
        row = {"url": url, "reason": reason, "attempts": attempts, "page_url": page_url, "kind": kind,
               "last_try": now()}
        pipe = self.server.pipeline()
        pipe.hset(key, url, json.dumps(row))
        pipe.hset(f"{self.key}:failed-source", url, source_id)
        pipe.execute()

    def failures(self, source_id):
        rows = (json.loads(v) for v in self.server.hvals(f"{self.key}:failed:{source_id}"))
        return [{k: r[k] for k in ("url", "reason", "attempts", "page_url", "kind")} for r in rows]

    def close(self):
        self.server.close()
