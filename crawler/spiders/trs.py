"""TRS WCM sites (portals.md §2.2): `index.html`, then `index_1.html`… (0-based), the page count
announced by `createPageHTML(count, current, "index", "html")` in an inline script; details at
`./YYYYMM/tYYYYMMDD_<id>.html|.shtml|.htm` with the body in `div.TRS_Editor` (or its variants)."""
import re
from urllib.parse import urljoin

from .base import ReportSpider

DETAIL = re.compile(r"/\d{6}/t\d{8}_\d+\.s?html?$")
PAGER = re.compile(r"createPageHTML\(\s*(?:'[^']*'\s*,\s*)?(\d+)\s*,\s*(\d+)\s*,\s*['\"]([\w\-]+)['\"]\s*,\s*['\"](\w+)['\"]")


class TrsSpider(ReportSpider):
    name = "trs"
    platform = "trs"
    body_xpaths = ("//div[contains(@class,'TRS_Editor')]", "//div[contains(@class,'trs_editor_view')]",
                   "//div[contains(@class,'Custom_UnionStyle')]", "//div[contains(@class,'TRS_UEDITOR')]",
                   "//div[contains(@class,'article-con')]", "//div[@id='zoom']")
    title_xpaths = ("//meta[@name='ArticleTitle']/@content",)

    def parse_list(self, response):
        for a in response.xpath("//a[@href]"):
            href = a.attrib["href"]
            if DETAIL.search(href.split("?")[0]):
                title = a.attrib.get("title") or "".join(a.xpath(".//text()").getall()).strip()
                request = self.follow_report_page(response, href, list_title=title)
                if request:
                    yield request
        if response.meta.get("paged"):
            return
        m = PAGER.search(response.text)
        if m:  # the first page announces them all
            count, current, stem, ext = int(m.group(1)), int(m.group(2)), m.group(3), m.group(4)
            # the first page's own index says the numbering: 0 -> index_1…index_{count-1} (classic TRS);
            # 1 -> list_2…list_{count} (the page_div variant, where _1 does not exist)
            numbers = range(1, count) if current == 0 else range(current + 1, count + 1)
            for n in numbers:
                yield self.list_request(urljoin(response.url, f"{stem}_{n}.{ext}"), self.parse_list, paged=True)
