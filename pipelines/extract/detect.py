"""What kind of document a byte string is, from its content first and its name second."""
import re
import zipfile
import io

_HTML_MARK = re.compile(rb"<(!doctype\s+html|html|head|body|table|meta|div|p)[\s>/]", re.I)
_IMAGES = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*", b"BM")
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def sniff(data, filename="", content_type=""):
    """Return one of html, text, pdf, docx, doc, wps, xls, image, zip, binary, empty."""
    name = (filename or "").lower()
    ctype = (content_type or "").lower()
    if not data or data.isspace():  # stops at the first non-space byte; strip() would copy the file
        return "empty"
    if data.lstrip()[:5] == b"%PDF-" or data[:1024].find(b"%PDF-") >= 0:
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except zipfile.BadZipFile:
            return "binary"
        if "word/document.xml" in names:
            return "docx"
        if any(n.startswith("xl/") for n in names):
            return "xlsx"
        return "zip"
    if data.startswith(_OLE):
        for ext in ("wps", "xls", "doc"):
            if name.endswith("." + ext) or ext in ctype:
                return ext
        return "doc"
    if data.startswith(_IMAGES) or data[8:12] == b"WEBP":
        return "image"
    head = data[:65536]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with a BOM (Notepad's "Unicode"): judge the text
        head = head[2:].decode("utf-16-le" if head[0] == 0xFF else "utf-16-be", "ignore").encode("utf-8")
    sample = head[:8192]  # binary shows in its first kilobytes
    if sample.count(b"\x00") > len(sample) // 100 + 1 or _control_share(sample) > 0.05:
        return "binary"
    if _HTML_MARK.search(head) or "html" in ctype:
        return "html"
    # markup-free text: a name ending .html decides only when the server did not say text/plain
    if name.endswith((".html", ".htm", ".jhtml", ".shtml", ".jsp")) and not ctype.startswith("text/plain"):
        return "html"
    return "text"


_CONTROLS = bytes(b for b in range(32) if b not in (9, 10, 12, 13))


def _control_share(head):
    controls = len(head) - len(head.translate(None, _CONTROLS))  # counted in C, not byte by byte
    return controls / max(1, len(head))
