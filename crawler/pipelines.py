"""Item pipelines: a found report document goes deduplicate -> archive -> parse -> store.

The URL's validators reach the crawl state (`res.commit`) only at the end of that road: once the
report is stored (or found unchanged, i.e. archived by an earlier run); a duplicate's when the report
it duplicates is. A document dropped on the way (processing failed, a crash) is fetched in full again.

Parsing runs in the run's worker processes (PDFs are CPU-heavy and would hold the GIL against the
crawl), each document under a time and memory limit (pipelines/bounded.py); the run's store and
report log are written from the reactor thread only (crawler/runlog.py).
"""
import asyncio
import logging
from dataclasses import replace

from scrapy.exceptions import DropItem

from pipelines.archive import store_blob

from .resources import UsesResources

log = logging.getLogger(__name__)

class DeduplicatePipeline(UsesResources):
    """The same report reached through another host, scheme or column is kept once per run."""

    def __init__(self, crawler):
        super().__init__(crawler)
        self.seen = {}

    def process_item(self, item, spider=None):
        keys = [("url", item.canonical_url), ("content", item.content_key)]
        if item.role == "page" and item.index_no:
            keys.append(("index_no", item.index_no))
        leases = getattr(self.crawler, "leases", None)  # crawl workers share what the run has seen
        first = (leases.claim if leases is not None else self.claim)(keys, item.canonical_url)
        if first and first != item.canonical_url:
            self.res.count("duplicates")
            self.res.commit_with(item.canonical_url, first)
            raise DropItem(f"{item.url} duplicates {first}")
        if first:
            raise DropItem(f"{item.url} already seen in this run")
        return item

    def claim(self, keys, url):
        """The URL that first claimed one of these keys, or None after claiming them all for `url`."""
        first = next((self.seen[k] for k in keys if k in self.seen), None)
        if first is None:
            self.seen.update((k, url) for k in keys)
        return first


class ArchiveReportPipeline(UsesResources):
    """Keep the body by sha256 and say in the WARC which response holds a report, on disk before the
    report goes on (the crawl state will count on it)."""

    def process_item(self, item, spider=None):
        item.sha256 = store_blob(self.res.archive_dir, item.body)
        if item.previous_sha256 == item.sha256:  # archived (and stored) by the run that committed it
            self.res.count("unchanged")
            self.res.commit(item.canonical_url, "report", item.sha256)
            raise DropItem(f"{item.url} unchanged")
        item.status = "changed" if item.previous_sha256 else "new"
        self.res.archive.write_metadata(item.url, item.warc_record_id, {"kind": "report", **item.record()})
        self.res.archive.sync()
        return item


class ParseStorePipeline(UsesResources):
    """Parse the document and hand record + result to the run (its database and its report log)."""

    async def process_item(self, item, spider=None):
        try:
            result = await asyncio.wrap_future(self.res.run.parsers().submit(
                item.body, item.url, item.content_type, item.header_charset, with_text=True, sha256=item.sha256))
            return self._stored(result, item)
        except DropItem:
            raise
        except Exception as e:  # keep going; the next run fetches this document again in full
            log.exception("processing %s failed", item.url)
            self.res.fail(item.url, f"processing_{type(e).__name__}")
            raise DropItem(f"processing failed: {e}") from e

    def _stored(self, result, item):
        result["file"] = item.url
        self.res.count(item.status)
        if "error" in result:
            self.res.count("parse_errors")
        self.res.run.report(item, result)
        self.res.commit(item.canonical_url, "report", item.sha256)
        return replace(item, body=b"")
