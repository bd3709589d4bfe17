"""The platforms as they really serve their lists (../shared/docs/platforms.md), and completeness per
column: offline on the real Pingtan pages (../shared/corpus/pingtan), and real crawls of the replica
(real Scrapy over real HTTP) where every column's found is compared with what it declares."""
import json
import re
from urllib.parse import parse_qs

import pytest
from scrapy import Request

from crawler.runlog import COLUMNS
from crawler.spiders.fujian_trt import FujianTrtSpider
from nianbao.exitcodes import ExitCode
from pipelines.records import CrawledDocument
from replica.server import Obstacle, Replica
from replica.sites.common import Response
from tests.crawl_harness import crawl
from tests.offline import PINGTAN, PINGTAN_LIST, PINGTAN_PAGES, file_response, pingtan_response, spiders  # noqa: F401


@pytest.fixture(scope="module")
def replica():
    with Replica(port=0) as r:
        yield r


def split(output):
    output = list(output)
    return [o for o in output if isinstance(o, Request)], [o for o in output if isinstance(o, CrawledDocument)]


def form(request):
    return {k: v[0] for k, v in parse_qs(request.body.decode()).items()}


# -- Fujian TRT, offline on the real pages -------------------------------------------------------------------

def test_pingtan_list_page_leads_to_the_list_api_and_knows_the_column_holds_20(spiders):
    spider = spiders(FujianTrtSpider, "pingtan")
    reqs, found = split(spider.parse_list(pingtan_response(meta={"column": PINGTAN_LIST})))
    assert found == []
    pages = [r for r in reqs if r.meta["kind"] == "page"]
    assert len(pages) == 10 and all(r.url.startswith(PINGTAN_LIST) and r.url.endswith(".htm") for r in pages)
    [api] = [r for r in reqs if r.meta["kind"] == "list"]
    assert api.method == "POST" and api.url == "https://www.pingtan.gov.cn/fjdzapp/search"
    # the form the page's own listModel script sends: the site's search channel, the column, page 2 of 10
    assert form(api) == {"channelid": "200210", "classsql": "chnlid=1813", "sortfield": "-docorderpri,-docreltime",
                         "page": "2", "prepage": "10"}
    assert api.headers[b"Referer"] == PINGTAN_LIST.encode()
    assert api.meta["column"] == PINGTAN_LIST
    assert spider.crawler.stats.get_value(COLUMNS) == {PINGTAN_LIST: {"declared": 20, "found": 10}}


def test_pingtan_api_page_yields_its_rows_pages_and_bare_files_and_stops_at_the_declared_end(spiders, tmp_path):
    spider = spiders(FujianTrtSpider, "pingtan")
    reqs, _ = split(spider.parse_list(pingtan_response(meta={"column": PINGTAN_LIST})))
    [api] = [r for r in reqs if r.meta["kind"] == "list"]
    rows = [{"docpuburl": f"https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/201501/t2015012{n}_8040{n}.htm",
             "doctitle": f"<em>平潭综合实验区201{n}年度政府信息公开工作年度报告</em>"} for n in range(8)]
    rows.append({"docpuburl": "", "chnldocurl": "../../zfxxgk/dfbmptlj/a/202501/P020250125569749189625.pdf",
                 "doctitle": "某局2024年度政府信息公开工作年度报告"})
    rows.append({"docpuburl": "https://www.elsewhere.gov.cn/t1.htm", "doctitle": "别处"})  # off-site: counted, not fetched
    path = tmp_path / "search.json"
    path.write_text(json.dumps({"data": rows, "pageCount": 2}, ensure_ascii=False), encoding="utf-8")
    response = file_response(path, api.url, api.meta, headers={"Content-Type": "application/json"})
    more, _ = split(spider.parse_list(response))
    assert [r.meta["kind"] for r in more] == ["page"] * 8 + ["document"]
    assert more[0].meta["list_title"] == "平潭综合实验区2010年度政府信息公开工作年度报告"  # markup cut
    assert more[-1].url == "https://www.pingtan.gov.cn/zwgk/zfxxgk/dfbmptlj/a/202501/P020250125569749189625.pdf"
    # page 2 of 2: no page 3 asked, and the column is whole
    assert spider.crawler.stats.get_value(COLUMNS) == {PINGTAN_LIST: {"declared": 20, "found": 20}}


@pytest.mark.parametrize("year", sorted(PINGTAN_PAGES))
def test_pingtan_report_page_body_is_the_article_content_and_its_publisher_the_source_line(spiders, year):
    spider = spiders(FujianTrtSpider, "pingtan")
    [item] = split(spider.parse_page(pingtan_response(year)))[1]
    page = (PINGTAN / str(year) / "source.html").read_text(encoding="utf-8")
    source = page.split('<span class="article_source">来源：', 1)[1].split("<", 1)[0]
    assert item.publisher == source and source
    body = spider.report_body(__import__("crawler.spiders.base", fromlist=["html_root"]).html_root(
        pingtan_response(year)))
    assert "article_content" in body.get("class") or "TRS_Editor" in body.get("class")
    assert "一、总体情况" in body.text_content() or "总体情况" in body.text_content()


# -- Fujian TRT, crawled on the replica -----------------------------------------------------------------------

def test_pingtan_crawl_gets_all_20_reports_through_the_api(replica, tmp_path):
    run = crawl(replica, tmp_path / "pingtan", sources=["pingtan"], expect=ExitCode.OK)
    source = run.source("pingtan")
    assert source["columns"] == {PINGTAN_LIST: {"declared": 20, "found": 20, "missing": 0}}
    assert source["status"] == "ok" and source["new"] == 20
    urls = {i["record"]["url"] for i in run.items}
    expected = {e.url for e in replica.catalog.reports if e.host == "www.pingtan.gov.cn"}
    assert urls == expected and len(expected) == 20
    assert f"  {PINGTAN_LIST}: declared 20, found 20, missing 0" in run.proc.stdout


class BrokenApi(Obstacle):
    """The list API answering 500 to every call: the column's static page is all the crawl can get."""

    def before(self, req):
        return Response(500, b'{"error": "internal"}', "application/json")


def test_a_column_whose_api_fails_midway_ends_incomplete_list_and_the_crawl_exits_3(tmp_path):
    with Replica(port=0) as r:
        spec = {"kind": "server_error", "host": "www.pingtan.gov.cn", "url": "https://www.pingtan.gov.cn/fjdzapp/search"}
        r.obstacles.setdefault("www.pingtan.gov.cn", []).append(BrokenApi(spec, r.options))
        db = tmp_path / "n.db"
        run = crawl(r, tmp_path / "broken", sources=["pingtan"], db=db, expect=ExitCode.SOURCE_NOT_OK)
    source = run.source("pingtan")
    assert source["status"] == "incomplete_list"
    assert source["columns"][PINGTAN_LIST] == {"declared": 20, "found": 10, "missing": 10}
    assert source["new"] == 10 and source["failures"]
    assert source["monitors"]["nianbao/completeness"] == f"{PINGTAN_LIST}: found 10 of 20"
    assert "1 of 1 sources not ok: pingtan (incomplete_list)" in run.proc.stdout
    assert f"  {PINGTAN_LIST}: declared 20, found 10, missing 10" in run.proc.stdout
    import sqlite3
    from db.queries import QUERIES
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    row = conn.execute("select * from crawl_run_sources").fetchone()
    assert (row["status"], row["ok"], row["declared"], row["found"], row["missing"]) == ("incomplete_list", 1, 20, 10, 10)
    health = conn.execute("select status, declared, found, missing, monitors_failed from source_health "
                          "where source_id='pingtan'").fetchone()
    assert tuple(health)[:4] == ("incomplete_list", 20, 10, 10)
    assert json.loads(health["monitors_failed"]) == {"nianbao/completeness": f"{PINGTAN_LIST}: found 10 of 20"}
    assert json.loads(row["monitors"])["nianbao/completeness"] == f"{PINGTAN_LIST}: found 10 of 20"
    assert f"  monitor nianbao/completeness: {PINGTAN_LIST}: found 10 of 20" in run.proc.stdout
    [listed] = [dict(x) for x in conn.execute(QUERIES["incomplete_sources"]["sql"])]
    assert listed["source_id"] == "pingtan" and listed["missing"] == 10
    assert json.loads(listed["column_counts"])[PINGTAN_LIST]["found"] == 10


# -- Hanweb JCMS: paging whichever parameter the server goes by ---------------------------------------------

JIANGSU_COLUMN = """<html><head><meta charset="utf-8"></head><body>
<div id="212860"><script type="text/xml"><datastore><nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=1&path=/&columnid=33718&unitid=212860&webname=%E6%B1%9F%E8%8B%8F%E7%9C%81%E4%BA%BA%E6%B0%91%E6%94%BF%E5%BA%9C&permissiontype=0"></a>]]></nextgroup>
<recordset>{records}</recordset></datastore></script></div>
<script>$('#212860').jpage({{totalRecord:4895,perPage:19}});</script></body></html>"""


def test_hanweb_pages_a_large_column_to_its_declared_end_by_page_and_by_window(spiders, tmp_path):
    """The jiangsu.gov.cn column of platforms.md §5 (4,895 records, 19 a page; its "next group" link keeps
    page=1): every later page is asked once, by its own page number and the same records' window."""
    records = "".join(f"<record><![CDATA[<li><a href='/art/2026/9/11/art_33718_{11828204 - n}.html' title='标题{n}'>"
                      f"标题{n}</a><span>2026-09-11</span></li>]]></record>" for n in range(19))
    path = tmp_path / "col.html"
    path.write_text(JIANGSU_COLUMN.format(records=records), encoding="utf-8")
    from crawler.spiders.hanweb import HanwebSpider
    source = {"id": "jiangsu", "name": "江苏省人民政府", "region": "江苏省", "level": "province", "platform": "hanweb",
              "robots": "obey", "start_urls": ["https://www.jiangsu.gov.cn/col/col33718/index.html"],
              "allowed_hosts": ["www.jiangsu.gov.cn"], "politeness": {}}
    spider = spiders(HanwebSpider, source)
    column = source["start_urls"][0]
    reqs, _ = split(spider.parse_list(file_response(path, column, {"column": column})))
    windows = [r for r in reqs if r.meta["kind"] == "list"]
    pages = [parse_qs(r.url.split("?", 1)[1]) for r in windows]
    assert len(windows) == 257 == -(-4895 // 19) - 1  # pages 2 … 258, none past the end
    assert [p["page"][0] for p in pages] == [str(n) for n in range(2, 259)]
    assert all(p["startrecord"][0] == str((int(p["page"][0]) - 1) * 19 + 1) for p in pages)
    assert pages[-1]["endrecord"] == ["4895"] and all(p["perpage"] == ["19"] for p in pages)
    assert all(r.meta["column"] == column for r in windows)
    assert spider.crawler.stats.get_value(COLUMNS) == {column: {"declared": 4895, "found": 19}}


@pytest.mark.parametrize("honours", ["startrecord", "page"])
def test_hanweb_crawl_finds_every_declared_record_whichever_parameter_the_server_honours(tmp_path, honours):
    with Replica(port=0) as r:
        r.sites["www.xinxiangxian.gov.cn"].honours = honours
        run = crawl(r, tmp_path / honours, sources=["xinxiangxian"], expect=ExitCode.OK)
        listed = len(r.sites["www.xinxiangxian.gov.cn"].columns["col14251"].items)
    [column] = run.source("xinxiangxian")["columns"].values()
    assert column == {"declared": listed, "found": listed, "missing": 0} and listed > 30


# -- TRS WCM: every pager form of the evidence, stale calls ignored, split articles joined ------------------

def live(script):
    from scrapy.http import HtmlResponse
    from crawler.spiders.base import live_script
    return live_script(HtmlResponse(url="https://x.gov.cn/", body=f"<script>{script}</script>".encode(), encoding="utf-8"))


@pytest.mark.parametrize("script, url, pages, records", [
    # 4 arguments, 0-based: page k+1 is index_k
    ('createPageHTML(67, 0, "index", "html");', "https://x.gov.cn/a/", [f"https://x.gov.cn/a/index_{k}.html" for k in range(1, 67)], None),
    ('createPageHTML(1, 0, "index", "htm");', "https://x.gov.cn/a/", [], None),
    # inline variables; the record count in a comment and a stale commented call are not read
    ('var currentPage = 0;//所在页从0开始\nvar countPage = 17//共多少页\n//var record_count = 1910;\n'
     '//createPageHTML(9, 0, "index", "html");', "https://x.gov.cn/a/index.html",
     [f"https://x.gov.cn/a/index_{k}.html" for k in range(1, 17)], None),
    # renamed form (Chongqing), its record count only in a comment
    ('//wcm分页，总记录：1000\ncreatePage(34, 0, "index", "html");', "https://x.gov.cn/a/",
     [f"https://x.gov.cn/a/index_{k}.html" for k in range(1, 34)], None),
    # 6 arguments, 1-based, page N >= 2 is prefix_N; the 6th argument is the record count (CSRC, Kunshan)
    ("createPageHTML('page_div', 5, 1, 'fg', 'shtml', 89);", "https://x.gov.cn/fg/fg.shtml",
     [f"https://x.gov.cn/fg/fg_{n}.shtml" for n in range(2, 6)], 89),
    ("createPageHTML('page_div',22,1,'common_list','shtml',325);", "https://x.gov.cn/c/common_list.shtml",
     [f"https://x.gov.cn/c/common_list_{n}.shtml" for n in range(2, 23)], 325),
    # the 5-argument call: meaning unknown, not followed
    ('createPageHTML(191, 13, 0, "index", "html");', "https://x.gov.cn/a/", [], None),
])
def test_trs_pager_forms(script, url, pages, records):
    from crawler.spiders.trs import pager
    assert pager(live(script), url) == (pages, records)


def test_trs_crawl_joins_a_split_article_and_counts_each_declaring_column(replica, tmp_path):
    run = crawl(replica, tmp_path / "trs", sources=["chanhe"])  # blocked: its 镇街 column is behind a challenge
    columns = run.source("chanhe")["columns"]
    bmnb = "https://www.chanhe.gov.cn/zwgk/zfxxgk/bmnb/bmnb_list.shtml"
    listed = len(replica.sites["www.chanhe.gov.cn"].columns["bmnb"].items)
    assert columns[bmnb] == {"declared": listed, "found": listed, "missing": 0}
    nb = columns["https://www.chanhe.gov.cn/zwgk/zfxxgk/zfxxgknb/"]  # its record count is only in a comment
    assert nb["declared"] is None and nb["found"] == len(replica.sites["www.chanhe.gov.cn"].columns["zfxxgknb"].items)
    [entry] = [e for e in replica.catalog.reports if "split_article" in e.quirks]
    [item] = [i for i in run.items if i["record"]["url"] == entry.url]
    assert item["result"]["applications"] == entry.truth["applications"]  # both halves' tables read as one
    assert item["result"]["review_litigation"] == entry.truth["review_litigation"]
    paths = [e["path"] for e in replica.request_log if entry.url.rsplit("/", 1)[1][:-5] in e["path"]]
    assert any(p.endswith("_1.html") for p in paths)


# -- Guangdong gkmlpt ------------------------------------------------------------------------------------------

def test_gkmlpt_detail_content_is_cut_out_of_the_config_object():
    from crawler.spiders.gkmlpt import detail_content
    page = ('window._CONFIG = {SID: \'755001\', DETAIL: {"id": 1, "title": "t", "content": "\\u003Cp\\u003E一、总体情况'
            '\\u0026nbsp;\\u0022甲\\u0022\\u003C/p\\u003E\\u003Ctable\\u003E\\u003C/table\\u003E"}, TREE: []};')
    assert detail_content(page) == '<p>一、总体情况&nbsp;"甲"</p><table></table>'


def test_gkmlpt_pages_to_the_declared_total_from_page_1(spiders, tmp_path):
    from crawler.spiders.gkmlpt import GkmlptSpider
    spider = spiders(GkmlptSpider, "shenzhen-gkmlpt")
    index = "http://www.sz.gov.cn/gkmlpt/index"
    shell = tmp_path / "index.html"
    shell.write_text("<html><script>window._CONFIG = {SID: '755001', TREE: [{\"id\": 5020, \"name\": \"政府信息公开\", "
                     "\"children\": [{\"id\": 721, \"name\": \"政府信息公开年度报告\", \"post_count\": 230}, "
                     "{\"id\": 722, \"name\": \"年报外链\", \"jump_url\": \"http://x\"}]}], SERVICE_AREA_ID: 1};"
                     "</script></html>", encoding="utf-8")
    reqs, _ = split(spider.parse_list(file_response(shell, index, {"column": index})))
    [api] = reqs
    assert api.url == "http://www.sz.gov.cn/gkmlpt/api/all/721?page=1&sid=755001"  # page 0 would repeat page 1
    column = index + "#721"
    assert api.meta["column"] == column and 404 in api.meta["handle_httpstatus_list"]
    batch = tmp_path / "p1.json"
    for page, first in ((1, 0), (2, 100)):
        batch.write_text(json.dumps({"total": 230, "articles": [
            {"id": n, "title": f"报告{n}", "url": f"http://www.sz.gov.cn/gkmlpt/content/0/{n // 1000}/post_{n}.html",
             "attachment": []} for n in range(first, first + 100)]}), encoding="utf-8")
        out, _ = split(spider.parse_list(file_response(batch, api.url.replace("page=1", f"page={page}"), api.meta)))
        [nxt] = [r for r in out if r.meta["kind"] == "list"]
        assert nxt.url.endswith(f"page={page + 1}&sid=755001") and len(out) == 101
        api = nxt
    assert spider.crawler.stats.get_value(COLUMNS) == {column: {"declared": 230, "found": 200}}
    gone = file_response(batch, api.url.replace("page=2", "page=3"), api.meta, status=404)
    assert split(spider.parse_list(gone)) == ([], [])  # a 404 ends the walk


def test_gkmlpt_crawl_finds_every_report_of_the_column_with_its_body_from_the_config(replica, tmp_path):
    run = crawl(replica, tmp_path / "gkmlpt", sources=["shenzhen-gkmlpt"], expect=ExitCode.OK)
    [(column, counts)] = run.source("shenzhen-gkmlpt")["columns"].items()
    expected = [e for e in replica.catalog.reports if e.host == "www.sz.gov.cn"]
    assert column.endswith("#5021") and counts == {"declared": len(expected), "found": len(expected), "missing": 0}
    pages = {i["record"]["url"].replace("http://", "https://"): i for i in run.items if i["record"]["role"] == "page"}
    assert set(pages) == {e.url for e in expected}
    for e in expected:
        item = pages[e.url]
        assert item["result"]["applications"] == e.truth["applications"]
        assert item["record"]["index_no"] == e.page_meta["索引号"] and item["record"]["publisher"] == e.agency
    attachments = [i for i in run.items if i["record"]["role"] == "attachment"]
    assert {i["record"]["url"].replace("http://", "https://") for i in attachments} == {
        a for e in expected for a in e.attachments}


# -- JPaaS ---------------------------------------------------------------------------------------------------------

def test_jpaas_pages_only_through_paramjson_and_reads_the_non_strict_json(replica, tmp_path):
    from urllib.parse import parse_qs, urlsplit
    run = crawl(replica, tmp_path / "jpaas", sources=["hangzhou-jpaas"], expect=ExitCode.OK)
    [counts] = run.source("hangzhou-jpaas")["columns"].values()
    expected = [e for e in replica.catalog.reports if e.host == "www.hangzhou.gov.cn"]
    assert counts == {"declared": len(expected), "found": len(expected), "missing": 0} and len(expected) > 15
    assert {i["record"]["url"] for i in run.items} == {e.url for e in expected}
    item = next(i for i in run.items if i["record"]["url"] == expected[0].url)
    assert item["result"]["applications"] == expected[0].truth["applications"]
    assert item["record"]["index_no"] == expected[0].page_meta["索引号"]
    units = [parse_qs(urlsplit(e["path"]).query) for e in replica.request_log
             if e["host"] == "www.hangzhou.gov.cn" and e["path"].startswith("/api-gateway/")]
    assert sorted(json.loads(u["paramJson"][0])["pageNo"] for u in units) == [1, 2]
    assert all("pageNo" not in u and u["tagId"] == ["信息列表"] for u in units)


# -- nianbao probe ---------------------------------------------------------------------------------------------------

def probe_cli(*args):
    import subprocess
    from tests.crawl_harness import NIANBAO, ROOT
    return subprocess.run([str(NIANBAO), "probe", *args], capture_output=True, text=True, timeout=180, cwd=ROOT)


def test_probe_names_the_platform_counts_against_the_declared_total_and_reads_one_report(replica):
    proc = probe_cli(PINGTAN_LIST, "--replica", replica.base_url)
    assert proc.returncode == ExitCode.OK, proc.stderr[-2000:]
    out = proc.stdout
    assert "platform: fujian_trt" in out and "rows: declared 20, found 10" in out
    assert "pager: POST https://www.pingtan.gov.cn/fjdzapp/search  form: channelid=200210" in out
    first = replica.catalog.find(PINGTAN_LIST + "202603/t20260313_105587.htm")
    assert f"  title: {first.title}" in out and "  publisher: 平潭综合实验区管委会办公室" in out
    assert "  tables parse: yes (template 2021" in out
    assert "    platform: fujian_trt\n    robots: obey\n    start_urls:\n      - " + PINGTAN_LIST in out
    gk = probe_cli("http://www.sz.gov.cn/gkmlpt/index", "--replica", replica.base_url)
    reports = [e for e in replica.catalog.reports if e.host == "www.sz.gov.cn"]
    assert gk.returncode == 0 and "platform: gkmlpt" in gk.stdout and f"declared {len(reports)}" in gk.stdout
    shown = re.search(r"  title: (.+)", gk.stdout).group(1)
    assert shown in {e.title for e in reports}  # the article's title, from the config object


def test_probe_of_an_unknown_page_says_what_it_saw_and_exits_5(replica):
    proc = probe_cli("https://www.xinxiangxian.gov.cn/", "--replica", replica.base_url)
    assert proc.returncode == ExitCode.UNRECOGNISED == 6
    assert "platform: not recognised" in proc.stdout and "title '新乡县人民政府'" in proc.stdout


# -- monitors (spidermon) ----------------------------------------------------------------------------------------------

MONITORS = {"nianbao/yield", "nianbao/completeness", "nianbao/error_rate", "nianbao/item_schema"}


def test_monitors_pass_on_a_whole_crawl_then_flag_a_source_that_went_silent(replica, tmp_path):
    data = tmp_path / "data"
    run = crawl(replica, data, sources=["pingtan"], expect=ExitCode.OK)
    assert run.source("pingtan")["monitors"] == dict.fromkeys(MONITORS, "ok")
    down = crawl("http://127.0.0.1:9", data, sources=["pingtan"], expect=ExitCode.SOURCE_NOT_OK)
    monitors = down.source("pingtan")["monitors"]
    assert set(monitors) == MONITORS
    assert monitors["nianbao/yield"].startswith("nothing this run; the last run had 40 rows and reports")
    assert "1 of 1 requests failed (100% > 20%)" in monitors["nianbao/error_rate"]
    assert monitors["nianbao/completeness"] == monitors["nianbao/item_schema"] == "ok"


# -- the summary's completeness ------------------------------------------------------------------------------------------

def test_source_summary_says_declared_found_missing_per_column_and_unknown_where_nothing_is_declared():
    from crawler.runlog import COLUMNS, column_lines, source_summary
    stats = {"nianbao/pages_fetched": 4, "nianbao/new": 3,
             COLUMNS: {"https://a/x/": {"declared": 20, "found": 12}, "https://a/y/": {"declared": None, "found": 5},
                       "https://a/z/": {"declared": 7, "found": 9}}}  # a list that grew mid-crawl: more, never less
    s = source_summary(stats)
    assert s["columns"] == {"https://a/x/": {"declared": 20, "found": 12, "missing": 8},
                            "https://a/y/": {"declared": None, "found": 5, "missing": None},
                            "https://a/z/": {"declared": 7, "found": 9, "missing": 0}}
    assert (s["declared"], s["found"], s["missing"], s["status"]) == (27, 26, 8, "incomplete_list")
    assert column_lines(s) == ["  https://a/x/: declared 20, found 12, missing 8", "  https://a/y/: declared unknown, found 5",
                               "  https://a/z/: declared 7, found 9, missing 0"]
    blocked = source_summary({**stats, "nianbao/blocked": 1})
    assert blocked["status"] == "blocked"  # a block says more than the rows it cost
    unknown = source_summary({"nianbao/pages_fetched": 1, COLUMNS: {"https://a/y/": {"declared": None, "found": 0}}})
    assert (unknown["declared"], unknown["missing"], unknown["status"]) == (None, None, "ok")


def test_zhengzhou_reads_the_pager_total_on_the_first_page_and_counts_every_row(spiders):
    from crawler.spiders.zhengzhou import ZhengzhouSpider
    from tests.offline import replica_response
    spider = spiders(ZhengzhouSpider, "zhengzhou-public")
    response = replica_response("zhengzhou_public_D42Y_list.html")
    total = int(re.search(r"共(\d+)条", response.text).group(1))
    reqs, _ = split(spider.parse_list(response))
    [(column, counts)] = spider.crawler.stats.get_value(COLUMNS).items()
    assert counts == {"declared": total, "found": 15} and total == 61
    assert all(r.meta["column"] == column and r.meta["paged"] for r in reqs if r.meta["kind"] == "list")


def test_fujian_information_template_labels_padded_with_ensp_are_read(spiders, tmp_path):
    """The 信息公开 detail template as platforms.md §1.4 quotes it: labels padded with &ensp;, the 索引号 in a
    <font>, 发文机关 as the publisher (its 来源 line is filled by script, its ContentSource empty)."""
    page = tmp_path / "t.htm"
    page.write_text(
        '<html><head><meta name="ContentSource" content=""/><meta name="ArticleTitle" content="平潭综合实验区公安局'
        '2024年度政府信息公开工作年度报告"/></head><body><div class="index_box"><ul>'
        "<li>索&ensp;引&ensp;号：<font>PZ00106-2500-2025-00085</font></li><li>主题分类：其他</li>"
        "<li>发文机关：平潭综合实验区公安局</li><li>成文日期：2025-01-20</li>"
        "<li>标&ensp;&ensp;&ensp;&ensp;题：平潭综合实验区公安局2024年度政府信息公开工作年度报告</li>"
        "<li>发文字号：无</li><li>发布日期：2025-01-21</li><li>有&ensp;效&ensp;性：<em class=\"red_base\">有效</em></li>"
        '</ul></div><div class="article_content"><p>一、总体情况</p></div>'
        "<span class=\"article_source\">来源：<font ms-text=\"ext3['orgname']\"></font></span></body></html>",
        encoding="utf-8")
    spider = spiders(FujianTrtSpider, "pingtan")
    url = "https://www.pingtan.gov.cn/zwgk/zfxxgk/dfbmptlj/ptzhsyqgaj/zfxxgknb/202501/t20250121_96806.htm"
    [item] = split(spider.parse_page(file_response(page, url, headers={"Content-Type": "text/html"})))[1]
    assert (item.index_no, item.publisher, item.written_date, item.published_date) == (
        "PZ00106-2500-2025-00085", "平潭综合实验区公安局", "2025-01-20", "2025-01-21")
    assert item.page_title == "平潭综合实验区公安局2024年度政府信息公开工作年度报告"


def test_fujian_deleted_document_and_waf_blip_are_failures_with_their_reason_not_reports(spiders, tmp_path):
    spider = spiders(FujianTrtSpider, "pingtan")
    gone, blip = tmp_path / "gone.htm", tmp_path / "blip.htm"
    gone.write_bytes(b'<meta http-equiv="refresh" content="0;URL=../" />')
    blip.write_bytes(b"ok")
    for path, reason in ((gone, "deleted_document"), (blip, "waf_blip")):
        url = PINGTAN_LIST + f"202501/t20250101_{len(reason)}.htm"
        assert split(spider.parse_page(file_response(path, url, headers={"Content-Type": "text/html"}))) == ([], [])
        assert spider.crawler.stats.get_value(f"nianbao/failures/{reason}") == 1
    retried = [f["url"] for f in spider.res.state.failures("pingtan")]
    assert retried == [PINGTAN_LIST + "202501/t20250101_8.htm"]  # the blip, not the deleted page
