"""Hanweb 大汉 JCMS sites (portals.md §2.1).

The column page `/col/colNNN/index.html` carries its first records as XML in a script
(`<datastore><nextgroup>…</nextgroup><recordset><record><![CDATA[<li>…]]></record>…`); the rest come
from `/module/web/jpage/dataproxy.jsp` with the column's parameters (taken from the nextgroup link).
The column declares its size (`totalRecord` in the pager script, `<totalrecord>` in the answers).
Servers differ in which paging parameters they honour (platforms.md §5: some go by `page` and ignore
`startrecord`, others by the `startrecord`/`endrecord` window), so every request carries both, for the
same rows: page N of `perpage` = records (N-1)*perpage+1 … N*perpage; the site's own "next group"
link keeps `page=1`, which is replaced. The requests stop at the declared end. Details are
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
PAGE_CAP = 300  # servers that go by `page` answer at most about 300 rows: never ask for more at once


class HanwebSpider(ReportSpider):
    name = "hanweb"
    platform = "hanweb"
    body_xpaths = ("//div[@id='zoom']", "//div[contains(@class,'bt-article')]", "//div[@id='content']")
    title_xpaths = ("//meta[@name='ArticleTitle']/@content",)

    def parse_list(self, response):
        column = self.column(response)
        text = response.text
        yield from self._records(response, text)
        total = TOTAL.search(text)
        if total:
            self.declare(column, total.group(1) or total.group(2))
        if response.meta.get("window"):
            return
        nextgroup = NEXTGROUP.search(text)
        if not nextgroup or not total:
            return
        total = int(total.group(1) or total.group(2))
        perpage = min(int(PERPAGE.search(text).group(1)) if PERPAGE.search(text) else 15, PAGE_CAP)
        proxy = urljoin(response.url, nextgroup.group(1).replace("&amp;", "&"))
        first_page = len(RECORD.findall(text))
        for page in range(first_page // perpage + 1, -(-total // perpage) + 1):
            start, end = (page - 1) * perpage + 1, min(page * perpage, total)
            yield self.next_list(response, _with_params(proxy, page=page, perpage=perpage, startrecord=start,
                                                        endrecord=end), window=True)

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
