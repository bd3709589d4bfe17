"""The whole product on the replica: crawl it, rebuild the database from the archive alone, serve it
with Datasette, and check through the JSON API what a journalist would look at."""
import codecs
import subprocess
from collections import Counter

import lxml.html
import pytest

from db.queries import QUERIES
from tests.serving import get, get_json, served
from tests.crawl_harness import NIANBAO, ROOT, crawl
from replica.server import Replica

SOURCES = ["zhengzhou-public", "xinzheng-public", "chanhe", "pingtan"]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("publish")
    with Replica(port=0, slow_delay=5.0) as replica:
        replica.warm()
        run = crawl(replica, tmp, sources=SOURCES)
        catalog = replica.catalog
    build = subprocess.run([str(NIANBAO), "build", "--data", str(tmp)], capture_output=True, text=True, cwd=ROOT)
    assert build.returncode == 0, build.stderr[-2000:]
    with served(tmp / "nianbao.db", tmp / "archive", tmp) as base:
        yield base, catalog, run


def rows(base, path, **params):
    return get_json(base, path, _shape="array", **params)


def test_a_known_report_has_its_values(site):
    base, catalog, _ = site
    report = rows(base, "/nianbao/reports.json", agency="郑州市人民政府", year=2022, format="html")[0]
    values = {(v["item"], v["measure"]): v["value"] for v in rows(
        base, "/nianbao/report_values.json", report_id=report["id"], section="applications", _size="max")}
    assert values[("new_received", "total")] == 3325
    assert values[("results_total", "natural_person")] == 3179
    assert report["checks_failed"] == 0 and report["parse_status"] == "ok"


def test_every_crawled_report_is_in_the_database_with_its_truth(site):
    base, catalog, run = site
    reports = rows(base, "/nianbao/reports.json", _size="max")
    assert len(reports) == len(run.items)
    by_url = {r["url"]: r for r in reports}
    for item in run.items[:40]:
        entry = catalog.find(item["record"]["page_url"]) or catalog.find(item["record"]["url"])
        got = by_url[item["record"]["url"]]
        if entry.truth:
            assert (got["agency"], got["year"], got["template"]) == (
                entry.truth["meta"]["agency"], entry.truth["meta"]["year"], entry.truth["meta"]["template"])


def test_facets_count_what_was_crawled(site):
    base, _, run = site
    assert set(get_json(base, "/nianbao/reports.json")["facet_results"]) >= {"year", "level", "region"}
    facets = get_json(base, "/nianbao/reports.json?_facet=template")["facet_results"]
    agencies = get_json(base, "/nianbao/reports.json?_facet=agency")["facet_results"]["agency"]["results"]
    crawled_agencies = {i["result"].get("agency") for i in run.items if "error" not in i["result"]}
    assert agencies and {f["value"] for f in agencies} <= crawled_agencies  # asked for, the facet is there
    templates = {f["value"]: f["count"] for f in facets["template"]["results"]}
    crawled = Counter(i["result"].get("template") for i in run.items if "error" not in i["result"])
    assert all(templates[t] == n for t, n in crawled.items())
    years = {f["value"] for f in facets["year"]["results"]}
    assert {2019, 2020, 2021, 2022, 2023} <= years


def test_each_canned_query_answers(site):
    base, _, _ = site
    params = {"top_agencies": {"year": "2022"}, "refused_share": {"year": "", "agency": ""},
              "year_over_year": {"year": "2023", "agency": ""}, "national_trend": {},
              "failing_reports": {"year": ""}, "missing_reports": {"year": "2023"},
              "agency_history": {"agency": "郑州市人民政府"}, "search": {"q": "郑州"},
              "agencies_in": {"place": "郑州市"}, "unplaced_agencies": {},
              "peers": {"report_id": "", "agency": "郑州市人民政府", "year": "2022"},
              "new_reports": {"region": "河南省郑州市", "level": "", "agency": ""}, "incomplete_sources": {}}
    assert set(params) == set(QUERIES)
    results = {name: rows(base, f"/nianbao/{name}.json", **p) for name, p in params.items()}
    beneath = {r["agency"]: r for r in results["agencies_in"]}
    assert {"郑州市人民政府", "新郑市人民政府办公室", "新郑市城关乡人民政府"} <= set(beneath)
    assert all(r["city_name"] == "郑州市" for r in beneath.values())
    assert not any("瀍河" in name or "新乡县" in name for name in beneath)
    assert any(r["agency"] == "郑州市人民政府" and r["new_received"] == 3325 for r in results["peers"])
    assert results["incomplete_sources"] == []  # every column found what it declares (Pingtan's 20 included)
    assert results["new_reports"] and all(r["region"].startswith("河南省郑州市") for r in results["new_reports"])
    top = results["top_agencies"]
    assert top and top[0]["new_received"] == max(r["new_received"] for r in top)
    assert any(r["agency"] == "郑州市人民政府" and r["new_received"] == 3325 for r in top)
    assert [r["year"] for r in results["agency_history"]] == sorted(r["year"] for r in results["agency_history"])
    assert 2022 in [r["year"] for r in results["agency_history"]]
    assert results["year_over_year"], "agencies with reports in consecutive years"
    # the replica serves one report that does not add up (郑州市交通运输局 2021): flagged, values kept
    assert any(r["agency"] == "郑州市交通运输局" for r in results["failing_reports"])


@pytest.mark.parametrize("term,agency", [("郑州", "郑州市人民政府"), ("新郑市", "新郑市人民政府"),
                                         ("不予公开", None)])
def test_chinese_search(site, term, agency):
    base, _, _ = site
    found = rows(base, "/nianbao/search.json", q=term)
    assert found
    if agency:
        assert any(r["agency"].startswith(agency) for r in found)
    if term == "新郑市":
        assert all("新郑" in (r["agency"] + r["title"]) for r in found)


def test_a_value_leads_to_its_archived_original(site):
    base, _, _ = site
    report = rows(base, "/nianbao/reports.json", agency="瀍河回族区人民政府办公室", year=2023, format="html")[0]
    cell = rows(base, "/nianbao/report_values.json", report_id=report["id"], section="applications",
                item="new_received", measure="total")[0]
    status, headers, body = get(base, f"/-/original/report/{report['id']}", loc=cell["loc"])
    assert status == 200 and "default-src 'none'" in headers["Content-Security-Policy"]
    page = body.decode("utf-8")
    assert "<script" not in page.lower() and "瀍河" in page  # GBK declared gb2312, decoded right
    assert lxml.html.fromstring(body).get_element_by_id("nb-cell").text_content().strip() == cell["raw"] == "51"


def test_csv_for_excel_has_a_bom(site):
    base, _, _ = site
    status, _h, body = get(base, "/nianbao/reports.csv", _size="5")
    assert status == 200 and body.startswith(codecs.BOM_UTF8)


def test_crawl_runs_and_source_health_are_published(site):
    base, _, _ = site
    runs = rows(base, "/nianbao/crawl_runs.json")
    assert runs and runs[0]["new"] > 100
    health = {h["source_id"]: h for h in rows(base, "/nianbao/source_health.json")}
    assert set(SOURCES) <= set(health)
