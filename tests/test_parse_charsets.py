"""Pages in the charsets Chinese portals use, declared truly, wrongly, or not at all."""
import pytest

from pipelines.parse import parse_bytes
from replica.generate import generate_report
from replica.render import render_page_html, render_report_text

AGENCY = "瀍河回族区人民政府办公室"  # 瀍 is in GBK but not in GB2312
REPORT = generate_report(AGENCY, 2023, "2021", seed=4)


def check(result, encoding=None):
    assert "error" not in result, result.get("message")
    assert result["agency"] == AGENCY
    assert result["applications"] == REPORT["applications"]
    assert result["proactive"] == REPORT["proactive"]
    if encoding:
        assert result["encoding"] == encoding


def test_gbk_page_declared_gb2312_keeps_gbk_only_characters():
    page = render_page_html(REPORT, charset="gb2312")
    assert b"charset=gb2312" in page
    with pytest.raises(UnicodeDecodeError):
        page.decode("gb2312")  # a strict gb2312 decoder fails on 瀍: the parser must widen to GBK/GB18030
    check(parse_bytes(page, "r.html"), "gb18030")


def test_charset_only_in_the_http_header():
    page = render_page_html(REPORT, charset="gbk", declared=None)
    assert b"charset" not in page
    check(parse_bytes(page, "r.html", header_charset="GBK"), "gb18030")


def test_charset_only_in_meta():
    page = render_page_html(REPORT, charset="gbk")
    assert b'content="text/html; charset=gbk"' in page
    check(parse_bytes(page, "r.html"), "gb18030")


def test_http_header_wins_over_a_wrong_meta():
    page = render_page_html(REPORT, charset="gbk", declared="utf-8")
    check(parse_bytes(page, "r.html", header_charset="gbk"), "gb18030")


def test_utf8_page_wrongly_declared_gbk():
    page = render_page_html(REPORT, charset="utf-8", declared="gbk")
    check(parse_bytes(page, "r.html"), "utf-8")
    check(parse_bytes(page, "r.html", header_charset="gbk"), "utf-8")


def test_utf8_bom():
    page = render_page_html(REPORT, charset="utf-8", bom=True, declared="gbk")
    assert page.startswith(b"\xef\xbb\xbf")
    check(parse_bytes(page, "r.html"), "utf-8")


def test_utf16_text_export_with_bom():
    """Notepad's 'Unicode' save: UTF-16LE with a BOM (NUL bytes everywhere, yet text)."""
    data = b"\xff\xfe" + render_report_text(REPORT).encode("utf-16-le")
    result = parse_bytes(data, "r.txt")
    assert result["format"] == "text"
    check(result, "utf-16-le")


def test_undeclared_gb18030_page_is_detected():
    page = render_page_html(REPORT, charset="gb18030", declared=None, site_chrome=False)
    check(parse_bytes(page, "r.html"), "gb18030")


def test_gbk_text_export():
    data = render_report_text(REPORT, layout="cells").encode("gbk")
    check(parse_bytes(data, "r.txt"))
