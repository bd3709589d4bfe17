"""One document in, one result out: extract -> map -> check, with metadata and provenance.

A document that cannot be read gives a result with "error" and its reason instead of values; the
caller keeps going with the next one.
"""
import hashlib
import os
import stat
from pathlib import Path

from . import checks, mapping, metadata
from . import template as T
from .extract.detect import sniff
from .extract.model import ExtractError

MAX_BYTES = 30 * 1024 * 1024  # no real report page is this big; a bigger file is refused, not parsed


def default_workers():
    """Parsing processes when none are asked for: one per core but one, which is left to the crawl or
    the store that feeds them (at least one)."""
    return max(1, (os.cpu_count() or 2) - 1)


def _extractor(fmt):
    if fmt == "html":
        from .extract.html import extract_html
        return extract_html
    if fmt == "text":
        from .extract.text import extract_text
        return extract_text
    if fmt == "pdf":
        return _pdf_or_scan
    if fmt == "image":
        from .extract.ocr import extract_image
        return extract_image
    if fmt == "docx":
        from .extract.docx import extract_docx
        return extract_docx
    if fmt in ("doc", "wps"):
        from .extract.office import extract_office
        return lambda data, header_charset=None: extract_office(data, fmt)
    return None


def _pdf_or_scan(data, header_charset=None):
    """A PDF with a text layer is read as text; a scan (pdf.py says needs_ocr) goes to OCR."""
    from .extract.pdf import extract_pdf
    try:
        return extract_pdf(data, header_charset=header_charset)
    except ExtractError as e:
        if e.reason != "needs_ocr":
            raise
        from .extract.ocr import extract_scanned_pdf
        doc = extract_scanned_pdf(data)
        doc.warnings.insert(0, f"read by OCR: {e.message}")
        return doc


def result_head(data, filename="", content_type="", sha256=None):
    """What every result says of its document, parsed or not: file, sha256, bytes, format. `sha256`: the
    digest the archive already took of these bytes (hashing a 300 KB page again costs a tenth of
    parsing it)."""
    return {"file": filename, "sha256": sha256 or hashlib.sha256(data).hexdigest(), "bytes": len(data),
            "format": sniff(data, filename, content_type)}


def parse_bytes(data, filename="", content_type="", header_charset=None, with_text=False, sha256=None):
    """with_text adds the document's plain text (for full-text search); the CLI leaves it out. sha256:
    see result_head."""
    result = result_head(data, filename, content_type, sha256)
    fmt = result["format"]
    if len(data) > MAX_BYTES:
        return _error(result, "too_large", f"{len(data)} bytes is over the {MAX_BYTES}-byte limit for one report")
    extract = _extractor(fmt)
    if extract is None:
        reasons = {"empty": ("empty", "the file is empty"),
                   "binary": ("unknown_format", "binary data in no known document format")}
        reason, message = reasons.get(fmt, ("unknown_format", f"{fmt} files are not parsed"))
        return _error(result, reason, message)
    try:
        return _parse(dict(result), extract, data, header_charset, with_text)
    except ExtractError as e:
        return _error(result, e.reason, e.message)
    except MemoryError:  # the worker's memory limit (pipelines/bounded.py) reached: this document only
        return _error(result, "too_large", "parsing needed more memory than the limit for one document")
    except Exception as e:  # noqa: BLE001 - a parser bug on one document must not stop a batch
        return _error(result, "parser_error", f"{type(e).__name__}: {e}")


def _parse(result, extract, data, header_charset, with_text=False):
    doc = extract(data, header_charset=header_charset)
    mapped = mapping.map_document(doc.rows)
    result.update(metadata.extract_metadata(doc))
    template = result["template"] = mapped.template
    result.update({"proactive": mapped.sections.get("proactive", {}),
                   "applications": mapped.sections.get("applications", {}),
                   "review_litigation": mapped.sections.get("review_litigation", {})})
    result["cells"] = mapped.cells
    result["checks"] = checks.run_checks(mapped.sections, mapped.section_templates.get("applications"))
    result["warnings"] = doc.warnings + mapped.warnings + _long_numbers(mapped.cells)
    if doc.meta.get("encoding"):
        result["encoding"] = doc.meta["encoding"]
    marks = _report_marks(doc) if template == "free" else []
    misread = _misread_charset(doc, data) if not mapped.cells else None
    if misread:
        # read in one charset, nothing came out; read in another, the template's labels are there
        result["status"] = "charset_misread"
        result["warnings"].append(f"charset_misread: read as {doc.meta['encoding']} no value came out, but read as "
                                  f"{misread} the text carries the template's labels")
    elif marks:
        # the template's labels are printed, yet no table came out: say so, never pass as a free report
        result["status"] = "tables_not_read"
        result["warnings"].append(f"tables_not_read: the text carries the template's labels ({', '.join(marks)}) "
                                  f"but no table of it was read")
    elif template == "free" and (result.get("year") or 0) >= 2019:
        # from 2019 on every report has the standard tables: none found means a cut or foreign document
        result["warnings"].append(f"no standard tables found in a {result['year']} report")
    elif template == "free" and not result.get("title"):
        result["warnings"].append("no report title and no standard tables: this may not be an annual report")
    if doc.meta.get("ocr"):  # confidence, flags and suggestions for what OCR read
        from .extract.ocr_review import review
        review(result, doc)
        if result.get("ocr", {}).get("uncertain"):  # a number OCR is unsure of: the status says so
            result.setdefault("status", "ocr_uncertain")
    if with_text:
        result["text"] = doc.text
    return result


def _misread_charset(doc, data):
    """The other charset in which a lossily decoded document (replacement characters, or a guessed
    charset) shows the template's labels; None when the reading was not lossy or no other one does."""
    if not doc.meta.get("lossy"):
        return None
    for encoding in ("utf-8", "gb18030"):
        if encoding != doc.meta.get("encoding"):
            text = "".join(data.decode(encoding, errors="replace").split())
            if any(m in text for m in T.STRONG_REPORT_MARKS):
                return encoding
    return None


def _long_numbers(cells):
    """A warning for each cell holding a number too long to be a count (kept as text, value empty)."""
    return [f"{c['section']} {c['item']}/{c['measure']}: a number of {len(c['raw'])} characters is kept as "
            f"text, not as a value" for c in cells if c.get("status") == "too_long"]


def _report_marks(doc):
    """The template's own labels printed in a document (spaces folded away)."""
    text = doc.flat_text() if hasattr(doc, "flat_text") else doc.text  # a name search: the cheap text
    text = "".join(text.split())
    return [m for m in T.STRONG_REPORT_MARKS if m in text]


class NotReadable(Exception):
    def __init__(self, reason, message, head=b""):
        super().__init__(message)
        self.reason, self.message, self.head = reason, message, head


def read_document(path, limit=MAX_BYTES):
    """The bytes of a regular file; NotReadable when it is something else or over `limit` bytes.

    The size is what was read (at most limit + 1 bytes), never what the file system says: /dev/zero or
    a file still growing tell nothing true. Opened non-blocking, so a FIFO is refused at once instead
    of waiting for a writer forever."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as e:
        raise NotReadable("unreadable", str(e)) from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = ("a directory" if stat.S_ISDIR(mode) else "a FIFO" if stat.S_ISFIFO(mode)
                    else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "a socket or special file")
            raise NotReadable("not_a_file", f"{path} is {kind}, not a regular file: not read")
        with os.fdopen(os.dup(fd), "rb") as f:
            data = f.read(limit + 1)
    except OSError as e:
        raise NotReadable("unreadable", str(e)) from None
    finally:
        os.close(fd)
    if len(data) > limit:
        raise NotReadable("too_large", f"more than {limit} bytes were read, over the {limit}-byte limit for one "
                                       f"report: not parsed", data[:65536])
    return data


def parse_file(path, parser=None):
    """One file from disk. `parser` (a pipelines.bounded.BoundedParser) parses it in a worker under its
    time and memory limits; without one it is parsed in this process."""
    path = Path(path)
    try:
        data = read_document(path)
    except NotReadable as e:
        head = {"file": str(path), "format": sniff(e.head, path.name)} if e.head else {"file": str(path)}
        return _error(head, e.reason, e.message)
    if parser is not None:
        result = parser.parse(data, filename=path.name)
    else:
        result = parse_bytes(data, filename=path.name)
    result["file"] = str(path)
    return result


def error_result(result, reason, message):
    """A result that says why its document has no values (reason: a short word, message: for people)."""
    result.update({"error": reason, "message": message})
    return result


_error = error_result
