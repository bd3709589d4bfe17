"""What every platform spider shares: one registry source per spider run, scope, the report page and
document handling, error recording. A platform spider only knows its lists and its pagination."""
import hashlib
import re
from datetime import datetime, timezone
from functools import cached_property
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy.exceptions import (CannotResolveHostError, DownloadConnectionRefusedError, DownloadTimeoutError,
                               IgnoreRequest, ResponseDataLossError)
from twisted.internet.error import ConnectionLost, DNSLookupError, TCPTimedOutError, TimeoutError
from twisted.web._newclient import ResponseFailed, ResponseNeverReceived

from pipelines import template as T
from pipelines.extract.charset import decode
from pipelines.extract.html import parse_markup
from pipelines.extract.model import ExtractError
from pipelines.records import CrawledDocument

from ..canonical import canonical_url
from ..distributed import settle_failed
from ..errors import RegistryError
from ..middlewares import Blocked
from ..pagemeta import read_page_meta
from ..resources import CrawlResources
from ..runlog import COLUMNS
from ..scope import Refused

DOCUMENT_EXT = re.compile(r"\.(pdf|docx?|wps|xlsx?|et|ofd)(?:$|[?#])", re.I)
DOWNFILE = re.compile(r"downfile\.jsp|download\.jsp|/attach/|filename=[^&]+\.(pdf|docx?|wps)", re.I)
REPORT_TITLE = re.compile(r"(政府)?信息公开.{0,12}(年度报告|年报)|年度报告|工作年报")
_WS = re.compile(r"\s+")


def failure_reason(failure):
    if failure.check(Blocked, Refused):
        return failure.value.reason
    if failure.check(IgnoreRequest) and "robots.txt" in str(failure.value):
        return "robots_disallowed"
    if failure.check(TimeoutError, TCPTimedOutError, DownloadTimeoutError):
        return "timeout"
    if failure.check(ResponseFailed, ConnectionLost, ResponseNeverReceived, ResponseDataLossError):
        return "connection_reset"
    if failure.check(DNSLookupError, CannotResolveHostError):
        return "dns"
    if failure.check(DownloadConnectionRefusedError):
        return "connection_refused"
    response = getattr(failure.value, "response", None)
    if response is not None:
        return f"http_{response.status}"
    return type(failure.value).__name__


class ReportSpider(scrapy.Spider):
    """One registry source per spider run. A platform spider names its `platform` (the registry's
    `platform:` value; crawler/spiders/__init__.py finds the spiders by it) and implements `parse_list`.

    Arguments: `source`, the registry entry (or its id), and `run`, the process-wide
    `crawler.runlog.Run` that `crawler.run.run_crawl` shares between its crawlers (none when the spider
    is started on its own: then its crawler's resources make a run of its own).
    """
    platform = None
    # XPaths of the report body and title on this platform's detail pages (first match wins)
    body_xpaths = ("//body",)
    title_xpaths = ()

    def __init__(self, source=None, run=None, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if isinstance(source, str):
            from ..registry import sources_by_id
            sources = sources_by_id()
            if source not in sources:
                raise RegistryError(f"unknown source id {source!r}")
            source = sources[source]
        if not source:
            raise RegistryError(f"{type(self).__name__} needs a source (a registry entry or its id)")
        self.source = source
        self.run = run
        self.allowed_hosts = set(source["allowed_hosts"])
        self.obey_robots = source["robots"] == "obey"
        self._columns = {}  # column (its start URL) -> {"declared": int | None, "found": {url}}

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.logger.info("source %s: robots.txt policy %s", spider.source["id"], spider.source["robots"])
        return spider

    @cached_property
    def res(self):
        """This crawler's archive, crawl state and record of the run (crawler/resources.py)."""
        return CrawlResources.of(self.crawler)

    # -- requests ---------------------------------------------------------------------------------

    async def start(self):
        for url in self.source["start_urls"]:
            self.column(url)  # in the summary even if its first page never answers
            yield self.list_request(url, self.parse_list, column=url)
        for failed in self.res.state.failures(self.source["id"]):  # retry what failed last time
            kind = failed.get("kind") or "page"
            callback = {"list": self.parse_list, "document": self.parse_document}.get(kind, self.parse_page)
            yield self.request(failed["url"], callback, kind, page_url=failed.get("page_url"))

    def request(self, url, callback, kind, conditional=None, **meta):
        meta.update(source_id=self.source["id"], kind=kind, dont_obey_robotstxt=not self.obey_robots,
                    conditional=kind in ("page", "document") if conditional is None else conditional,
                    handle_httpstatus_list=[304])
        return scrapy.Request(url, callback=callback, errback=self.on_error, meta=meta)

    def list_request(self, url, callback, **kwargs):
        return self.request(url, callback, "list", **kwargs)

    def in_scope(self, url):
        return urlsplit(url).hostname in self.allowed_hosts

    def on_error(self, failure):
        request = failure.request
        reason = failure_reason(failure)
        self.res.fail(request.url, reason)
        if reason != "robots_disallowed" and not failure.check(Refused):  # a policy, not a failure to retry
            self.res.state.fail(request.url, self.source["id"], reason, request.meta.get("page_url"),
                                request.meta.get("kind"))
            self.logger.warning("%s failed: %s", request.url, reason)
        settle_failed(self.crawler, request)  # recorded: crawl workers need not hand it on

    # -- completeness: each column's declared size against the rows found in it -----------------------
    # A column is a start URL; its list requests carry it as meta "column". The counts go to the
    # crawler's stats (runlog.COLUMNS), from which the run summary says declared / found / missing.

    def column(self, response_or_url):
        """The column a list response belongs to (or the column named by a start URL), registered."""
        if isinstance(response_or_url, str):
            key = response_or_url
        else:
            key = response_or_url.meta.get("column") or response_or_url.url
        if key not in self._columns:
            self._columns[key] = {"declared": None, "found": set()}
            self._publish_columns()
            self._shared_columns("column_seen", key)
        return key

    def declare(self, column, total):
        """The column's own statement of its size (recordCount, totalRecord, total, count, pager counts)."""
        if total is not None:
            self._columns[column]["declared"] = int(total)
            self._publish_columns()
            self._shared_columns("column_declared", column, int(total))

    def listed(self, column, url):
        """One row of the column's list (a report page or a file), counted once however often it is seen."""
        self._columns[column]["found"].add(url)
        self._publish_columns()
        self._shared_columns("column_found", column, url)

    def split_column(self, start, columns):
        """A start page that is an index of columns (gkmlpt's tree): its columns are counted, not it."""
        if columns and not self._columns.get(start, {}).get("found"):
            self._columns.pop(start, None)
            self._shared_columns("column_dropped", start)
        for column in columns:
            self.column(column)

    def column_counts(self):
        """{column: {declared, found}} so far."""
        return {c: {"declared": v["declared"], "found": len(v["found"])} for c, v in self._columns.items()}

    def found_in(self, column):
        return len(self._columns[column]["found"])

    def _shared_columns(self, what, *args):
        """With crawl workers, the counts go to Redis too (crawler/distributed.py), where the run's
        coordinator adds up every worker's, a killed one's included."""
        leases = getattr(getattr(self, "crawler", None), "leases", None)
        if leases is not None:
            getattr(leases, what)(*args)

    def _publish_columns(self):
        if getattr(self, "crawler", None) is not None:  # a spider without a crawler (nianbao probe) keeps them
            self.crawler.stats.set_value(COLUMNS, self.column_counts())

    # -- lists: platform spiders implement parse_list ----------------------------------------------

    def follow_report_page(self, response, href, list_title=None):
        """The request for a row of a list: its report page, or the file itself when the row links one.
        The row counts as found in the response's column whether or not it is in scope."""
        url = urljoin(response.url, href)
        self.listed(self.column(response), url)
        if not self.in_scope(url):
            return None
        if DOCUMENT_EXT.search(url):
            return self.request(url, self.parse_document, "document", page_url=response.url,
                                page_meta={"title": list_title, "list_title": list_title})
        return self.request(url, self.parse_page, "page", list_title=list_title)

    def next_list(self, response, url, callback=None, **meta):
        """Another page of the same column (paging), carrying the column."""
        return self.list_request(url, callback or self.parse_list, column=self.column(response), **meta)

    # -- report pages and documents ------------------------------------------------------------------

    def parse_page(self, response, root=None):
        page_url = response.url
        if response.status == 304:
            self.res.count("unchanged")
            for doc_url in self.res.state.documents_of(canonical_url(page_url)):
                yield self.request(doc_url, self.parse_document, "document", page_url=page_url,
                                   page_meta=response.meta.get("page_meta", {}))
            return
        if self.is_soft_404(response):
            self.res.fail(page_url, "soft_404")
            return
        root = root if root is not None else html_root(response)
        meta = read_page_meta(root, self.title_xpaths)
        meta["list_title"] = response.meta.get("list_title")
        body = self.report_body(root)
        documents = self.document_links(response, body)
        text = _WS.sub("", body.text_content()) if body is not None else ""
        inline = any(mark in text for mark in T.REPORT_MARKS) or not documents
        if inline:
            yield self.report_item(response, page_url, meta, content_key=_key(text), role="page")
        for url in documents:
            self.res.state.link(canonical_url(page_url), url)
            yield self.request(url, self.parse_document, "document", page_url=page_url, page_meta=meta)

    def parse_document(self, response):
        if response.status == 304:
            self.res.count("unchanged")
            return
        yield self.report_item(response, response.meta.get("page_url"), response.meta.get("page_meta", {}),
                               content_key=hashlib.sha256(response.body).hexdigest(), role="attachment")

    def report_body(self, root):
        if root is None:
            return None
        for xp in self.body_xpaths:
            found = root.xpath(xp)
            if found:
                return found[0]
        return root.find("body")

    def document_links(self, response, body):
        if body is None:
            return []
        links = []
        for a in body.iter("a"):
            href = (a.get("href") or "").strip()
            if href and (DOCUMENT_EXT.search(href) or DOWNFILE.search(href)):
                url = urljoin(response.url, href)
                if url not in links and self.in_scope(url):
                    links.append(url)
        return links

    def is_soft_404(self, response):
        head = response.body[:30000].decode("utf-8", "ignore")
        return len(response.body) < 30000 and any(m in head for m in ("页面不存在", "404 Not Found", "您访问的页面不存在"))

    def report_item(self, response, page_url, meta, content_key, role):
        return CrawledDocument(
            source_id=self.source["id"], url=response.url, page_url=page_url or response.url,
            canonical_url=canonical_url(response.url), canonical_page_url=canonical_url(page_url or response.url),
            role=role, index_no=meta.get("index_no"), publisher=meta.get("publisher"),
            written_date=meta.get("written_date"), published_date=meta.get("published_date"),
            list_title=meta.get("list_title"), page_title=meta.get("title"),
            content_type=response.headers.get(b"Content-Type", b"").decode("latin-1"),
            http_status=response.status, warc_file=response.meta.get("warc_file"),
            warc_record_id=response.meta.get("warc_record_id"),
            fetched_at=datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            body=response.body, header_charset=header_charset(response), content_key=content_key,
            previous_sha256=response.meta.get("previous_sha256"))


def live_script(response):
    """The page's inline scripts with their comments cut: a commented-out pager call can be stale
    (platforms.md §2.1), so numbers are never read from comments."""
    text = "\n".join(response.xpath("//script[not(@src)]/text()").getall())
    return re.sub(r"/\*.*?\*/|(?<![:'\"\\])//[^\n]*", "", text, flags=re.S)


def header_charset(response):
    ctype = response.headers.get(b"Content-Type", b"").decode("latin-1")
    m = re.search(r"charset=([\w-]+)", ctype, re.I)
    return m.group(1) if m else None


def html_root(response):
    """The page as an lxml tree, decoded as the parser decodes it (GBK pages declared gb2312, ...)."""
    try:
        return parse_markup(decode(response.body, header_charset(response))[0])
    except ExtractError:
        return None


def _key(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
