"""Guangdong gkmlpt 政府信息公开目录管理平台 (platforms.md §3).

The start URL is the site's (or a department's) `/[<dept>/]gkmlpt/index`, optionally with the column
as its fragment (`/gkmlpt/index#721`); without one, the columns of `window._CONFIG.TREE` whose name
says 年度报告/年报 are taken (`jump_url` nodes are external links, skipped). Each column's list is JSON
from `/[<dept>/]gkmlpt/api/all/<columnId>?page=N&sid=<SID>`: 100 articles a page, the column's size
in `total` (and `classify.post_count`); page 0 and page 1 are the same batch, so paging starts at 1
and goes on one page at a time while fewer than `total` were found. A 404 past the last page is the
platform's "no more", not an error; one before the declared end leaves the column incomplete.

Content pages (`…/gkmlpt/content/<a>/<b>/post_<id>.html`) are server-rendered shells: the metadata
table (索引号, 发布机构, 成文日期, 发布日期) is HTML, but the body is only in
`window._CONFIG.DETAIL.content`, an HTML string with `\\u003C`-style escapes that a full JSON parse
may fail on; the report is the page with that body put in place. Attachments come from the
article's `attachment` list (and `a.nfw-cms-attachment` links in the body).
"""
import html
import json
import re
from urllib.parse import urljoin, urlsplit

from scrapy.http import HtmlResponse

from .base import ReportSpider

CONFIG_SID = re.compile(r"""SID\s*:\s*['"](\d+)['"]""")
CONFIG_TREE = re.compile(r"TREE\s*:\s*(\[.*?\])\s*,\s*[A-Z_]+\s*:", re.S)
DETAIL_TITLE = re.compile(r'DETAIL\s*:\s*\{[^{}]*?"title"\s*:\s*"((?:[^"\\]|\\.)*)"', re.S)
DETAIL_CONTENT = re.compile(r'"content"\s*:\s*"((?:[^"\\]|\\.)*)"', re.S)
REPORT_COLUMN = re.compile(r"年度报告|年报")
PER_PAGE = 100


def detail_content(text):
    """The body HTML of a content page, cut out of `window._CONFIG.DETAIL` and unescaped."""
    detail = text.find("DETAIL")
    m = DETAIL_CONTENT.search(text, detail if detail >= 0 else 0)
    if not m:
        return None
    try:
        return json.loads(f'"{m.group(1)}"', strict=False)
    except ValueError:  # escapes JSON does not know: undo the ones the platform writes
        raw = m.group(1)
        for code, char in (("\\u003C", "<"), ("\\u003E", ">"), ("\\u0022", '"'), ("\\u0026", "&"), ('\\"', '"'),
                           ("\\/", "/"), ("\\n", "\n")):
            raw = raw.replace(code, char)
        return raw


def tree_columns(tree):
    for node in tree:
        yield node
        yield from tree_columns(node.get("children") or [])


class GkmlptSpider(ReportSpider):
    name = "gkmlpt"
    platform = "gkmlpt"
    title_xpaths = ("//h1[@class='gkmlpt-title']",)
    body_xpaths = ("//div[@id='gkmlpt-detail']", "//div[contains(@class,'article-content')]",
                   "//div[contains(@class,'news_cont_d_wrap')]")

    def parse_list(self, response):
        if response.meta.get("api"):
            yield from self.parse_api(response)
            return
        text = response.text
        sid = CONFIG_SID.search(text)
        if not sid:
            self.res.fail(response.url, "gkmlpt_no_config")
            return
        base = response.url.split("#")[0].rsplit("/gkmlpt/", 1)[0] + "/gkmlpt/"
        fragment = urlsplit(response.meta.get("column") or response.url).fragment
        tree = CONFIG_TREE.search(text)
        nodes = list(tree_columns(json.loads(tree.group(1)))) if tree else []
        if fragment.isdigit():
            wanted = [n for n in nodes if str(n.get("id")) == fragment] or [{"id": int(fragment)}]
        else:
            wanted = [n for n in nodes if REPORT_COLUMN.search(n.get("name", "")) and not n.get("jump_url")]
        columns = [f"{response.url.split('#')[0]}#{node['id']}" for node in wanted]
        self.split_column(self.column(response), columns)
        for node, column in zip(wanted, columns):
            if node.get("post_count"):
                self.declare(column, node["post_count"])
            yield self.api_page(base, node["id"], sid.group(1), 1, column)

    def api_page(self, base, column_id, sid, page, column):
        request = self.list_request(f"{base}api/all/{column_id}?page={page}&sid={sid}", self.parse_list,
                                    column=column, api=(base, column_id, sid, page))
        request.meta["handle_httpstatus_list"] = [304, 404]  # 404: the platform's "past the last page"
        return request

    def parse_api(self, response):
        column = self.column(response)
        base, column_id, sid, page = response.meta["api"]
        if response.status == 404:  # past the last page; short of the declared total, the column is incomplete
            return
        try:
            data = json.loads(response.text, strict=False)
        except ValueError:
            self.res.fail(response.url, "list_api_not_json")
            return
        total = data.get("total", (data.get("classify") or {}).get("post_count"))
        self.declare(column, total)
        articles = data.get("articles") or []
        for article in articles:
            url = article.get("url") or article.get("post_url")
            if not url:
                continue
            request = self.follow_report_page(response, url, list_title=article.get("title"))
            if request is None:
                continue
            request.meta["attachments"] = [urljoin(url, a["url"]) for a in article.get("attachment") or [] if a.get("url")]
            yield request
        if articles and total is not None and self.found_in(column) < int(total):
            yield self.api_page(base, column_id, sid, page + 1, column)

    def parse_page(self, response, root=None):
        if response.status != 200 or "_CONFIG" not in response.text[:200000]:
            yield from super().parse_page(response, root)
            return
        content = detail_content(response.text)
        page = response
        if content is not None:  # the body put into the page, where the browser's script would put it
            title = DETAIL_TITLE.search(response.text)
            title = json.loads(f'"{title.group(1)}"', strict=False) if title else response.meta.get("list_title")
            body = f'<h1 class="gkmlpt-title">{html.escape(title or "")}</h1><div id="gkmlpt-detail">{content}</div>'
            text = response.text
            text = (text.replace('<div id="app">', '<div id="app">' + body, 1) if '<div id="app">' in text
                    else text.replace("</body>", body + "</body>", 1))
            page = HtmlResponse(url=response.url, body=text.encode("utf-8"), request=response.request,
                                headers={"Content-Type": "text/html; charset=utf-8"})
        seen = set()
        for output in super().parse_page(page, root):
            seen.add(getattr(output, "url", None))
            yield output
        for url in response.meta.get("attachments") or []:
            if url not in seen and self.in_scope(url):
                yield self.request(url, self.parse_document, "document", page_url=response.url,
                                   page_meta={"list_title": response.meta.get("list_title")})
