"""PDF extraction: the seed reports rendered as PDFs the way agencies print them, parsed back exactly;
and the PDFs that cannot be read (scans, fonts without Unicode, encryption, damage) refused with a
reason and no values."""
import copy
import io

import pdfplumber
import pytest

from pipelines.extract.model import ExtractError
from pipelines.extract import pdf as pdf_module
from pipelines.extract.pdf import extract_pdf
from pipelines.parse import parse_bytes
from pipelines import template as T
from replica.generate import generate_report
from replica.render_office import (applications_grid, differences, render_cid_pdf, render_pdf,
                                         render_pdf_pages, render_scanned_pdf, seed_reports, split_grid)

REPORTS = seed_reports()
SEEDS = sorted(REPORTS)


def parse_pdf(data):
    return parse_bytes(data, filename="x.pdf")


def page_texts(data):
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def assert_no_values(result):
    for section in ("proactive", "applications", "review_litigation"):
        for row in (result.get(section) or {}).values():
            assert all(v is None for v in row.values()), f"{section} has values from an unreadable PDF"
    assert not result.get("cells")


# -- the seeds, parsed back exactly ----------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
def test_pdf_with_page_break_and_wrapped_labels_parses_to_the_truth(seed):
    result = parse_pdf(render_pdf(REPORTS[seed]))
    assert "error" not in result, result.get("message")
    assert differences(result, REPORTS[seed]) == []
    assert not [w for w in result["warnings"] if "twice" in w or "expected" in w]


@pytest.mark.parametrize("variant", [dict(page_break_in_table=False), dict(wrap_labels=False),
                                     dict(ruled=False, wrap_labels=False)], ids=["one-page", "unwrapped", "unruled"])
@pytest.mark.parametrize("seed", SEEDS)
def test_pdf_layout_variants_parse_to_the_truth(seed, variant):
    result = parse_pdf(render_pdf(REPORTS[seed], **variant))
    assert differences(result, REPORTS[seed]) == []


GENERATED = [("郑州市人民政府", 2022, 3), ("新郑市城关乡人民政府", 2020, 8), ("新乡县城市管理局", 2019, 13),
             ("平潭综合实验区管理委员会", 2021, 17), ("洛阳市人民政府", 2023, 22), ("瀍河回族区人民政府", 2020, 20)]


@pytest.mark.parametrize("agency,year,cut", GENERATED)
def test_generated_reports_parse_to_the_truth_wherever_the_page_breaks(agency, year, cut):
    report = generate_report(agency, year, seed=year)
    row = T.items("applications", report["meta"]["template"])[cut]
    result = parse_pdf(render_pdf(report, page_break_in_table=row))
    assert differences(result, report) == []
    assert result["title"] == report["meta"]["title"]


def test_blank_and_slash_cells_stay_null_not_zero():
    report = copy.deepcopy(REPORTS["000"])
    report["applications"]["new_received"]["research_institution"] = None
    report["review_litigation"]["review"]["pending"] = None
    report["proactive"]["rules"]["repealed"] = None
    result = parse_pdf(render_pdf(report))
    assert differences(result, report) == []


# -- tables over a page break ----------------------------------------------------------------------


def test_the_page_break_really_cuts_section_three_and_repeats_its_header():
    data = render_pdf(REPORTS["001"])
    pages = page_texts(data)
    first = next(i for i, t in enumerate(pages) if "本年新收" in t)
    last = next(i for i, t in enumerate(pages) if "结转下年度" in t)
    assert last == first + 1
    assert "申请人情况" in pages[first] and "申请人情况" in pages[last]
    assert "属于国家秘密" in pages[first] and "保护第三方合法权益" in pages[last]


def test_page_break_rows_are_neither_lost_nor_doubled():
    doc = extract_pdf(render_pdf(REPORTS["001"]))
    labels = ["".join(c.text for c in row if not c.spanned) for row in doc.rows]
    assert sum("申请人情况" in l for l in labels) == 1, "the repeated header is dropped"
    assert sum("保护第三方合法权益" in l for l in labels) == 1
    row = next(r for r in doc.rows if any("保护第三方合法权益" in c.text for c in r))
    # the group cells cut by the page break carry their labels on, as spanned copies
    assert [c.text for c in row[:2]] == ["三、本年度办理结果", "（三）不予公开"]
    assert all(c.spanned for c in row[:2])
    assert [c.text for c in row[3:]] == ["44", "0", "0", "0", "2", "0", "46"]


@pytest.mark.parametrize("seed", ["000", "001", "004"])
def test_page_break_inside_the_other_group_keeps_row_other_other(seed):
    # 3.其他 is named only by its group （六）其他处理, which sits on the page before
    report = REPORTS[seed]
    result = parse_pdf(render_pdf(report, page_break_in_table="other_other"))
    assert differences(result, report) == []


def test_a_data_row_cut_by_the_page_break_is_joined_again():
    report = REPORTS["001"]
    grid = applications_grid(report)
    top, bottom = split_grid(grid, 21)  # before 2.申请人逾期未按收费通知…
    # cut row 20 (1.申请人无正当理由逾期不补正…) in two: its label ends on the next page, no values there
    label = next(p for p in top.cells if p.text.startswith("1.申请人无正当理由"))
    label.text = "1.申请人无正当理由逾期不补正、行政机关不再处理其"
    _push_down(bottom)
    bottom.add(3, 2, "政府信息公开申请")
    for c in range(3, 10):
        bottom.add(3, c, "", kind="value")
    for p in bottom.cells:  # the group cells cut by the break also reach the continued row
        if p.row == 4 and p.col < 2:
            p.row, p.rowspan = 3, p.rowspan + 1
    doc = extract_pdf(render_pdf_pages([top, bottom]))
    joined = [r for r in doc.rows if any("逾期不补正" in c.text for c in r)]
    assert len(joined) == 1
    cells = joined[0]
    assert cells[2].text == "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"
    assert [c.text for c in cells[3:]] == ["22", "1", "0", "0", "2", "0", "25"]
    assert not any(any("政府信息公开申请" == c.text for c in r) for r in doc.rows)


def _push_down(grid):
    """Make room for one row right after the header rows."""
    for p in grid.cells:
        if p.row >= grid.header_rows:
            p.row += 1
    grid.nrows += 1


# -- merged and wrapped cells ----------------------------------------------------------------------


def test_merged_cells_are_counted_once():
    doc = extract_pdf(render_pdf(REPORTS["001"], page_break_in_table=False))
    withheld = [r for r in doc.rows if len(r) > 1 and r[1].text == "（三）不予公开"]
    assert len(withheld) == 8
    assert [c.spanned for c in withheld[0][:2]] == [True, False]  # the group cell begins in its first row
    assert all(r[1].spanned for r in withheld[1:])
    for row in withheld:
        assert len([c for c in row[2:] if not c.spanned]) == 8  # its own label + 7 values
    caption = next(r for r in doc.rows if r and r[0].text == "第二十条第（一）项")
    assert len(caption) == 1 and caption[0].colspan == 4


def test_wrapped_labels_are_joined_without_spaces():
    data = render_pdf(REPORTS["001"])
    assert any(line.endswith("确认或重新出") for t in page_texts(data) for line in t.split("\n"))
    doc = extract_pdf(data)
    texts = [c.text for r in doc.rows for c in r]
    assert "5.要求行政机关确认或重新出具已获取信息" in texts
    assert "（二）部分公开（区分处理的，只计这一情形，不计其他情形）" in texts


def test_cells_carry_page_table_row_and_col():
    result = parse_pdf(render_pdf(REPORTS["001"]))
    cell = next(c for c in result["cells"] if c["item"] == "withheld_third_party_rights"
                and c["measure"] == "total")
    assert cell["raw"] == "46"
    assert set(cell["loc"]) == {"page", "table", "row", "col"}
    assert cell["loc"]["col"] == 9
    first = next(c for c in result["cells"] if c["item"] == "new_received" and c["measure"] == "total")
    assert cell["loc"]["page"] == first["loc"]["page"] + 1


def test_document_text_gives_title_agency_and_year():
    doc = extract_pdf(render_pdf(REPORTS["003"]))
    assert doc.text.startswith("瀍河回族区人民政府办公室2023年政府信息公开工作年度报告")
    assert doc.meta.get("pdf_title")


# -- PDFs that cannot be read ----------------------------------------------------------------------


def test_scanned_pdf_is_read_by_ocr():
    # pdf.py refuses a scan (needs_ocr); parse routes it to OCR (tests/test_ocr.py has the details)
    data = render_scanned_pdf(REPORTS["001"])
    with pytest.raises(ExtractError) as refused:
        extract_pdf(data)
    assert refused.value.reason == "needs_ocr" and "OCR" in refused.value.message
    result = parse_pdf(data)
    assert "error" not in result and result["ocr"]["cells"] == 200
    flagged = {f"{c['section']}.{c['item']}.{c['measure']}" for c in result["cells"] if c.get("flag")}
    assert [d for d in differences(result, REPORTS["001"]) if d.split(":")[0] not in flagged] == []


def test_pdf_without_unicode_map_is_refused_never_read_as_numbers():
    data = render_cid_pdf(REPORTS["001"])
    assert "(cid:" in page_texts(data)[0]  # the case itself: pdfplumber reads only glyph ids
    result = parse_pdf(data)
    assert result["error"] == "no_unicode_map"
    assert "Unicode" in result["message"]
    assert_no_values(result)


def test_password_protected_pdf_is_refused_with_reason():
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas
    out = io.BytesIO()
    c = canvas.Canvas(out, encrypt=pdfencrypt.StandardEncryption("secret", ownerPassword="owner"))
    c.drawString(72, 720, "2023")
    c.save()
    result = parse_pdf(out.getvalue())
    assert result["error"] == "encrypted"
    assert_no_values(result)


def test_pdf_with_only_an_owner_password_is_read():
    # many agencies forbid copying with an owner password; the text is still there to read
    from reportlab.lib import pdfencrypt
    out = io.BytesIO()
    from reportlab.pdfgen import canvas
    c = canvas.Canvas(out, encrypt=pdfencrypt.StandardEncryption("", ownerPassword="owner", canCopy=0))
    c.drawString(72, 720, "annual report 2023")
    c.save()
    doc = extract_pdf(out.getvalue())
    assert "annual report 2023" in doc.text


@pytest.mark.parametrize("data", [b"%PDF-1.4\nnot a pdf at all", b"%PDF-1.7\n" + b"\x00" * 200,
                                  render_pdf(REPORTS["000"])[:4000]], ids=["garbage", "zeros", "truncated"])
def test_damaged_pdf_gives_an_error_with_a_reason(data):
    result = parse_pdf(data)
    assert result["error"] == "malformed_pdf"
    assert result["message"]
    assert_no_values(result)
    with pytest.raises(ExtractError):
        extract_pdf(data)


def test_pdf_with_empty_pages_has_no_text_layer():
    from reportlab.pdfgen import canvas
    out = io.BytesIO()
    c = canvas.Canvas(out)
    c.rect(72, 72, 300, 300)
    c.showPage()
    c.save()
    assert parse_pdf(out.getvalue())["error"] == "needs_ocr"



class _Page:
    def __init__(self, texts, images=()):
        self.chars = [{"text": t} for t in texts]
        self.images = list(images)


def test_a_few_unmapped_characters_warn_and_many_refuse():
    from pipelines.extract.model import Document
    doc = Document(format="pdf")
    pdf_module._check_readable([_Page(["本"] * 200 + ["(cid:12)", "\ue001"])], doc)
    assert doc.warnings and "Unicode" in doc.warnings[0]
    for bad in (["(cid:7)"] * 30, ["\ufffd"] * 30, ["\ue123"] * 30):
        with pytest.raises(ExtractError) as e:
            pdf_module._check_readable([_Page(["本"] * 100 + bad)], Document(format="pdf"))
        assert e.value.reason == "no_unicode_map"


def test_unmapped_characters_never_parse_as_numbers():
    from pipelines.values import parse_value
    for raw in ("(cid:20)", "1(cid:21)", "\ue015", "4\ufffd"):
        assert parse_value(raw)[0] is None


def test_scanned_pages_among_text_pages_are_reported():
    from pipelines.extract.model import Document
    doc = Document(format="pdf")
    pdf_module._check_readable([_Page(["本"] * 50), _Page([], images=[{}])], doc)
    assert any("OCR" in w and "[2]" in w for w in doc.warnings)
