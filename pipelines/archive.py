"""The verbatim archive: every HTTP exchange as WARC/1.1 records, report bodies also by sha256.

Layout under one archive directory:
    warc/<prefix>-<UTC time>-<pid>.warc.gz   one file per writer (a crawler: one source in one process)
    blobs/<sha256[:2]>/<sha256>              each report document's body, byte for byte

Each response is written as a request record and a response record (with WARC-Block-Digest and
WARC-Payload-Digest computed by warcio). A report found in a response gets a `metadata` record
(WARC-Refers-To the response) holding the crawler's record of it as JSON: that is what lets
`nianbao build` re-parse everything from the archive alone.

Known deviation (also stated in the warcinfo record): Scrapy normalizes header-name case and does not
keep the status line's reason phrase as sent; requests ask for `Accept-Encoding: identity` so bodies
are the bytes the server sent.
"""
import hashlib
import io
import json
import os
import zlib
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from http.client import responses as REASONS
from pathlib import Path
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from .records import CrawledDocument

SOFTWARE = "nianbao/0.1 (warcio)"


def blob_path(archive_dir, sha256):
    return Path(archive_dir) / "blobs" / sha256[:2] / sha256


def store_blob(archive_dir, body):
    """Keep a body by its sha256 (written once, atomically, on disk before it gets its name); return the
    hex digest."""
    sha = hashlib.sha256(body).hexdigest()
    path = blob_path(archive_dir, sha)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".tmp{os.getpid()}")
        with open(tmp, "wb") as f:
            f.write(body)
            f.flush()
            os.fsync(f.fileno())
        tmp.replace(path)
    return sha


class WarcArchive:
    """Appends records to this process's own WARC file, each record whole: serialised first, then
    handed to the file in one write, so a crash leaves at most one torn record at the tail, never a
    half-written one in the middle. `sync()` puts what was written on disk."""

    def __init__(self, archive_dir, prefix="nianbao", info=None):
        self.dir = Path(archive_dir)
        (self.dir / "warc").mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(timezone.utc).strftime("%Y%m%d%H%M%S%f")
        self.path = self.dir / "warc" / f"{prefix}-{stamp}-{os.getpid()}.warc.gz"
        self._file = open(self.path, "ab", buffering=0)
        self._writer = WARCWriter(None, gzip=True, warc_version="WARC/1.1")
        self._write_info(info or {})

    @property
    def name(self):
        return str(self.path.relative_to(self.dir))

    def _write_info(self, info):
        fields = {"software": SOFTWARE, "format": "WARC File Format 1.1",
                  "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
                  "note": "Scrapy normalizes header-name case and the status reason phrase; requests send "
                          "Accept-Encoding: identity so payloads are the bytes sent."}
        fields.update({k: str(v) for k, v in info.items()})
        record = self._writer.create_warcinfo_record(self.path.name, fields)
        self._write(record)

    def _write(self, record):
        # warcio writes a record in many small pieces; gathered here, it reaches the file in one write
        whole = io.BytesIO()
        self._writer.out = whole
        self._writer.write_record(record)
        data = memoryview(whole.getbuffer())
        while data:
            data = data[self._file.write(data):]
        return record.rec_headers.get_header("WARC-Record-ID")

    def sync(self):
        """Everything written so far is on disk (before the crawl state counts on it)."""
        os.fsync(self._file.fileno())

    def write_exchange(self, url, method, request_headers, status, response_headers, body,
                       protocol="HTTP/1.1"):
        """Write the request and its response; return the response record's WARC-Record-ID."""
        date = _now_iso()
        path = _request_target(url)
        req_sh = StatusAndHeaders(f"{method} {path} {protocol}", list(request_headers), is_http_request=True)
        req = self._writer.create_warc_record(url, "request", payload=io.BytesIO(b""), http_headers=req_sh,
                                              warc_headers_dict={"WARC-Date": date})
        status_line = f"{status} {REASONS.get(status, 'Unknown')}"
        # the body is already de-chunked by the HTTP client: a chunked header would misdescribe it
        headers = [(k, v) for k, v in response_headers if k.lower() != "transfer-encoding"]
        resp_sh = StatusAndHeaders(status_line, headers, protocol=protocol)
        resp = self._writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=resp_sh,
                                               warc_headers_dict={"WARC-Date": date})
        req.rec_headers.add_header("WARC-Concurrent-To", resp.rec_headers.get_header("WARC-Record-ID"))
        response_id = self._write(resp)
        self._write(req)
        return response_id

    def write_metadata(self, url, refers_to, data):
        """A JSON metadata record about an earlier record (a found report, a failed fetch)."""
        payload = json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8")
        headers = {"WARC-Date": _now_iso(), "Content-Type": "application/json"}
        if refers_to:
            headers["WARC-Refers-To"] = refers_to
        record = self._writer.create_warc_record(url, "metadata", payload=io.BytesIO(payload),
                                                 warc_content_type="application/json",
                                                 warc_headers_dict=headers)
        return self._write(record)

    def close(self):
        if not self._file.closed:
            self._file.close()


def _now_iso():
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _request_target(url):
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


# --- reading back -----------------------------------------------------------------------------------
#
# A WARC file can be torn: a crawl killed mid-write, a disk that filled up, a copy cut short. warcio's
# ArchiveIterator reads such a file without a word, handing back the torn record with part of its
# content (or stopping early). Our writer puts each record in its own gzip member, whose trailer holds
# the CRC and length of the whole record: so a record is complete exactly when its gzip member is,
# which zlib checks. The reader below splits a file into members itself, hands each complete one to
# warcio, and stops at the first torn one with a TornRecord saying where.

@dataclass(frozen=True)
class ArchiveProblem:
    """A part of the archive that could not be used: where it is and why."""
    warc_file: str          # relative to the archive directory
    offset: int | None      # bytes into the file where the unusable record starts
    record_index: int | None  # records before it in the file
    problem: str            # torn_record | unreadable_record | unreadable_metadata | body_missing | unreadable_file
    message: str
    record_id: str | None = None

    def row(self):
        return asdict(self)


def warc_files(archive_dir):
    return sorted((Path(archive_dir) / "warc").glob("*.warc.gz"))


def _members(f, chunk=1 << 20):
    """(offset, uncompressed bytes) of each complete gzip member; at a torn or corrupt one, raises
    _Torn with its offset."""
    offset, pending = 0, b""
    while True:
        data = pending or f.read(chunk)
        if not data:
            return
        member = zlib.decompressobj(wbits=31)  # gzip framing: the trailer's CRC and size are checked
        out, used = [], 0
        while True:
            try:
                out.append(member.decompress(data))
            except zlib.error as e:
                raise _Torn(offset, "torn_record", f"corrupt gzip data: {e}") from None
            if member.eof:
                pending = member.unused_data
                used += len(data) - len(pending)
                break
            used += len(data)
            data = f.read(chunk)
            if not data:
                raise _Torn(offset, "torn_record", f"the file ends {used} bytes into this record "
                                                   f"(its gzip member is incomplete)")
        yield offset, b"".join(out)
        offset += used


class _Torn(Exception):
    def __init__(self, offset, problem, message):
        super().__init__(message)
        self.offset, self.problem, self.message = offset, problem, message


def read_records(path, problems=None, archive_dir=None):
    """Every complete record of one WARC file, in order (warcio records, content readable). A whole gzip
    member that holds no readable record is skipped; at a torn or corrupt member reading stops, since
    what follows cannot be framed. Each is appended to `problems` as an ArchiveProblem. Never raises on
    bad content."""
    path = Path(path)
    name = str(path.relative_to(archive_dir)) if archive_dir else path.name
    index = 0
    try:
        with open(path, "rb") as f:
            for offset, raw in _members(f):
                try:
                    record = next(iter(ArchiveIterator(io.BytesIO(raw))))
                except Exception as e:  # noqa: BLE001 - warcio's errors on bad headers are of many kinds
                    # a whole gzip member that is no WARC record: skipped, the next member is framed
                    if problems is not None:
                        problems.append(ArchiveProblem(name, offset, index, "unreadable_record",
                                                       f"{type(e).__name__}: {e}"))
                    continue
                yield record
                index += 1
    except _Torn as t:
        if problems is not None:
            problems.append(ArchiveProblem(name, t.offset, index, t.problem, t.message))
    except OSError as e:
        if problems is not None:
            problems.append(ArchiveProblem(name, None, None, "unreadable_file", str(e)))


def check_archive(archive_dir):
    """Every problem of the archive's WARC files (torn or unreadable records), reading each file through."""
    problems = []
    for path in warc_files(archive_dir):
        for record in read_records(path, problems, archive_dir):
            record.content_stream().read()
    return problems


def iter_reports(archive_dir, problems=None):
    """Yield a CrawledDocument, body included, for every report the crawls found, from the WARC files alone.

    Two passes: the metadata records first (the latest per url and sha256 wins, so re-crawls of an
    unchanged report yield it once), then the response records they refer to, streamed. Every record
    that could not be used is appended to `problems` (ArchiveProblem): a torn file gives up its complete
    records and the rest of the archive is read as usual.
    """
    problems = [] if problems is None else problems
    found = {}
    for path in warc_files(archive_dir):
        for index, rec in enumerate(read_records(path, problems, archive_dir)):
            if rec.rec_type == "metadata":
                data = _metadata(rec)
                if data is None:
                    problems.append(ArchiveProblem(str(path.relative_to(archive_dir)), None, index,
                                                   "unreadable_metadata", "the metadata record is not a JSON object",
                                                   rec.rec_headers.get_header("WARC-Record-ID")))
                elif data.get("kind") == "report" and {"url", "sha256", "warc_record_id"} <= data.keys():
                    found[(data["url"], data["sha256"])] = data
    by_record = {d["warc_record_id"]: d for d in found.values()}
    for path in warc_files(archive_dir):
        # the problems were recorded in the first pass: this one reads the same complete records
        for rec in read_records(path, None, archive_dir):
            data = by_record.pop(rec.rec_headers.get_header("WARC-Record-ID"), None)
            if data is not None and rec.rec_type == "response":
                yield CrawledDocument.from_record(data, rec.content_stream().read())
    for data in by_record.values():  # response lost from the WARC: the content-addressed copy remains
        path = blob_path(archive_dir, data["sha256"])
        if path.is_file():
            yield CrawledDocument.from_record(data, path.read_bytes())
        else:
            problems.append(ArchiveProblem(data.get("warc_file") or "", None, None, "body_missing",
                                           f"report {data['url']}: its response record is not in the archive "
                                           f"and no blob {data['sha256'][:16]}… is kept",
                                           data["warc_record_id"]))


def _metadata(rec):
    try:
        data = json.loads(rec.content_stream().read().decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def read_record_payload(archive_dir, warc_file, record_id):
    """The HTTP payload of one response record (for serving an archived original)."""
    for rec in read_records(Path(archive_dir) / warc_file):
        if rec.rec_headers.get_header("WARC-Record-ID") == record_id:
            return rec.content_stream().read()
    return None
