"""Helpers for the crawler's offline tests, in the manner of city-scrapers: Scrapy responses built
from saved pages, with the URL they were served at, their status and headers and the request meta a
spider would have set; and spiders on a real Crawler (`scrapy.utils.test.get_crawler`) whose
resources (WARC file, crawl state, run) are real and live in a temporary directory.

Saved pages: `tests/files/replica/` (pages the replica renders; see save.py there) and the real
Pingtan pages, read where they are, in ../shared/corpus/pingtan.
"""
import json
from importlib import import_module
from pathlib import Path

import pytest
from scrapy import Request, signals
from scrapy.http import Headers
from scrapy.responsetypes import responsetypes
from scrapy.utils.test import get_crawler

from crawler.registry import sources_by_id
from crawler.resources import CrawlResources
from crawler.runlog import Run
from tests.conftest import SHARED

FILES = Path(__file__).resolve().parent / "files"
REPLICA_PAGES = FILES / "replica"
PINGTAN = SHARED / "corpus" / "pingtan"
PINGTAN_LIST = "https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/"
PINGTAN_PAGES = {  # year of the report -> the URL its page was served at (meta Url of each page)
    2017: PINGTAN_LIST + "201801/t20180123_80506.htm",
    2019: PINGTAN_LIST + "202001/t20200120_80576.htm",
    2021: PINGTAN_LIST + "202202/t20220208_80613.htm",
    2023: PINGTAN_LIST + "202403/t20240308_87885.htm",
}
SETTINGS = "tests.crawl_settings"


def file_response(path, url, meta=None, status=200, headers=None):
    """The response a spider callback gets for the page saved at `path`, served at `url`."""
    body = Path(path).read_bytes()
    headers = Headers(headers or {})
    cls = responsetypes.from_args(headers=headers, url=url, body=body)
    return cls(url=url, status=status, headers=headers, body=body, request=Request(url, meta=dict(meta or {})))


def replica_page(name):
    """{url, status, headers} of a saved replica page (tests/files/replica/pages.json)."""
    return json.loads((REPLICA_PAGES / "pages.json").read_text(encoding="utf-8"))[name]


def replica_response(name, meta=None, status=None):
    page = replica_page(name)
    return file_response(REPLICA_PAGES / name, page["url"], meta, status or page["status"], page["headers"])


def pingtan_response(year=None, meta=None):
    """The real Pingtan column's list page (no year) or the report page of `year`; the headers the portal
    sent are not kept, so the type is text/html and the charset the page's own."""
    if year is None:
        return file_response(PINGTAN / "list-index.html", PINGTAN_LIST, meta, headers={"Content-Type": "text/html"})
    return file_response(PINGTAN / str(year) / "source.html", PINGTAN_PAGES[year], meta,
                         headers={"Content-Type": "text/html"})


def module_settings(name=SETTINGS):
    module = import_module(name)
    return {key: getattr(module, key) for key in dir(module) if key.isupper()}


class Spiders:
    """Spiders on real crawlers, opened as Scrapy opens them (spider_opened: the WARC file and the crawl
    state under `data_dir`) and closed at the end (spider_closed: each source's summary to the run)."""

    def __init__(self, data_dir):
        self.data_dir = Path(data_dir)
        self.run = None
        self.open = []

    def __call__(self, spidercls, source, **settings):
        if isinstance(source, str):
            source = sources_by_id()[source]
        if self.run is None:
            self.run = Run(self.data_dir, workers=1)
        crawler = get_crawler(spidercls, {**module_settings(), "NIANBAO_DATA_DIR": str(self.data_dir), **settings})
        spider = spidercls.from_crawler(crawler, source=source, run=self.run)
        crawler.spider = spider
        self.run.add_source(source)
        crawler.signals.send_catch_log(signals.spider_opened, spider=spider)
        assert CrawlResources.of(crawler).archive is not None, "the resources did not open"
        self.open.append(spider)
        return spider

    def close(self, reason="finished"):
        while self.open:
            spider = self.open.pop()
            spider.crawler.signals.send_catch_log(signals.spider_closed, spider=spider, reason=reason)
        if self.run is not None:
            self.run.close()


@pytest.fixture
def spiders(tmp_path):
    """spiders(SpiderClass, source id or entry, **settings) -> an open spider; all closed after the test."""
    made = Spiders(tmp_path / "data")
    yield made
    made.close()
