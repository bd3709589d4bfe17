"""Word .docx extraction: the seed reports rendered with real merged cells, parsed back exactly;
merges counted once; nested tables; damaged files refused with a reason."""
import copy
import io
import zipfile

import docx
import pytest
from docx.oxml.ns import qn
from lxml import etree

from pipelines.extract.docx import extract_docx
from pipelines.extract.model import ExtractError
from pipelines.parse import parse_bytes
from replica.generate import generate_report
from replica.render_office import differences, render_docx, seed_reports

REPORTS = seed_reports()


def parse_docx(data):
    return parse_bytes(data, filename="x.docx")


@pytest.mark.parametrize("seed", sorted(REPORTS))
def test_docx_parses_to_the_truth(seed):
    result = parse_docx(render_docx(REPORTS[seed]))
    assert "error" not in result, result.get("message")
    assert differences(result, REPORTS[seed]) == []
    assert not [w for w in result["warnings"] if "twice" in w or "expected" in w]


@pytest.mark.parametrize("agency,year", [("郑州市人民政府", 2022), ("新郑市城关乡人民政府", 2020),
                                         ("新乡县城市管理局", 2019), ("洛阳市人民政府", 2023)])
def test_generated_reports_parse_to_the_truth(agency, year):
    report = generate_report(agency, year, seed=year)
    result = parse_docx(render_docx(report, repeat_header=False))
    assert differences(result, report) == []
    assert result["title"] == report["meta"]["title"]


def test_blank_cells_stay_null():
    report = copy.deepcopy(REPORTS["002"])
    report["applications"]["results_total"]["total"] = None
    report["proactive"]["procurement"]["procurement_amount"] = None
    assert differences(parse_docx(render_docx(report)), report) == []


def test_the_rendered_docx_really_merges_cells():
    data = render_docx(REPORTS["001"])
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    assert 'w:vMerge w:val="restart"' in xml and "<w:vMerge/>" in xml and "w:gridSpan" in xml
    # python-docx's own row.cells repeats a merged cell at every grid position it covers
    table = docx.Document(io.BytesIO(data)).tables[1]
    naive = [c.text for c in table.rows[3].cells]
    assert naive[:3] == ["一、本年新收政府信息公开申请数量"] * 3


def test_group_cell_spanning_eight_rows_does_not_duplicate_values():
    doc = extract_docx(render_docx(REPORTS["001"]))
    withheld = [r for r in doc.rows if len(r) > 1 and r[1].text == "（三）不予公开"]
    assert len(withheld) == 8
    assert not withheld[0][1].spanned and all(r[1].spanned for r in withheld[1:])
    assert all(r[0].text == "三、本年度办理结果" and r[0].spanned for r in withheld)
    for row in withheld:
        values = [c for c in row[3:] if not c.spanned]
        assert len(values) == 7
    result = parse_docx(render_docx(REPORTS["001"]))
    assert len(result["cells"]) == len({(c["section"], c["item"], c["measure"]) for c in result["cells"]})


def test_colspan_cells_appear_once_with_their_span():
    doc = extract_docx(render_docx(REPORTS["001"]))
    caption = next(r for r in doc.rows if r and r[0].text == "第二十条第（一）项")
    assert len(caption) == 1 and caption[0].colspan == 4
    fees = next(r for r in doc.rows if r and r[0].text == "行政事业性收费")
    assert [(c.text, c.colspan) for c in fees] == [("行政事业性收费", 1), ("160391.4077", 3)]
    assert fees[1].loc == {"table": 0, "row": 13, "col": 1}


def test_body_paragraphs_are_the_document_text_in_order():
    doc = extract_docx(render_docx(REPORTS["004"]))
    lines = doc.text.split("\n")
    assert lines[0] == "新乡县城市管理局2023年政府信息公开工作年度报告"
    order = [lines.index(h) for h in ("一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                                      "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况")]
    assert order == sorted(order)


def test_report_inside_a_layout_table_is_read_through_the_nesting():
    """Some reports sit in one big 1x1 table (a page frame); their tables are nested in its cell."""
    package = docx.Document(io.BytesIO(render_docx(REPORTS["000"])))
    body = package.element.body
    content = [el for el in body if el.tag != qn("w:sectPr")]
    frame = etree.SubElement(body, qn("w:tbl"))
    body.remove(frame)
    content[0].addprevious(frame)
    tc = etree.SubElement(etree.SubElement(frame, qn("w:tr")), qn("w:tc"))
    for el in content:
        tc.append(el)
    etree.SubElement(tc, qn("w:p"))  # a cell ends with a paragraph
    out = io.BytesIO()
    package.save(out)
    doc = extract_docx(out.getvalue())
    assert doc.rows[0][0].loc["table"] == 0 and len(doc.rows[0]) == 1  # the frame's row comes first
    assert {r[0].loc["table"] for r in doc.rows[1:]} == {1, 2, 3}
    result = parse_docx(out.getvalue())
    assert differences(result, REPORTS["000"]) == []


def test_grid_before_and_vmerge_continue_are_placed_on_the_grid():
    d = docx.Document()
    table = d.add_table(rows=3, cols=3)
    table.cell(0, 0).merge(table.cell(2, 0))
    table.cell(0, 0).text = "（三）不予公开"
    for r in range(3):
        table.cell(r, 1).text = f"{r + 1}.x"
        table.cell(r, 2).text = str(r)
    tcs = table.rows[1]._tr.findall(qn("w:tc"))
    tcs[0].tcPr.find(qn("w:vMerge")).set(qn("w:val"), "continue")  # explicit "continue" as some writers do
    out = io.BytesIO()
    d.save(out)
    rows = extract_docx(out.getvalue()).rows
    assert [[(c.text, c.spanned) for c in r] for r in rows] == [
        [("（三）不予公开", False), ("1.x", False), ("0", False)],
        [("（三）不予公开", True), ("2.x", False), ("1", False)],
        [("（三）不予公开", True), ("3.x", False), ("2", False)]]
    assert rows[2][0].loc == {"table": 0, "row": 0, "col": 0}


def test_damaged_docx_gives_an_error_with_a_reason():
    good = render_docx(REPORTS["000"])
    broken = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as src, zipfile.ZipFile(broken, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/document.xml":
                data = data[: len(data) // 2]  # XML cut off mid-way
            dst.writestr(item, data)
    result = parse_docx(broken.getvalue())
    assert result["error"] == "malformed_docx" and result["message"]
    assert not result.get("applications")
    with pytest.raises(ExtractError) as e:
        extract_docx(good[: len(good) // 2])  # a truncated download
    assert e.value.reason == "malformed_docx"
    truncated = parse_docx(good[: len(good) // 2])
    assert truncated.get("error") and not truncated.get("applications")
