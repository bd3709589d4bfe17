"""The README's screenshots, made from the demo database so they stay current (`make screenshots`, after
`make demo` has built data/nianbao.db): the report page of 郑州市人民政府 2022 and the national trend
chart, in Debian's Chromium, as tests/test_browser.py drives it.

    python -m tests.screenshots [--db data/nianbao.db] [--archive data/archive] [--out docs/screenshots]
"""
import argparse
import sqlite3
import sys
import tempfile
from pathlib import Path

from tests.serving import serving

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]


def report_id(db_path, agency="郑州市人民政府", year=2022):
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        row = conn.execute("select report_id from agency_years where agency = ? and year = ?", [agency, year]).fetchone()
        return row[0] if row else conn.execute("select report_id from agency_years order by new_received desc "
                                               "nulls last limit 1").fetchone()[0]
    finally:
        conn.close()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="data/nianbao.db")
    parser.add_argument("--archive", default="data/archive")
    parser.add_argument("--out", default="docs/screenshots")
    args = parser.parse_args(argv)
    db_path, out = Path(args.db), Path(args.out)
    if not db_path.is_file():
        print(f"{db_path} not found: run `make demo` first (it builds the demo database)", file=sys.stderr)
        return 2
    if not Path(CHROMIUM).exists():
        print("Debian's chromium is not installed: `make system-deps`", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright
    out.mkdir(parents=True, exist_ok=True)
    rid = report_id(db_path)
    with tempfile.TemporaryDirectory() as logs, serving(db_path, args.archive, log_dir=logs) as base, \
            sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        page = browser.new_page(viewport={"width": 1280, "height": 1500})
        page.goto(f"{base}/report/{rid}")
        page.screenshot(path=str(out / "report-page.png"))
        page.set_viewport_size({"width": 1280, "height": 1000})
        page.goto(f"{base}/-/dashboards/national-trend")
        page.locator(".vega-embed svg.marks, .vega-embed canvas").first.wait_for(state="visible")
        page.wait_for_timeout(500)  # the other charts of the page finish drawing
        page.screenshot(path=str(out / "trend-chart.png"))
        browser.close()
    for name in ("report-page.png", "trend-chart.png"):
        print(out / name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
