"""One crawler's resources, as a Scrapy extension (`CrawlResources`, in EXTENSIONS).

One process runs one crawler per registry source (crawler/run.py). Each crawler's extension, built
`from_crawler`, opens on `spider_opened` and closes on `spider_closed`:

- its WARC file: one per crawler, i.e. per source and run,
  `archive/warc/nianbao-<source id>-<UTC time>-<pid>.warc.gz` (the archive reader and `nianbao build`
  read every file in archive/warc/);
- its connection to the crawl state, `crawl_state.sqlite` (validators, links, failed URLs), and the
  validators of the answers not yet done with (`expect`, `commit`: crawler/state.py says when);
- its record of the run: counts into the crawler's Scrapy stats (`count`), failures by reason and the
  failed URLs (`fail`); when the spider closes, its source's summary goes to the process-wide
  `crawler.runlog.Run`, which the spider carries as its `run` argument. A spider started on its own
  (`scrapy crawl zhengzhou -a source=zhengzhou-public`) has no run: it gets one of its own, closed
  with it.

Middlewares and pipelines reach it with `CrawlResources.of(crawler)`; spiders, which Scrapy creates
before the extensions, through their `res` property.
"""
import logging
import os
import re

from scrapy import signals
from scrapy.exceptions import CloseSpider

from pipelines.archive import WarcArchive

from .runlog import FAILURES, PREFIX, ROBOTS, Run, source_summary
from .state import CrawlState

log = logging.getLogger(__name__)


class CrawlResources:
    def __init__(self, crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self.run = None
        self.archive = None
        self.state = None
        self.source_id = None
        self.failed_urls = []
        self._pending = {}       # canonical URL -> (etag, last_modified, sha256, status) of its answer
        self._waiting = {}       # canonical URL -> duplicates of its report, committed when it is
        self._committed = set()  # canonical URLs committed in this run
        self._own_run = False
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    @classmethod
    def of(cls, crawler):
        found = crawler.get_extension(cls)
        if found is None:
            raise RuntimeError("crawler.resources.CrawlResources is not enabled (EXTENSIONS): the crawler "
                               "has no archive, crawl state or run to write to")
        return found

    @property
    def archive_dir(self):
        return self.run.data_dir / "archive"

    # -- spider signals -------------------------------------------------------------------------------

    def spider_opened(self, spider):
        self.source_id = spider.source["id"]
        self.stats.set_value(ROBOTS, spider.source["robots"])
        self.run = getattr(spider, "run", None)
        if self.run is None:
            self.run = Run.from_settings(self.crawler.settings)
            self._own_run = True
            self.run.add_source(spider.source)
        try:
            self.archive = WarcArchive(self.archive_dir, prefix="nianbao-" + re.sub(r"[^\w.-]", "_", self.source_id),
                                       info={"operator": self.crawler.settings.get("NIANBAO_OPERATOR", "nianbao"),
                                             "user-agent": self.crawler.settings.get("USER_AGENT"),
                                             "source": self.source_id, "robots": spider.source["robots"],
                                             "pid": os.getpid()})
            self.state = self._open_state()
        except Exception as e:
            # a signal handler's exception would only be logged and the crawl would go on without an
            # archive: stop this crawler and let the run say why (nianbao crawl exits 1)
            log.exception("source %s: cannot open the archive or the crawl state", self.source_id)
            self.run.errors.append(f"source {self.source_id}: cannot open the archive or the crawl state: {e}")
            raise CloseSpider("resources_unavailable") from e

    def _open_state(self):
        """The crawl state: in Redis when crawl workers share it (crawler/distributed.py), else a SQLite file."""
        settings = self.crawler.settings
        if settings.get("NIANBAO_REDIS_URL"):
            from .redis_state import RedisState
            return RedisState(settings["NIANBAO_REDIS_URL"], settings.get("NIANBAO_REDIS_PREFIX", "nianbao"))
        return CrawlState(self.run.data_dir / "crawl_state.sqlite")

    def spider_closed(self, spider, reason):
        if self.run is None:  # never opened
            return
        summary = source_summary(self.stats.get_stats(), self.failed_urls)
        summary["elapsed_seconds"] = self.stats.get_value("elapsed_time_seconds")
        summary["finish_reason"] = reason
        self.run.source_finished(self.source_id, summary)
        if self.archive is not None:
            self.archive.close()
        if self.state is not None:
            if self._shared_state():
                self._commit_waiting_on_others()
            self.state.close()
        if self._own_run:
            self.run.close()

    # -- the crawl state: validators committed once an answer is done with --------------------------

    def expect(self, url, etag, last_modified, sha256, status):
        """A full answer for a canonical URL arrived: its validators wait for `commit`."""
        self._pending[url] = (etag, last_modified, sha256, status)

    def commit(self, url, committed_as, archived_sha256=None):
        """The answer of a canonical URL is done with (crawler/state.py): its validators go to the crawl
        state, and so do those of the duplicates that waited for it. `archived_sha256`: the digest of the
        report as archived, where the spider made it from the answer (gkmlpt's article from the page's
        config, a TRS article joined from its pages): the state keeps what the archive holds, so that the
        next run finds it there and knows an unchanged answer."""
        answer = self._pending.pop(url, None)
        if answer is not None:
            if archived_sha256:
                answer = (*answer[:2], archived_sha256, *answer[3:])
            self.state.commit(url, *answer, committed_as)
        self._committed.add(url)
        for duplicate in self._waiting.pop(url, ()):
            answer = self._pending.pop(duplicate, None)
            if answer is not None:
                self.state.commit(duplicate, *answer, "duplicate")

    def commit_with(self, url, first):
        """URL answered a duplicate of `first`'s report: committed when `first` is, so that a crash in
        between leaves both to be fetched again."""
        self._waiting.setdefault(first, []).append(url)
        if first in self._committed or (self._shared_state() and self.state.committed(first)):
            self.commit(first, None)  # (with crawl workers, `first` may be another worker's, committed there)

    def _shared_state(self):
        return getattr(self.crawler, "leases", None) is not None

    def _commit_waiting_on_others(self):
        """At close, with crawl workers: duplicates whose first copy another worker has committed since."""
        for first in list(self._waiting):
            if self.state.committed(first):
                self.commit(first, None)

    # -- the record of the run ----------------------------------------------------------------------------

    def count(self, key, n=1):
        """One more page fetched, report new, duplicate... (`crawler.runlog.COUNTS`), in the stats."""
        self.stats.inc_value(PREFIX + key, n)

    def fail(self, url, reason):
        """A URL given up: by reason in the stats, and in the failed URLs; a block counts as blocked."""
        self.stats.inc_value(FAILURES + reason)
        self.failed_urls.append({"url": url, "reason": reason})
        if reason.startswith("blocked"):
            self.count("blocked")


class UsesResources:
    """A Scrapy component (middleware, pipeline) built from its crawler, using the crawler's resources."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.res = CrawlResources.of(crawler)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)
