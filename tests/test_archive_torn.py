"""A torn WARC (a crawl killed mid-write, a full disk, a copy cut short) costs only its torn record:
the rebuild uses every complete record of every file, lists what it could not use in archive_problems,
and `nianbao build` says so by its exit status with the database built all the same."""
import io
import subprocess
import sys
import zlib
from dataclasses import replace

import pytest
import sqlite_utils

from db.build import build
from nianbao.exitcodes import ExitCode
from pipelines.archive import WarcArchive, check_archive, iter_reports, read_records, warc_files

from .conftest import SHARED
from .sample import SOURCES, documents

DOCS = list(documents(SHARED))[:6]  # five seed reports (text) and one Pingtan page (HTML)


def write_warc(archive_dir, docs, prefix):
    """The docs as a crawl archives them: response, request, then the report's metadata record."""
    archive = WarcArchive(archive_dir, prefix=prefix)
    for doc in docs:
        record_id = archive.write_exchange(doc.url, "GET", [("Host", "x")], 200,
                                           [("Content-Type", doc.content_type)], doc.body)
        record = replace(doc, warc_file=archive.name, warc_record_id=record_id).record()
        archive.write_metadata(doc.url, record_id, {"kind": "report", **record})
    archive.close()
    return archive.path


def members(path):
    """(record type, start offset, end offset) of each record (one gzip member each) of a WARC file."""
    data, out, offset = path.read_bytes(), [], 0
    types = [rec.rec_type for rec in read_records(path)]
    while offset < len(data):
        d = zlib.decompressobj(wbits=31)
        d.decompress(data[offset:])
        end = len(data) - len(d.unused_data)
        out.append((types[len(out)], offset, end))
        offset = end
    return out


@pytest.fixture(scope="module")
def intact(tmp_path_factory):
    """Two WARC files: the one to tear (four reports) and another that stays whole (two)."""
    archive_dir = tmp_path_factory.mktemp("intact")
    torn = write_warc(archive_dir, DOCS[:4], "a")
    write_warc(archive_dir, DOCS[4:], "b")
    return archive_dir, torn


def records_of(path):
    return [(rec.rec_type, rec.content_stream().read()) for rec in read_records(path)]


# where to cut the first file: (name, record index in the file, where in that record, torn?)
# records: 0 warcinfo, then per report k: 1+3k response, 2+3k request, 3+3k metadata
CUTS = [
    ("between records (after the second report's metadata)", 7, "start", False),
    ("inside the warcinfo record", 0, "middle", True),
    ("inside a response's WARC headers", 4, 12, True),
    ("inside a response's payload", 4, "middle", True),
    ("inside a request record", 5, "middle", True),
    ("inside the metadata record's JSON", 6, "middle", True),
    ("inside the metadata record's gzip trailer", 6, -3, True),
    ("inside the last record", 12, "middle", True),
]


def cut_at(start, end, where):
    """A byte offset in the record [start, end): its start, middle, n bytes in, or n bytes before its end."""
    if where == "start":
        return start
    if where == "middle":
        return (start + end) // 2
    return start + where if where > 0 else end + where


@pytest.mark.parametrize("name,index,where,is_torn", CUTS, ids=[c[0] for c in CUTS])
def test_rebuild_uses_every_complete_record(tmp_path, intact, name, index, where, is_torn):
    archive_dir, path = intact
    layout = members(path)
    kind, start, end = layout[index]
    cut = cut_at(start, end, where)
    torn_dir = tmp_path / "archive"
    (torn_dir / "warc").mkdir(parents=True)
    for f in warc_files(archive_dir):
        (torn_dir / "warc" / f.name).write_bytes(f.read_bytes()[:cut] if f == path else f.read_bytes())
    # every record before the cut is read back byte for byte; none after it
    assert records_of(torn_dir / "warc" / path.name) == records_of(path)[:index]
    # a report is complete when its response and its metadata record are
    complete = [doc.url for k, doc in enumerate(DOCS[:4]) if 3 + 3 * k < index] + [d.url for d in DOCS[4:]]

    counts = build(torn_dir, tmp_path / "nianbao.db", sources=SOURCES)

    db = sqlite_utils.Database(tmp_path / "nianbao.db")
    assert sorted(r["url"] for r in db["reports"].rows) == sorted(complete)
    assert counts["documents"] == len(complete)
    problems = list(db["archive_problems"].rows)
    if is_torn:
        assert [(p["warc_file"], p["offset"], p["record_index"], p["problem"]) for p in problems] == [
            (f"warc/{path.name}", start, index, "torn_record")]
        assert [p.offset for p in counts["archive_problems"]] == [start]
        assert [p.offset for p in check_archive(torn_dir)] == [start]
    else:
        assert problems == [] and check_archive(torn_dir) == []


def test_garbage_after_the_last_record(tmp_path, intact):
    """A crash that leaves zeros past the last record (some file systems do): the records stay, the
    tail is reported."""
    archive_dir, path = intact
    (tmp_path / "warc").mkdir()
    (tmp_path / "warc" / path.name).write_bytes(path.read_bytes() + b"\0" * 4096)
    docs = list(iter_reports(tmp_path, problems := []))
    assert [d.url for d in docs] == [d.url for d in DOCS[:4]]
    assert [d.body for d in docs] == [d.body for d in DOCS[:4]]
    assert [(p.offset, p.problem) for p in problems] == [(path.stat().st_size, "torn_record")]
    assert "corrupt gzip data" in problems[0].message


def test_metadata_that_is_not_json(tmp_path):
    """A complete record whose JSON is bad (written by a broken crawler) is reported and skipped."""
    archive = WarcArchive(tmp_path, prefix="c")
    record_id = archive.write_exchange(DOCS[0].url, "GET", [], 200, [("Content-Type", "text/plain")], DOCS[0].body)
    archive._write(archive._writer.create_warc_record(DOCS[0].url, "metadata",
                                                      payload=io.BytesIO(b'{"kind": "rep'),
                                                      warc_content_type="application/json",
                                                      warc_headers_dict={"WARC-Refers-To": record_id}))
    archive.close()
    problems = []
    assert list(iter_reports(tmp_path, problems)) == []
    assert [(p.problem, p.record_index) for p in problems] == [("unreadable_metadata", 3)]


def test_report_whose_body_is_nowhere(tmp_path, intact):
    """The metadata survived, the response record did not (removed) and no blob was kept: reported."""
    archive_dir, path = intact
    layout = members(path)
    data = path.read_bytes()
    _, start, end = layout[1]  # report 0's response record cut out whole
    (tmp_path / "warc").mkdir()
    (tmp_path / "warc" / path.name).write_bytes(data[:start] + data[end:])
    problems = []
    docs = list(iter_reports(tmp_path, problems))
    assert [d.url for d in docs] == [d.url for d in DOCS[1:4]]
    assert [p.problem for p in problems] == ["body_missing"] and DOCS[0].url in problems[0].message


def test_cli_build_and_check_archive(tmp_path, intact):
    """`nianbao check-archive` finds the torn file; `nianbao build` builds the database from every
    complete record, names the torn record and exits with ARCHIVE_PROBLEMS."""
    archive_dir, path = intact
    data_dir = tmp_path / "data"
    (data_dir / "archive" / "warc").mkdir(parents=True)
    _, start, end = members(path)[4]
    for f in warc_files(archive_dir):
        (data_dir / "archive" / "warc" / f.name).write_bytes(f.read_bytes()[:(start + end) // 2] if f == path
                                                            else f.read_bytes())
    cli = [sys.executable, "-m", "nianbao.cli"]
    check = subprocess.run(cli + ["check-archive", "--data", str(data_dir)], capture_output=True, text=True,
                           timeout=120)
    assert check.returncode == ExitCode.ARCHIVE_PROBLEMS, check.stderr
    assert f"warc/{path.name} at byte {start}" in check.stdout and "torn_record" in check.stdout

    built = subprocess.run(cli + ["build", "--data", str(data_dir), "--workers", "1"], capture_output=True,
                           text=True, timeout=300)
    assert built.returncode == ExitCode.ARCHIVE_PROBLEMS, built.stdout + built.stderr
    assert f"warc/{path.name} at byte {start}" in built.stdout
    db = sqlite_utils.Database(data_dir / "nianbao.db")
    assert db["reports"].count == 3  # report 0 of the torn file, both of the whole one
    assert db["archive_problems"].count == 1

    (data_dir / "archive" / "warc" / path.name).unlink()
    check = subprocess.run(cli + ["check-archive", "--data", str(data_dir)], capture_output=True, text=True,
                           timeout=120)
    assert check.returncode == ExitCode.OK and "0 with problems" in check.stdout


def test_a_whole_member_that_is_no_record_is_skipped(tmp_path, intact):
    """A complete gzip member holding garbage between records: reported, and the records after it read."""
    import gzip
    archive_dir, path = intact
    layout = members(path)
    data = path.read_bytes()
    _, start, _ = layout[4]  # before the second report's response
    (tmp_path / "warc").mkdir()
    (tmp_path / "warc" / path.name).write_bytes(data[:start] + gzip.compress(b"not a WARC record\r\n\r\n") + data[start:])
    problems = []
    assert [d.url for d in iter_reports(tmp_path, problems)] == [d.url for d in DOCS[:4]]
    assert [(p.problem, p.offset, p.record_index) for p in problems] == [("unreadable_record", start, 4)]
