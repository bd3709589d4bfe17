"""The chart pages (datasette-dashboards, configured by db/charts.py) over a real Datasette and the sample
database: each chart's query answers as the plugin's script asks it, and everything the page loads is
served by the site itself (the demo may run offline). The drawing is checked in Chromium
(tests/test_browser.py)."""
import html
import re
from urllib.parse import urljoin

import pytest

from db.charts import dashboards
from tests.serving import get, get_json, sample_site

from .conftest import SHARED


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with sample_site(SHARED, tmp_path_factory.mktemp("charts")) as base:
        yield base


def _chart_rows(base, chart, **filters):
    # as dashboards.js fetches it: the database's JSON with sql= and the page's filters
    return get_json(base, f"/{chart['db']}.json", sql=chart["query"], _shape="objects", **filters)["rows"]


def test_every_chart_has_rows_without_a_filter(site):
    for slug, dashboard in dashboards("nianbao").items():
        for name, chart in dashboard["charts"].items():
            params = {k: "" for k in re.findall(r":(\w+)", chart["query"])}
            assert _chart_rows(site, chart, **params), (slug, name)
            assert " · " in chart["title"] and re.search("[a-z]", chart["title"])  # Chinese and English


def test_chart_figures(site):
    charts = {slug: d["charts"] for slug, d in dashboards("nianbao").items()}
    trend = _chart_rows(site, charts["national-trend"]["requests"])
    assert {"year": 2022, "measure": "新收 received", "value": 3325} in trend
    history = _chart_rows(site, charts["agency"]["requests"], agency="郑州市人民政府")
    assert history == [{"year": 2022, "new_received": 3325}]
    default = _chart_rows(site, charts["agency"]["requests"], agency="")
    assert [r["year"] for r in default] == [2017, 2019, 2021, 2023]  # the agency with the most years: 平潭
    by_region = {r["region"]: r["refused_share"] for r in _chart_rows(site, charts["refusals"]["by-region"], year="2022")}
    assert by_region == {"河南省": pytest.approx(279 / 3366)}
    by_level = {r["level"]: r["refused_share"] for r in _chart_rows(site, charts["refusals"]["by-level"], year="")}
    assert set(by_level) >= {"district", "department"}  # 2023: the year most agencies reported


@pytest.mark.parametrize("slug", list(dashboards("nianbao")))
def test_chart_pages_load_nothing_from_outside(site, slug):
    status, _h, body = get(site, f"/-/dashboards/{slug}")
    page = body.decode("utf-8")
    assert status == 200 and dashboards("nianbao")[slug]["title"] in html.unescape(page)
    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', page)
    assert any(s.endswith("vega.min.js") for s in sources)
    for src in sources:
        url = urljoin(site + "/", src)
        assert url.startswith(site), src
        assert get(site, url[len(site):])[0] == 200, src


def test_home_page_links_the_charts(site):
    page = get(site, "/")[2].decode("utf-8") + get(site, "/nianbao")[2].decode("utf-8")
    for slug in dashboards("nianbao"):
        assert f'href="/-/dashboards/{slug}"' in page
