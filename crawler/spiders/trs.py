"""TRS WCM sites (platforms.md §2): lists paged by an inline pager script, details at
`./YYYYMM/tYYYYMMDD_<id>.html|.shtml|.htm` with the body in `div.TRS_Editor` (or its variants).

Pager forms, read from the live script only (a commented-out call can be stale and is never read):
- `createPageHTML(pageCount, currentIndex, "index", "html")` (and the renamed `createPage(…)`):
  currentIndex 0-based; page 1 is `index.html`, page k+1 `index_k.html`;
- `var currentPage = 0; var countPage = 67` (inline variables), the same 0-based scheme;
- `createPageHTML('page_div', pageCount, currentPage, prefix, ext, recordCount)`: currentPage 1-based;
  page N ≥ 2 is `prefix_N.ext`; the 6th argument is the column's record count, its declared size;
- the 5-argument call seen once has no known meaning: it is not followed (logged).
A live `var record_count = N` is also a declared size; the 4-argument forms declare pages, not rows
("declared: unknown").

Articles split over several pages carry their own pager (`countPage > 1`, or a pager call naming the
page's own file): the text continues in `t…_<id>_1.html`, `_2.html` …; each page is fetched (and so
archived) in turn and the report is the pages joined into one document.
"""
import re
from urllib.parse import urljoin, urlsplit

from lxml import html as lxml_html
from scrapy.http import HtmlResponse

from .base import ReportSpider, header_charset, html_root, live_script

DETAIL = re.compile(r"/\d{6}/t\d{8}_\d+\.s?html?$")
PAGER_6 = re.compile(r"createPageHTML\(\s*['\"][^'\"]*['\"]\s*,\s*(\d+)\s*,\s*(\d+)\s*,\s*['\"]([\w\-]+)['\"]\s*,"
                     r"\s*['\"](\w+)['\"]\s*,\s*(\d+)\s*\)")
PAGER_4 = re.compile(r"createPage(?:HTML)?\(\s*(\d+)\s*,\s*(\d+)\s*,\s*['\"]([\w\-]+)['\"]\s*,\s*['\"](\w+)['\"]\s*\)")
PAGER_5 = re.compile(r"createPageHTML\(\s*\d+\s*,\s*\d+\s*,\s*\d+\s*,")
PAGER_VARS = re.compile(r"createPage(?:HTML)?\(\s*countPage\s*,\s*currentPage\s*,\s*['\"]([\w\-]+)['\"]\s*,\s*['\"](\w+)['\"]")
COUNT_PAGE = re.compile(r"var\s+countPage\s*=\s*(\d+)")
CURRENT_PAGE = re.compile(r"var\s+currentPage\s*=\s*(\d+)")
RECORD_COUNT = re.compile(r"var\s+record_count\s*=\s*(\d+)")


def pager(script, page_url):
    """(page URLs after this one, declared record count or None) from a page's live script."""
    m = PAGER_6.search(script)
    if m:
        count, current, stem, ext, records = int(m[1]), int(m[2]), m[3], m[4], int(m[5])
        return [urljoin(page_url, f"{stem}_{n}.{ext}") for n in range(max(current, 1) + 1, count + 1)], records
    records = RECORD_COUNT.search(script)
    records = int(records[1]) if records else None
    m = PAGER_4.search(script)
    if m:
        count, current, stem, ext = int(m[1]), int(m[2]), m[3], m[4]
    elif COUNT_PAGE.search(script):
        count = int(COUNT_PAGE.search(script)[1])
        current = int(CURRENT_PAGE.search(script)[1]) if CURRENT_PAGE.search(script) else 0
        named = PAGER_VARS.search(script)
        stem, ext = (named[1], named[2]) if named else _own_stem(page_url)
    else:
        return [], records
    return [urljoin(page_url, f"{stem}_{n}.{ext}") for n in range(current + 1, count)], records


def _own_stem(url):
    name = urlsplit(url).path.rsplit("/", 1)[-1] or "index.html"
    stem, _, ext = name.rpartition(".")
    return re.sub(r"_\d+$", "", stem) or "index", ext or "html"


class TrsSpider(ReportSpider):
    name = "trs"
    platform = "trs"
    body_xpaths = ("//div[contains(@class,'TRS_Editor')]", "//div[contains(@class,'trs_editor_view')]",
                   "//div[contains(@class,'Custom_UnionStyle')]", "//div[contains(@class,'TRS_UEDITOR')]",
                   "//div[@id='UCAP-CONTENT']", "//div[contains(@class,'article-con')]", "//div[@id='zoom']")
    title_xpaths = ("//meta[@name='ArticleTitle']/@content",)

    def parse_list(self, response):
        column = self.column(response)
        for a in response.xpath("//a[@href]"):
            href = a.attrib["href"]
            if DETAIL.search(href.split("?")[0]):
                title = a.attrib.get("title") or "".join(a.xpath(".//text()").getall()).strip()
                request = self.follow_report_page(response, href, list_title=title)
                if request:
                    yield request
        script = live_script(response)
        later, records = pager(script, response.url)
        if records is not None:
            self.declare(column, records)
        if PAGER_5.search(script) and not later:
            self.logger.warning("%s: 5-argument createPageHTML, meaning unknown: not followed", response.url)
        if response.meta.get("paged"):
            return
        for url in later:  # the first page announces them all
            yield self.next_list(response, url, paged=True)

    # -- articles split over several pages ---------------------------------------------------------------

    def parse_page(self, response, root=None):
        split = response.meta.get("split")
        if split is None:
            later = self._continuations(response)
            if not later:
                yield from super().parse_page(response, root)
                return
            split = {"url": response.url, "parts": [response.body], "charset": header_charset(response),
                     "meta": {k: response.meta.get(k) for k in ("list_title", "warc_file", "warc_record_id",
                                                                "previous_sha256", "source_id", "kind")},
                     "pages": later}
        else:
            split = {**split, "parts": split["parts"] + [response.body]}
        if split["pages"]:
            following, rest = split["pages"][0], split["pages"][1:]
            yield self.request(following, self.parse_page, "page", conditional=False, split={**split, "pages": rest})
            return
        yield from super().parse_page(self._joined(split))

    def _continuations(self, response):
        """The article's own later pages (`t…_<id>_1.html` …), from a pager naming the page's own file."""
        if response.status != 200 or not DETAIL.search(urlsplit(response.url).path):
            return []
        stem = _own_stem(response.url)[0]
        later, _ = pager(live_script(response), response.url)
        return [u for u in later if urlsplit(u).path.rsplit("/", 1)[-1].startswith(stem + "_")]

    def _joined(self, split):
        """One document: the first page with every later page's body container appended inside its own."""
        root = html_root(HtmlResponse(url=split["url"], body=split["parts"][0],
                                      headers={"Content-Type": f"text/html; charset={split['charset']}"}
                                      if split["charset"] else {}))
        body = self.report_body(root)
        for part in split["parts"][1:]:
            more = self.report_body(html_root(HtmlResponse(url=split["url"], body=part)))
            if more is not None and body is not None:
                body.extend(list(more))
        for meta in root.xpath("//meta[@charset or @http-equiv]"):
            meta.getparent().remove(meta)
        data = lxml_html.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>").encode("utf-8")
        return HtmlResponse(url=split["url"], body=data, headers={"Content-Type": "text/html; charset=utf-8"},
                            request=self.request(split["url"], self.parse_page, "page", **{
                                k: v for k, v in split["meta"].items() if k not in ("source_id", "kind")}))
