"""For a portal on no known platform: from the start URL follow in-scope links to a bounded depth and
recognise report pages and attachments by their titles and content, so a new portal yields its
reports before anyone writes a platform spider for it.

A page is a report when its text carries the template's labels, or when its own title names a report
and it is not a list (a list page links many report titles). Links are read from anchors and from
script text (lists embedded as XML or JSON in scripts). Static lists paged by JavaScript are probed
with the usual templates (`index_1.html`, `list_2.shtml`, …) until a page adds no new report link.

Completeness, where it can: every request carries its start URL as the column; the report links
found under it are its rows, and a start page that states its size in a form several platforms use
(`recordCount:'20'`, `totalRecord:44`, the TRS 6-argument pager's record count) declares it. Rows
only a list API gives stay out of its reach, and then the column says so (found < declared).
"""
import re
from urllib.parse import urljoin, urlsplit

from scrapy.http import TextResponse

from pipelines import template as T

from .base import _WS, DOCUMENT_EXT, DOWNFILE, REPORT_TITLE, ReportSpider, html_root, live_script

SKIP = re.compile(r"\.(css|js|png|jpe?g|gif|ico|svg|zip|rar|mp4|mp3)(?:$|\?)|^(?:javascript|mailto|tel|#)", re.I)
PAGER_WORDS = re.compile(r"^(下一页|下页|尾页|末页|\d{1,3}|>|»|更多)$")
SCRIPT_LINK = re.compile(r"""href\s*=\s*\\?['"]([^'"\\]+)\\?['"][^>]*>(.*?)</a>""", re.S)
TAGS = re.compile(r"<[^>]+>")
YEAR = re.compile(r"(19|20)\d\d")
STATIC_LIST = re.compile(r"^(.*/)(index|[\w\-]*list)(?:_(\d+))?\.(s?html?)$|^(.*/)$")
PAGE_PARAM = re.compile(r"[?&](page|pageNum|pageIndex|currpage|pageNo)=(\d+)", re.I)
DECLARED = (re.compile(r"""recordCount\s*:\s*['"]?(\d+)"""), re.compile(r"totalRecord\s*:\s*(\d+)"),
            re.compile(r"createPageHTML\(\s*['\"][^'\"]*['\"]\s*,\s*\d+\s*,\s*\d+\s*,\s*['\"][\w\-]+['\"]\s*,"
                       r"\s*['\"]\w+['\"]\s*,\s*(\d+)\s*\)"))


class GenericSpider(ReportSpider):
    name = "generic"
    platform = "generic"
    body_xpaths = ("//div[contains(@class,'TRS_Editor')]", "//div[@id='zoom']",
                   "//div[contains(@class,'content-txt')]", "//article", "//body")

    def __init__(self, source=None, *args, **kwargs):
        super().__init__(source, *args, **kwargs)
        self.max_depth = int(self.source.get("max_depth", 6))
        self.prefixes = self.source.get("path_prefixes") or []
        self.seen_reports = set()

    def parse_list(self, response):
        if response.status == 304:  # a report page seen on an earlier run, unchanged
            yield from self.parse_page(response)
            return
        root = html_root(response)
        if root is None:
            return
        column = response.meta.get("column")
        if column and response.url.split("#")[0] == column.split("#")[0] and response.meta.get("kind") == "list":
            script = live_script(response) if isinstance(response, TextResponse) else ""
            declared = next((m.group(1) for m in (d.search(script) for d in DECLARED) if m), None)
            self.declare(self.column(column), declared)
        links = list(self._links(response, root))
        report_links = [u for u, label in links if REPORT_TITLE.search(label)]
        if self._is_report(root, len(report_links)):
            yield from self.parse_page(response, root)
            return
        depth = response.meta.get("depth_left", self.max_depth)
        new = 0
        for url, label in links:
            if DOCUMENT_EXT.search(url) or DOWNFILE.search(url):
                if REPORT_TITLE.search(label):
                    self._row(column, url)
                    yield self.request(url, self.parse_document, "document", page_url=response.url, column=column,
                                       page_meta={"title": label, "list_title": label})
            elif REPORT_TITLE.search(label) and YEAR.search(label):
                new += url not in self.seen_reports
                self.seen_reports.add(url)
                self._row(column, url)
                if depth > 0:
                    yield self.request(url, self.parse_list, "page", depth_left=depth - 1, list_title=label,
                                       column=column)
            elif depth > 0 and (PAGER_WORDS.match(label) or REPORT_TITLE.search(label) or PAGE_PARAM.search(url)):
                yield self.list_request(url, self.parse_list, depth_left=depth - 1, column=column)
        if new:
            yield from self._probe_next(response, depth)

    def _row(self, column, url):
        if column:
            self.listed(self.column(column), url)

    def _is_report(self, root, report_links):
        body = root.find("body")
        text = _WS.sub("", body.text_content()) if body is not None else ""
        if any(mark in text for mark in T.STRONG_REPORT_MARKS):
            return True
        titles = root.xpath("//meta[@name='ArticleTitle']/@content") + [
            h.text_content() for h in root.xpath("//h1|//*[contains(@class,'title')]") if len(h.text_content()) < 80]
        titled = any(REPORT_TITLE.search(t) and YEAR.search(t) for t in titles)
        return titled and report_links < 3

    def _links(self, response, root):
        seen = set()
        pairs = [(a.get("href"), a.get("title") or a.text_content()) for a in root.iter("a") if a.get("href")]
        for script in root.iter("script"):
            pairs += [(href, TAGS.sub("", inner)) for href, inner in SCRIPT_LINK.findall(script.text or "")]
        for href, label in pairs:
            href = href.strip()
            if SKIP.search(href):
                continue
            url = urljoin(response.url, href).split("#")[0]
            if url in seen or not self.in_scope(url) or not self._under_prefix(url):
                continue
            seen.add(url)
            yield url, _WS.sub(" ", label or "").strip()

    def _probe_next(self, response, depth):
        """A list whose pager is drawn by JavaScript: try the next page names or numbers in use."""
        param = PAGE_PARAM.search(response.url)
        if param and depth > 0:  # ?page=N / pageNum=N / currpage=N: the next number
            n = int(param.group(2)) + 1
            yield self.list_request(response.url[:param.start(2)] + str(n) + response.url[param.end(2):],
                                    self.parse_list, depth_left=depth, column=response.meta.get("column"))
            return
        m = STATIC_LIST.match(urlsplit(response.url).path)
        if not m or depth <= 0:
            return
        if m.group(5) is not None:  # a directory: its pages are index_N.html
            base, stem, number, ext = m.group(5), "index", None, "html"
        else:
            base, stem, number, ext = m.group(1), m.group(2), m.group(3), m.group(4)
        candidates = [1, 2] if number is None else [int(number) + 1]  # _1 (0-based) or _2 (1-based)
        for n in candidates:
            url = urljoin(response.url, f"{base}{stem}_{n}.{ext}")
            yield self.list_request(url, self.parse_list, depth_left=depth - 1, column=response.meta.get("column"))

    def _under_prefix(self, url):
        path = urlsplit(url).path
        return not self.prefixes or any(path.startswith(p) for p in self.prefixes)
