"""Text whose tables are drawn with pipes (Markdown, as PDF-to-text converters write them), with the
damage converters do: spacer columns, labels wrapped onto a line of their own, a row printed as its
label line then its values line, a block header broken over two lines. And a document that prints
the template's labels but yields no table says so (tables_not_read)."""
import pytest

from pipelines.parse import parse_bytes
from replica.generate import generate_report
from replica.render import render_report_text

SECTIONS = ("proactive", "applications", "review_litigation")


def report(template):
    return generate_report("二七区人民政府", 2023 if template == "2021" else 2020, template, seed=11)


def markdown(rep, spacers=False, wrap_labels=False, split_rows=False, broken_header=False):
    """The report's tab-separated text export with its tables drawn in pipes, damaged as asked."""
    out, in_table = [], False
    for line in render_report_text(rep, layout="tabs").splitlines():
        if "\t" not in line:
            out.append(line)
            in_table = False
            continue
        cells = [c.strip() for c in line.split("\t")]
        label_at = max((i for i, c in enumerate(cells) if c and not _number(c)), default=None)
        values = [c for c in cells if _number(c)]
        rows = [cells]
        if spacers:
            rows = [[c[0], ""] + c[1:] + [""] for c in rows]
        if wrap_labels and values and label_at is not None and len(cells[label_at]) > 12:
            label = rows[0][label_at + (1 if spacers and label_at else 0)]
            cut = len(label) // 2
            first = list(rows[0])
            first[first.index(label)] = label[:cut]
            rest = [""] * len(first)
            rest[first.index(label[:cut])] = label[cut:]
            rows = [first, rest]
        elif split_rows and values and label_at is not None and len(values) == 7 and label_at == 0:
            first = [c if i <= label_at else "" for i, c in enumerate(rows[0])]
            second = ["" if i <= label_at else c for i, c in enumerate(rows[0])]
            rows = [first, second]
        elif broken_header and cells[0] == "信息内容":
            first = [c[:3] if len(c) > 4 and i else c for i, c in enumerate(rows[0])]
            second = [c[3:] if len(c) > 4 and i else "" for i, c in enumerate(rows[0])]
            rows = [first, second]
        for row in rows:
            out.append("| " + " | ".join(row) + " |")
            if not in_table:
                out.append("|" + "---|" * len(row))
                in_table = True
    return "\n".join(out)


def _number(text):
    return text.replace("-", "").replace(".", "").isdigit()


@pytest.mark.parametrize("template", ["2021", "2019"])
@pytest.mark.parametrize("damage", [{}, {"spacers": True}, {"wrap_labels": True}, {"split_rows": True},
                                    {"broken_header": True},
                                    {"spacers": True, "wrap_labels": True, "broken_header": True}],
                         ids=["clean", "spacers", "wrapped", "split", "header", "all"])
def test_pipe_tables_are_read_exactly(template, damage):
    rep = report(template)
    text = markdown(rep, **damage)
    assert text.count("|---") >= 3
    result = parse_bytes(text.encode("utf-8"), "report.md")
    assert result["template"] == template
    for section in SECTIONS:
        assert result[section] == rep[section], section
    assert not [w for w in result["warnings"] if "not recognised" in w or "row not found" in w]
    assert not [c for c in result["checks"] if c["status"] == "fail"]


def test_damage_is_really_there():
    rep = report("2021")
    assert "| 信息内容 | 本年制 |" in markdown(rep, broken_header=True)
    wrapped = markdown(rep, wrap_labels=True)
    assert "| 一、本年新收政府信息公开 |" not in wrapped and "|  | （二）部分公开（区分处理的， |" in wrapped
    split = markdown(rep, split_rows=True).splitlines()
    i = next(i for i, line in enumerate(split) if line.startswith("| 一、本年新收"))
    assert split[i].replace("|", "").replace(" ", "").endswith("数量") and split[i + 1].startswith("|  |")


def test_labels_without_a_table_are_not_read_silently():
    """Converter output that lost the column separators: every label is there, no table is."""
    rep = report("2021")
    text = markdown(rep).replace(" | ", "  ")
    result = parse_bytes(text.encode("utf-8"), "report.md")
    assert result["template"] == "free"
    assert result["status"] == "tables_not_read"
    assert any(w.startswith("tables_not_read") for w in result["warnings"])
