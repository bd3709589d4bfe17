"""Hanweb 大汉 JCMS sites (portals.md §2.1).

The column page `/col/colNNN/index.html` carries its first records as XML in a script
(`<datastore><nextgroup>…</nextgroup><recordset><record><![CDATA[<li>…]]></record>…`); the rest come
from `/module/web/jpage/dataproxy.jsp`, asked in windows of `startrecord`/`endrecord`/`perpage` with
the column's parameters (taken from the nextgroup link), until `totalrecord` is covered. Details are
`/art/YYYY/M/D/art_COL_ID.html` with the body in `div#zoom`; attachments go through
`/module/download/downfile.jsp?…filename=…` and a 302 to `/attach/…`.
"""
import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from .base import ReportSpider

RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S)
HREF = re.compile(r"""href\s*=\s*['"]([^'"]+)['"][^>]*?(?:title\s*=\s*['"]([^'"]*)['"])?[^>]*>(.*?)</a>""", re.S)
NEXTGROUP = re.compile(r"<nextgroup>\s*<!\[CDATA\[.*?href\s*=\s*['\"]([^'\"]+)['\"]", re.S)
TOTAL = re.compile(r"<totalrecord>\s*(\d+)\s*</totalrecord>|totalRecord\s*[:=]\s*['\"]?(\d+)", re.I)
PERPAGE = re.compile(r"perpage\s*[:=]\s*['\"]?(\d+)", re.I)
DETAIL = re.compile(r"/art/\d{4}[/-]\d{1,2}[/-]\d{1,2}/art_\d+_\d+\.html|/art/\d{4}/art_[0-9a-f]+\.html")
TAGS = re.compile(r"<[^>]+>")
WINDOW_PAGES = 3  # records per dataproxy call = 3 pages, as the sites' own jpage script asks


class HanwebSpider(ReportSpider):
    name = "hanweb"
    platform = "hanweb"
    body_xpaths = ("//div[@id='zoom']", "//div[contains(@class,'bt-article')]", "//div[@id='content']")
    title_xpaths = ("//meta[@name='ArticleTitle']/@content",)

    def parse_list(self, response):
        text = response.text
        yield from self._records(response, text)
        if response.meta.get("window"):
            return
        nextgroup = NEXTGROUP.search(text)
        total = TOTAL.search(text)
        if not nextgroup or not total:
            return
        total = int(total.group(1) or total.group(2))
        perpage = int(PERPAGE.search(text).group(1)) if PERPAGE.search(text) else 15
        proxy = urljoin(response.url, nextgroup.group(1).replace("&amp;", "&"))
        first_page = len(RECORD.findall(text))
        window = perpage * WINDOW_PAGES
        for start in range(first_page + 1, total + 1, window):
            end = min(start + window - 1, total)
            yield self.list_request(_with_params(proxy, startrecord=start, endrecord=end, perpage=perpage),
                                    self.parse_list, window=True)

    def _records(self, response, text):
        for record in RECORD.findall(text):
            for href, title_attr, inner in HREF.findall(record):
                if DETAIL.search(href):
                    title = title_attr or TAGS.sub("", inner).strip()
                    request = self.follow_report_page(response, href, list_title=title)
                    if request:
                        yield request


def _with_params(url, **params):
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in params]
    query += [(k, str(v)) for k, v in params.items()]
    return parts._replace(query=urlencode(query)).geturl()
