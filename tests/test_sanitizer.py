"""The sanitizer of archived originals on its own, the Content-Security-Policy taken away: the known
vectors (tests/files/xss_vectors.txt) run no script in Chromium, and the highlighted cell still shows."""
import hashlib
from pathlib import Path

import lxml.html
import pytest

from db.originals import sanitized_html
from pipelines.records import CrawledDocument

from .conftest import ROOT

VECTORS = [line for line in (ROOT / "tests" / "files" / "xss_vectors.txt").read_text(encoding="utf-8").splitlines()
           if line.strip() and not line.startswith("#")]
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]
REPORT = {"url": "https://www.pingtan.gov.cn/zwgk/nb.html", "fetched_at": "2026-11-20", "sha256": "0" * 64}
# what a page of scraped markup shows: a report table, the vector inside a cell and after it
# (after the highlighted cell: an unclosed vector swallows what follows it, as it would in a browser)
PAGE = ("<html><head><title>年报</title></head><body><table><tr><td>项目</td><td>本年新收</td></tr>"
        "<tr><td>自然人</td><td>5</td></tr><tr><td>合计</td><td>12</td></tr><tr><td>说明</td><td>{vector}</td></tr>"
        "</table>{vector}</body></html>")
HIGHLIGHT = {"table": 0, "row": 2, "col": 1}  # the cell holding 12


def page_for(vector):
    return sanitized_html(PAGE.format(vector=vector).encode(), REPORT, HIGHLIGHT, "/back")


def test_vector_list_is_there():
    assert len(VECTORS) >= 80
    for known in ("<svg><style><img", "<math>", "<animate", "<set attributeName=onmouseover"):
        assert any(known in v for v in VECTORS), known


@pytest.mark.parametrize("vector", VECTORS)
def test_sanitized_markup_has_nothing_that_runs(vector):
    """Structurally: no script element, no handler attribute, no foreign (svg/math) content, no URL
    but http(s), mailto or relative; the highlighted cell kept."""
    page = page_for(vector)
    root = lxml.html.document_fromstring(page)
    tags = {el.tag for el in root.iter() if isinstance(el.tag, str)}
    assert not tags & {"script", "svg", "math", "iframe", "object", "embed", "style", "base", "link", "form",
                       "input", "template", "frameset", "animate", "set", "noscript", "textarea"}, vector
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        for name, value in el.attrib.items():
            assert not name.lower().startswith("on"), (vector, name)
            if name in ("href", "src", "action", "formaction", "background", "data", "xlink:href"):
                assert value == "/back" or value.split(":", 1)[0].lower() in ("http", "https", "mailto"), (
                    vector, name, value)  # /back: the banner's own link
            if name == "style":
                assert "url(" not in value and "expression" not in value, (vector, value)
    [meta] = root.xpath("//meta")
    assert meta.get("charset") == "utf-8"
    assert root.get_element_by_id("nb-cell").text_content() == "12"


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed: `apt-get install -y chromium` (the Makefile's browser target)")
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield browser
        browser.close()


# every way a script could say it ran: the dialogs, and a probe the vectors' alert(1) would call
PROBE = """
window.__ran = 0;
for (const name of ['alert', 'confirm', 'prompt', 'print']) { window[name] = () => { window.__ran += 1; }; }
"""
# give every handler its chance: the events a reader would cause, sent to every element
PROVOKE = """() => {
  for (const el of document.querySelectorAll('*')) {
    for (const type of ['mouseover', 'mouseenter', 'pointerenter', 'focus', 'click', 'dragstart', 'toggle',
                        'animationstart', 'load', 'error', 'pageshow', 'begin']) {
      if (type === 'click' && el.closest('a')) continue;  // leaving the page ends the count
      el.dispatchEvent(new Event(type, {bubbles: true}));
    }
  }
  return window.__ran;
}"""


def scripts_run(browser, pages):
    """How many script runs each page (HTML text) causes in Chromium, served with no CSP at all."""
    context = browser.new_context()
    context.add_init_script(PROBE)
    page = context.new_page()
    page.set_default_timeout(5000)
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    served = {f"http://sanitizer.test/{n}": html for n, html in enumerate(pages)}
    # no CSP header; any other request (a vector's outside URL) gets an empty answer
    context.route("**/*", lambda route, request: route.fulfill(
        status=200, content_type="text/html; charset=utf-8", body=served.get(request.url, "")))
    counts = []
    for n in range(len(pages)):
        before = len(dialogs)
        page.goto(f"http://sanitizer.test/{n}", wait_until="load")
        page.wait_for_timeout(150)  # animations and timers that begin at once
        page.evaluate(PROVOKE)
        page.wait_for_timeout(50)
        counts.append(page.evaluate("window.__ran") + len(dialogs) - before)
    context.close()
    return counts


def test_no_vector_runs_in_chromium_without_the_csp(browser):
    """The sanitizer alone: 0 scripts run for all the vectors. The same vectors unsanitized do run,
    so the probe is not blind."""
    raw = scripts_run(browser, [PAGE.format(vector=v) for v in VECTORS])
    assert sum(1 for n in raw if n) >= 25, "the probe does not see scripts that do run"
    cleaned = scripts_run(browser, [page_for(v) for v in VECTORS])
    assert {v: n for v, n in zip(VECTORS, cleaned) if n} == {}


def test_served_original_runs_nothing_without_csp_and_keeps_the_highlight(browser, tmp_path):
    """Through the real site: a hostile archived page served by Datasette, the CSP header stripped on
    the way to Chromium; the value's cell is highlighted and nothing runs."""
    from db.build import build
    from tests.sample import SOURCES, archive
    from tests.serving import serving
    body = PAGE.format(vector="".join(VECTORS)).encode()
    sha = hashlib.sha256(body).hexdigest()
    doc = CrawledDocument(source_id="fujian-pingtan", url=REPORT["url"], sha256=sha, content_type="text/html",
                          fetched_at="2026-11-20T02:05:00+00:00", http_status=200, body=body)
    docs = archive(tmp_path / "archive", [doc])
    build(tmp_path / "archive", tmp_path / "nianbao.db", docs, sources=SOURCES)
    with serving(tmp_path / "nianbao.db", tmp_path / "archive") as base:
        context = browser.new_context()
        context.add_init_script(PROBE)
        page = context.new_page()
        seen_csp = []

        def without_csp(route):
            response = route.fetch()
            seen_csp.append(response.headers.get("content-security-policy"))
            headers = {k: v for k, v in response.headers.items() if k.lower() != "content-security-policy"}
            route.fulfill(response=response, headers=headers)

        page.route("**/-/original/**", without_csp)
        loc = '{"table": 0, "row": 2, "col": 1}'
        page.goto(f"{base}/-/original/{sha}?loc={loc}", wait_until="load")
        page.wait_for_timeout(200)
        assert page.evaluate(PROVOKE) == 0
        assert seen_csp and "default-src 'none'" in seen_csp[0]  # it was there, and taken away
        assert page.locator("#nb-cell").inner_text() == "12"
        assert "outline" in page.locator("#nb-cell").get_attribute("style")
        assert page.locator("script").count() == 0
        context.close()


def test_no_absolute_server_path_is_served(tmp_path):
    """Neither the data directory, the checkout nor the Python installation shows in what the site
    serves: its metadata, settings, introspection and error pages; originals are still found."""
    import sys
    import urllib.error
    import urllib.request

    from tests.serving import sample_site

    from .conftest import SHARED
    with sample_site(SHARED, tmp_path) as base:
        pages = ["/-/metadata.json", "/-/settings.json", "/-/databases.json", "/-/threads.json", "/-/plugins.json",
                 "/-/versions.json", "/-/config.json", "/nianbao/no_such_table", "/-/original/report/999999",
                 "/nianbao.json?sql=select+1+from", "/nianbao/reports.json?_size=1"]
        for url in pages:
            try:
                body = urllib.request.urlopen(base + url, timeout=30).read().decode()
            except urllib.error.HTTPError as e:
                body = e.read().decode()
            for path in (str(tmp_path), str(ROOT), sys.prefix, sys.base_prefix):
                assert path not in body, (url, path)
        metadata = urllib.request.urlopen(base + "/-/metadata.json", timeout=30).read().decode()
        assert '"archive_dir": "archive"' in metadata
        report = urllib.request.urlopen(base + "/nianbao/reports.json?_shape=array&_size=1", timeout=30).read()
        import json
        original = json.loads(report)[0]["archived_original"]
        assert urllib.request.urlopen(base + original, timeout=30).status == 200
