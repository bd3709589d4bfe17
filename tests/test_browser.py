"""What a journalist does, in a real browser: Debian's chromium driven by Playwright.

Opens the site, searches 郑州, opens the report, follows a value to its archived original (checking no
scraped script runs there), downloads CSV, and saves screenshots to a temporary directory (their paths
are printed; NIANBAO_SCREENSHOTS=dir keeps them somewhere else).
"""
import codecs
import os
import shutil
from pathlib import Path

import pytest

from tests.serving import sample_site

from .conftest import SHARED

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(),
    reason="Debian's chromium is not installed: `apt-get install -y chromium` (see the Makefile's browser target)")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("browser")
    with sample_site(SHARED, tmp) as base:
        yield base


@pytest.fixture
def page():
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.set_default_timeout(20000)
        yield page
        context.close()
        browser.close()


def _shots_dir(tmp_path):
    d = Path(os.environ.get("NIANBAO_SCREENSHOTS") or tmp_path)
    d.mkdir(parents=True, exist_ok=True)
    return d


def test_journalist_path(site, page, tmp_path):
    shots = _shots_dir(tmp_path)
    console_errors = []
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)

    # 1. the home page says what this is, in both languages
    page.goto(site + "/")
    assert "政府信息公开工作年度报告" in page.title() or "政府信息公开" in page.content()

    # 2. search 郑州 (two characters: the bigram index) from the reports table's search box
    page.goto(site + "/nianbao/reports")
    page.fill("input[name=_search]", "郑州")
    page.press("input[name=_search]", "Enter")
    page.wait_for_url("**_search=*")
    table = page.locator("table.rows-and-columns")
    assert "郑州市人民政府" in table.inner_text()
    page.screenshot(path=str(shots / "1-search.png"), full_page=False)

    # 3. open the report (its row page) and its values
    page.locator("table.rows-and-columns tr", has_text="郑州市人民政府2022").locator("td.col-id a").first.click()
    page.wait_for_url("**/nianbao/reports/*")
    assert "郑州市人民政府2022年政府信息公开工作年度报告" in page.content()
    page.screenshot(path=str(shots / "2-report.png"), full_page=False)
    page.click("a[href*='/nianbao/report_values?report_id=']")
    page.wait_for_url("**/nianbao/report_values?report_id=*")

    # 4. follow the value 3325 (applications / new_received / total) to the archived original
    page.goto(page.url + "&item=new_received&measure=total")
    link = page.locator("td.col-loc a").first
    with page.expect_navigation():
        link.click()
    assert "/-/original/report/" in page.url
    marked = page.locator("#nb-cell")
    assert marked.inner_text().strip() == "3325"
    assert "存档原件" in page.locator("body").inner_text()
    assert page.locator("script").count() == 0
    page.screenshot(path=str(shots / "3-original.png"), full_page=False)

    # 5. download the search results as CSV, with the BOM Excel needs
    page.goto(site + "/nianbao/reports?_search=%E9%83%91%E5%B7%9E")
    page.check("#export input[name=_dl]")
    with page.expect_download() as info:
        page.click("#export form[action$='.csv'] [type=submit]")
    path = info.value.path()
    data = Path(path).read_bytes()
    assert data.startswith(codecs.BOM_UTF8) and "郑州市人民政府" in data.decode("utf-8-sig")
    shutil.copy(path, shots / "reports.csv")
    print("screenshots:", shots)
    assert not [e for e in console_errors if "Content Security Policy" not in e]


def test_journalist_reads_a_report_and_a_chart(site, page, tmp_path):
    """search 郑州 -> the report page -> a number -> its cell highlighted in the original -> back; the
    trend page draws its charts without a click."""
    shots = _shots_dir(tmp_path)
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(site + "/nianbao/reports")
    page.fill("input[name=_search]", "郑州")
    page.press("input[name=_search]", "Enter")
    page.wait_for_url("**_search=*")
    # the title links to the report page
    page.locator("table.rows-and-columns td.col-title a.nb-report", has_text="郑州市人民政府2022").first.click()
    page.wait_for_url("**/report/*")
    report_url = page.url
    assert page.locator("h1").inner_text() == "郑州市人民政府2022年政府信息公开工作年度报告"
    # 3325 where the report prints it: section 三, row 一 (new applications), column 总计
    cell = page.locator("table[data-section=applications] td[data-item=new_received][data-measure=total]")
    assert cell.locator("a.nb-value").inner_text() == "3325"
    row = page.locator("table[data-section=applications] tbody tr",
                       has=page.locator("td[data-item=new_received][data-measure=total]"))
    assert row.locator("th").inner_text().startswith("一、本年新收政府信息公开申请数量")
    header = page.locator("table[data-section=applications] thead tr").first.locator("th").last
    assert header.inner_text() == "总计"
    page.screenshot(path=str(shots / "5-report-page.png"), full_page=True)
    with page.expect_navigation():
        cell.locator("a.nb-value").click()
    assert "/-/original/report/" in page.url
    assert page.locator("#nb-cell").inner_text().strip() == "3325"
    assert page.locator("script").count() == 0
    page.go_back()
    page.wait_for_url(report_url)
    assert page.locator("h1").inner_text().startswith("郑州市人民政府2022")

    # the national trend: drawn at once (vega renders SVG or canvas), no click
    page.goto(site + "/-/dashboards/national-trend")
    drawn = page.locator(".vega-embed svg.marks, .vega-embed canvas").first
    drawn.wait_for(state="visible")
    box = drawn.bounding_box()
    assert box["width"] > 100 and box["height"] > 100
    if drawn.evaluate("e => e.tagName.toLowerCase()") == "svg":
        assert page.locator(".vega-embed svg.marks path, .vega-embed svg.marks line").count() > 0
    else:
        # canvas: something other than the background was painted
        assert drawn.evaluate("""c => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                                 for (let i = 0; i < d.length; i += 4) if (d[i + 3] && (d[i] < 200 || d[i + 1] < 200)) return true;
                                 return false; }""")
    page.screenshot(path=str(shots / "6-trend-chart.png"), full_page=True)
    assert not [e for e in errors if "Content Security Policy" not in e], errors


def test_archived_html_runs_no_script(site, page, tmp_path):
    """A scraped page with scripts: shown, but nothing of it runs and nothing is fetched from outside."""
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(site + "/nianbao/reports?agency=%E5%B9%B3%E6%BD%AD%E7%BB%BC%E5%90%88%E5%AE%9E%E9%AA%8C%E5%8C%BA"
                     "%E7%AE%A1%E7%90%86%E5%A7%94%E5%91%98%E4%BC%9A&year=2023")
    page.click("td.col-archived_original a")
    page.wait_for_url("**/-/original/*")
    assert "2023" in page.locator("body").inner_text()
    assert page.locator("script").count() == 0
    outside = [u for u in requests if not u.startswith(site) and not u.startswith("data:")]
    assert outside == []
    page.screenshot(path=str(_shots_dir(tmp_path) / "4-original-html.png"), full_page=False)
