"""Bad input gives a clear error or a flag, never a crash, a hang or a silent zero."""
import io
import random
import re
import time
import zipfile

import pytest

from pipelines.parse import MAX_BYTES, parse_bytes, parse_file
from replica.generate import generate_report
from replica.render import render_page_html

REPORT = generate_report("郑州市人民政府", 2022, "2021", seed=6)
PAGE = render_page_html(REPORT)


def test_empty_file(tmp_path):
    path = tmp_path / "empty.html"
    path.write_bytes(b"")
    result = parse_file(path)
    assert (result["error"], result["format"]) == ("empty", "empty")
    assert parse_bytes(b" \r\n\t ", "blank.txt")["error"] == "empty"


def test_binary_garbage():
    data = random.Random(1).randbytes(20000)
    result = parse_bytes(data, "report.html")  # the name says html; the content decides
    assert (result["error"], result["format"]) == ("unknown_format", "binary")
    assert "proactive" not in result and result["message"]


@pytest.mark.parametrize("fraction", [0.05, 0.3, 0.45, 0.6, 0.75, 0.9])
def test_truncated_html(fraction):
    """A page cut anywhere: what is there is exact, what is cut is null and said so."""
    result = parse_bytes(PAGE[: int(len(PAGE) * fraction)], "cut.html")
    assert "error" not in result
    assert any("truncated" in w for w in result["warnings"])
    partial = []
    for section in ("proactive", "applications", "review_litigation"):
        got, truth = result[section], REPORT[section]
        if any(w.startswith(f"section {section} not found") for w in result["warnings"]) or not got:
            assert all(set(v.values()) == {None} for v in got.values())
            continue
        for row, values in got.items():
            if values == truth[row]:
                continue
            if set(values.values()) == {None}:
                assert any(w.startswith(f"{row}:") for w in result["warnings"]), row
            else:  # the row the cut went through: what it shows is exact, the rest null
                partial.append(row)
                assert all(v is None or v == truth[row][k] for k, v in values.items()), row
    assert len(partial) <= 1  # only the last row read can be cut, never a shifted one


def test_truncated_mid_tag():
    result = parse_bytes(b"<html><body><p>\xe6\x8a\xa5\xe5\x91\x8a</p><table><tr><td", "cut.html")
    assert "error" not in result and result["template"] == "free"


@pytest.mark.parametrize("row,label", [("rejected_duplicate", "2.重复申请"),
                                       ("withheld_state_secret", "1.属于国家秘密"),
                                       ("disclosed", "（一）予以公开")])
def test_table_with_a_row_missing(row, label):
    """One <tr> dropped (the first row of a rowspan group included): that row null with a warning,
    every other value exact."""
    text = PAGE.decode()
    rows = re.findall(r"<tr>.*?</tr>", text, re.S)
    target = [r for r in rows if f">{label}<" in r]
    assert len(target) == 1
    result = parse_bytes(text.replace(target[0], "").encode(), "missing.html")
    assert result["applications"][row] == dict.fromkeys(REPORT["applications"][row])
    assert any(w.startswith(f"{row}:") for w in result["warnings"])
    for other, values in REPORT["applications"].items():
        if other != row:
            assert result["applications"][other] == values, other
    assert result["proactive"] == REPORT["proactive"]
    assert result["review_litigation"] == REPORT["review_litigation"]


@pytest.mark.timeout(60)
def test_fifty_megabyte_file(tmp_path):
    path = tmp_path / "huge.html"
    with open(path, "wb") as f:
        while f.tell() < 50 * 1024 * 1024:
            f.write(PAGE)
    assert path.stat().st_size > MAX_BYTES
    start = time.monotonic()
    result = parse_file(path)
    assert time.monotonic() - start < 5
    assert result["error"] == "too_large" and "limit" in result["message"]
    assert result["format"] == "html"  # from the bytes read, which stop just past the limit
    assert parse_bytes(path.read_bytes(), "huge.html")["error"] == "too_large"


def test_unreadable_path(tmp_path):
    result = parse_file(tmp_path / "nope.html")
    assert result["error"] == "unreadable"


@pytest.mark.parametrize("name,data,reason", [
    ("sheet.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "unknown_format"),
    ("photo.png", b"\x89PNG\r\n\x1a\n" + bytes(100), "needs_ocr"),
    ("scan.jpg", b"\xff\xd8\xff\xe0" + bytes(100), "needs_ocr"),
])
def test_unknown_or_unsupported_format(name, data, reason):
    result = parse_bytes(data, name)
    assert result["error"] == reason and result["message"]


def test_zip_without_a_document():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("readme.txt", "hello")
    result = parse_bytes(buf.getvalue(), "bundle.zip")
    assert (result["format"], result["error"]) == ("zip", "unknown_format")


def test_a_document_that_is_not_a_report_is_flagged_not_filled():
    result = parse_bytes(b'{"code": 0, "data": [1, 2, 3]}', "api.json")
    assert result["template"] == "free" and result["cells"] == []
    assert any("may not be an annual report" in w for w in result["warnings"])


def test_a_recent_report_without_tables_is_flagged():
    html = "<html><head><title>某县人民政府2023年政府信息公开工作年度报告</title></head><body><p>正文</p></body></html>"
    result = parse_bytes(html.encode(), "r.html")
    assert (result["template"], result["year"]) == ("free", 2023)
    assert any("no standard tables" in w for w in result["warnings"])


def test_a_parser_bug_on_one_document_is_an_error_result(monkeypatch):
    """An unexpected exception becomes `parser_error` for that document, so a batch goes on."""
    from pipelines import mapping

    def boom(rows):
        raise IndexError("list index out of range")

    monkeypatch.setattr(mapping, "map_document", boom)
    result = parse_bytes(PAGE, "page.html")
    assert result["error"] == "parser_error" and "IndexError" in result["message"]
    assert "applications" not in result and result["format"] == "html"
