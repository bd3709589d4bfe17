"""The crawler's helpers, each with its edge cases, offline: canonical URLs, challenge pages, page
metadata, the registry, failure reasons, platform discovery, the settings of a crawl."""
import sys
import textwrap

import lxml.html
import pytest
import yaml
from scrapy.exceptions import (CannotResolveHostError, DownloadConnectionRefusedError, DownloadTimeoutError,
                               IgnoreRequest, ResponseDataLossError)
from scrapy.http import Headers, HtmlResponse, Request
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.spiderloader import SpiderLoader
from scrapy.utils.project import get_project_settings
from twisted.internet.error import ConnectionLost, DNSLookupError, TCPTimedOutError, TimeoutError
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseFailed, ResponseNeverReceived

from crawler.canonical import canonical_url
from crawler.challenge import challenge_kind
from crawler.errors import RegistryError, SettingsError
from crawler.middlewares import Blocked
from crawler.pagemeta import read_page_meta
from crawler.registry import load_sources, select_sources
from crawler.run import crawl_settings, politeness_slots
from crawler.spiders import spiders_by_platform
from crawler.spiders.base import ReportSpider, failure_reason
from pipelines.parse import default_workers
from tests.conftest import ROOT
from tests.offline import REPLICA_PAGES, pingtan_response, replica_page

# -- canonical_url ------------------------------------------------------------------------------------

@pytest.mark.parametrize("url, canonical", [
    ("http://Public.Zhengzhou.gov.cn/D41X/1.jhtml", "https://public.zhengzhou.gov.cn/D41X/1.jhtml"),  # scheme, host case
    ("https://x.gov.cn/D41X/A.jhtml", "https://x.gov.cn/D41X/A.jhtml"),                # the path keeps its case
    ("https://x.gov.cn:443/a", "https://x.gov.cn/a"), ("http://x.gov.cn:80/a", "https://x.gov.cn/a"),
    ("http://x.gov.cn:8080/a", "https://x.gov.cn:8080/a"),                            # other ports are kept
    ("https://x.gov.cn", "https://x.gov.cn/"),                                        # an empty path is /
    (" https://x.gov.cn/a#part ", "https://x.gov.cn/a"),                              # blanks, fragment
    ("https://x.gov.cn/?b=2&a=1", "https://x.gov.cn/?a=1&b=2"),                       # parameters sorted
    ("https://x.gov.cn/?a=1&uid=5&spm=x&t=1&_t=2&from=z&pagenum=3&T=9", "https://x.gov.cn/?a=1"),  # tracking
    ("https://x.gov.cn/?a=path&p=D41X&page=", "https://x.gov.cn/?a=path&p=D41X&page="),  # blank values kept
    ("https://x.gov.cn/?q=%E5%B9%B4%E6%8A%A5", "https://x.gov.cn/?q=%E5%B9%B4%E6%8A%A5"),
])
def test_canonical_url(url, canonical):
    assert canonical_url(url) == canonical


def test_canonical_url_makes_http_https_and_parameter_order_twins_one():
    assert len({canonical_url(u) for u in ("http://public.xinzheng.gov.cn/?a=path&p=D41X",
                                           "https://public.xinzheng.gov.cn/?p=D41X&a=path",
                                           "https://PUBLIC.xinzheng.gov.cn:443/?a=path&p=D41X&uid=7#top")}) == 1


# -- challenge_kind ------------------------------------------------------------------------------------

def headers(*cookies):
    return Headers([("Set-Cookie", c) for c in cookies])


def test_the_replicas_412_page_is_a_ruishu_challenge():
    page = replica_page("trs_chanhe_jdnb_challenge.html")
    body = (REPLICA_PAGES / "trs_chanhe_jdnb_challenge.html").read_bytes()
    assert page["status"] == 412
    assert challenge_kind(412, Headers(page["headers"]), body) == "ruishu"
    assert challenge_kind(200, None, body) == "ruishu"  # a short page carrying the markers, whatever its status


@pytest.mark.parametrize("status, body, kind", [
    (200, b"<script>var wzwschallenge='x';</script>", "wzws"),
    (200, b"<script>dynamicurl = '/WZWSREL9hYS5odG1s';</script>", "wzws"),
    (200, "<p>请开启JavaScript并刷新该页</p>".encode(), "wzws"),
    (521, b"<script>document.cookie=('__jsl_clearance=1597;max-age=3600')</script>", "jiasule"),
    (200, b"<script>var TWAF_AR = 1;</script>", "twaf"),
    (202, b"<meta r='m'><script>$_ts=window['$_ts'];</script>", "ruishu"),
])
def test_challenge_families(status, body, kind):
    assert challenge_kind(status, headers(), body) == kind


def test_a_412_with_only_the_ruishu_cookie_is_a_challenge_and_a_bare_412_is_not():
    assert challenge_kind(412, headers("FSSBBIl1UgzbN7N80S=60abc; Path=/"), b"") == "ruishu"
    assert challenge_kind(412, headers("JSESSIONID=1"), b"<html>Precondition Failed</html>") is None


def test_ordinary_pages_are_not_challenges():
    assert challenge_kind(200, headers(), b"<html><body>ok</body></html>") is None
    assert challenge_kind(200, None, b"") is None
    assert challenge_kind(200, headers(), pingtan_response(2023).body) is None  # a real 221 KB report page
    long_article = b"<html><body>" + b"x" * 20000 + b"<pre>$_ts=window['$_ts']</pre></body></html>"
    assert challenge_kind(200, headers(), long_article) is None  # a long page quoting a marker
    assert challenge_kind(412, headers(), long_article) is None  # markers past the first 20000 bytes


# -- read_page_meta ------------------------------------------------------------------------------------

def root(html):
    return lxml.html.fromstring(f"<html><head>{html[0]}</head><body>{html[1]}</body></html>")


def test_page_meta_of_no_page():
    assert read_page_meta(None) == dict.fromkeys(("index_no", "publisher", "written_date", "published_date", "title"))


def test_page_meta_from_a_labelled_table_with_spaced_labels():
    table = ("<table><tr><td>索 引 号:</td><td>638849802/2020-00001</td><td>主题分类:</td><td>综合政务</td></tr>"
             "<tr><td>发布机构:</td><td>郑州市财政局</td><td>关 键 词:</td><td>年报</td></tr>"
             "<tr><td>成文日期:</td><td>2020-01-10</td><td>发布日期:</td><td>2020-01-11</td></tr></table>")
    assert read_page_meta(root(("<title>t</title>", table))) == {
        "index_no": "638849802/2020-00001", "publisher": "郑州市财政局", "written_date": "2020-01-10",
        "published_date": "2020-01-11", "title": "t"}


def test_page_meta_from_a_labelled_list_with_full_width_colons_and_chinese_dates():
    items = ("<ul><li>索引号：11410100MB1234567X/2023-00012</li><li>发布机构：郑州市人民政府办公室</li>"
             "<li>成文日期：2023年3月5日</li><li>发布日期：2023/3/6</li></ul>")
    meta = read_page_meta(root(("", items)))
    assert meta["index_no"] == "11410100MB1234567X/2023-00012" and meta["publisher"] == "郑州市人民政府办公室"
    assert (meta["written_date"], meta["published_date"]) == ("2023-03-05", "2023-03-06")


@pytest.mark.parametrize("body, expected", [
    ("<ul><li>成文日期：</li><li>发布日期：2021-03-13</li></ul>", (None, "2021-03-13")),
    ("<ul><li>成 文 日 期：</li><li>发 布 日 期 2021年3月13日</li></ul>", (None, "2021-03-13")),
    ("<table><tr><td>成文日期</td><td></td><td>发布日期</td><td>2021-03-13</td></tr></table>", (None, "2021-03-13")),
    ("<p>成文日期：2021-03-12 发布日期：2021-03-13</p>", ("2021-03-12", "2021-03-13")),
])
def test_page_meta_empty_date_fields_stay_empty(body, expected):
    meta = read_page_meta(root(("", body)))
    assert (meta["written_date"], meta["published_date"]) == expected


def test_page_meta_empty_publisher_followed_by_the_next_label():
    meta = read_page_meta(root(("", "<ul><li>发布机构：</li><li>成文日期：2021-03-12</li></ul>")))
    assert meta["publisher"] is None and meta["written_date"] == "2021-03-12"


def test_page_meta_from_a_values_only_list():
    values = ("<ul><li>410100-000-2022-00031/2022-00031</li><li>郑州市教育局</li><li>教育</li>"
              "<li>2022-01-14</li><li>2022-01-18</li></ul>")
    assert read_page_meta(root(("", values))) == {
        "index_no": "410100-000-2022-00031/2022-00031", "publisher": "郑州市教育局", "written_date": "2022-01-14",
        "published_date": "2022-01-18", "title": None}


def test_page_meta_from_meta_tags_when_the_page_prints_none():
    head = ('<meta name="ArticleTitle" content="某局2023年政府信息公开工作年度报告">'
            '<meta name="PubDate" content="2024-01-20 09:30"><meta name="ContentSource" content="某局">')
    assert read_page_meta(root((head, "<p>正文</p>"))) == {
        "index_no": None, "publisher": "某局", "written_date": None, "published_date": "2024-01-20",
        "title": "某局2023年政府信息公开工作年度报告"}


def test_page_meta_printed_values_win_over_meta_tags():
    head = '<meta name="PubDate" content="2024-01-20"><meta name="ContentSource" content="网站">'
    meta = read_page_meta(root((head, "<p>发布机构：某局</p><p>发布日期：2024-01-21</p>")))
    assert (meta["publisher"], meta["published_date"]) == ("某局", "2024-01-21")


def test_page_meta_title_order_xpaths_then_article_title_then_h1_then_title():
    head = '<title>站点 - 栏目</title><meta name="ArticleTitle" content="甲">'
    body = '<h1>乙</h1><div class="content-title"> 丙\n 报告 </div>'
    assert read_page_meta(root((head, body)), ("//div[@class='content-title']",))["title"] == "丙 报告"
    assert read_page_meta(root((head, body)), ("//div[@class='missing']",))["title"] == "甲"
    assert read_page_meta(root(("<title>站点 - 栏目</title>", body)))["title"] == "乙"
    assert read_page_meta(root(("<title> 站点 - 栏目 </title>", "<p>x</p>")))["title"] == "站点 - 栏目"


# -- the registry --------------------------------------------------------------------------------------

ENTRY = {"id": "a", "name": "甲", "region": "河南省", "level": "city", "platform": "zhengzhou", "robots": "obey",
         "start_urls": ["https://public.a.gov.cn/?a=path&p=D41X", "https://www.a.gov.cn:8443/col/"]}


def registry(tmp_path, *entries, raw=None):
    path = tmp_path / "sources.yaml"
    path.write_text(raw if raw is not None else yaml.safe_dump({"sources": list(entries)}, allow_unicode=True),
                    encoding="utf-8")
    return path


def test_the_registry_loads_and_fills_in_hosts_and_politeness(tmp_path):
    [source] = load_sources(registry(tmp_path, ENTRY))
    assert source["allowed_hosts"] == ["public.a.gov.cn", "www.a.gov.cn:8443"] and source["politeness"] == {}
    assert {s["id"] for s in load_sources()} >= {"zhengzhou-public", "pingtan", "chanhe"}  # the project's own


def test_the_registry_file_is_named_by_nianbao_registry(tmp_path, monkeypatch):
    monkeypatch.setenv("NIANBAO_REGISTRY", str(registry(tmp_path, ENTRY)))
    assert [s["id"] for s in load_sources()] == ["a"]


@pytest.mark.parametrize("change, message", [
    ({"robots": None}, "lacks robots"),
    ({"platform": "wordpress"}, "unknown platform 'wordpress' (known: fujian_trt, generic, gkmlpt, hanweb, jpaas, trs, "
                                   "zhengzhou)"),
    ({"robots": "maybe"}, "robots must be obey or ignore, not 'maybe'"),
    ({"start_urls": []}, "start_urls must be a non-empty list of http(s) URLs"),
    ({"start_urls": "https://a.gov.cn/"}, "start_urls must be a non-empty list"),
    ({"start_urls": ["ftp://a.gov.cn/"]}, "start_urls must be a non-empty list"),
    ({"start_urls": ["/relative/path"]}, "start_urls must be a non-empty list"),
])
def test_each_invalid_entry_is_a_registry_error_naming_file_and_source(tmp_path, change, message):
    entry = {k: v for k, v in {**ENTRY, **change}.items() if v is not None}
    path = registry(tmp_path, entry)
    with pytest.raises(RegistryError) as e:
        load_sources(path)
    assert message in str(e.value) and str(path) in str(e.value) and "'a'" in str(e.value)


def test_missing_keys_are_all_named(tmp_path):
    with pytest.raises(RegistryError, match="source 'a' lacks name, region, level"):
        load_sources(registry(tmp_path, {k: v for k, v in ENTRY.items() if k not in ("name", "region", "level")}))
    with pytest.raises(RegistryError, match="source '#1' lacks id"):
        load_sources(registry(tmp_path, {k: v for k, v in ENTRY.items() if k != "id"}))


def test_duplicate_ids_are_a_registry_error(tmp_path):
    with pytest.raises(RegistryError, match="duplicate source ids: a"):
        load_sources(registry(tmp_path, ENTRY, {**ENTRY, "name": "乙"}))


@pytest.mark.parametrize("raw, message", [
    ("sources: [unclosed", "not valid YAML"),
    ("- just a list", "a mapping with a list under 'sources'"),
    ("sources: {id: a}", "a mapping with a list under 'sources'"),
    ("", "a mapping with a list under 'sources'"),
    ("sources:\n  - just a string", "entry 1 is not a mapping"),
])
def test_a_malformed_registry_file_is_a_registry_error(tmp_path, raw, message):
    with pytest.raises(RegistryError, match=message):
        load_sources(registry(tmp_path, raw=raw))


def test_a_missing_registry_file_is_a_registry_error(tmp_path):
    with pytest.raises(RegistryError, match="cannot read the registry"):
        load_sources(tmp_path / "nowhere.yaml")


def test_select_sources():
    sources = [{"id": "a"}, {"id": "b"}, {"id": "c"}]
    assert select_sources(sources) == sources and select_sources(sources, []) == sources
    assert select_sources(sources, ["c", "a"]) == [{"id": "a"}, {"id": "c"}]  # registry order
    with pytest.raises(RegistryError, match=r"unknown source ids: x, y \(the registry has: a, b, c\)"):
        select_sources(sources, ["a", "y", "x"])


def test_a_spider_given_an_unknown_source_id_is_a_registry_error():
    with pytest.raises(RegistryError, match="unknown source id 'nowhere'"):
        spiders_by_platform()["trs"](source="nowhere")
    with pytest.raises(RegistryError, match="needs a source"):
        spiders_by_platform()["trs"]()


def test_politeness_slots_per_host():
    sources = [{"allowed_hosts": ["a.gov.cn", "b.gov.cn"], "politeness": {"download_delay": 2.0, "concurrency": 1}},
               {"allowed_hosts": ["c.gov.cn"], "politeness": {}}]
    assert politeness_slots(sources, scale=0.5) == {"a.gov.cn": {"delay": 1.0, "concurrency": 1},
                                                    "b.gov.cn": {"delay": 1.0, "concurrency": 1},
                                                    "c.gov.cn": {"delay": 0.5, "concurrency": 2}}


# -- failure_reason ------------------------------------------------------------------------------------

def http_error(status):
    url = "https://x.gov.cn/a"
    return HttpError(HtmlResponse(url, status=status, body=b"", request=Request(url)), "Ignoring non-200 response")


@pytest.mark.parametrize("exception, reason", [
    (Blocked("blocked_challenge_ruishu"), "blocked_challenge_ruishu"),
    (Blocked("blocked_http_429"), "blocked_http_429"),
    (IgnoreRequest("Forbidden by robots.txt"), "robots_disallowed"),
    (TimeoutError(), "timeout"), (TCPTimedOutError(), "timeout"), (DownloadTimeoutError(), "timeout"),
    (ResponseFailed([]), "connection_reset"), (ConnectionLost(), "connection_reset"),
    (ResponseNeverReceived([]), "connection_reset"), (ResponseDataLossError(), "connection_reset"),
    (DNSLookupError(), "dns"), (CannotResolveHostError(), "dns"),
    (DownloadConnectionRefusedError(), "connection_refused"),
    (http_error(404), "http_404"), (http_error(500), "http_500"),
    (IgnoreRequest("offsite"), "IgnoreRequest"), (ValueError("x"), "ValueError"),
])
def test_failure_reason(exception, reason):
    assert failure_reason(Failure(exception)) == reason


# -- platforms, found --------------------------------------------------------------------------------------

def test_the_platforms_are_the_spider_modules():
    found = spiders_by_platform()
    assert set(found) == {"zhengzhou", "hanweb", "trs", "fujian_trt", "gkmlpt", "jpaas", "generic"}
    for platform, spider in found.items():
        assert issubclass(spider, ReportSpider) and spider.platform == platform
        assert spider.__module__ == f"crawler.spiders.{platform}"


def test_a_new_platform_is_one_module(tmp_path, monkeypatch):
    package = tmp_path / "myspiders"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "jpaas.py").write_text(textwrap.dedent("""
        from crawler.spiders.base import ReportSpider
        from crawler.spiders.trs import TrsSpider  # imported, not defined here: not this module's platform


        class JpaasSpider(ReportSpider):
            name = "jpaas"
            platform = "jpaas"

            def parse_list(self, response):
                return []


        class Helper(ReportSpider):  # no name: not a spider Scrapy can run
            platform = "helper"
        """))
    monkeypatch.syspath_prepend(str(tmp_path))
    found = spiders_by_platform("myspiders")
    assert list(found) == ["jpaas"] and found["jpaas"].__name__ == "JpaasSpider"
    (package / "other.py").write_text("from myspiders.jpaas import JpaasSpider\n\n"
                                      "class Twin(JpaasSpider):\n    name = 'twin'\n")
    spiders_by_platform.cache_clear()
    sys.modules.pop("myspiders", None)
    with pytest.raises(TypeError, match="two spiders for platform 'jpaas'"):
        spiders_by_platform("myspiders")
    spiders_by_platform.cache_clear()


# -- settings per environment ------------------------------------------------------------------------------

def test_production_settings_by_default(tmp_path):
    s = crawl_settings(data_dir=tmp_path)
    assert s.getbool("ROBOTSTXT_OBEY") and s.getbool("AUTOTHROTTLE_ENABLED") and s.getfloat("NIANBAO_POLITENESS_SCALE") == 1
    assert "crawler.resources.CrawlResources" in s.getdict("EXTENSIONS")
    assert s.get("NIANBAO_DATA_DIR") == str(tmp_path) and not s.get("NIANBAO_REPLICA")
    assert not s.getdict("DOWNLOAD_HANDLERS")


def test_a_replica_url_implies_the_replica_settings():
    s = crawl_settings(replica="http://127.0.0.1:8800", db="x.db")
    assert s.get("NIANBAO_REPLICA") == "http://127.0.0.1:8800" and s.get("NIANBAO_DB") == "x.db"
    assert s.getfloat("NIANBAO_POLITENESS_SCALE") == 0 and not s.getbool("AUTOTHROTTLE_ENABLED")
    assert s.getint("DOWNLOAD_TIMEOUT") == 3 and s.get("LOG_LEVEL") == "ERROR"
    assert s.getdict("DOWNLOAD_HANDLERS")["https"] == "crawler.replica.ReplicaDownloadHandler"
    assert s.get("USER_AGENT").startswith("nianbao/")  # the rest is production's


def test_an_explicit_settings_module_wins_and_set_overrides_it():
    s = crawl_settings("tests.crawl_settings", replica="http://127.0.0.1:8800",
                       overrides={"LOG_LEVEL": "DEBUG", "ITEM_PIPELINES": "{}"})
    assert s.getint("CONCURRENT_REQUESTS_PER_DOMAIN") == 4 and s.getint("DOWNLOAD_TIMEOUT") == 3
    assert s.get("LOG_LEVEL") == "DEBUG" and s.getdict("ITEM_PIPELINES") == {}


def test_settings_errors():
    with pytest.raises(SettingsError, match="'no.such.module' cannot be imported"):
        crawl_settings("no.such.module")
    with pytest.raises(SettingsError, match="for the local replica only"):
        crawl_settings("crawler.settings.replica")
    with pytest.raises(SettingsError, match="for the local replica only"):
        crawl_settings("tests.crawl_settings")
    with pytest.raises(SettingsError, match="--replica needs settings that route http:// to the replica"):
        crawl_settings("crawler.settings.production", replica="http://127.0.0.1:8800")
    with pytest.raises(SettingsError, match="route https://"):
        crawl_settings(replica="http://127.0.0.1:8800",
                       overrides={"DOWNLOAD_HANDLERS": {"http": "crawler.replica.ReplicaDownloadHandler"}})


def test_scrapy_cfg_names_the_production_settings_and_scrapy_finds_every_spider(monkeypatch):
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("SCRAPY_SETTINGS_MODULE", raising=False)
    assert "default = crawler.settings.production" in (ROOT / "scrapy.cfg").read_text()
    settings = get_project_settings()
    assert settings.get("BOT_NAME") == "nianbao" and settings.getbool("ROBOTSTXT_OBEY")
    assert sorted(SpiderLoader.from_settings(settings).list()) == ["fujian_trt", "generic", "gkmlpt", "hanweb", "jpaas", "trs",
                                                                   "zhengzhou"]


def test_one_default_worker_count():
    import os
    assert default_workers() == max(1, (os.cpu_count() or 2) - 1)
