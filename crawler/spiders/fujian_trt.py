"""Fujian TRT 集约化 portals (www.pingtan.gov.cn, *.fujian.gov.cn; platforms.md §1).

A column page (`…/zfxxgknb/`) carries its first `maxStaticIndex` pages as static rows
(`div.rules_tabs_01 dl > dd > a` on 信息公开 columns, `div.list_base ul > li > a` elsewhere) and states
the column's size in its list script (`recordCount:'20'`, with `prepage`). The other rows come only
from the list API, `POST /fjdzapp/search` (form: channelid = the site's `SiteInfo.searchId`, classsql
`chnlid=<ChnlId>`, sortfield, page (1-based), prepage), JSON `{"data": [rows], "pageCount": n}`. The
API is asked one page after another, from the first page the static rows do not cover, until the
declared count is reached or a page comes back short; a page that fails ends the walk, and the column
then counts fewer rows than it declares (incomplete_list).

Rows may point at other columns' pages (a column is a query over the document library) or straight at
files (P0….pdf/.doc/.docx, no HTML page). Details: `.htm`, body `div.article_content` (holding
`div.TRS_Editor`, or not), publisher in `来源：…` or the 信息公开 template's 发文机关.
"""
import json
import math
import re
from urllib.parse import urlencode, urljoin

from .base import ReportSpider, live_script

RECORD_COUNT = re.compile(r"""recordCount\s*:\s*['"]?(\d+)""")
PREPAGE = re.compile(r"""prepage\s*:\s*['"]?(\d+)""")
CHNLID = re.compile(r"""classsql\s*:\s*(?:""\s*\|\|\s*)?['"]([^'"]*)['"]""")
SEARCH_ID = re.compile(r"""searchId\s*:\s*['"]?(\d+)""")
SORTFIELD = re.compile(r"""sortfield\s*:\s*['"]([^'"]+)['"]""")
LIST_API = re.compile(r"""listApi\s*:\s*\{\s*url\s*:\s*['"]([^'"]+)['"]""")
ROWS = ("//div[contains(@class,'rules_tabs_01')]//dl/dd/a[@href]", "//div[contains(@class,'list_base')]//ul/li/a[@href]")
TAGS = re.compile(r"<[^>]+>")
GONE = re.compile(rb"<meta[^>]+http-equiv=['\"]?refresh[^>]+URL=\.\./", re.I)
BLIP_BYTES = 300   # a 200 of fewer bytes is the WAF's blip, not a page (platforms.md §1.5)
GONE_BYTES = 512   # a deleted document: a 200 whose whole body sends the reader to the folder above


class FujianTrtSpider(ReportSpider):
    name = "fujian_trt"
    platform = "fujian_trt"
    body_xpaths = ("//div[contains(@class,'TRS_Editor')]", "//div[contains(@class,'article_content')]")
    title_xpaths = ("//meta[@name='ArticleTitle']/@content", "//div[contains(@class,'article_title')]")

    def parse_page(self, response, root=None):
        """A deleted document or the WAF's few-byte blip is recorded with its reason, never taken for
        a report; the blip is retried by the next run."""
        if response.status == 200 and len(response.body) <= GONE_BYTES and GONE.search(response.body):
            self.res.fail(response.url, "deleted_document")
            return
        if response.status == 200 and len(response.body) < BLIP_BYTES:
            self.res.fail(response.url, "waf_blip")
            self.res.state.fail(response.url, self.source["id"], "waf_blip", response.meta.get("page_url"), "page")
            return
        yield from super().parse_page(response, root)

    def parse_list(self, response):
        column = self.column(response)
        if response.meta.get("api_page"):
            yield from self.parse_api(response)
            return
        for xp in ROWS:
            for a in response.xpath(xp):
                request = self.follow_report_page(response, a.attrib["href"],
                                                  list_title=a.attrib.get("title") or a.xpath("string()").get().strip())
                if request:
                    yield request
        scripts = live_script(response)
        declared = RECORD_COUNT.search(scripts)
        if declared is None:
            return
        self.declare(column, declared.group(1))
        api = self.api_request(response, scripts)
        if api is not None:
            yield api

    def api_request(self, response, scripts, page=None):
        """The list API's next page, or None when the static rows already hold the whole column."""
        column = self.column(response)
        total = int(RECORD_COUNT.search(scripts).group(1))
        prepage = int(PREPAGE.search(scripts).group(1)) if PREPAGE.search(scripts) else 15
        found = self.found_in(column)
        if found >= total:
            return None
        classsql = CHNLID.search(scripts)
        chnlid = response.xpath("//meta[@name='ChnlId']/@content").get()
        form = {"channelid": SEARCH_ID.search(scripts).group(1) if SEARCH_ID.search(scripts) else "",
                "classsql": classsql.group(1) if classsql and classsql.group(1) else f"chnlid={chnlid}",
                "sortfield": SORTFIELD.search(scripts).group(1) if SORTFIELD.search(scripts) else "-docorderpri,-docreltime",
                "page": str(page or found // prepage + 1), "prepage": str(prepage)}
        url = urljoin(response.url, LIST_API.search(scripts).group(1) if LIST_API.search(scripts) else "/fjdzapp/search")
        return self.api_page(response.url, url, form, total, column)

    def api_page(self, column_url, url, form, total, column):
        request = self.list_request(url, self.parse_list, column=column, api_page=True, form=form, total=total,
                                    column_url=column_url)
        return request.replace(method="POST", body=urlencode(form),
                               headers={"Content-Type": "application/x-www-form-urlencoded; charset=UTF-8",
                                        "X-Requested-With": "XMLHttpRequest", "Referer": column_url})

    def parse_api(self, response):
        column = self.column(response)
        meta = response.meta
        try:
            data = json.loads(response.text)
        except ValueError:
            self.res.fail(response.url, "list_api_not_json")
            return
        rows = data.get("data") or data.get("docs") or []
        for row in rows:
            href = row.get("docpuburl") or row.get("chnldocurl") or row.get("url")
            if not href:
                continue
            title = TAGS.sub("", row.get("doctitle_cp") or row.get("doctitle") or row.get("title") or "").strip()
            request = self.follow_report_page(response.replace(url=meta["column_url"]), href, list_title=title)
            if request:
                yield request
        form = meta["form"]
        page, prepage = int(form["page"]), int(form["prepage"])
        page_count = int(data.get("pageCount") or math.ceil(meta["total"] / prepage))
        if len(rows) >= prepage and page < page_count and self.found_in(column) < meta["total"]:
            yield self.api_page(meta["column_url"], response.url, {**form, "page": str(page + 1)}, meta["total"], column)
