"""Item pipelines: a found report document goes deduplicate -> archive -> parse -> store.

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
        first = next((self.seen[k] for k in keys if k in self.seen), None)
        if first and first != item.canonical_url:
            self.res.count("duplicates")
            raise DropItem(f"{item.url} duplicates {first}")
        if first:
            raise DropItem(f"{item.url} already seen in this run")
        for k in keys:
            self.seen[k] = item.canonical_url
        return item


class ArchiveReportPipeline(UsesResources):
    """Keep the body by sha256 and say in the WARC which response holds a report."""

    def process_item(self, item, spider=None):
        item.sha256 = store_blob(self.res.archive_dir, item.body)
        if item.previous_sha256 == item.sha256:
            self.res.count("unchanged")
            raise DropItem(f"{item.url} unchanged")
        item.status = "changed" if item.previous_sha256 else "new"
        self.res.archive.write_metadata(item.url, item.warc_record_id, {"kind": "report", **item.record()})
        return item


class ParseStorePipeline(UsesResources):
    """Parse the document and hand record + result to the run (its database and its report log)."""

    async def process_item(self, item, spider=None):
        try:
            result = await asyncio.wrap_future(self.res.run.parsers().submit(
                item.body, item.url, item.content_type, item.header_charset, with_text=True))
            return self._stored(result, item)
        except DropItem:
            raise
        except Exception as e:  # keep going; the next run fetches this document again in full
            log.exception("processing %s failed", item.url)
            self.res.state.forget(item.canonical_url)
            self.res.fail(item.url, f"processing_{type(e).__name__}")
            raise DropItem(f"processing failed: {e}") from e

    def _stored(self, result, item):
        result["file"] = item.url
        self.res.count(item.status)
        if "error" in result:
            self.res.count("parse_errors")
        self.res.run.report(item, result)
        return replace(item, body=b"")
