"""Round trips: a report rendered as a portal page (or a text export) parses back to exactly itself.

Inputs: the five seed truths (real values) and generated reports of both templates and of every size,
plus free-form (pre-2019) reports. Outputs compared: every cell, template, agency, year, title.
"""
import json

import pytest

from pipelines.parse import parse_bytes
from tests.conftest import SHARED
from replica.generate import generate_report
from replica.render import render_page_html, render_report_html, render_report_text

SECTIONS = ("proactive", "applications", "review_litigation")
AGENCIES = ["郑州市人民政府", "新郑市城关乡人民政府", "新乡县城市管理局", "瀍河回族区人民政府办公室",
            "平潭综合实验区管理委员会", "金水区人民政府"]


def seed_reports():
    out = []
    for path in sorted((SHARED / "seeds").glob("*.truth.json")):
        truth = json.loads(path.read_text())
        m = truth["meta"]
        m["title"] = f"{m['agency']}{m['year']}年政府信息公开工作年度报告"
        out.append(pytest.param(truth, id="seed" + path.name[:3]))
    return out


def generated_reports():
    out = []
    for i, agency in enumerate(AGENCIES):
        for template, year in (("2021", 2023), ("2019", 2020), ("2021", 2021), ("2019", 2019)):
            out.append(pytest.param(generate_report(agency, year, template, seed=i), id=f"{agency}-{year}"))
    return out


REPORTS = seed_reports() + generated_reports()


def assert_round_trip(result, report):
    assert "error" not in result, result.get("message")
    for section in SECTIONS:
        assert result[section] == report[section], section
    m = report["meta"]
    assert (result["template"], result["agency"], result["year"]) == (m["template"], m["agency"], m["year"])
    assert result["title"] == m["title"]
    assert not [c for c in result["checks"] if c["status"] == "fail"]


@pytest.mark.parametrize("report", REPORTS)
def test_page_round_trip(report):
    assert_round_trip(parse_bytes(render_page_html(report), "report.html"), report)


@pytest.mark.parametrize("report", REPORTS)
@pytest.mark.parametrize("layout", ["tabs", "cells"])
def test_text_round_trip(report, layout):
    text = render_report_text(report, layout=layout)
    assert_round_trip(parse_bytes(text.encode("utf-8"), "report.txt"), report)


@pytest.mark.parametrize("report", REPORTS[:3])
def test_markdown_headings_round_trip(report):
    text = render_report_text(report, layout="tabs", headings="markdown")
    assert text.lstrip().startswith("# ")
    assert_round_trip(parse_bytes(text.encode("utf-8"), "report.md"), report)


def test_generated_reports_cover_real_magnitudes():
    """A township mostly zeros, a city thousands: the round trips exercise both."""
    city = generate_report("郑州市人民政府", 2022, "2021", seed=1)
    assert city["applications"]["new_received"]["total"] > 500
    assert city["proactive"]["licensing"]["decisions"] > 1000
    townships = [generate_report("新郑市城关乡人民政府", 2022, "2021", seed=s) for s in range(10)]
    assert sum(t["applications"]["new_received"]["total"] == 0 for t in townships) >= 5


def test_fragment_alone_parses_without_page_chrome():
    report = generate_report("新乡县城市管理局", 2023, "2021", seed=7)
    result = parse_bytes(render_report_html(report).encode("utf-8"), "fragment.html")
    assert_round_trip(result, report)


def test_page_has_site_chrome_with_links_and_layout_tables():
    page = render_page_html(generate_report("金水区人民政府", 2023, "2021", seed=2)).decode("utf-8")
    assert page.count("<a href=") >= 10
    assert page.count("<table") >= 3 + 3  # three report tables, at least three layout tables
    assert '<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />' in page
    bare = render_page_html(generate_report("金水区人民政府", 2023, "2021", seed=2), site_chrome=False)
    assert b"<a href=" not in bare and b"<title>" in bare


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("legacy_table", [True, False])
def test_free_form_report_round_trip(seed, legacy_table):
    """Pre-2019 prose reports parse as `free`: empty sections, no zero invented from the old 统计表."""
    report = generate_report("郑州市人民政府", 2016 + seed, "free", seed=seed)
    page = render_page_html(report, legacy_table=legacy_table)
    assert (b"\xe7\xbb\x9f\xe8\xae\xa1\xe8\xa1\xa8" in page) == legacy_table  # 统计表
    result = parse_bytes(page, "old.html")
    assert_round_trip(result, report)
    assert result["cells"] == [] and result["checks"] == []
    text = parse_bytes(render_report_text(report).encode(), "old.txt")
    assert text["template"] == "free" and text["cells"] == []


@pytest.mark.parametrize("form", ["年度报告", "年报", "年度政府信息公开年报"])
def test_title_variants(form):
    report = generate_report("新郑市人民政府办公室", 2023, "2021", seed=0)
    titles = {"年度报告": "新郑市人民政府办公室2023年政府信息公开工作年度报告",
              "年报": "新郑市人民政府办公室2023年政府信息公开工作年报",
              "年度政府信息公开年报": "新郑市人民政府办公室2023年度政府信息公开年报"}
    report["meta"]["title"] = titles[form]
    for data, name in ((render_page_html(report), "a.html"),
                       (render_page_html(report, site_chrome=False), "b.html"),
                       (render_report_text(report).encode(), "c.txt")):
        result = parse_bytes(data, name)
        assert (result["title"], result["agency"], result["year"]) == (titles[form], "新郑市人民政府办公室", 2023)
