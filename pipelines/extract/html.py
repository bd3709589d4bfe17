"""HTML pages as portals serve them, into rows of cells.

lxml parses (fast and forgiving of broken markup; extraction uses the plain etree parser, since
lxml.html's element classes cost a Python call per element touched); charset detection is
charset.decode (UnicodeDammit as the last resort). Every <table> becomes rows with rowspans expanded: a cell continuing from a row
above is repeated as a `spanned` copy, so each row carries its group labels. A report held in a
JavaScript string (escaped quotes and all) is unescaped and parsed like the page itself.
"""
import re

import lxml.html
from lxml import etree

from .charset import decode
from .model import Cell, Document, ExtractError

_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_JS_STRING = re.compile(r'"((?:[^"\\\n]|\\.)*)"|\'((?:[^\'\\\n]|\\.)*)\'', re.S)
_JS_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)", re.S)
_TABLE_WORD = re.compile(r"(<|\\x3c|\\u003c|&lt;)\s*table", re.I)  # a table tag, maybe JS-escaped
_OPENED = re.compile(r"<(html|body)[\s>]", re.I)
_CLOSED = re.compile(r"</(html|body)\s*>", re.I)
_OPENED_B = re.compile(_OPENED.pattern.encode(), re.I)
_CLOSED_B = re.compile(_CLOSED.pattern.encode(), re.I)
_JS_SIMPLE = {"n": "\n", "t": "\t", "r": "", "b": "", "f": "", "v": ""}


def clean(text):
    return " ".join(text.split()) if text else ""  # str.split() splits on \u00a0 and \u3000 too


def extract_html(data, header_charset=None):
    root = _parse_utf8(data)
    if root is not None:
        text, encoding = data, "utf-8"
    else:
        text, encoding = decode(data, header_charset)
        root = parse_markup(text, fast=True)
    doc = HtmlDocument(format="html", meta=_meta(root))
    doc.meta["encoding"] = encoding
    if _truncated(text):
        # a page cut in transfer: the last row found may be cut too, and what follows is missing
        doc.warnings.append("the page ends without </html> or </body>: it may be truncated")
    tables, scripts = [], []
    for el in root.iter("table", "script"):  # one walk of the tree for both (each walk costs)
        (tables if el.tag == "table" else scripts).append(el)
    embedded = list(_embedded_reports(scripts))
    for fragment in embedded:
        tables.extend(fragment.iter("table"))
    for t, table in enumerate(tables):
        doc.rows.extend(table_rows(table, t))
    # the text of a report held in a script belongs to the document (its title may be only there)
    doc.text_from([root] + embedded)
    return doc


class HtmlDocument(Document):
    """A Document whose text is collected on first use. Most pages name their title in <head>, so the
    text is rarely needed, and collecting it costs about as much as reading all the tables."""

    _trees = None

    def text_from(self, trees):
        self._trees = trees

    @property
    def text(self):
        if self._trees is not None:
            trees, self._trees = self._trees, None
            self._text = "\n".join(page_text(t) for t in trees)
        return self._text

    @text.setter
    def text(self, value):
        self._text = value

    def flat_text(self):
        """All the text under <body> run together (links and scripts included): for searching a name,
        and far cheaper than `text` (one serialisation in C, no Python string per text node)."""
        if self._trees is None:
            return self._text
        return "".join(etree.tostring(_body(t), method="text", encoding=str) for t in self._trees)


def _parse_utf8(data):
    """Strict UTF-8 bytes straight into lxml, with no Python str in between (the common case, and
    the first rule of charset.decode); None when the bytes are not UTF-8 or carry a BOM."""
    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")) or not data or data.isspace():
        return None
    parser = etree.HTMLParser(encoding="utf-8")  # one per call: parsers are not thread-safe
    try:
        root = etree.fromstring(data, parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None
    if parser.error_log.filter_types([etree.ErrorTypes.ERR_INVALID_ENCODING]):
        return None  # GBK and the like: libxml2 noticed, charset.decode decides
    return root


def _truncated(text):
    if isinstance(text, bytes):
        return bool(_OPENED_B.search(text[:4096])) and not _CLOSED_B.search(text[-2048:])
    return bool(_OPENED.search(text[:4096])) and not _CLOSED.search(text[-2048:])


def parse_markup(text, fast=False):
    """Decoded page text to an lxml tree. The default gives lxml.html elements (text_content(), …)
    for callers that want them; fast=True gives plain etree elements, which extraction uses because
    lxml.html's element classes cost a Python call per element touched."""
    text = _XML_DECL.sub("", text)
    if not text or text.isspace():  # isspace() stops at the first non-space; strip() copies the page
        raise ExtractError("empty", "the page has no content")
    try:
        root = etree.fromstring(text, etree.HTMLParser()) if fast else lxml.html.document_fromstring(text)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as e:
        raise ExtractError("malformed_html", f"the page cannot be parsed as HTML: {e}")
    if root is None:
        raise ExtractError("empty", "the page has no content")
    return root


def table_rows(table, t):
    """The table's own rows (not those of nested tables), rowspans and colspans resolved."""
    rows, pending = [], {}  # pending: grid column -> [origin cell, rows still to cover]
    tostring = etree.tostring
    for r, tr in enumerate(_own_rows(table)):
        out, col = [], 0
        for td in tr.iterchildren("td", "th"):
            while col in pending:
                col = _continue_span(out, pending, col)
            colspan, rowspan = td.get("colspan"), td.get("rowspan")
            colspan = 1 if colspan is None else _span(colspan)
            rowspan = 1 if rowspan is None else _span(rowspan)
            # tostring(method="text") is td.text_content(), about three times faster
            text = " ".join(tostring(td, method="text", encoding=str, with_tail=False).split())
            cell = Cell(text, {"table": t, "row": r, "col": col}, colspan)
            out.append(cell)
            if rowspan > 1:
                pending[col] = [cell, rowspan - 1]
            col += colspan
        if pending:  # spans continuing past this row's last cell
            for c in sorted(c for c in pending if c >= col):
                if c >= col:
                    col = _continue_span(out, pending, c)
        rows.append(out)
    return rows


def _own_rows(table):
    for child in table.iterchildren("tr", "thead", "tbody", "tfoot"):
        if child.tag == "tr":
            yield child
        else:
            yield from child.iterchildren("tr")


def _continue_span(out, pending, col):
    """Repeat the rowspan cell covering `col` in this row; return the column after it."""
    origin, left = pending[col]
    out.append(Cell(origin.text, origin.loc, origin.colspan, spanned=True))
    if left <= 1:
        del pending[col]
    else:
        pending[col][1] = left - 1
    return col + origin.colspan


def _span(value):
    if value is None:
        return 1
    try:
        return max(1, min(int(str(value).strip().rstrip(";")), 100))
    except (TypeError, ValueError):
        return 1


def _meta(root):
    meta = {}
    head = root.find("head")
    scope = root if head is None else head
    for m in scope.iter("meta"):
        name = m.get("name") or m.get("property")
        if name and m.get("content") is not None:
            meta[name] = clean(m.get("content"))
    title = scope.find(".//title")
    if title is not None:
        meta["title"] = clean(etree.tostring(title, method="text", encoding=str, with_tail=False))
    return meta


_TEXT_NODES = etree.XPath(".//text()", smart_strings=False)  # plain strings: much faster than itertext()


def page_text(root):
    """The visible text, one line per text node. Strips the tree (call it last): scripts and styles are
    not text, and link texts are navigation (menus, lists of other reports), never the report itself."""
    return "\n".join(t for t in map(clean, _TEXT_NODES(_visible(root))) if t)


def _visible(root):
    """The body with scripts, styles, comments and links taken out (in place)."""
    body = _body(root)
    etree.strip_elements(body, "script", "style", "a", etree.Comment, with_tail=False)
    return body


def _body(root):
    body = root.find("body")
    return root if body is None else body


def _embedded_reports(scripts):
    """Report markup carried in JavaScript string literals, parsed into element trees."""
    for script in scripts:
        code = script.text or ""
        if not ("table" in code or "TABLE" in code) or not _TABLE_WORD.search(code):  # plain find first: fast
            continue
        pieces = [m.group(1) if m.group(1) is not None else m.group(2) for m in _JS_STRING.finditer(code)]
        markup = "".join(_JS_ESCAPE.sub(_unescape, p) for p in pieces)
        if "<table" in markup.lower():
            yield etree.fromstring(f"<div>{markup}</div>", etree.HTMLParser()).find(".//div")


def _unescape(m):
    esc = m.group(1)
    if esc[0] in "ux" and len(esc) > 1:
        return chr(int(esc[1:], 16))
    return _JS_SIMPLE.get(esc, esc)
