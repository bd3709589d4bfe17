""".doc and .wps through headless LibreOffice: a rendered report converted to Word 97 by soffice and
parsed back exactly; without LibreOffice, a clear needs_conversion error; a hung or failed
conversion is an error, not a hang."""
import io
import os
import time

import pdfplumber

import pytest

from pipelines.extract import office
from pipelines.extract.model import ExtractError
from pipelines.parse import parse_bytes
from replica.render_office import differences, render_docx, seed_reports

REPORTS = seed_reports()
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
needs_soffice = pytest.mark.skipif(office.find_soffice() is None, reason="LibreOffice is not installed "
                                   "(apt-get install -y --no-install-recommends libreoffice-writer-nogui)")


@pytest.fixture(scope="module")
def doc_files():
    """Seed reports as Word 97 .doc files, written by LibreOffice from the rendered .docx."""
    return {seed: office.convert(render_docx(REPORTS[seed]), "docx", to="doc") for seed in ("001", "002")}


@needs_soffice
@pytest.mark.parametrize("seed", ["001", "002"])  # a 2021 and a 2019 report
def test_doc_parses_to_the_truth(doc_files, seed):
    data = doc_files[seed]
    assert data.startswith(OLE)  # really the old binary format
    result = parse_bytes(data, filename="report.doc")
    assert result["format"] == "doc"
    assert "error" not in result, result.get("message")
    assert differences(result, REPORTS[seed]) == []


@needs_soffice
def test_wps_named_file_is_read_the_same_way(doc_files):
    result = parse_bytes(doc_files["002"], filename="report.wps")
    assert result["format"] == "wps"
    assert differences(result, REPORTS["002"]) == []


@needs_soffice
def test_damaged_doc_is_a_conversion_error_not_text():
    # without an import filter LibreOffice would read these bytes as plain text and "succeed"
    result = parse_bytes(OLE + b"garbage" * 200, filename="report.doc")
    assert result["error"] == "conversion_failed"
    assert "LibreOffice" in result["message"]
    assert not result.get("applications")


def test_without_libreoffice_the_error_says_what_to_install(monkeypatch):
    monkeypatch.setattr(office, "find_soffice", lambda: None)
    result = parse_bytes(OLE + b"\x00" * 600, filename="report.doc")
    assert result["error"] == "needs_conversion"
    assert "LibreOffice" in result["message"]


def test_a_hung_conversion_is_killed_at_the_timeout(tmp_path, monkeypatch):
    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\nsleep 60 &\nsleep 60\n")  # a child process too: the whole group must go
    fake.chmod(0o755)
    monkeypatch.setenv("NIANBAO_SOFFICE", str(fake))
    start = time.monotonic()
    with pytest.raises(ExtractError) as e:
        office.convert(OLE, "doc", timeout=2)
    assert e.value.reason == "conversion_failed"
    assert time.monotonic() - start < 20
    assert not _processes_running(str(fake))


def _processes_running(path):
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                if path.encode() in f.read():
                    found.append(pid)
        except OSError:
            pass
    return found


def _has_cjk_font():
    import subprocess
    try:
        return bool(subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, timeout=30).stdout.strip())
    except (OSError, subprocess.SubprocessError):
        return False


@needs_soffice
@pytest.mark.skipif(not _has_cjk_font(), reason="no CJK font for LibreOffice to print with "
                    "(apt-get install -y fonts-wqy-zenhei)")
@pytest.mark.parametrize("seed", sorted(REPORTS))
def test_pdf_printed_by_a_word_processor_parses_to_the_truth(seed):
    """The .docx printed to PDF by LibreOffice, as agencies print Word files: embedded font subsets,
    section 三 running over page breaks with its header repeated, and rows cut in two by the page
    end (label on both pages, numbers on the first)."""
    pdf = office.convert(render_docx(REPORTS[seed]), "docx", to="pdf")
    with pdfplumber.open(io.BytesIO(pdf)) as printed:
        pages = [page.extract_text() for page in printed.pages]
    assert sum("申请人情况" in text for text in pages) >= 2  # the header really repeats
    result = parse_bytes(pdf, filename="report.pdf")
    assert "error" not in result, result.get("message")
    assert differences(result, REPORTS[seed]) == []
    assert result["warnings"] == []
