"""For a portal on no known platform: from the start URL follow in-scope links to a bounded depth and
recognise report pages and attachments by their titles and content, so a new portal yields its
reports before anyone writes a platform spider for it."""
import re
from urllib.parse import urljoin, urlsplit

from .base import DOCUMENT_EXT, DOWNFILE, REPORT_TITLE, TEMPLATE_MARKS, ReportSpider

SKIP = re.compile(r"\.(css|js|png|jpe?g|gif|ico|svg|zip|rar|mp4|mp3)(?:$|\?)|^(?:javascript|mailto|tel):", re.I)
LIST_WORDS = re.compile(r"年报|年度报告|信息公开|政务公开|zfxxgk|xxgk|nb|下一页|尾页|\d+")


class GenericSpider(ReportSpider):
    name = "generic"
    platform = "generic"
    body_xpaths = ("//div[contains(@class,'TRS_Editor')]", "//div[@id='zoom']",
                   "//div[contains(@class,'content-txt')]", "//article", "//body")

    def __init__(self, source=None, *args, **kwargs):
        super().__init__(source, *args, **kwargs)
        self.max_depth = int(self.source.get("max_depth", 4))
        self.prefixes = self.source.get("path_prefixes") or []

    def parse_list(self, response):
        if response.status == 304:  # a report page seen on an earlier run, unchanged
            yield from self.parse_page(response)
            return
        depth = response.meta.get("depth_left", self.max_depth)
        title = (response.css("title::text").get() or "") + " " + " ".join(response.css("h1::text").getall())
        text = re.sub(r"\s+", "", " ".join(response.xpath("//body//text()[not(ancestor::script)]").getall()))
        if REPORT_TITLE.search(title) and any(m in text for m in TEMPLATE_MARKS + ("年度报告",)):
            yield from self.parse_page(response)  # this page is a report
            return
        if depth <= 0:
            return
        for a in response.xpath("//a[@href]"):
            href = a.attrib["href"].strip()
            if SKIP.search(href):
                continue
            url = urljoin(response.url, href).split("#")[0]
            if not self.in_scope(url) or not self._under_prefix(url):
                continue
            label = a.attrib.get("title") or "".join(a.xpath(".//text()").getall()).strip()
            if DOCUMENT_EXT.search(url) or DOWNFILE.search(url):
                if REPORT_TITLE.search(label):
                    yield self.request(url, self.parse_document, "document", page_url=response.url,
                                       page_meta={"title": label, "list_title": label})
            elif REPORT_TITLE.search(label):
                yield self.request(url, self.parse_list, "page", depth_left=depth - 1, list_title=label)
            elif LIST_WORDS.search(label) or LIST_WORDS.search(urlsplit(url).path):
                yield self.list_request(url, self.parse_list, depth_left=depth - 1)

    def _under_prefix(self, url):
        path = urlsplit(url).path
        return not self.prefixes or any(path.startswith(p) for p in self.prefixes)
