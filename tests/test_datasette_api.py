"""The published site, through a real Datasette server and its JSON API."""
import codecs
import json
import sqlite3
from dataclasses import replace

import pytest

from db.queries import QUERIES
from pipelines.records import CrawledDocument
from tests.serving import get, get_json, sample_site

from .conftest import SHARED


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("site")
    with sample_site(SHARED, tmp) as base:
        yield base, tmp


def _rows(base, path, **params):
    return get_json(base, path, _shape="array", **params)


def test_known_report_values(site):
    base, _ = site
    reports = _rows(base, "/nianbao/reports.json", agency="郑州市人民政府", year=2022)
    assert len(reports) == 1 and reports[0]["template"] == "2021" and reports[0]["checks_failed"] == 0
    rid = reports[0]["id"]
    cell = _rows(base, "/nianbao/report_values.json", report_id=rid, section="applications",
                 item="new_received", measure="total")
    assert cell[0]["value"] == 3325 and cell[0]["raw"] == "3325"
    wide = _rows(base, "/nianbao/applications_wide.json", report_id=rid, item="new_received")
    assert wide[0]["total"] == 3325 and wide[0]["natural_person"] == 3126
    assert wide[0]["label_zh"] == "一、本年新收政府信息公开申请数量"
    review = _rows(base, "/nianbao/review_litigation_wide.json", report_id=rid, item="review")
    assert review[0]["total"] == 146


def test_facets(site):
    base, _ = site
    assert set(get_json(base, "/nianbao/reports.json")["facet_results"]) == {"year", "level", "region"}
    facets = get_json(base, "/nianbao/reports.json?_facet=template&_facet=agency")["facet_results"]
    assert set(facets) == {"year", "level", "region", "template", "agency"}
    years = {f["value"]: f["count"] for f in facets["year"]["results"]}
    assert years[2023] == 4 and years[2022] == 1
    templates = {f["value"]: f["count"] for f in facets["template"]["results"]}
    assert templates == {"2021": 6, "2019": 2, "free": 1}
    levels = {f["value"] for f in facets["level"]["results"]}
    assert {"city", "township", "department", "district"} <= levels


@pytest.mark.parametrize("query,expected", [
    ("郑州", {"郑州市人民政府"}),
    ("新郑市", {"新郑市人民政府办公室", "新郑市城关乡人民政府"}),
    ("不予公开", {"郑州市人民政府", "新郑市人民政府办公室", "平潭综合实验区管理委员会"}),
])
def test_search_through_the_table_and_the_canned_query(site, query, expected):
    base, _ = site
    table = {r["agency"] for r in _rows(base, "/nianbao/reports.json", _search=query)}
    canned = {r["agency"] for r in _rows(base, "/nianbao/search.json", q=query)}
    assert expected <= table and table == canned
    if query == "新郑市":
        assert "郑州市人民政府" not in table and "新乡县城市管理局" not in table


def test_search_box_is_shown_for_short_terms(site):
    base, _ = site
    status, _h, body = get(base, "/nianbao/reports", _search="郑州")
    page = body.decode()
    assert status == 200 and 'name="_search"' in page and 'value="郑州"' in page and "郑州市人民政府" in page


def test_every_canned_query_runs(site):
    base, _ = site
    params = {"top_agencies": {"year": ""}, "refused_share": {"year": ""},
              "year_over_year": {"year": "2023", "agency": ""}, "national_trend": {},
              "failing_reports": {"year": ""}, "missing_reports": {"year": "2023"},
              "agency_history": {"agency": "平潭综合实验区管理委员会"}, "search": {"q": "郑州"},
              "agencies_in": {"place": "郑州市"}, "unplaced_agencies": {},
              "peers": {"report_id": "", "agency": "平潭综合实验区管理委员会", "year": "2023"},
              "new_reports": {"region": "", "level": "", "agency": ""},
              "incomplete_sources": {}}
    assert set(params) == set(QUERIES)
    results = {name: _rows(base, f"/nianbao/{name}.json", **p) for name, p in params.items()}
    assert results["top_agencies"][0]["agency"] == "郑州市人民政府"
    assert results["top_agencies"][0]["new_received"] == 3325
    zz = next(r for r in results["refused_share"] if r["agency"] == "郑州市人民政府")
    assert zz["refused"] == 211 + 68 and zz["refused_share"] == round(279 / 3366, 4)
    assert results["year_over_year"] == []  # no agency of the sample has both 2022 and 2023 (see test_db_queries)
    assert [r["year"] for r in results["national_trend"]] == [2017, 2019, 2020, 2021, 2022, 2023]
    assert results["failing_reports"] == []  # the sample's reports all add up
    assert [r["agency"] for r in results["missing_reports"]] == ["郑州市人民政府"]
    assert [r["year"] for r in results["agency_history"]] == [2017, 2019, 2021, 2023]
    assert {r["agency"] for r in results["search"]} >= {"郑州市人民政府"}
    # every body beneath 郑州市, at every level; 新乡县 (新乡市) and 瀍河 (洛阳市) are elsewhere
    assert {r["agency"] for r in results["agencies_in"]} == {"郑州市人民政府", "新郑市人民政府办公室", "新郑市城关乡人民政府"}
    assert results["unplaced_agencies"] == []
    assert [(r["agency"], r["new_received"]) for r in results["peers"]] == [("平潭综合实验区管理委员会", 81)]
    assert {r["agency"] for r in results["new_reports"]} >= {"郑州市人民政府", "平潭综合实验区管理委员会"}
    top_2023 = _rows(base, "/nianbao/top_agencies.json", year="2023")
    assert top_2023[0]["agency"] == "平潭综合实验区管理委员会" and top_2023[0]["new_received"] == 81


def test_failing_reports_lists_a_report_that_does_not_add_up(tmp_path):
    from tests.sample import RUN, SOURCES, archive, documents
    from db.build import build
    docs = archive(tmp_path / "a", documents(SHARED))
    doc = docs[1]  # 郑州 2022: change one cell so A3 (row = sum of columns) fails
    broken = replace(doc, body=doc.body.replace(b"\t3126\n", b"\t3127\n", 1), sha256=None)
    assert broken.body != doc.body
    build(tmp_path / "a", tmp_path / "x.db", [broken], sources=SOURCES, runs=[RUN])
    conn = sqlite3.connect(tmp_path / "x.db")
    rows = conn.execute(QUERIES["failing_reports"]["sql"], {"year": ""}).fetchall()
    assert len(rows) == 1 and "A3" in rows[0][6]


def test_archived_original_is_sanitized(site):
    base, _ = site
    pingtan = _rows(base, "/nianbao/reports.json", agency="平潭综合实验区管理委员会", year=2021)[0]
    status, headers, body = get(base, pingtan["archived_original"])
    page = body.decode()
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    csp = headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "sandbox" in csp and "script-src" not in csp
    assert "<script" not in page.lower() and "javascript:" not in page.lower()
    assert " onclick=" not in page.lower() and " onload=" not in page.lower()
    assert "<iframe" not in page.lower()
    assert "存档原件" in page and "2021年度政府信息公开工作年度报告" in page
    # the original archived page did have scripts
    sha = pingtan["sha256"]
    raw = (site[1] / "archive" / "blobs" / sha[:2] / sha).read_bytes()
    assert b"<script" in raw.lower()


def test_each_value_links_to_its_cell_in_the_original(site):
    import lxml.html
    base, _ = site
    rid = _rows(base, "/nianbao/reports.json", agency="平潭综合实验区管理委员会", year=2021)[0]["id"]
    cell = _rows(base, "/nianbao/report_values.json", report_id=rid, section="applications",
                 item="new_received", measure="total")[0]
    status, _h, body = get(base, f"/-/original/report/{rid}", loc=cell["loc"])
    marked = lxml.html.fromstring(body).get_element_by_id("nb-cell")
    assert marked.text_content().strip() == cell["raw"]
    # and the values page renders that loc as the link
    status, _h, page = get(base, "/nianbao/report_values", report_id=rid, item="new_received", measure="total")
    assert f'/-/original/report/{rid}?loc=' in page.decode()


def test_text_original_highlights_the_line(site):
    base, _ = site
    rid = _rows(base, "/nianbao/reports.json", agency="郑州市人民政府")[0]["id"]
    cell = _rows(base, "/nianbao/report_values.json", report_id=rid, section="applications",
                 item="new_received", measure="total")[0]
    _s, _h, body = get(base, f"/-/original/report/{rid}", loc=cell["loc"])
    import lxml.html
    assert lxml.html.fromstring(body).get_element_by_id("nb-cell").text_content().strip() == "3325"


def test_unknown_original_is_404(site):
    base, _ = site
    assert get(base, "/-/original/" + "0" * 64)[0] == 404


def test_csv_has_a_bom(site):
    base, _ = site
    status, headers, body = get(base, "/nianbao/reports.csv", _size="3")
    assert status == 200 and body[:3] == codecs.BOM_UTF8
    assert "郑州" in body.decode("utf-8-sig") or "平潭" in body.decode("utf-8-sig")
    _s, _h, query_csv = get(base, "/nianbao/top_agencies.csv", year="", _dl="1")
    assert query_csv.startswith(codecs.BOM_UTF8) and "agency" in query_csv.decode("utf-8-sig")
    _s, _h, plain = get(base, "/nianbao/reports.csv", _size="3", _bom="0")
    assert plain.startswith(b"id,")


def test_whole_database_download(site):
    base, tmp = site
    status, headers, body = get(base, "/nianbao.db")
    assert status == 200 and body[:16] == b"SQLite format 3\x00"
    assert body == (tmp / "nianbao.db").read_bytes()


def test_read_only_and_robots(site):
    base, _ = site
    status, _h, body = get(base, "/nianbao.json", sql="delete from reports")
    assert status in (400, 403) or b"error" in body
    assert _rows(base, "/nianbao/reports.json", _size="1")  # still there
    _s, _h, robots = get(base, "/robots.txt")
    assert b"Disallow: /nianbao" in robots


def test_metadata_describes_every_column_in_both_languages(site):
    base, _ = site
    meta = get_json(base, "/-/metadata.json")
    tables = meta["databases"]["nianbao"]["tables"]
    conn = sqlite3.connect(site[1] / "nianbao.db")
    names = [r[0] for r in conn.execute("select name from sqlite_master where type in ('table', 'view') "
                                        "and name not like 'reports_fts%' and name not like 'reports_bigrams%' "
                                        "and name not like 'sqlite_%'")]
    for name in names:
        described = tables[name]["columns"]
        for (col,) in conn.execute(f"select name from pragma_table_info('{name}')"):
            assert " · " in described.get(col, ""), (name, col)
    assert "Apache-2.0" in meta["license"] and "政府" in meta["title"]


def test_health_and_runs_are_published(site):
    base, _ = site
    health = {r["source_id"]: r for r in _rows(base, "/nianbao/source_health.json")}
    assert health["henan-zhengzhou"]["status"] == "missing_reports"
    assert json.loads(health["henan-zhengzhou"]["missing_agencies"]) == ["郑州市人民政府"]
    runs = _rows(base, "/nianbao/crawl_run_sources.json")
    assert {r["source_id"]: r["failures"] for r in runs} == {"henan-zhengzhou": 0, "fujian-pingtan": 1}


def test_pdf_and_failed_parses_are_kept_and_served_as_downloads(tmp_path):
    import hashlib
    from db.build import build
    from tests.sample import SOURCES, archive
    from tests.serving import serving
    body = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n<script>alert(1)</script>"
    sha = hashlib.sha256(body).hexdigest()
    url = "https://public.zhengzhou.gov.cn/nb/2023.pdf"
    doc = CrawledDocument(source_id="henan-zhengzhou", url=url, page_url="https://public.zhengzhou.gov.cn/nb/2023.html",
                          list_title="某某局2023年政府信息公开工作年度报告", sha256=sha, content_type="application/pdf",
                          fetched_at="2026-11-20T02:05:00+00:00", http_status=200, body=body)
    docs = archive(tmp_path / "archive", [doc])
    build(tmp_path / "archive", tmp_path / "nianbao.db", docs, sources=SOURCES)
    with serving(tmp_path / "nianbao.db", tmp_path / "archive") as base:
        row = _rows(base, "/nianbao/reports.json")[0]
        assert row["parse_status"] != "ok" and row["year"] == 2023 and row["format"] == "pdf"
        status, headers, served = get(base, row["archived_original"])
        assert status == 200 and served == body
        assert headers["Content-Disposition"].startswith("attachment;")
        assert headers["Content-Type"] == "application/octet-stream"
        assert "sandbox" in headers["Content-Security-Policy"]


def test_a_term_in_most_reports_is_counted_over_its_newest_matches(site):
    from tests.serving import serving
    _base, tmp = site
    with serving(tmp / "nianbao.db", tmp / "archive", search_cap=3) as base:
        everywhere = get_json(base, "/nianbao/reports.json", _search="不予公开")
        assert everywhere["filtered_table_rows_count"] == 3
        assert any("newest 3" in d for d in [everywhere["human_description_en"]])
        # with a rarer term beside it, the common one is tested row by row: the full answer
        both = _rows(base, "/nianbao/reports.json", _search="郑州 不予公开")
        short = _rows(base, "/nianbao/reports.json", _search="郑州")
        assert {r["agency"] for r in both} == {r["agency"] for r in short} >= {"郑州市人民政府"}


def test_wide_view_pages(site):
    base, _ = site
    unfiltered = get_json(base, "/nianbao/applications_wide.json")
    assert unfiltered["filtered_table_rows_count"] is None and len(unfiltered["rows"]) > 0
    filtered = get_json(base, "/nianbao/applications_wide.json", agency="郑州市人民政府")
    assert filtered["filtered_table_rows_count"] == 25
    status, _h, page = get(base, "/nianbao/proactive_wide")
    assert status == 200 and "存档原件" in page.decode()


def test_table_counts_come_from_the_inspect_file(site):
    base, tmp = site
    counts = json.loads((tmp / "nianbao-inspect.json").read_text())["nianbao"]["tables"]
    conn = sqlite3.connect(tmp / "nianbao.db")
    assert counts["report_values"]["count"] == conn.execute("select count(*) from report_values").fetchone()[0]
    assert get_json(base, "/nianbao/report_values.json", _size="1")["filtered_table_rows_count"] == \
        counts["report_values"]["count"]
