"""JPaaS page-build sites (Zhejiang and others; platforms.md §4).

A column page (`/col/col<id>/index.html`) renders small columns' rows itself; larger ones carry only a
pager element whose attributes give the column's size (`count`), page size (`rows`), the unit URL
and `queryData="{'webId':…,'pageId':…,'tagId':…,'tplSetId':…}"`. The rows then come from
`/api-gateway/jpaas-publish-server/front/page/build/unit?…&paramJson={"pageNo":N,"pageSize":S}`:
paging lives only inside paramJson (bare pageNo/page/rows are ignored and page 1 comes back). The
answer is `{"success":true,"data":{"html":"…"}}` whose JSON may hold raw control characters (read
non-strictly); the fragment's pager repeats `count`. Rows: `a[href]` to `/art/…/art_….html` pages,
protocol-relative hrefs included. Details: body `div#zoom` (or its variants), metadata in `<td>`
label/value pairs.
"""
import json
import math
import re
from urllib.parse import urlencode, urljoin

from scrapy.http import HtmlResponse

from .base import ReportSpider

DETAIL = re.compile(r"/art/\d{4}/(?:\d{1,2}/\d{1,2}/)?art_[0-9a-f_]+\.html")
QUERY_DATA = re.compile(r"'(\w+)'\s*:\s*'([^']*)'")
UNIT = "/api-gateway/jpaas-publish-server/front/page/build/unit"


class JpaasSpider(ReportSpider):
    name = "jpaas"
    platform = "jpaas"
    body_xpaths = ("//div[@id='zoom']", "//div[contains(@class,'zc_article_con')]", "//div[contains(@class,'art-con')]",
                   "//div[contains(@class,'Three_xilan_07')]")
    title_xpaths = ("//meta[@name='ArticleTitle']/@content",)

    def parse_list(self, response):
        column = self.column(response)
        if response.meta.get("unit"):
            yield from self.parse_unit(response)
            return
        yield from self.rows(response, response)
        pager = response.xpath("//*[@querydata and @count]")
        if not pager:
            return
        pager = pager[0].attrib
        count, size = int(pager["count"]), int(pager.get("rows") or 15)
        self.declare(column, count)
        query = dict(QUERY_DATA.findall(pager["querydata"]))
        unit = urljoin(response.url, pager.get("uniturl") or UNIT)
        for page in range(1, math.ceil(count / size) + 1):
            yield self.next_list(response, self.unit_url(unit, query, page, size), unit=True)

    @staticmethod
    def unit_url(unit, query, page, size):
        params = {"parseType": "bulidstatic", "webId": query.get("webId", ""), "tplSetId": query.get("tplSetId", ""),
                  "pageType": "column", "tagId": query.get("tagId", ""), "editType": "null",
                  "pageId": query.get("pageId", "")}
        if query.get("unitId"):
            params["unitId"] = query["unitId"]
        params["paramJson"] = json.dumps({"pageNo": page, "pageSize": size}, separators=(",", ":"))
        return f"{unit}?{urlencode(params)}"

    def parse_unit(self, response):
        try:
            data = json.loads(response.text, strict=False)  # raw control characters occur
        except ValueError:
            self.res.fail(response.url, "list_api_not_json")
            return
        fragment = ((data.get("data") or {}).get("html") or "") if isinstance(data, dict) else ""
        page = HtmlResponse(url=response.url, body=fragment.encode("utf-8"), encoding="utf-8", request=response.request)
        count = page.xpath("//*[@count]/@count").get()
        if count and count.isdigit():
            self.declare(self.column(response), count)
        yield from self.rows(page, response)

    def rows(self, page, response):
        """Every row of a list (the column page or a unit fragment) that links a detail page."""
        base = response.meta.get("column") or response.url
        for a in page.xpath("//a[@href]"):
            href = a.attrib["href"]
            if DETAIL.search(href):
                title = a.attrib.get("title") or a.xpath("string()").get().strip()
                request = self.follow_report_page(page, urljoin(base, href), list_title=title)
                if request:
                    yield request
