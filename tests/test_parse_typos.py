"""Publisher typos in every section's labels: characters missing, added or swapped, traditional forms.
The values are still read exactly; a row that its label no longer names is read by its place, its cells
flagged positional and a warning naming the printed label (template.md §6.3)."""
import opencc
import pytest

from pipelines import template as T
from pipelines.parse import parse_bytes
from replica.generate import generate_report
from replica.render import render_page_html, render_report_text

SECTIONS = ("proactive", "applications", "review_litigation")
TO_TRADITIONAL = opencc.OpenCC("s2t")


def typo(core, kind):
    m = len(core) // 2
    return {"missing": core[:m] + core[m + 1:],
            "extra": core[:m] + "的" + core[m:],
            "swapped": core[:m - 1] + core[m] + core[m - 1] + core[m + 1:],
            "traditional": TO_TRADITIONAL.convert(core)}[kind]


def report(template):
    return generate_report("金水区人民政府", 2023 if template == "2021" else 2020, template, seed=7)


def row_labels(template):
    """(section, code, label) of every row of the template's tables, the label as printed."""
    out = []
    for section in ("proactive", "applications"):
        for code in T.items(section, template):
            out.append((section, code, T.get(section, code).label_in(template)))
    return out


CASES = [(template, section, code, label, kind) for template in ("2021", "2019")
         for section, code, label in row_labels(template)
         for kind in ("missing", "extra", "swapped", "traditional")]


def _render(rep, layout):
    if layout == "html":
        return render_page_html(rep), "page.html"
    return render_report_text(rep, layout="tabs").encode("utf-8"), "report.txt"


@pytest.mark.parametrize("layout", ["html", "text"])
@pytest.mark.parametrize("template, section, code, label, kind", CASES,
                         ids=[f"{t}-{c}-{k}" for t, _, c, _, k in CASES])
def test_a_typo_in_a_row_label(template, section, code, label, kind, layout):
    rep = report(template)
    body, name = _render(rep, layout)
    # the label's words, without its number; with it where the words stand elsewhere too (其他, 总计)
    core = T.strip_ordinal(label).replace('"', "“", 1).replace('"', "”", 1)  # 危及“三安全一稳定” as printed
    number = label[:len(label) - len(T.strip_ordinal(label))]
    target = core if body.count(core.encode("utf-8")) == 1 else number + core
    assert body.count(target.encode("utf-8")) == 1, target
    printed = target.replace(core, typo(core, kind))
    result = parse_bytes(body.replace(target.encode("utf-8"), printed.encode("utf-8")), name)
    for s in SECTIONS:
        assert result[s] == rep[s], (s, printed)
    cells = [c for c in result["cells"] if (c["section"], c["item"]) == (section, code)]
    assert cells
    named = T.normalize_label(printed)
    by_keywords = (T.match_row(named) if section == "applications" else T.match_proactive_item(named)) == code
    if by_keywords or kind == "traditional":
        assert not any(c.get("positional") for c in cells)
    else:
        assert all(c.get("positional") for c in cells)
        assert any(w.startswith(f"{code}:") and T.normalize_label(printed) in T.normalize_label(w)
                   for w in result["warnings"]), result["warnings"]


@pytest.mark.parametrize("layout", ["html", "text"])
@pytest.mark.parametrize("label", ["行政复议", "行政诉讼", "结果维持", "申请人情况", "信息内容"])
@pytest.mark.parametrize("kind", ["missing", "swapped", "traditional"])
def test_a_typo_in_the_headings(label, kind, layout):
    """Header labels carry no values: every value is still read, and where section 四 is no longer
    recognised by its headings, its row is read by its place after section 三, flagged."""
    rep = report("2021")
    body, name = _render(rep, layout)
    result = parse_bytes(body.replace(label.encode("utf-8"), typo(label, kind).encode("utf-8")), name)
    for s in SECTIONS:
        assert result[s] == rep[s], s
    review = [c for c in result["cells"] if c["section"] == "review_litigation"]
    flagged = any("section 四" in w and "flagged positional" in w for w in result["warnings"])
    assert flagged == all(c.get("positional") for c in review)


def test_a_foreign_row_is_not_taken_for_a_template_row():
    """A 小计 (subtotal) row inside a group resembles no row: it is reported, never read as one."""
    rep = report("2021")
    text = render_report_text(rep, layout="tabs")
    line = next(line for line in text.splitlines() if "属于国家秘密" in line)
    subtotal = line.replace("1.属于国家秘密", "小计")
    result = parse_bytes(text.replace(line, subtotal + "\n" + line).encode("utf-8"), "report.txt")
    assert result["applications"] == rep["applications"]
    assert any("not recognised" in w and "小计" in w for w in result["warnings"])
