"""The report's own arithmetic (template.md §5): flagged, never fixed."""
import copy

import pytest

from pipelines.parse import parse_bytes
from replica.generate import generate_broken_report, generate_report
from replica.render import render_page_html, render_report_text

SECTIONS = ("proactive", "applications", "review_litigation")


def failed(result):
    return {(c["rule"], c["where"]): c for c in result["checks"] if c["status"] == "fail"}


@pytest.mark.parametrize("template", ["2021", "2019"])
@pytest.mark.parametrize("seed", range(4))
def test_generated_reports_pass_every_check(template, seed):
    report = generate_report("郑州市人民政府", 2023 if template == "2021" else 2020, template, seed)
    result = parse_bytes(render_page_html(report), "ok.html")
    rules = {c["rule"] for c in result["checks"]}
    assert rules == {"A1", "A2", "A3", "L1"}
    assert {c["status"] for c in result["checks"]} == {"pass"}
    rows = 25 if template == "2021" else 23
    assert len(result["checks"]) == 7 + 7 + rows + 3


@pytest.mark.parametrize("template", ["2021", "2019"])
@pytest.mark.parametrize("seed", range(3))
def test_broken_report_is_flagged_and_left_as_written(template, seed):
    report = generate_broken_report("郑州市人民政府", 2022 if template == "2021" else 2020, template, seed)
    _, row, col = report["meta"]["broken"].split(".")
    for data, name in ((render_page_html(report), "broken.html"), (render_report_text(report).encode(), "broken.txt")):
        result = parse_bytes(data, name)
        for section in SECTIONS:
            assert result[section] == report[section]  # values unchanged, the bad one included
        fails = failed(result)
        # the leaf is one too many: its row no longer sums to its total (A3), the column's outcomes no
        # longer sum to results_total (A2), and nothing else is blamed
        assert set(fails) == {("A3", row), ("A2", col)}
        a3 = fails[("A3", row)]
        assert f"applications.{row}.{col}" in a3["cells"]["actual"]
        assert a3["actual"] == a3["expected"] + 1
        a2 = fails[("A2", col)]
        assert f"applications.{row}.{col}" in a2["cells"]["actual"]
        assert a2["cells"]["expected"] == [f"applications.results_total.{col}"]


def test_a1_failure_names_the_four_cells():
    report = generate_report("金水区人民政府", 2023, "2021", seed=2)
    report = copy.deepcopy(report)
    report["applications"]["carried_forward"]["total"] += 3
    result = parse_bytes(render_page_html(report), "a1.html")
    fails = failed(result)
    assert set(fails) == {("A1", "total"), ("A3", "carried_forward")}
    a1 = fails[("A1", "total")]
    assert a1["cells"] == {"expected": ["applications.new_received.total", "applications.carried_over.total"],
                           "actual": ["applications.results_total.total", "applications.carried_forward.total"]}
    assert a1["actual"] - a1["expected"] == 3
    assert result["applications"]["carried_forward"]["total"] == report["applications"]["carried_forward"]["total"]


def test_l1_failure_in_section_four():
    report = generate_report("郑州市人民政府", 2023, "2021", seed=2)
    report["review_litigation"]["litigation_direct"]["total"] += 1
    result = parse_bytes(render_page_html(report), "l1.html")
    assert set(failed(result)) == {("L1", "litigation_direct")}
    assert result["review_litigation"] == report["review_litigation"]


def test_summary_highlights_failed_checks():
    from pipelines.summary import render_summary
    report = generate_broken_report("郑州市人民政府", 2022, "2021", seed=1)
    result = parse_bytes(render_page_html(report), "broken.html")
    _, row, col = report["meta"]["broken"].split(".")
    text = render_summary(result, color=True)
    assert f"\033[31m✗ A2 {col}: expected" in text and f"\033[31m✗ A3 {row}: expected" in text
    assert "40 pass, 2 fail, 0 not checkable" in text
    plain = render_summary(result, color=False)
    assert "\033[" not in plain
    marked = [l for l in plain.splitlines() if l.lstrip().startswith("✗")]
    assert len(marked) == 4  # the row, the column note, the two checks
    assert any(col in l for l in marked) and any(l.lstrip().startswith("✗ A3") for l in marked)
