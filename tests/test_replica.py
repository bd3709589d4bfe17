"""The replica serves what its catalog says: lists end, details match, obstacles behave (urllib only)."""
import http.client
import json
import re
import socket
import time
import urllib.error
import urllib.request
from html import unescape
from urllib.parse import urljoin, urlsplit

import pytest

from tests.conftest import SHARED
from replica.server import RS_COOKIE, RS_S_VALUE, Replica, solve_challenge

ZZ, XZ, DF, DFZ = "public.zhengzhou.gov.cn", "public.xinzheng.gov.cn", "public.dengfeng.gov.cn", "df.public.zhengzhou.gov.cn"
HANWEB, TRS, PT, WWW = "www.xinxiangxian.gov.cn", "www.chanhe.gov.cn", "www.pingtan.gov.cn", "www.zhengzhou.gov.cn"


@pytest.fixture(scope="module")
def replica():
    r = Replica(port=0, slow_delay=1.0).start()
    yield r
    r.stop()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kw):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def fetch(replica, url, method="GET", data=None, timeout=10, **headers):
    """GET a real-host URL from the replica: rewrite to 127.0.0.1, real host in the Host header."""
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    req = urllib.request.Request(replica.base_url + target, data=data, method=method,
                                 headers={"Host": parts.hostname, **headers})
    try:
        with _opener.open(req, timeout=timeout) as resp:
            return resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def text(body):
    return body.decode("utf-8")


def links(body, pattern):
    return [unescape(h) for h in re.findall(pattern, text(body))]


# -- catalog -------------------------------------------------------------------------------------------------

def test_catalog_counts(replica):
    cat = replica.catalog
    assert len(cat.reports) >= 200
    assert {e.platform for e in cat.reports} == {"zhengzhou", "hanweb", "trs", "pingtan", "gkmlpt", "jpaas"}
    assert {"html", "pdf", "docx", "image-pdf"} <= {e.format for e in cat.reports}
    assert {e.template for e in cat.reports} == {"free", "2019", "2021"}
    assert {e.year for e in cat.reports} >= set(range(2017, 2025))
    assert {e.source for e in cat.reports} >= {f"seed:{n:03d}" for n in range(5)} | {
        "corpus:2017", "corpus:2019", "corpus:2021", "corpus:2023"}
    assert all(e.truth is None for e in cat.reports if e.needs_ocr)
    assert all(e.truth["meta"]["year"] == e.year for e in cat.reports if e.truth)
    assert len({e.url for e in cat.reports}) == len(cat.reports)
    assert len(cat.non_reports) >= 50 and not cat.non_reports & {e.url for e in cat.reports}
    kinds = {o["kind"] for o in cat.obstacles}
    assert kinds >= {"challenge_412", "rate_429", "burst_503", "slow", "reset_once", "reset_always",
                     "gbk_declared_gb2312", "header_only", "meta_only", "utf8_declared_gbk", "robots_disallow",
                     "robots_allow", "robots_404", "soft_404", "http_https_duplicate", "redirect_302"}
    # duplicates: dengfeng/df, www copy of the 2022 city report
    assert any(DFZ in u for e in cat.reports for u in e.urls if e.host == DF)
    assert any(WWW in u for e in cat.reports for u in e.urls if e.host == ZZ)
    # the truth of seed 003 has the corrected agency name
    assert next(e for e in cat.reports if e.source == "seed:003").agency == "瀍河回族区人民政府办公室"


def test_catalog_json_and_control_host(replica):
    status, headers, body = fetch(replica, "http://replica.local/catalog.json")
    data = json.loads(body)
    assert status == 200 and len(data["reports"]) == len(replica.catalog.reports)
    status, _, body = fetch(replica, "http://replica.local/log")
    assert status == 200 and isinstance(json.loads(body), list)


def test_unknown_host_and_proxy_request_line(replica):
    assert fetch(replica, "http://nowhere.example.com/")[0] == 404
    conn = http.client.HTTPConnection("127.0.0.1", replica.port, timeout=5)
    conn.request("GET", f"http://{ZZ}/?a=platform", headers={"Host": f"{ZZ}"})
    resp = conn.getresponse()
    assert resp.status == 200 and "D41X" in resp.read().decode()
    conn.close()


# -- Zhengzhou family -------------------------------------------------------------------------------------

def walk_public(replica, host, start):
    """Follow the .page-tile 下一页 link to the end; returns (item hrefs, pages seen)."""
    url, hrefs, pages = start, [], 0
    while url:
        status, _, body = fetch(replica, url)
        assert status == 200
        pages += 1
        ul = re.search(r'<ul class="(?:common-list|page-list)">(.*?)</ul>', text(body), re.S).group(1)
        assert "<li" not in ul    # anchors are direct children of the ul
        hrefs += [urljoin(url, h) for h in links(ul.encode(), r'<a href="([^"]+)"')]
        nxt = re.search(r'<a (?:class="[^"]*" )?href="([^"]+)">下一页</a>', text(body))
        url = None if nxt.group(1).startswith("javascript") else urljoin(url, unescape(nxt.group(1)))
        assert pages < 20
    return hrefs, pages


def test_public_lists_cover_catalog(replica):
    cat = replica.catalog
    replica.reset()
    for col in cat.columns:
        if col.platform != "zhengzhou" or col.host == WWW:
            continue
        if col.host == XZ and col.column == "D42Y":
            for _ in range(3):            # the 503 burst on page 2
                fetch(replica, f"https://{XZ}/?a=path&p=D42Y&page=2")
        hrefs, pages = walk_public(replica, col.host, col.start_url)
        assert pages == col.pages and len(hrefs) == col.items, col
        found = {cat.find(h).url if cat.find(h) else h for h in hrefs}
        if col.kind == "report":
            expected = {e.url for e in cat.reports if col.host in [urlsplit(u).hostname for u in e.urls]
                        and e.column == col.column}
            assert found - cat.dead_links == expected
        else:
            assert found <= cat.non_reports
    assert pages >= 1


def test_public_d42y_pagination_and_dept_filter(replica):
    col = next(c for c in replica.catalog.columns if c.host == ZZ and c.column == "D42Y")
    assert col.pages >= 4
    _, _, body = fetch(replica, f"https://{ZZ}/?a=path&p=D42Y&page={col.pages}")
    assert 'href="javascript:void(0);">下一页' in text(body)
    assert f"共{col.items}条 {col.pages}/{col.pages}页" in text(body)
    _, _, body = fetch(replica, f"https://{ZZ}/?a=path&p=D42Y&page=9")
    assert re.search(r'<ul class="common-list">\s*</ul>', text(body))          # past the end: empty list
    _, _, body = fetch(replica, f"https://{ZZ}/?a=dir&h=1&p=D42Y")
    assert "/?a=path&d=4&p=D42Y" in unescape(text(body))
    _, _, body = fetch(replica, f"https://{ZZ}/?a=path&d=4&p=D42Y")
    hrefs = links(body, r'<a href="(https://public[^"]+\.jhtml)"')
    assert len(hrefs) == 8 and all(replica.catalog.find(h).dept_id == "4" for h in hrefs)
    assert 'title="郑州市自然资源和规划局2023年政府信息公开工作年报"' in text(body) or "…</span>" in text(body)


def test_public_detail_and_metadata_variants(replica):
    cat = replica.catalog
    e = cat.find(f"https://{ZZ}/D42Y/8187641.jhtml")
    status, headers, body = fetch(replica, e.url)
    page = text(body)
    assert status == 200 and headers["ETag"] and headers["Last-Modified"]
    assert '<div class="content-wrap">' in page and '<div class="content-txt">' in page
    assert "<li>005252370/2024-00005</li><li>郑州市自然资源和规划局</li>" in page      # variant 1
    v2 = next(x for x in cat.reports if x.host == DF)
    assert "<li>索引号:" in text(fetch(replica, v2.url)[2])                            # variant 2
    v3 = next(x for x in cat.reports if x.host == ZZ and x.year == 2017)
    assert "索 引 号:" in text(fetch(replica, v3.url)[2])                               # variant 3
    legacy = next(x for x in cat.reports if x.column == "02MC")
    assert legacy.url.endswith("/02MC/2090413.jhtml") and fetch(replica, legacy.url)[0] == 200


def test_attachments_of_seed_report(replica):
    e = next(x for x in replica.catalog.reports if x.source == "seed:001")
    assert e.formats == ["html", "pdf", "docx"]
    page = text(fetch(replica, e.url)[2])
    for a in e.attachments:
        assert urlsplit(a).path in page
        status, headers, body = fetch(replica, a)
        assert status == 200 and body[:4] in (b"%PDF", b"PK\x03\x04")
        assert "filename*=UTF-8''" in headers["Content-Disposition"]
    copy = next(u for u in e.urls if WWW in u)
    assert "郑州市人民政府2022年" in text(fetch(replica, copy)[2])


def test_soft_404_and_dead_link(replica):
    dead = next(iter(replica.catalog.dead_links))
    status, _, body = fetch(replica, dead)
    assert status == 200 and "页面不存在" in text(body)
    _, _, body = fetch(replica, f"https://{XZ}/?a=path&p=D42Y")
    assert urlsplit(dead).path in text(body) or any(urlsplit(dead).path in text(fetch(replica, f"https://{XZ}/?a=path&p=D42Y&page={n}")[2]) for n in (2, 3))


def test_http_https_duplicate_in_list(replica):
    _, _, body = fetch(replica, f"https://{XZ}/?a=path&p=D41X")
    e = next(x for x in replica.catalog.reports if "http-dup" in x.quirks)
    path = urlsplit(e.url).path
    assert f'href="http://{XZ}{path}"' in text(body) and f'href="{path}"' in text(body)


def test_www_portal_index_n(replica):
    _, _, body = fetch(replica, f"https://{WWW}/news1/index.jhtml")
    anchors = re.search(r'<div class="page-tile">(.*?)</div>', text(body)).group(1)
    assert re.findall(r">([^<]+)</a>", anchors)[-2] == "3"          # total pages = second-to-last anchor
    assert fetch(replica, f"https://{WWW}/news1/index_3.jhtml")[0] == 200
    assert fetch(replica, f"https://{WWW}/news1/index_4.jhtml")[0] == 404


def test_robots_variants(replica):
    assert fetch(replica, f"https://{WWW}/robots.txt")[2] == b"User-agent: *\nDisallow: /\n"
    assert b"Allow: /" in fetch(replica, f"https://{ZZ}/robots.txt")[2]
    assert fetch(replica, f"https://{XZ}/robots.txt")[0] == 404


# -- conditional requests ------------------------------------------------------------------------------------

def test_etag_and_last_modified_304(replica):
    e = next(x for x in replica.catalog.reports if x.host == HANWEB and x.attachments)
    for url in [e.url, e.attachment_files[0]]:
        status, headers, body = fetch(replica, url)
        assert status == 200
        assert fetch(replica, url, **{"If-None-Match": headers["ETag"]})[0] == 304
        assert fetch(replica, url, **{"If-Modified-Since": headers["Last-Modified"]})[0] == 304
        assert fetch(replica, url, **{"If-None-Match": '"other"'})[0] == 200
        assert fetch(replica, url, **{"If-Modified-Since": "Mon, 01 Jan 2018 00:00:00 GMT"})[0] == 200
    replica.clear_log()
    etag = fetch(replica, e.url)[1]["ETag"]
    replica.clear_log()
    fetch(replica, e.url, **{"If-None-Match": etag})
    fetch(replica, e.url)
    log = [x for x in replica.request_log if x["host"] == HANWEB]
    assert [(x["status"], x["conditional"], x["bytes"] > 0) for x in log] == [(304, True, False), (200, False, True)]


# -- Hanweb --------------------------------------------------------------------------------------------------

def records(body):
    return re.findall(r"<record><!\[CDATA\[\s*<li><a href=\"([^\"]+)\"", text(body))


def test_hanweb_datastore_and_dataproxy(replica):
    col = next(c for c in replica.catalog.columns if c.host == HANWEB and c.kind == "report")
    _, _, body = fetch(replica, col.start_url)
    first = records(body)
    assert "<datastore>" in text(body) and "<nextgroup>" in text(body) and len(first) == 15
    assert f"totalRecord:{col.items}" in text(body)
    seen = list(first)
    start = 16
    while True:
        q = f"startrecord={start}&endrecord={start + 14}&perpage=15&col=1&appid=1&webid=38&path=/&columnid=14251&unitid=72581"
        status, headers, body = fetch(replica, f"https://{HANWEB}/module/web/jpage/dataproxy.jsp?{q}")
        assert status == 200 and f"<totalrecord>{col.items}</totalrecord>" in text(body)
        got = records(body)
        if not got:
            break
        seen += got
        start += 15
    # POST with a form body gives the same as GET
    form = b"startrecord=16&endrecord=30&perpage=15&columnid=14251"
    _, _, body = fetch(replica, f"https://{HANWEB}/module/web/jpage/dataproxy.jsp", method="POST", data=form,
                       **{"Content-Type": "application/x-www-form-urlencoded"})
    assert records(body) == seen[15:30]
    _, _, body = fetch(replica, f"https://{HANWEB}/col/col14251/index.html?uid=72581&pageNum=2")
    assert records(body) == seen[15:30]
    expected = {e.url for e in replica.catalog.reports if e.host == HANWEB}
    assert {f"https://{HANWEB}{h}" for h in seen} == expected


def test_hanweb_detail_and_downfile_302(replica):
    e = next(x for x in replica.catalog.reports if x.source == "seed:004")
    assert re.search(r"/art/2024/\d+/\d+/art_14251_\d+\.html$", e.url)
    page = text(fetch(replica, e.url)[2])
    assert '<div id="zoom"><meta name="ContentStart">' in page and '<meta name="ContentEnd"></div>' in page
    assert e.page_meta["索引号"] in page and '<meta name="ArticleTitle"' in page
    down = e.attachments[0]
    assert "/module/download/downfile.jsp?classid=0&filename=" in down
    status, headers, _ = fetch(replica, down)
    assert status == 302 and headers["Location"] == urlsplit(e.attachment_files[0]).path
    status, headers, body = fetch(replica, e.attachment_files[0])
    assert status == 200 and body.startswith(b"%PDF")
    # raw GBK bytes in the filename (http.client hands them over as latin-1)
    assert "城市管理局" in headers["Content-Disposition"].encode("latin-1").decode("gbk")


def test_hanweb_charset_variants(replica):
    cat = replica.catalog
    by_kind = {o["kind"]: o["url"] for o in cat.obstacles}
    _, headers, body = fetch(replica, by_kind["header_only"])
    assert headers["Content-Type"] == "text/html; charset=GBK" and b"charset" not in body
    assert "翟坡镇" in body.decode("gbk")
    _, headers, body = fetch(replica, by_kind["meta_only"])
    assert headers["Content-Type"] == "text/html" and b"charset=gbk" in body and "翟坡镇" in body.decode("gbk")
    _, headers, body = fetch(replica, by_kind["utf8_declared_gbk"])
    assert headers["Content-Type"] == "text/html" and b"charset=gbk" in body and "翟坡镇" in body.decode("utf-8")


# -- TRS ---------------------------------------------------------------------------------------------------

def test_trs_index_n_zero_based_and_gbk(replica):
    col = next(c for c in replica.catalog.columns if c.host == TRS and c.column == "zfxxgknb")
    assert col.pages == 3
    hrefs = []
    for n, name in enumerate(["index.html", "index_1.html", "index_2.html"]):
        status, headers, body = fetch(replica, f"https://{TRS}/zwgk/zfxxgk/zfxxgknb/{name}")
        assert status == 200 and headers["Content-Type"] == "text/html; charset=gb2312"
        page = body.decode("gb18030")
        # the inline-variable pager, with a stale commented-out call beside the live count
        assert f"var currentPage = {n};//所在页从0开始\nvar countPage = 3//共多少页" in page
        assert '//createPageHTML(9, 0, "index", "html");\ncreatePageHTML(countPage, currentPage, "index", "html");' in page
        hrefs += [urljoin(f"https://{TRS}/zwgk/zfxxgk/zfxxgknb/{name}", h) for h in re.findall(r'<li><a href="([^"]+)"', page)]
    assert fetch(replica, f"https://{TRS}/zwgk/zfxxgk/zfxxgknb/index_3.html")[0] == 404
    assert set(hrefs) == {e.url for e in replica.catalog.reports if e.host == TRS and e.column == "zfxxgknb"}
    assert fetch(replica, f"https://{TRS}/zwgk/zfxxgk/zfxxgknb")[0] == 301


def test_trs_second_section_page_two_is_2(replica):
    _, _, body = fetch(replica, f"https://{TRS}/zwgk/zfxxgk/bmnb/bmnb_list.shtml")
    listed = len(replica.sites[TRS].columns["bmnb"].items)  # the 6th argument is the record count
    assert f"createPageHTML('page_div',2,1,'bmnb_list','shtml',{listed});" in body.decode("gbk") and listed > 10
    assert fetch(replica, f"https://{TRS}/zwgk/zfxxgk/bmnb/bmnb_list_2.shtml")[0] == 200
    assert fetch(replica, f"https://{TRS}/zwgk/zfxxgk/bmnb/bmnb_list_1.shtml")[0] == 404


def test_gbk_page_declared_gb2312_with_chan(replica):
    url = next(o["url"] for o in replica.catalog.obstacles if o["kind"] == "gbk_declared_gb2312")
    status, headers, body = fetch(replica, url)
    assert status == 200 and b"charset=gb2312" in body
    assert "瀍河回族区人民政府办公室" in body.decode("gb18030")
    with pytest.raises(UnicodeDecodeError):
        body.decode("gb2312")
    page = body.decode("gbk")
    assert '<div class="TRS_Editor">' in page and '<meta name="PubDate"' in page


# -- Pingtan -----------------------------------------------------------------------------------------------

def test_pingtan_real_pages_byte_for_byte(replica):
    corpus = SHARED / "corpus" / "pingtan"
    status, _, body = fetch(replica, f"https://{PT}/zwgk/zfxxgk/zfxxgknb/")
    assert status == 200 and body == (corpus / "list-index.html").read_bytes()
    for year in (2017, 2019, 2021, 2023):
        source = (corpus / str(year) / "source.html").read_bytes()
        url = re.search(rb'<meta name="Url" content="([^"]+)"', source).group(1).decode()
        assert fetch(replica, url)[2] == source
        assert replica.catalog.find(url).source == f"corpus:{year}"
    generated = [e for e in replica.catalog.reports if e.host == PT and e.source == "generated"]
    assert len(generated) == 16  # 6 on the list page, 10 more only through the list API
    page = text(fetch(replica, generated[0].url)[2])
    assert generated[0].title in page and "<div class=TRS_Editor>" in page and "平潭综合实验区党工委管委会" in page


# -- obstacles ----------------------------------------------------------------------------------------------

def test_challenge_412(replica):
    o = next(o for o in replica.catalog.obstacles if o["kind"] == "challenge_412")
    for url in [o["url"], o["reports"][0]]:
        status, headers, body = fetch(replica, url)
        assert status == 412 and b"$_ts" in body and b'r="m"' in body and len(body) < 2000
        assert headers["Set-Cookie"].startswith(f"{RS_COOKIE}S=")
    cookie = f"{RS_COOKIE}S={RS_S_VALUE}; {RS_COOKIE}T={solve_challenge(RS_S_VALUE)}"
    assert fetch(replica, o["reports"][0], Cookie=cookie)[0] == 200
    assert not replica.catalog.find(o["reports"][0]).reachable


def test_429_then_ok(replica):
    replica.reset()
    o = next(o for o in replica.catalog.obstacles if o["kind"] == "rate_429")
    for _ in range(2):
        status, headers, _ = fetch(replica, o["url"])
        assert status == 429 and headers["Retry-After"] == "1"
    assert fetch(replica, o["url"])[0] == 200


def test_503_burst_then_ok(replica):
    replica.reset()
    o = next(o for o in replica.catalog.obstacles if o["kind"] == "burst_503")
    assert [fetch(replica, o["url"])[0] for _ in range(3)] == [503] * 3
    assert fetch(replica, f"https://{XZ}/?page=2&p=D42Y&a=path")[0] == 200   # same view, other order


def test_slow_page(replica):
    o = next(o for o in replica.catalog.obstacles if o["kind"] == "slow")
    with pytest.raises((socket.timeout, TimeoutError, urllib.error.URLError)):
        fetch(replica, o["url"], timeout=0.5)
    t = time.time()
    assert fetch(replica, o["url"], timeout=5)[0] == 200 and time.time() - t >= 1.0


def test_connection_reset(replica):
    replica.reset()
    once = next(o for o in replica.catalog.obstacles if o["kind"] == "reset_once")
    always = next(o for o in replica.catalog.obstacles if o["kind"] == "reset_always")
    errors = (ConnectionError, http.client.IncompleteRead, urllib.error.URLError)
    with pytest.raises(errors):
        fetch(replica, once["url"])
    assert fetch(replica, once["url"])[0] == 200
    for _ in range(2):
        with pytest.raises(errors):
            fetch(replica, always["url"])


# -- list growth ----------------------------------------------------------------------------------------------

def test_add_report_shifts_pages():
    with Replica(port=0) as r:
        before1 = links(fetch(r, f"https://{ZZ}/?a=path&p=D42Y&page=1")[2], r'<a href="(https://[^"]+)"')
        before2 = links(fetch(r, f"https://{ZZ}/?a=path&p=D42Y&page=2")[2], r'<a href="(https://[^"]+)"')
        entry = r.add_report(ZZ, "D42Y")
        after1 = links(fetch(r, f"https://{ZZ}/?a=path&p=D42Y&page=1")[2], r'<a href="(https://[^"]+)"')
        after2 = links(fetch(r, f"https://{ZZ}/?a=path&p=D42Y&page=2")[2], r'<a href="(https://[^"]+)"')
        assert after1[0] == entry.url and after1[1:] == before1[:-1] and after2[0] == before1[-1]
        assert after2[1:] == before2[:-1]
        assert entry.added and r.catalog.find(entry.url) is entry and fetch(r, entry.url)[0] == 200
        status, _, body = fetch(r, f"http://replica.local/add?host={HANWEB}")
        added = json.loads(body)
        assert status == 200 and added["added"]
        _, _, body = fetch(r, f"https://{HANWEB}/col/col14251/index.html")
        assert records(body)[0] == urlsplit(added["url"]).path
        new = r.add_report(TRS)
        _, _, body = fetch(r, f"https://{TRS}/zwgk/zfxxgk/zfxxgknb/")
        assert urlsplit(new.url).path.rsplit("/", 2)[-1] in body.decode("gbk").split("<li>")[1]


def test_each_attachment_format(replica):
    from replica.sites.common import doc_supported
    magic = {"pdf": b"%PDF", "image-pdf": b"%PDF", "docx": b"PK\x03\x04", "doc": b"\xd0\xcf\x11\xe0"}
    formats = {"pdf", "docx", "image-pdf"} | ({"doc"} if doc_supported() else set())
    for fmt in sorted(formats):
        e = next(x for x in replica.catalog.reports if x.format == fmt)
        assert "html" not in e.formats and len(e.attachments) == 1
        assert "详见附件" in text(fetch(replica, e.url)[2])
        status, headers, body = fetch(replica, e.attachment_files[0])
        assert status == 200 and body.startswith(magic[fmt]), fmt
        if fmt == "image-pdf":
            import io
            import pdfplumber
            with pdfplumber.open(io.BytesIO(body)) as pdf:
                assert not "".join(p.extract_text() or "" for p in pdf.pages).strip()
            assert e.needs_ocr and e.truth is None


def test_without_libreoffice_the_doc_report_is_served_as_docx(monkeypatch):
    """LibreOffice is optional: without soffice on the PATH the replica still serves every report, the one
    it would publish as .doc as a .docx instead (the catalog says so)."""
    monkeypatch.setenv("PATH", "/nonexistent")
    with Replica(port=0) as r:
        assert not any("doc" in e.formats for e in r.catalog.reports)
        e = next(e for e in r.catalog.reports if e.agency == "郑州市生态环境局" and e.year == 2022)
        assert e.formats == ["docx"] and e.attachment_files[0].endswith(".docx")
        status, headers, body = fetch(r, e.attachment_files[0])
        assert status == 200 and body.startswith(b"PK\x03\x04")
