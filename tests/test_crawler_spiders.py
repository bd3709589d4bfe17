"""Each platform spider's list and detail callbacks on saved pages, offline: the real Pingtan pages
(../shared/corpus/pingtan) and pages the replica renders (tests/files/replica). The spiders run on
real crawlers with their real resources (tests/offline.py); what they yield is compared with what
the pages hold: the requests (report pages, documents, pagination) with their meta, and the items
with their metadata."""
import hashlib
import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from scrapy import Request

from crawler.canonical import canonical_url
from crawler.spiders.generic import GenericSpider
from crawler.spiders.hanweb import HanwebSpider
from crawler.spiders.trs import TrsSpider
from crawler.spiders.zhengzhou import ZhengzhouSpider
from crawler.registry import sources_by_id
from pipelines.records import CrawledDocument
from tests.offline import PINGTAN, PINGTAN_PAGES, file_response, pingtan_response, replica_response, spiders  # noqa: F401


def requests(output):
    return [r for r in output if isinstance(r, Request)]


def items(output):
    return [i for i in output if isinstance(i, CrawledDocument)]


def split(output):
    output = list(output)
    assert all(isinstance(o, (Request, CrawledDocument)) for o in output)
    return requests(output), items(output)


def by_callback(reqs, name):
    return [r for r in reqs if r.callback.__name__ == name]


def query(url):
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def assert_report_page_request(request, spider):
    assert request.callback == spider.parse_page and request.errback == spider.on_error
    assert request.meta["kind"] == "page" and request.meta["conditional"] is True
    assert request.meta["source_id"] == spider.source["id"]
    assert request.meta["dont_obey_robotstxt"] is (spider.source["robots"] == "ignore")
    assert request.meta["handle_httpstatus_list"] == [304]


def assert_list_request(request, spider):
    assert request.callback == spider.parse_list and request.meta["kind"] == "list"
    assert request.meta["conditional"] is False


# -- Zhengzhou JEECMS (replica pages) ---------------------------------------------------------------------

def test_zhengzhou_list_yields_its_report_pages_with_full_titles_and_every_page_of_the_column(spiders):
    spider = spiders(ZhengzhouSpider, "zhengzhou-public")
    reqs, found = split(spider.parse_list(replica_response("zhengzhou_public_D42Y_list.html")))
    assert found == []
    pages = by_callback(reqs, "parse_page")
    assert len(pages) == 15
    for r in pages:
        assert re.fullmatch(r"https://public\.zhengzhou\.gov\.cn/D42Y/\d+\.jhtml", r.url)
        assert_report_page_request(r, spider)
    # the list shows titles cut with …; the request carries the title attribute, whole
    assert pages[0].url == "https://public.zhengzhou.gov.cn/D42Y/9156632.jhtml"
    assert pages[0].meta["list_title"] == "郑州市二七区人民政府2024年政府信息公开工作年度报告"
    assert not any("…" in r.meta["list_title"] for r in pages)
    lists = by_callback(reqs, "parse_list")
    for r in lists:
        assert_list_request(r, spider)
        assert query(r.url)["p"] == "D42Y"  # only this column's pager, not the navigation's other columns
    assert {query(r.url)["page"] for r in lists} == {"1", "2", "3", "4", "5"}


def test_zhengzhou_later_list_page_also_yields_its_reports_and_the_pager(spiders):
    spider = spiders(ZhengzhouSpider, "zhengzhou-public")
    reqs, _ = split(spider.parse_list(replica_response("zhengzhou_public_D42Y_list_page3.html")))
    pages = by_callback(reqs, "parse_page")
    assert len(pages) == 15 and pages[0].url.endswith("/D42Y/6108475.jhtml")
    assert pages[0].meta["list_title"] == "郑州市交通运输局2021年度政府信息公开年报"
    assert {query(r.url)["page"] for r in by_callback(reqs, "parse_list")} == {"1", "2", "3", "4", "5"}


def test_zhengzhou_title_filter_keeps_a_news_list_to_its_reports(spiders):
    """www.zhengzhou.gov.cn's news list mixes reports with news; its registry entry filters on titles."""
    spider = spiders(ZhengzhouSpider, "zhengzhou-www")
    assert spider.source["title_filter"] is True
    reqs, _ = split(spider.parse_list(replica_response("zhengzhou_www_news1_index.html")))
    assert by_callback(reqs, "parse_page") == []  # this page is news only
    assert {r.url.rsplit("/", 1)[1] for r in by_callback(reqs, "parse_list")} == {
        "index.jhtml", "index_2.jhtml", "index_3.jhtml"}
    unfiltered = spiders(ZhengzhouSpider, {**sources_by_id()["zhengzhou-www"], "title_filter": False})
    reqs, _ = split(unfiltered.parse_list(replica_response("zhengzhou_www_news1_index.html")))
    assert len(by_callback(reqs, "parse_page")) == 15


def test_zhengzhou_report_page_gives_the_inline_report_with_its_metadata_and_its_attachments(spiders):
    spider = spiders(ZhengzhouSpider, "zhengzhou-public")
    meta = {"list_title": "郑州市人民政府2022年政府信息公开工作年度报告（列表）", "warc_file": "warc/x.warc.gz",
            "warc_record_id": "<urn:uuid:1>", "previous_sha256": "ab" * 32}
    response = replica_response("zhengzhou_public_D41X_7249341.html", meta=meta)
    reqs, found = split(spider.parse_page(response))
    url = "https://public.zhengzhou.gov.cn/D41X/7249341.jhtml"
    [item] = found
    assert item.record() | {"fetched_at": None} == {
        "source_id": "zhengzhou-public", "url": url, "page_url": url, "canonical_url": url,
        "canonical_page_url": url, "role": "page", "index_no": "845312939/2023-00001",
        "publisher": "郑州市人民政府办公室", "written_date": "2023-03-23", "published_date": "2023-03-26",
        "list_title": meta["list_title"], "page_title": "郑州市人民政府2022年政府信息公开工作年度报告",
        "content_type": "text/html; charset=utf-8", "http_status": 200, "warc_file": "warc/x.warc.gz",
        "warc_record_id": "<urn:uuid:1>", "fetched_at": None, "sha256": None}
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", item.fetched_at)
    assert item.body == response.body and item.header_charset == "utf-8"
    assert item.previous_sha256 == "ab" * 32 and len(item.content_key) == 64
    docs = by_callback(reqs, "parse_document")
    assert [d.url for d in docs] == ["https://public.zhengzhou.gov.cn/u/cms/www/202303/260993410.pdf",
                                     "https://public.zhengzhou.gov.cn/u/cms/www/202303/261093411.docx"]
    for d in docs:
        assert d.meta["kind"] == "document" and d.meta["conditional"] is True and d.meta["page_url"] == url
        assert d.meta["page_meta"]["index_no"] == "845312939/2023-00001"
        assert d.meta["page_meta"]["list_title"] == meta["list_title"]
    assert sorted(spider.res.state.documents_of(url)) == [d.url for d in docs]  # kept for the next run's 304


def test_zhengzhou_page_with_an_empty_written_date_has_none(spiders):
    """'成文日期:' with nothing after it, then '发布日期:2021-03-13': the written date is unknown, not the
    published one."""
    spider = spiders(ZhengzhouSpider, "dengfeng-public")
    [item] = items(spider.parse_page(replica_response("dengfeng_D41X_5242255_no_written_date.html")))
    assert (item.written_date, item.published_date) == (None, "2021-03-13")
    assert item.index_no == "392151998/2021-00001" and item.publisher == "登封市人民政府办公室"


def test_zhengzhou_page_with_only_an_attachment_yields_no_page_item(spiders):
    spider = spiders(ZhengzhouSpider, "zhengzhou-public")
    reqs, found = split(spider.parse_page(replica_response("zhengzhou_public_D42Y_4089621.html")))
    assert found == []
    [doc] = reqs
    assert doc.url == "https://public.zhengzhou.gov.cn/u/cms/www/202001/110996210.docx"
    assert doc.callback == spider.parse_document
    assert doc.meta["page_meta"]["title"] == "郑州市财政局2019年政府信息公开工作年报"
    assert doc.meta["page_meta"]["published_date"] == "2020-01-11"


def test_unchanged_page_304_asks_again_for_the_documents_it_linked(spiders):
    spider = spiders(ZhengzhouSpider, "zhengzhou-public")
    page = replica_response("zhengzhou_public_D41X_7249341.html")
    first = [r.url for r in requests(spider.parse_page(page))]
    not_modified = file_response("/dev/null", page.url, status=304, meta={"page_meta": {"title": "t"}})
    reqs, found = split(spider.parse_page(not_modified))
    assert found == [] and sorted(r.url for r in reqs) == sorted(first)
    assert all(r.meta["page_meta"] == {"title": "t"} and r.meta["kind"] == "document" for r in reqs)
    assert spider.crawler.stats.get_value("nianbao/unchanged") == 1


def test_soft_404_is_a_failure_not_a_report(spiders):
    spider = spiders(ZhengzhouSpider, "xinzheng-public")
    response = replica_response("xinzheng_D42Y_7072908_soft404.html")
    assert response.status == 200
    assert list(spider.parse_page(response)) == []
    assert spider.crawler.stats.get_value("nianbao/failures/soft_404") == 1
    assert spider.res.failed_urls == [{"url": response.url, "reason": "soft_404"}]


def test_documents_become_attachment_items_and_304_counts_unchanged(spiders):
    spider = spiders(ZhengzhouSpider, "zhengzhou-public")
    url = "https://public.zhengzhou.gov.cn/u/cms/www/202001/110996210.docx"
    page_meta = {"index_no": "638849802/2020-00001", "publisher": "郑州市财政局", "written_date": "2020-01-10",
                 "published_date": "2020-01-11", "title": "郑州市财政局2019年政府信息公开工作年报", "list_title": "L"}
    meta = {"page_url": "https://public.zhengzhou.gov.cn/D42Y/4089621.jhtml", "page_meta": page_meta}
    body_path = PINGTAN / "2019" / "source.html"  # any bytes: the document is not read here
    response = file_response(body_path, url, meta=meta, headers={
        "Content-Type": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"})
    [item] = items(spider.parse_document(response))
    assert item.role == "attachment" and item.url == url and item.page_url == meta["page_url"]
    assert item.canonical_page_url == meta["page_url"] and item.page_title == page_meta["title"]
    assert (item.index_no, item.publisher, item.written_date, item.published_date, item.list_title) == (
        "638849802/2020-00001", "郑州市财政局", "2020-01-10", "2020-01-11", "L")
    assert item.content_key == hashlib.sha256(response.body).hexdigest()
    assert list(spider.parse_document(file_response("/dev/null", url, status=304, meta=meta))) == []
    assert spider.crawler.stats.get_value("nianbao/unchanged") == 1


# -- Hanweb JCMS (replica pages) --------------------------------------------------------------------------

def test_hanweb_column_yields_its_records_and_asks_the_dataproxy_for_the_rest(spiders):
    spider = spiders(HanwebSpider, "xinxiangxian")
    reqs, _ = split(spider.parse_list(replica_response("hanweb_col14251_index.html")))
    pages = by_callback(reqs, "parse_page")
    assert len(pages) == 15
    for r in pages:
        assert re.fullmatch(r"https://www\.xinxiangxian\.gov\.cn/art/\d{4}/\d+/\d+/art_14251_\d+\.html", r.url)
        assert_report_page_request(r, spider)
    assert pages[0].meta["list_title"] == "新乡县人民政府2024年度政府信息公开年报"
    windows = by_callback(reqs, "parse_list")
    for window in windows:
        assert_list_request(window, spider)
        assert window.meta["window"] is True
        assert urlsplit(window.url).path == "/module/web/jpage/dataproxy.jsp"
    # totalRecord 44, perPage 15: pages 2 and 3, each asked by page number and by its record window alike
    assert [(q["page"], q["startrecord"], q["endrecord"], q["perpage"]) for q in map(query, (w.url for w in windows))] \
        == [("2", "16", "30", "15"), ("3", "31", "44", "15")]
    q = query(windows[0].url)
    assert (q["columnid"], q["unitid"], q["webid"]) == ("14251", "72581", "38")


def test_hanweb_dataproxy_window_yields_its_records_and_no_further_window(spiders):
    spider = spiders(HanwebSpider, "xinxiangxian")
    reqs, _ = split(spider.parse_list(replica_response("hanweb_col14251_dataproxy_16_44.xml", meta={"window": True})))
    assert by_callback(reqs, "parse_list") == []
    pages = by_callback(reqs, "parse_page")
    assert len(pages) == 29  # records 16..44
    assert pages[0].url.endswith("/art/2024/1/8/art_14251_1605917.html")
    assert pages[0].meta["list_title"] == "新乡县城市管理局2023年政府信息公开工作年度报告"


def test_hanweb_report_page_gives_the_report_and_its_downfile_attachments(spiders):
    spider = spiders(HanwebSpider, "xinxiangxian")
    reqs, [item] = split(spider.parse_page(replica_response("hanweb_art_14251_1605917.html")))
    assert item.role == "page" and item.page_title == "新乡县城市管理局2023年政府信息公开工作年度报告"
    assert (item.index_no, item.publisher, item.written_date, item.published_date) == (
        "499909908/2024-00001", "新乡县城市管理局", "2024-01-05", "2024-01-08")
    assert [query(r.url)["filename"] for r in reqs] == ["a914f4668b716b68dbed5e917a3eb118.pdf",
                                                        "f4ede6ea302e84049e26f8e17671586d.docx"]
    assert all(urlsplit(r.url).path == "/module/download/downfile.jsp" for r in reqs)


def test_hanweb_page_with_only_a_docx_yields_the_download(spiders):
    spider = spiders(HanwebSpider, "xinxiangxian")
    reqs, found = split(spider.parse_page(replica_response("hanweb_art_14251_1604623.html")))
    assert found == [] and [query(r.url)["filename"] for r in reqs] == ["5c3e2fb3f590f988184a54d1b047c2de.docx"]
    assert reqs[0].meta["page_meta"]["publisher"] == "新乡县教育局"


def test_hanweb_gbk_page_declaring_its_charset_only_in_a_meta_tag_is_read_right(spiders):
    spider = spiders(HanwebSpider, "xinxiangxian")
    response = replica_response("hanweb_art_14251_1604867_meta_only.html")
    assert response.headers[b"Content-Type"] == b"text/html"
    [item] = items(spider.parse_page(response))
    assert item.header_charset is None
    assert item.page_title == "新乡县翟坡镇人民政府2022年度政府信息公开年报"
    assert item.publisher == "新乡县翟坡镇人民政府" and item.index_no == "982182216/2023-00001"


# -- TRS WCM (replica pages) -----------------------------------------------------------------------------

def test_trs_list_announces_its_pages_zero_based(spiders):
    spider = spiders(TrsSpider, "chanhe")
    reqs, _ = split(spider.parse_list(replica_response("trs_chanhe_zfxxgknb_index.html")))
    pages = by_callback(reqs, "parse_page")
    assert len(pages) == 10
    for r in pages:
        assert re.fullmatch(r"https://www\.chanhe\.gov\.cn/zwgk/zfxxgk/zfxxgknb/\d{6}/t\d{8}_\d+\.html", r.url)
        assert_report_page_request(r, spider)
    assert pages[0].meta["list_title"] == "瀍河回族区人民政府2024年度政府信息公开年报"  # GBK, declared gb2312
    lists = by_callback(reqs, "parse_list")  # createPageHTML(3, 0, "index", "html")
    assert [r.url.rsplit("/", 1)[1] for r in lists] == ["index_1.html", "index_2.html"]
    assert all(r.meta["paged"] for r in lists)
    paged = replica_response("trs_chanhe_zfxxgknb_index.html", meta={"paged": True})
    assert by_callback(requests(spider.parse_list(paged)), "parse_list") == []  # only the first page announces


def test_trs_page_div_list_is_numbered_from_2(spiders):
    spider = spiders(TrsSpider, "chanhe")
    reqs, _ = split(spider.parse_list(replica_response("trs_chanhe_bmnb_list.shtml")))
    assert len(by_callback(reqs, "parse_page")) == 10
    assert all(r.url.endswith(".shtml") for r in by_callback(reqs, "parse_page"))
    # createPageHTML('page_div', 2, 1, 'bmnb_list', 'shtml', 1000): page 2 is _2, there is no _1
    assert [r.url.rsplit("/", 1)[1] for r in by_callback(reqs, "parse_list")] == ["bmnb_list_2.shtml"]


def test_trs_report_page_declared_gb2312_but_gbk_keeps_its_characters(spiders):
    spider = spiders(TrsSpider, "chanhe")
    response = replica_response("trs_chanhe_t20240310_6537656.html")
    reqs, [item] = split(spider.parse_page(response))
    assert item.header_charset == "gb2312"
    assert item.page_title == "瀍河回族区人民政府办公室2023年政府信息公开工作年度报告"
    assert (item.index_no, item.publisher, item.written_date, item.published_date) == (
        "899382651/2024-00001", "瀍河回族区人民政府办公室", "2024-03-09", "2024-03-10")
    assert [r.url.rsplit("/", 1)[1] for r in reqs] == ["P0202403105376560265049.pdf", "P0202403105376561789688.docx"]


def test_trs_page_with_only_a_pdf_yields_the_pdf(spiders):
    spider = spiders(TrsSpider, "chanhe")
    reqs, found = split(spider.parse_page(replica_response("trs_chanhe_t20230116_6521622.html")))
    assert found == [] and [r.url.rsplit("/", 1)[1] for r in reqs] == ["P0202301165216220490206.pdf"]


# -- the real Pingtan pages (Fujian TRT portal, crawled as TRS) ----------------------------------------------

PINGTAN_REPORTS = [  # the column's list page, newest first: (URL path under the column, title)
    ("202603/t20260313_105587.htm", 2025), ("202503/t20250310_97791.htm", 2024), ("202403/t20240308_87885.htm", 2023),
    ("202302/t20230220_80629.htm", 2022), ("202202/t20220208_80613.htm", 2021), ("202103/t20210305_80595.htm", 2020),
    ("202001/t20200120_80576.htm", 2019), ("201901/t20190110_80529.htm", 2018), ("201801/t20180123_80506.htm", 2017),
    ("201701/t20170118_80485.htm", 2016)]


def test_pingtan_list_yields_its_ten_reports_and_nothing_else_of_the_page(spiders):
    spider = spiders(TrsSpider, "pingtan")
    response = pingtan_response()
    assert len(response.xpath("//a[@href]")) > 100  # navigation, other columns, footer links
    reqs, found = split(spider.parse_list(response))
    assert found == [] and by_callback(reqs, "parse_list") == []  # one static page, no pager script
    assert [(r.url, r.meta["list_title"]) for r in reqs] == [
        (f"https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/{path}", f"平潭综合实验区{year}年度政府信息公开工作年度报告")
        for path, year in PINGTAN_REPORTS]
    for r in reqs:
        assert_report_page_request(r, spider)


@pytest.mark.parametrize("year", sorted(PINGTAN_PAGES))
def test_pingtan_report_page_gives_one_inline_report_with_its_metadata(spiders, year):
    meta = json.loads((PINGTAN / str(year) / "meta.json").read_text(encoding="utf-8"))
    spider = spiders(TrsSpider, "pingtan")
    response = pingtan_response(year, meta={"list_title": meta["title"]})
    reqs, [item] = split(spider.parse_page(response))
    assert reqs == []  # the report is the page itself: no attachment to fetch
    assert item.role == "page" and item.url == PINGTAN_PAGES[year] == item.page_url
    assert item.page_title == item.list_title == meta["title"]
    pubdate = response.xpath("//meta[@name='PubDate']/@content").get()[:10]
    assert item.published_date == pubdate and item.published_date.startswith(str(year + 1))
    # meta ContentSource where filled, else the page's 来源 line
    source = response.xpath("//span[@class='article_source']/text()").get().split("：", 1)[1]
    assert item.publisher == source and (year != 2023 or source == "平潭综合实验区管委会办公室")
    assert item.index_no is None and item.written_date is None  # this template prints neither
    assert item.header_charset is None and item.body == response.body


def test_pingtan_reports_differ_in_content(spiders):
    spider = spiders(TrsSpider, "pingtan")
    keys = {items(spider.parse_page(pingtan_response(year)))[0].content_key for year in PINGTAN_PAGES}
    assert len(keys) == len(PINGTAN_PAGES)


# -- the generic spider, on the same pages ---------------------------------------------------------------

def test_generic_spider_on_the_pingtan_list_follows_report_titles_and_probes_for_more_pages(spiders):
    spider = spiders(GenericSpider, {**sources_by_id()["pingtan"], "platform": "generic"})
    reqs, found = split(spider.parse_list(pingtan_response()))
    assert found == []
    reports = [r for r in reqs if r.meta["kind"] == "page"]
    assert [r.url.split("zfxxgknb/")[1] for r in reports] == [path for path, _ in PINGTAN_REPORTS]
    assert all(r.callback == spider.parse_list and r.meta["depth_left"] == 5 for r in reports)
    probes = [r.url for r in reqs if r.meta["kind"] == "list" and "index_" in r.url]
    assert probes == [canonical_url(PINGTAN_PAGES[2017].rsplit("/", 2)[0] + "/index_1.html"),
                      canonical_url(PINGTAN_PAGES[2017].rsplit("/", 2)[0] + "/index_2.html")]


def test_generic_spider_recognises_report_pages(spiders):
    spider = spiders(GenericSpider, {**sources_by_id()["pingtan"], "platform": "generic"})
    [item] = items(spider.parse_list(pingtan_response(2021)))
    assert item.page_title == "平潭综合实验区2021年度政府信息公开工作年度报告"
    zz = spiders(GenericSpider, {**sources_by_id()["zhengzhou-public"], "platform": "generic"})
    reqs, [item] = split(zz.parse_list(replica_response("zhengzhou_public_D41X_7249341.html")))
    assert item.index_no == "845312939/2023-00001"
    assert len(by_callback(reqs, "parse_document")) == 2
