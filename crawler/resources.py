"""What all spiders of one crawler process share: the WARC file, the crawl state and the run log.

Several crawlers (one per source) run in one process; they must append to one WARC file and count
into one run summary, so these live here, one set per data directory, closed when the process ends.
"""
import atexit
import os
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

from pipelines.archive import WarcArchive

from .runlog import RunSummary
from .state import CrawlState

_shared = {}


class Resources:
    def __init__(self, data_dir, settings):
        self.data_dir = Path(data_dir)
        self.archive_dir = self.data_dir / "archive"
        self.archive_dir.mkdir(parents=True, exist_ok=True)
        self.archive = WarcArchive(self.archive_dir, info={
            "operator": settings.get("NIANBAO_OPERATOR", "nianbao"),
            "user-agent": settings.get("USER_AGENT"), "robots": "per source (crawler/sources.yaml)",
            "pid": os.getpid()})
        self.state = CrawlState(self.data_dir / "crawl_state.sqlite")
        self.run = RunSummary(self.data_dir / "runs")
        self._parsers = None

    def parsers(self):
        """Worker processes for parsing, started on first use: the crawl keeps one core to itself."""
        if self._parsers is None:
            workers = max(1, (os.cpu_count() or 2) - 1)
            self._parsers = ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn"))
        return self._parsers

    def close(self):
        if self._parsers is not None:
            self._parsers.shutdown(wait=True)
        self.archive.close()
        self.run.save()
        self.state.close()


class UsesResources:
    """A Scrapy component (middleware, pipeline) built from its crawler, using the shared resources."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.res = shared(crawler.settings)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)


def shared(settings):
    data_dir = str(Path(settings.get("NIANBAO_DATA_DIR", "data")).resolve())
    if data_dir not in _shared:
        _shared[data_dir] = Resources(data_dir, settings)
    return _shared[data_dir]


def close_all():
    while _shared:
        _, res = _shared.popitem()
        res.close()


atexit.register(close_all)
