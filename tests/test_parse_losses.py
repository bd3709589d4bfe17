"""No silent losses: a flipped byte costs at most its cell (with a warning), a document that lost its
values is never `ok`, deep nesting keeps its tables, a number of any length keeps the document."""
import pytest
import sqlite_utils

from db.build import build
from pipelines.parse import parse_bytes
from replica.generate import generate_report
from replica.render import render_page_html, render_report_text

from .sample import SOURCES, documents
from .conftest import SHARED

REPORT = generate_report("郑州市人民政府", 2022, "2021", seed=6)
PAGE = render_page_html(REPORT, charset="utf-8", declared=None)
TEXT = render_report_text(REPORT).encode("utf-8")


def values(result):
    return {(c["section"], c["item"], c["measure"]): c for c in result["cells"]}


def differences(result, clean):
    """Cells whose value differs from the clean document's."""
    got, want = values(result), values(clean)
    return [key for key in want if key not in got or got[key]["value"] != want[key]["value"]]


def chinese_offsets(data, count):
    """Offsets of `count` bytes spread over the document, each inside a multi-byte UTF-8 character."""
    spots = [i for i in range(len(data)) if 0x80 <= data[i] < 0xC0]
    return [spots[k * len(spots) // count] for k in range(count)]


@pytest.mark.parametrize("name,data", [("report.html", PAGE), ("report.txt", TEXT)])
@pytest.mark.parametrize("flips", [1, 3])
def test_a_few_flipped_bytes_stay_utf8(name, data, flips):
    """The issue's case: one flipped byte in a UTF-8 file made the guess fall to gb18030 and all 200
    values vanish. Now it stays UTF-8, says how many bytes were bad, and values differ only where a
    replacement character stands."""
    clean = parse_bytes(data, name)
    assert len(clean["cells"]) == 200
    broken = bytearray(data)
    for at in chinese_offsets(data, flips):
        broken[at] ^= 0x40
    result = parse_bytes(bytes(broken), name)
    assert result["encoding"] == "utf-8" and "status" not in result
    assert any("not valid utf-8" in w for w in result["warnings"])
    cells = values(result)
    assert all("\ufffd" in cells[key]["raw"] for key in differences(result, clean) if key in cells)
    assert len(result["cells"]) >= 200 - flips


def test_a_document_that_lost_every_value_is_not_ok():
    """Broken past what a few bad bytes explain (one multi-byte character in ten), the reading falls
    back to a guess and nothing is read: the status says so, never `ok`."""
    broken = bytearray(TEXT)
    for at in chinese_offsets(TEXT, len(TEXT) // 30):
        broken[at] = 0x41
    result = parse_bytes(bytes(broken), "report.txt")
    assert result["encoding"] != "utf-8" and not result["cells"]
    assert result["status"] == "charset_misread"
    assert any("read as utf-8 the text carries the template's labels" in w for w in result["warnings"])


def test_gbk_text_without_a_declaration_is_read():
    """A guessed charset that reads the report right is no problem (no status, no warning)."""
    result = parse_bytes(render_report_text(REPORT).encode("gbk"), "report.txt")
    assert result["encoding"] == "gb18030" and len(result["cells"]) == 200 and "status" not in result


@pytest.mark.parametrize("depth", [300, 3000])
def test_deeply_nested_tables_are_read_and_warned_about(depth):
    clean = parse_bytes(PAGE, "report.html")
    start, end = PAGE.index(b"<body>") + 6, PAGE.rindex(b"</body>")
    deep = PAGE[:start] + b"<div>" * depth + PAGE[start:end] + b"</div>" * depth + PAGE[end:]
    result = parse_bytes(deep, "deep.html")
    assert differences(result, clean) == [] and len(result["cells"]) == 200
    assert any("elements deep: read" in w for w in result["warnings"])


def test_parse_markup_keeps_a_body_nested_deeper_than_256():
    """The lxml tree callers get (page metadata, …) keeps what is nested up to 2048 levels."""
    from pipelines.extract.html import parse_markup
    start, end = PAGE.index(b"<body>") + 6, PAGE.rindex(b"</body>")
    deep = (PAGE[:start] + b"<div>" * 600 + PAGE[start:end] + b"</div>" * 600 + PAGE[end:]).decode()
    assert len(parse_markup(deep).xpath("//td")) == len(parse_markup(PAGE.decode()).xpath("//td")) > 100


@pytest.mark.parametrize("digits", [16, 4301, 50_000])
def test_a_number_of_any_length_keeps_the_document(tmp_path, digits):
    """One cell of a huge number (past Python's 4,300-digit conversion limit too) is kept as text with
    a warning; every other value is read, and the store takes it."""
    clean = parse_bytes(PAGE, "report.html")
    target = next(c for c in clean["cells"] if c["value"] and c["value"] >= 10)
    raw = str(target["value"]).encode()
    at = PAGE.index(b">" + raw + b"<")  # the first cell printing that number
    page = PAGE[:at + 1] + b"7" * digits + PAGE[at + 1 + len(raw):]
    result = parse_bytes(page, "long.html")
    assert "error" not in result and "status" not in result
    long_cells = [c for c in result["cells"] if c["status"] == "too_long"]
    assert len(long_cells) == 1 and long_cells[0]["raw"] == "7" * digits and long_cells[0]["value"] is None
    assert any(f"a number of {digits} characters is kept as text" in w for w in result["warnings"])
    key = (long_cells[0]["section"], long_cells[0]["item"], long_cells[0]["measure"])
    assert [k for k in differences(result, clean) if k != key] == []

    doc = next(iter(documents(SHARED)))
    doc = doc.__class__(**{**doc.__dict__, "body": page, "content_type": "text/html", "url": "https://x/long.html"})
    build(tmp_path, tmp_path / "x.db", [doc], sources=SOURCES)
    db = sqlite_utils.Database(tmp_path / "x.db")
    [row] = db.execute("select raw, value, status from report_values where status = 'too_long'").fetchall()
    assert row == ("7" * digits, None, "too_long")
