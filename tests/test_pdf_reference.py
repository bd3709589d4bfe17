"""The PDF extractor on pypdfium2 gives what the pdfplumber one gave, on every PDF the tests make.

tests/reference_pdfplumber.py is the extractor as it was on pdfplumber, kept verbatim. For each PDF
both are run through the same parse (mapping, checks, metadata) and must agree on everything: the
values, every cell with its location {page, table, row, col}, the checks, the warnings, title, agency
and year; the rows of cells themselves too. The document's text must be the same too, except that
where two text lines lie exactly 3 pt apart (the tolerance) they may be grouped the other way, the
same words (8 of the 48 rendered PDFs have one such line). A PDF that cannot be read must be refused
by both for the same reason.

The PDFs: the seeds rendered by render_office.render_pdf (page break inside section 三, on one
page, unwrapped labels, unruled), the generated reports cut at other rows, blank and slash cells,
the break inside （六）其他处理, a data row cut in two, the replica's PDF attachments, the refused
ones (scanned, no Unicode map, encrypted, damaged, empty), and, with LibreOffice, the seeds' .docx
printed to PDF and the agency-style PDFs (tests/agency_pdf.py), which must also parse to the truth.
A few more exercise what the seeds do not: rules drawn as thin filled rectangles (Word, WPS), a
page wrapped in a form XObject, a page turned by /Rotate, fake bold.
"""
import copy
import io

import pytest

from pipelines import parse, template as T
from pipelines.extract import office
from pipelines.extract.model import ExtractError
from pipelines.extract.pdf import extract_pdf
from tests import reference_pdfplumber as reference
from tests.agency_pdf import agency_pdfs, agency_reports
from replica.generate import generate_report
from replica.render_office import (applications_grid, differences, render_cid_pdf, render_docx, render_pdf,
                                         render_pdf_pages, render_scanned_pdf, seed_reports, split_grid)

REPORTS = seed_reports()
SEEDS = sorted(REPORTS)
needs_soffice = pytest.mark.skipif(office.find_soffice() is None, reason="LibreOffice is not installed "
                                   "(apt-get install -y --no-install-recommends libreoffice-writer-nogui)")


def run(extract, data):
    """The parse result (with the text) and the rows of cells, or the reason the PDF was refused."""
    try:
        doc = extract(data)
    except ExtractError as e:
        return {"error": e.reason}, None
    result = parse._parse({}, lambda data, header_charset=None: doc, data, None, with_text=True)
    return result, [[(c.text, c.loc, c.colspan, c.spanned) for c in row] for row in doc.rows]


def assert_same(data):
    new, new_rows = run(extract_pdf, data)
    old, old_rows = run(reference.extract_pdf, data)
    new_text, old_text = new.pop("text", None), old.pop("text", None)
    assert new == old
    assert new_rows == old_rows
    if new_text != old_text:
        # Only where two text lines of a page are exactly 3 pt apart (the tolerance) may the text
        # differ: pdfminer's 64-bit rounding noise put such a tie either way, PDFium's coordinates
        # are 32-bit; a tie now always counts as one line. The same words, a line or two regrouped.
        assert sorted(new_text.split()) == sorted(old_text.split())
        changed = set(new_text.split("\n")) ^ set(old_text.split("\n"))
        assert len(changed) <= 6, changed
    return new


# -- what render_office makes ----------------------------------------------------------------------

VARIANTS = {"page-break": {}, "one-page": dict(page_break_in_table=False), "unwrapped": dict(wrap_labels=False),
            "unruled": dict(ruled=False, wrap_labels=False)}


@pytest.mark.parametrize("variant", sorted(VARIANTS))
@pytest.mark.parametrize("seed", SEEDS)
def test_seed_pdfs_parse_as_before(seed, variant):
    result = assert_same(render_pdf(REPORTS[seed], **VARIANTS[variant]))
    assert differences(result, REPORTS[seed]) == []


GENERATED = [("郑州市人民政府", 2022, 3), ("新郑市城关乡人民政府", 2020, 8), ("新乡县城市管理局", 2019, 13),
             ("平潭综合实验区管理委员会", 2021, 17), ("洛阳市人民政府", 2023, 22), ("瀍河回族区人民政府", 2020, 20)]


@pytest.mark.parametrize("agency,year,cut", GENERATED)
def test_generated_reports_cut_anywhere_parse_as_before(agency, year, cut):
    report = generate_report(agency, year, seed=year)
    row = T.items("applications", report["meta"]["template"])[cut]
    assert_same(render_pdf(report, page_break_in_table=row))


@pytest.mark.parametrize("seed", ["000", "001", "004"])
def test_break_inside_the_other_group_parses_as_before(seed):
    assert_same(render_pdf(REPORTS[seed], page_break_in_table="other_other"))


def test_blank_and_slash_cells_parse_as_before():
    report = copy.deepcopy(REPORTS["000"])
    report["applications"]["new_received"]["research_institution"] = None
    report["review_litigation"]["review"]["pending"] = None
    report["proactive"]["rules"]["repealed"] = None
    assert differences(assert_same(render_pdf(report)), report) == []


def test_a_data_row_cut_by_the_page_break_parses_as_before():
    grid = applications_grid(REPORTS["001"])
    top, bottom = split_grid(grid, 21)
    label = next(p for p in top.cells if p.text.startswith("1.申请人无正当理由"))
    label.text = "1.申请人无正当理由逾期不补正、行政机关不再处理其"
    for p in bottom.cells:
        if p.row >= bottom.header_rows:
            p.row += 1
    bottom.nrows += 1
    bottom.add(3, 2, "政府信息公开申请")
    for c in range(3, 10):
        bottom.add(3, c, "", kind="value")
    for p in bottom.cells:
        if p.row == 4 and p.col < 2:
            p.row, p.rowspan = 3, p.rowspan + 1
    assert_same(render_pdf_pages([top, bottom]))


def replica_pdfs():
    from replica.server import Replica
    replica = Replica(port=0)  # not started: only its catalog and documents
    return {path: doc for site in replica.sites.values() for path, doc in site.docs.items()
            if doc.content_type == "application/pdf"}


REPLICA = replica_pdfs()


@pytest.mark.parametrize("path", sorted(REPLICA))
def test_replica_pdf_attachments_parse_as_before(path):
    assert_same(REPLICA[path].body)


# -- refused, by both and for the same reason ------------------------------------------------------


def _encrypted(user):
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas
    out = io.BytesIO()
    c = canvas.Canvas(out, encrypt=pdfencrypt.StandardEncryption(user, ownerPassword="owner", canCopy=0))
    c.drawString(72, 720, "annual report 2023")
    c.save()
    return out.getvalue()


def _empty_page():
    from reportlab.pdfgen import canvas
    out = io.BytesIO()
    c = canvas.Canvas(out)
    c.rect(72, 72, 300, 300)
    c.showPage()
    c.save()
    return out.getvalue()


REFUSED = {
    "scanned": (lambda: render_scanned_pdf(REPORTS["001"]), "needs_ocr"),
    "no-unicode-map": (lambda: render_cid_pdf(REPORTS["001"]), "no_unicode_map"),
    "encrypted": (lambda: _encrypted("secret"), "encrypted"),
    "owner-password-only": (lambda: _encrypted(""), None),
    "garbage": (lambda: b"%PDF-1.4\nnot a pdf at all", "malformed_pdf"),
    "zeros": (lambda: b"%PDF-1.7\n" + b"\x00" * 200, "malformed_pdf"),
    "truncated": (lambda: render_pdf(REPORTS["000"])[:4000], "malformed_pdf"),
    "empty-page": (_empty_page, "needs_ocr"),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_unreadable_pdfs_are_refused_as_before(case):
    make, reason = REFUSED[case]
    assert assert_same(make()).get("error") == reason


# -- what the seeds do not exercise ----------------------------------------------------------------


def _drawn_table(fill_rules=False, form=False, rotate=0, bold=False):
    """A small ruled table drawn by hand: a header row, a merged group cell over two rows, numbers.
    fill_rules: each rule a thin filled rectangle (0.5 pt), as Word and WPS draw them; form: the
    whole page inside a form XObject; rotate: /Rotate of the page; bold: every label printed twice,
    0.3 pt apart (fake bold)."""
    from reportlab.pdfgen import canvas
    from replica.render_office import FONT, _register_font
    _register_font()
    out = io.BytesIO()
    c = canvas.Canvas(out)
    if rotate:
        c.setPageRotation(rotate)
    if form:
        c.beginForm("page")
    c.setFont(FONT, 9)
    c.drawString(72, 780, "某某局2023年政府信息公开工作年度报告")
    xs, ys = [72, 162, 252, 342, 432], [740, 720, 700, 680, 660]

    def hline(y, x0, x1):
        if fill_rules:
            c.rect(x0, y - 0.25, x1 - x0, 0.5, stroke=0, fill=1)
        else:
            c.line(x0, y, x1, y)

    def vline(x, y0, y1):
        if fill_rules:
            c.rect(x - 0.25, y1, 0.5, y0 - y1, stroke=0, fill=1)
        else:
            c.line(x, y0, x, y1)

    for y in ys:  # the rule under （三）不予公开's first row stops at the merged cell
        hline(y, xs[1] if y == ys[3] else xs[0], xs[-1])
    for x in xs:
        vline(x, ys[0], ys[-1])
    cells = [(0, 0, "申请人情况"), (0, 1, "自然人"), (0, 2, "商业企业"), (0, 3, "总计"),
             (1, 0, "本年新收"), (1, 1, "12"), (1, 2, "3"), (1, 3, "15"),
             (2, 0, "（三）不予公开"), (2, 1, "1"), (2, 2, "0"), (2, 3, "1"),
             (3, 1, "2"), (3, 2, "0"), (3, 3, "2")]
    for row, col, text in cells:
        for dx in ((0, 0.3) if bold else (0,)):
            c.drawString(xs[col] + 4 + dx, ys[row] - 14, text)
    if form:
        c.endForm()
        c.doForm("page")
    c.showPage()
    c.save()
    return out.getvalue()


DRAWN = {"stroked": {}, "filled-rules": dict(fill_rules=True), "form-xobject": dict(form=True),
         "rotated-90": dict(rotate=90), "rotated-180": dict(rotate=180), "fake-bold": dict(bold=True)}


@pytest.mark.parametrize("case", sorted(DRAWN))
def test_hand_drawn_tables_parse_as_before(case):
    data = _drawn_table(**DRAWN[case])
    assert_same(data)
    doc = extract_pdf(data)
    texts = [[c.text for c in row] for row in doc.rows]
    if not DRAWN[case].get("rotate"):  # a turned page reads as text lines, as it did before
        assert texts[-4:] == [["申请人情况", "自然人", "商业企业", "总计"], ["本年新收", "12", "3", "15"],
                              ["（三）不予公开", "1", "0", "1"], ["（三）不予公开", "2", "0", "2"]]
        assert doc.rows[-1][0].spanned and doc.rows[-1][0].loc == doc.rows[-2][0].loc


# -- printed by LibreOffice ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def printed():
    """The seeds' .docx and the agency-style .docx, printed to PDF in one LibreOffice run."""
    return agency_pdfs(also={f"docx-{seed}": render_docx(REPORTS[seed]) for seed in SEEDS})


@needs_soffice
@pytest.mark.parametrize("seed", SEEDS)
def test_docx_printed_by_libreoffice_parses_as_before(printed, seed):
    result = assert_same(printed[f"docx-{seed}"])
    assert differences(result, REPORTS[seed]) == []


@needs_soffice
@pytest.mark.parametrize("seed", SEEDS)
def test_agency_style_pdfs_parse_to_the_truth_as_before(printed, seed):
    """5-6 pages, prose first, section 二 or 三 running over one or two page breaks."""
    import pypdfium2
    data = printed[seed]
    pdf = pypdfium2.PdfDocument(data)
    assert 5 <= len(pdf) <= 6
    pdf.close()
    result = assert_same(data)
    assert "error" not in result
    assert differences(result, agency_reports()[seed][0]) == []
    assert result["warnings"] == []
    pages = {c["loc"]["page"] for c in result["cells"]}
    assert len(pages) >= 2  # the tables really run over a page break
