"""OCR: scans made from the project's own reports (tests/scans.py: the seed reports rendered as PDF,
rasterized, rotated, noised, blurred, JPEG-compressed) read back to the seed truth where OCR is sure,
with every wrong cell flagged; the flagging and suggestion rules; the models from the wheel with no
network; heavy imports only when OCR is needed; a rebuild re-reading scans an old parse left as
needs_ocr.

A few pages, not hundreds: about nine pages of OCR in all (see README, OCR, for the time).
"""
import copy
import io
import json
import sqlite3
import subprocess
import sys

import pytest

from pipelines import checks
from pipelines.extract.detect import sniff
from pipelines.extract.model import Cell as ExtractedCell, Document, ExtractError
from pipelines.extract.ocr_review import FLAG, THRESHOLD, review
from pipelines.parse import parse_bytes
from replica.render_office import render_pdf, seed_reports
from tests.scans import Degradation, image_file, image_pdf, scan_pages

from .conftest import ROOT, SHARED

REPORTS = seed_reports()
SECTIONS = ("proactive", "applications", "review_litigation")

# harsher than most real scans: every defect at once
SEVERE = Degradation("severe", dpi=200, angle=-0.8, blur=0.8, noise=8, jpeg=45, seed=7)
SPECKLED = Degradation("speckled", dpi=300, angle=0.7, speckle=0.003, jpeg=70, seed=8)
LOW = Degradation("low", dpi=150, angle=0.3, noise=6, seed=9)


def compare(result, report, only_present=False):
    """(exact, wrong, unflagged wrong) over the truth's cells; only_present: the cells the result has
    (a single page holds only part of the tables)."""
    cells = {(c["section"], c["item"], c["measure"]): c for c in result.get("cells") or []}
    exact, wrong, silent = [], [], []
    for section in SECTIONS:
        for row, cols in report[section].items():
            for col, want in cols.items():
                cell = cells.get((section, row, col))
                if cell is None and only_present:
                    continue
                have = cell["value"] if cell else None
                ref = f"{section}.{row}.{col}"
                if cell is not None and have == want and type(have) is type(want):
                    exact.append(ref)
                    continue
                wrong.append(ref)
                if not (cell and cell.get("flag") == FLAG):
                    silent.append(f"{ref}: want {want!r} got {have!r} (raw {cell and cell['raw']!r}, "
                                  f"confidence {cell and cell.get('confidence')})")
    return exact, wrong, silent


def assert_read_back(result, report, only_present=False, min_exact=0.98):
    assert "error" not in result, result.get("message")
    exact, wrong, silent = compare(result, report, only_present)
    assert silent == [], "wrong and not flagged"
    assert len(exact) / max(1, len(exact) + len(wrong)) >= min_exact, wrong
    for cell in result["cells"]:
        assert 0.0 <= cell["confidence"] <= 1.0
        if cell["confidence"] < THRESHOLD:
            assert cell["flag"] == FLAG
    ocr = result["ocr"]
    assert ocr["cells"] == len(result["cells"]) and ocr["threshold"] == THRESHOLD
    assert ocr["uncertain"] == sum(1 for c in result["cells"] if c.get("flag") == FLAG)
    return exact, wrong


# -- scans read back --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def severe_pdf():
    """Seed 001 (郑州市人民政府 2022) scanned badly, as an image-only PDF with JPEG pages."""
    data = image_pdf(scan_pages(REPORTS["001"], SEVERE), SEVERE.dpi, jpeg=60)
    return data, parse_bytes(data, "scan.pdf")


def test_a_scanned_pdf_reads_back_to_the_truth_and_flags_what_it_gets_wrong(severe_pdf):
    data, result = severe_pdf
    assert sniff(data, "scan.pdf") == "pdf"
    assert result["format"] == "pdf"
    assert_read_back(result, REPORTS["001"])
    meta = REPORTS["001"]["meta"]
    assert (result["template"], result["agency"], result["year"]) == (meta["template"], meta["agency"], meta["year"])
    assert any(w.startswith("read by OCR") for w in result["warnings"])
    assert any("straightened" in w for w in result["warnings"])  # the -0.8° rotation, taken back


def test_the_text_layer_is_used_when_there_is_one():
    result = parse_bytes(render_pdf(REPORTS["001"]), "report.pdf")
    assert "ocr" not in result
    assert not any("confidence" in c or "flag" in c for c in result["cells"])


MISPRINT = ("applications", "new_received", "natural_person")


@pytest.fixture(scope="module")
def misprinted_tiff():
    """Seed 002 (2019 template) with one number misprinted, scanned at 300 dpi with speckle, as a
    multi-page TIFF. The printed number is what the report says; the arithmetic says otherwise."""
    report = copy.deepcopy(REPORTS["002"])
    section, row, col = MISPRINT
    truth = report[section][row][col]
    report[section][row][col] = truth + 2
    data = image_file(scan_pages(report, SPECKLED), "TIFF", SPECKLED.dpi)
    return data, truth, parse_bytes(data, "scan.tif")


def test_a_multipage_tiff_reads_back_and_a_misprint_gets_a_suggestion_never_a_change(misprinted_tiff):
    data, truth, result = misprinted_tiff
    assert sniff(data, "scan.tif") == "image" and result["format"] == "image"
    assert result["template"] == "2019"
    expected = copy.deepcopy(REPORTS["002"])
    section, row, col = MISPRINT
    expected[section][row][col] = truth + 2  # as printed
    assert_read_back(result, expected)
    cell = next(c for c in result["cells"] if (c["section"], c["item"], c["measure"]) == MISPRINT)
    assert cell["value"] == truth + 2 and result[section][row][col] == truth + 2  # never changed
    assert cell["flag"] == FLAG
    assert cell["suggested"] == truth  # A1 for the column and A3 for the row meet in this one cell
    note = next(w for w in result["warnings"] if w.startswith(f"OCR: {section}.{row}.{col} reads"))
    assert "A1 natural_person" in note and "A3 new_received" in note and "not changed" in note
    for other in result["cells"]:  # any other suggestion is for a cell OCR could not read, and right
        if "suggested" in other and other is not cell:
            assert other["value"] is None and other["flag"] == FLAG
            assert other["suggested"] == REPORTS["002"][other["section"]][other["item"]][other["measure"]]
    # every cell of the two failing identities is flagged: the arithmetic alone says one of them is wrong
    failing = [c for c in result["checks"] if c["status"] == "fail"]
    assert {c["rule"] for c in failing} == {"A1", "A3"}
    refs = {r for c in failing for r in c["cells"]["expected"] + c["cells"]["actual"]}
    flagged = {f"{c['section']}.{c['item']}.{c['measure']}" for c in result["cells"] if c.get("flag")}
    assert refs <= flagged


@pytest.mark.parametrize("fmt,page", [("PNG", 1), ("JPEG", 2)])
def test_page_images_read_back(fmt, page):
    """Portals often post a report as one image per page: each is a document of its own, with part
    of the tables."""
    pages = scan_pages(REPORTS["004"], LOW, pages=[page])
    data = image_file(pages, fmt, LOW.dpi, quality=55)
    assert sniff(data, f"page.{fmt.lower()}") == "image"
    result = parse_bytes(data, f"page.{fmt.lower()}")
    exact, wrong = assert_read_back(result, REPORTS["004"], only_present=True)
    assert len(exact) >= 45  # the rows of section 三 on that page (and section 四 on the last)


def test_section_two_has_no_identity_to_check_so_a_miscounted_number_is_flagged_by_its_ink():
    """At 150 dpi the first two digits of 2221.9632 touch, and the model reads 221.9632, as sure of
    it as of anything; the count of digits in the ink (two touching digits are one blob twice as
    wide) disagrees, and that flags it."""
    pages = scan_pages(REPORTS["004"], Degradation("150dpi", dpi=150), pages=[0])
    result = parse_bytes(image_file(pages, "PNG", 150), "page1.png")
    exact, wrong = assert_read_back(result, REPORTS["004"], only_present=True, min_exact=0.9)
    assert len(exact) + len(wrong) == 10  # section 二, 2021 template
    fee = next(c for c in result["cells"] if c["item"] == "fees")
    assert fee["value"] == 2221.9632 or fee["flag"] == FLAG


def test_an_image_ocr_cannot_read_still_says_needs_ocr():
    assert parse_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100), "a.png")["error"] == "needs_ocr"
    from PIL import Image
    blank = io.BytesIO()
    Image.new("L", (800, 1100), 255).save(blank, "PNG")
    result = parse_bytes(blank.getvalue(), "blank.png")
    assert result["error"] == "needs_ocr" and "found no text" in result["message"]
    assert not result.get("cells")


# -- flagging and suggestions, on a real parse --------------------------------------------------------


def _as_ocr(result, confidence=0.99, low=()):
    """A parse result (of a seed's text export) and the document it would come from had OCR read
    it: the same cells, each with a confidence (low ones where asked)."""
    doc = Document(format="pdf", meta={"ocr": {"pages": 1, "model": "test"}})
    doc.rows = [[ExtractedCell(c["raw"], c["loc"], confidence=(0.4 if (c["item"], c["measure"]) in low
                                                                else confidence))] for c in result["cells"]]
    return doc


def _seed_result(seed="001"):
    path = next((SHARED / "seeds").glob(f"{seed}_*.txt"))
    return parse_bytes(path.read_bytes(), path.name)


def _misread(result, row, col, value, raw=None):
    """What a misreading OCR would have given: the value (and raw text) of one cell changed, the
    checks run again on the values."""
    result = copy.deepcopy(result)
    result["applications"][row][col] = value
    for c in result["cells"]:
        if (c["section"], c["item"], c["measure"]) == ("applications", row, col):
            c["value"], c["raw"] = value, raw if raw is not None else str(value)
            c["status"] = "number" if value is not None else "unparsed"
    sections = {s: result[s] for s in SECTIONS}
    result["checks"] = checks.run_checks(sections, result["template"])
    return result


def test_one_misread_cell_named_by_a_row_and_a_column_gets_the_value_they_agree_on():
    result = _misread(_seed_result(), "disclosed", "total", 1584)  # printed 1554
    review(result, _as_ocr(result))
    by_ref = {f"{c['section']}.{c['item']}.{c['measure']}": c for c in result["cells"]}
    cell = by_ref["applications.disclosed.total"]
    assert cell["value"] == 1584 and cell["suggested"] == 1554 and cell["flag"] == FLAG
    assert [c for c in by_ref.values() if "suggested" in c] == [cell]
    # A2 of the total column and A3 of the row fail; all their cells are flagged, none else
    flagged = {r for r, c in by_ref.items() if c.get("flag")}
    assert "applications.results_total.total" in flagged and "applications.disclosed.natural_person" in flagged
    assert "applications.new_received.natural_person" not in flagged
    assert result["ocr"]["uncertain"] == len(flagged)


def test_two_misread_cells_are_flagged_but_not_guessed():
    result = _misread(_seed_result(), "disclosed", "total", 1584)
    result = _misread(result, "carried_forward", "natural_person", 48)  # printed 43
    review(result, _as_ocr(result))
    assert not [c for c in result["cells"] if "suggested" in c]
    flagged = {(c["item"], c["measure"]) for c in result["cells"] if c.get("flag")}
    assert {("disclosed", "total"), ("carried_forward", "natural_person")} <= flagged


def test_an_unreadable_cell_gets_the_value_its_row_and_column_give_it():
    result = _misread(_seed_result(), "new_received", "commercial_enterprise", None, raw="6б")  # printed 66
    review(result, _as_ocr(result))
    cell = next(c for c in result["cells"] if (c["item"], c["measure"]) == ("new_received", "commercial_enterprise"))
    assert cell["value"] is None and cell["suggested"] == 66 and cell["flag"] == FLAG


def test_a_low_confidence_cell_is_flagged_even_when_the_arithmetic_holds():
    result = _seed_result()
    assert all(c["status"] != "fail" for c in result["checks"])
    review(result, _as_ocr(result, low={("rules", "issued")}))
    flagged = [c for c in result["cells"] if c.get("flag")]
    assert [(c["item"], c["measure"]) for c in flagged] == [("rules", "issued")]
    assert flagged[0]["confidence"] == 0.4
    assert any("1 of" in w and "proactive.rules.issued (confidence 0.40)" in w for w in result["warnings"])


# -- models, network, imports -------------------------------------------------------------------------


def _run_python(code, isolate_network=False):
    cmd = [sys.executable, "-c", code]
    if isolate_network and subprocess.run(["unshare", "-n", "true"], capture_output=True).returncode == 0:
        cmd = ["unshare", "-n"] + cmd  # a process with no network at all (root, Linux)
    elif isolate_network:
        code = ("import socket\ndef _no(*a, **k): raise OSError('network disabled for this test')\n"
                "socket.socket.connect = _no\nsocket.create_connection = _no\n") + code
        cmd = [sys.executable, "-c", code]
    return subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=300)


def test_models_load_from_the_installed_wheel_with_no_network():
    code = """
import json, sys
sys.path.insert(0, '.')
import numpy as np, cv2
from pipelines.extract import ocr
engine = ocr.engine()
image = np.full((60, 260), 255, np.uint8)
cv2.putText(image, '2023', (20, 45), cv2.FONT_HERSHEY_SIMPLEX, 1.4, 0, 3)
print(json.dumps({"files": ocr.model_files(), "read": ocr.read_lines(engine.text_rec, [image])[0][0]}))
"""
    run = _run_python(code, isolate_network=True)
    assert run.returncode == 0, run.stderr[-2000:]
    out = json.loads(run.stdout.strip().splitlines()[-1])
    names = sorted(p.rsplit("/", 1)[-1] for p in out["files"])
    assert names == ["ch_PP-OCRv4_det_infer.onnx", "ch_PP-OCRv4_rec_infer.onnx", "ch_ppocr_mobile_v2.0_cls_infer.onnx"]
    assert all("site-packages/rapidocr_onnxruntime/models/" in p for p in out["files"])
    assert out["read"] == "2023"


def test_text_and_html_parsing_do_not_import_ocr():
    code = """
import sys
sys.path.insert(0, '.')
from pathlib import Path
from pipelines.parse import parse_bytes
from replica.render import render_page_html
from replica.render_office import seed_reports
seed = sorted(Path('../shared/seeds').glob('*.txt'))[0]
assert 'error' not in parse_bytes(seed.read_bytes(), seed.name)
assert 'error' not in parse_bytes(render_page_html(seed_reports()['001']), 'page.html')
heavy = sorted(m for m in ('onnxruntime', 'cv2', 'rapidocr_onnxruntime', 'pipelines.extract.ocr') if m in sys.modules)
print(heavy)
"""
    run = _run_python(code)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.strip().splitlines()[-1] == "[]"


# -- a rebuild re-reads what an old parse could not ---------------------------------------------------


def test_a_rebuild_reads_archived_scans_an_old_parse_left_as_needs_ocr(tmp_path):
    from db.build import build
    from db.store import Store
    from pipelines.archive import WarcArchive
    from pipelines.extract.pdf import extract_pdf
    from pipelines.records import CrawledDocument

    report = REPORTS["000"]
    scan = image_pdf(scan_pages(report, LOW, pages=[1]), LOW.dpi)  # section 三, first part
    url = "https://public.xinzheng.gov.cn/nb/2023-scan.pdf"
    archive_dir, db_path = tmp_path / "archive", tmp_path / "nianbao.db"
    warc = WarcArchive(archive_dir)
    rid = warc.write_exchange(url, "GET", [("Host", "public.xinzheng.gov.cn")], 200,
                              [("Content-Type", "application/pdf")], scan)
    import hashlib
    doc = CrawledDocument(source_id="xinzheng", url=url, page_url=url, list_title=f"{report['meta']['agency']}2023年政府信息公开工作年度报告",
                          content_type="application/pdf", http_status=200, warc_file=warc.name, warc_record_id=rid,
                          fetched_at="2026-01-05T00:00:00+00:00", sha256=hashlib.sha256(scan).hexdigest(), body=scan)
    warc.write_metadata(url, rid, {"kind": "report", **doc.record()})
    warc.close()

    # the database as the parser before OCR left it: pdf.py refuses the scan, the store keeps why
    with pytest.raises(ExtractError) as refused:
        extract_pdf(scan)
    assert refused.value.reason == "needs_ocr"
    old = {"file": url, "sha256": doc.sha256, "bytes": len(scan), "format": "pdf",
           "error": refused.value.reason, "message": refused.value.message}
    store = Store(db_path)
    store.add_report(doc, old)
    store.finish()
    store.close()

    def report_row():
        con = sqlite3.connect(db_path)
        con.row_factory = sqlite3.Row
        try:
            row = dict(con.execute("select id, parse_status, values_count, warnings from reports").fetchone())
            values = {(r["section"], r["item"], r["measure"]): r["value"] for r in con.execute(
                "select section, item, measure, value from report_values where report_id = ?", [row["id"]])}
            return row, values
        finally:
            con.close()

    row, values = report_row()
    assert (row["parse_status"], row["values_count"], values) == ("needs_ocr", 0, {})

    counts = build(archive_dir, db_path)  # from the archive alone, as `nianbao build` does
    assert counts["documents"] == 1 and counts["parse_errors"] == 0
    row, values = report_row()
    con = sqlite3.connect(db_path)
    flagged = con.execute("select count(*) from report_values where flag = 'ocr_uncertain'").fetchone()[0]
    read = con.execute("select count(*) from report_values where confidence is not null").fetchone()[0]
    con.close()
    # every value OCR read keeps its confidence; a number it is unsure of shows in the report's status
    assert read == row["values_count"] >= 35
    assert row["parse_status"] == ("ocr_uncertain" if flagged else "ok")
    warnings = json.loads(row["warnings"])
    for (section, item, measure), value in values.items():
        want = report[section][item][measure]
        assert value == want or f"{section}.{item}.{measure}" in " ".join(warnings), (item, measure, value, want)
    assert values[("applications", "new_received", "natural_person")] == report["applications"]["new_received"]["natural_person"]
