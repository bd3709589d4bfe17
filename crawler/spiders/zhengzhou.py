"""The Zhengzhou 政务公开 platform (JEECMS, `.jhtml`): public.<city>.gov.cn columns and the
www.<city>.gov.cn portal lists (portals.md §1).

Lists: anchors directly under `ul.common-list` or `ul.page-list` (title in a span, full title in the
anchor's title attribute when the text is cut with …, date in em). Paging: the `.page-tile` pager,
`&page=N` on public.* and `index_N.jhtml` on www.*; every pager link of the same column is followed
and the duplicate filter ends the walk. The pager states the column's size (`共61条 1/5页`), read on
the column's first page. Detail: `div.content-wrap` > `div.content-title` + `div.content-txt`.
"""
import re
from urllib.parse import parse_qs, urljoin, urlsplit

from .base import REPORT_TITLE, ReportSpider

DETAIL = re.compile(r"/[A-Za-z0-9]+/\d+\.jhtml$")
TOTAL = re.compile(r"共\s*(\d+)\s*条")


def column_of(url):
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    if "p" in query:
        return (parts.hostname, query["p"][0], query.get("d", [""])[0])
    return (parts.hostname, parts.path.rsplit("/", 1)[0])  # www.*: /news1/index_N.jhtml


class ZhengzhouSpider(ReportSpider):
    name = "zhengzhou"
    platform = "zhengzhou"
    body_xpaths = ("//div[contains(@class,'content-txt')]", "//div[contains(@class,'content-wrap')]")
    title_xpaths = ("//div[contains(@class,'content-title')]",)

    def parse_list(self, response):
        column = column_of(response.url)
        counted = self.column(response)
        only_reports = self.source.get("title_filter", False)
        if not response.meta.get("paged"):  # the first page's statement stands for the run
            total = TOTAL.search(" ".join(response.css(".page-tile .page-info::text").getall()))
            self.declare(counted, total.group(1) if total else None)
        for a in response.css("ul.common-list > a, ul.page-list > a, ul.common-list li > a, ul.page-list li > a"):
            href = a.attrib.get("href")
            title = a.attrib.get("title") or " ".join(a.css("span::text").getall()).strip() or a.css("::text").get("")
            if not href:
                continue
            url = urljoin(response.url, href)
            self.listed(counted, url)  # a row of the column, whether or not it is a report
            if only_reports and not REPORT_TITLE.search(title):
                continue
            if DETAIL.search(urlsplit(url).path):
                request = self.follow_report_page(response, href, list_title=title.strip())
                if request:
                    yield request
        for href in response.css(".page-tile a::attr(href)").getall():
            url = urljoin(response.url, href)
            if self.in_scope(url) and column_of(url) == column:
                yield self.next_list(response, url, paged=True)
