"""What every replica site shares: requests, responses, cached documents, report rendering, dates, ids.

A site answers `handle(request) -> Response | None` (None = not found here). Documents that a crawler
may fetch again (detail pages, attachments) are `Resource`s: their bytes are rendered on first use and
kept, and they carry ETag and Last-Modified so the server can answer conditional requests with 304.
"""
import hashlib
import html
import json
import random
import re
import shutil
import threading
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import parse_qs, quote

from replica import DATA

CST = timezone(timedelta(hours=8))


# -- HTTP ----------------------------------------------------------------------------------------------

@dataclass
class Request:
    method: str
    host: str
    path: str                 # path only, percent-encoded as received
    raw_query: str
    headers: object           # email.message.Message (case-insensitive)
    body: bytes = b""

    @property
    def target(self):
        return self.path + (f"?{self.raw_query}" if self.raw_query else "")

    @property
    def query(self):
        """Query parameters (first value of each), plus form fields of a urlencoded POST."""
        params = {k: v[0] for k, v in parse_qs(self.raw_query, keep_blank_values=True).items()}
        if self.method == "POST" and self.body:
            form = parse_qs(self.body.decode("latin-1"), keep_blank_values=True)
            params.update({k: v[0] for k, v in form.items()})
        return params

    @property
    def cookies(self):
        out = {}
        for part in (self.headers.get("Cookie") or "").split(";"):
            if "=" in part:
                k, v = part.split("=", 1)
                out[k.strip()] = v.strip()
        return out


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    content_type: str | None = "text/html; charset=utf-8"
    headers: list = field(default_factory=list)     # extra (name, value) pairs
    etag: str | None = None
    last_modified: datetime | None = None
    delay: float = 0.0             # seconds to wait before answering (slow page)
    reset_after: int | None = None  # send this many body bytes, then reset the connection


def html_response(text, status=200, charset="utf-8", content_type=None):
    return Response(status, text.encode(charset, "xmlcharrefreplace"),
                    content_type or f"text/html; charset={charset}")


def redirect(location, status=302):
    return Response(status, b"", "text/html", headers=[("Location", location)])


def json_response(data, status=200):
    return Response(status, json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"),
                    "application/json; charset=utf-8")


def not_found():
    return Response(404, b"<html><body><h1>404 Not Found</h1></body></html>", "text/html")


class Resource:
    """A document rendered once, on first request, then served from memory with validators."""

    def __init__(self, produce, content_type, modified, headers=()):
        self._produce = produce
        self.content_type = content_type
        self.modified = modified          # aware datetime: Last-Modified
        self.headers = list(headers)
        self._body = None
        self._etag = None
        self._lock = threading.Lock()

    @property
    def body(self):
        with self._lock:
            if self._body is None:
                self._body = self._produce()
                self._etag = '"' + hashlib.sha1(self._body).hexdigest()[:24] + '"'
            return self._body

    @property
    def etag(self):
        self.body
        return self._etag

    def response(self):
        return Response(200, self.body, self.content_type, list(self.headers),
                        etag=self.etag, last_modified=self.modified)


def http_date(dt):
    return format_datetime(dt.astimezone(timezone.utc), usegmt=True)


def published_at(day, hour=9, minute=30):
    """A publication date as an aware datetime (Beijing time)."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=CST)


def content_disposition(filename, style="utf8"):
    """utf8: RFC 5987 filename*; gbk: raw GBK bytes in filename= (as many Chinese servers send)."""
    if style == "gbk":
        # http.server writes header values as latin-1: GBK bytes pass through unchanged this way.
        return "attachment; filename=" + filename.encode("gbk").decode("latin-1")
    return f"attachment; filename*=UTF-8''{quote(filename)}"


# -- reports ---------------------------------------------------------------------------------------------

_fallback_warned = False


def variation_for(report):
    """The presentation quirks (render.Variation fields) one report's page gets: fixed per title, about one
    report in three or four with each. They change how values are printed, never the values."""
    rng = rng_for("render", report["meta"].get("title", ""))
    v = {}
    if rng.random() < 0.3:
        v["markup"] = "plain"
    if rng.random() < 0.15:
        v["rowspans"] = False
    if rng.random() < 0.25:
        v["header_breaks"] = True
    if rng.random() < 0.2:
        v["halfwidth"] = True
    quotes = rng.choice(["“”", "“”", '""', ""])
    if quotes != "“”":
        v["quotes"] = quotes
    if rng.random() < 0.15:
        v["other_sep"] = "，"
    if rng.random() < 0.15:
        v["split_numbers"] = True
    if rng.random() < 0.1:
        v["thousands"] = True
    if rng.random() < 0.3 and report["meta"].get("template") == "2019":
        v["change_sign"] = "+"
    if rng.random() < 0.1:
        v["table_intro"] = "该部分以表格形式报告。表格如下："
    return v


def report_fragment(report, varied=False):
    """The report article as HTML (replica/render.py), with its `variation_for` quirks when varied;
    a plain private fallback if render.py is missing."""
    try:
        from replica.render import render_report_html
    except ImportError:
        return _fallback_fragment(report)
    return render_report_html(report, **(variation_for(report) if varied else {}))


def _fallback_fragment(report):
    from replica.render_office import layout
    out = []
    for kind, item in layout(report):
        if kind == "table":
            rows = [[] for _ in range(item.nrows)]
            for p in item.cells:
                rows[p.row].append(f'<td rowspan="{p.rowspan}" colspan="{p.colspan}">{html.escape(p.text)}</td>')
            out.append("<table border=1>" + "".join(f"<tr>{''.join(r)}</tr>" for r in rows) + "</table>")
        else:
            out.append(f"<p>{html.escape(item)}</p>")
    return "\n".join(out)


_FILES = {}                 # rendered attachments, shared by every Replica in the process
_FILES_LOCK = threading.Lock()


def report_file(report, fmt, day=None):
    """Attachment bytes of a report: pdf, docx, doc, image-pdf (replica/render_office.py),
    made byte-stable (see `stable_file`). Cached per process: a second Replica serves the same bytes
    (and does not pay for rendering again)."""
    day = day or date(2024, 1, 15)
    key = (json.dumps(report, sort_keys=True, ensure_ascii=False), fmt, day)
    with _FILES_LOCK:
        if key in _FILES:
            return _FILES[key]
    from replica import render_office as office
    if fmt == "doc":
        render = getattr(office, "render_doc", None) or (lambda r: docx_to_doc(office.render_docx(r)))
    else:
        render = {"pdf": office.render_pdf, "docx": office.render_docx, "image-pdf": office.render_scanned_pdf}[fmt]
    data = stable_file(render(report), fmt, day, report["meta"].get("title", ""))
    with _FILES_LOCK:
        return _FILES.setdefault(key, data)


def docx_to_doc(data):
    """Word 97 bytes through headless LibreOffice (about a second). Not byte-stable across processes."""
    import subprocess
    import tempfile
    with tempfile.TemporaryDirectory(prefix="replica-doc-") as tmp:
        src = Path(tmp) / "report.docx"
        src.write_bytes(data)
        subprocess.run([shutil.which("soffice"), "--headless", "--norestore",
                        f"-env:UserInstallation=file://{tmp}/profile", "--convert-to", "doc", "--outdir", tmp, str(src)],
                       check=True, capture_output=True, timeout=120)
        return (Path(tmp) / "report.doc").read_bytes()


def stable_file(data, fmt, day, title):
    """The renderers stamp the current time (PDF dates and /ID, zip entry times); a replica restarted
    tomorrow must serve the same bytes, or an incremental crawl would see every attachment as changed."""
    if fmt in ("pdf", "image-pdf"):
        stamp = f"{day:%Y%m%d}090000".encode()
        data = re.sub(rb"(/(?:CreationDate|ModDate) *\(D:)\d{14}", lambda m: m.group(1) + stamp, data)
        file_id = hashlib.md5(f"{title}|{fmt}".encode()).hexdigest().encode()
        data = re.sub(rb"(/ID\s*\[\s*<)[0-9a-fA-F]{32}(>\s*<)[0-9a-fA-F]{32}(>)",
                      lambda m: m.group(1) + file_id + m.group(2) + file_id + m.group(3), data)
    elif fmt == "docx":
        import io
        import zipfile
        src = zipfile.ZipFile(io.BytesIO(data))
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                fixed = zipfile.ZipInfo(info.filename, (day.year, day.month, day.day, 9, 0, 0))
                fixed.compress_type = zipfile.ZIP_DEFLATED
                dst.writestr(fixed, src.read(info.filename))
        data = out.getvalue()
    return data


def doc_supported():
    """A .doc needs render_office.render_doc or LibreOffice; without either the replica serves .docx instead."""
    try:
        from replica import render_office
    except ImportError:
        return False
    return hasattr(render_office, "render_doc") or shutil.which("soffice") is not None


FILE_TYPES = {"pdf": "application/pdf", "image-pdf": "application/pdf", "doc": "application/msword",
              "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
FILE_EXT = {"pdf": "pdf", "image-pdf": "pdf", "doc": "doc", "docx": "docx"}


def generated(agency, year, template=None, seed=0, broken=False):
    from replica import generate
    if broken:
        return generate.generate_broken_report(agency, year, template, seed)
    return generate.generate_report(agency, year, template, seed)


SEED_TITLES = {
    "000": "新郑市人民政府办公室2023年政府信息公开工作年度报告",
    "001": "郑州市人民政府2022年政府信息公开工作年度报告",
    "002": "新郑市城关乡人民政府2020年政府信息公开工作年报",
    "003": "瀍河回族区人民政府办公室2023年政府信息公开工作年度报告",
    "004": "新乡县城市管理局2023年政府信息公开工作年度报告",
}


def seed_report(number):
    """A seed's truth file as a report. Seed 003's agency is printed 瀋河 by OCR; the truth says 瀍河."""
    path = next((DATA / "seeds").glob(f"{number}_*.truth.json"))
    truth = json.loads(path.read_text(encoding="utf-8"))
    meta = {k: v for k, v in truth["meta"].items() if k != "note"}
    meta["title"] = SEED_TITLES[number]
    return {"meta": meta, "proactive": truth["proactive"], "applications": truth["applications"],
            "review_litigation": truth["review_litigation"]}


def truth_of(report):
    """The catalog's truth: the report dict as it is printed (meta trimmed to the truth-file fields)."""
    meta = {k: report["meta"][k] for k in ("title", "agency", "year", "template") if k in report["meta"]}
    if "broken" in report["meta"]:
        meta["broken"] = report["meta"]["broken"]
    return {"meta": meta, "proactive": report["proactive"], "applications": report["applications"],
            "review_litigation": report["review_litigation"]}


# -- deterministic names, numbers and dates ----------------------------------------------------------------

def rng_for(*parts):
    return random.Random("|".join(map(str, parts)))


def org_code(agency):
    """The 9-digit organisation code that starts a 索引号 (stable per agency)."""
    return "%09d" % (int(hashlib.md5(agency.encode()).hexdigest(), 16) % 10**9)


def publication_day(agency, year, kind):
    """Reports are published Jan-Mar of the next year: departments by 31 Jan, governments by 31 Mar."""
    rng = rng_for("pub", agency, year)
    start = date(year + 1, 1, 8)
    days = rng.randint(0, 23) if kind in ("department", "township") else rng.randint(5, 80)
    return start + timedelta(days=days)


def truncate(title, limit=26):
    """List pages cut long titles and put the full one in the title attribute."""
    return title if len(title) <= limit else title[: limit - 1] + "…"


def esc(text):
    return html.escape(text or "", quote=True)


SPAM = ('<p style="display:none">皇冠足球比分 <a href="http://www.hg-bet365.example/">皇冠体育</a> '
        '澳门新葡京娱乐 线上真人百家乐</p><p>皇冠足球比分网提供最快最准的即时比分。</p>')


def inject_spam(fragment):
    """Content injection as found on a hacked township page: spam paragraphs inside the report text."""
    marker = "二、"
    i = fragment.find(marker)
    i = fragment.rfind("<p", 0, i) if i > 0 else -1
    return fragment[:i] + SPAM + fragment[i:] if i > 0 else fragment + SPAM


_TAGS = re.compile(r"<[^>]+>")


def plain(text):
    return _TAGS.sub("", text)
