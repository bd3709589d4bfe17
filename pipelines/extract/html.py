"""HTML pages as portals serve them, into rows of cells.

lxml parses (fast and forgiving of broken markup); charset detection is charset.decode (UnicodeDammit
as the last resort). Every <table> becomes rows with rowspans expanded: a cell continuing from a row
above is repeated as a `spanned` copy, so each row carries its group labels. A report held in a
JavaScript string (escaped quotes and all) is unescaped and parsed like the page itself.
"""
import re

import lxml.html
from lxml import etree

from .charset import decode
from .model import Cell, Document, ExtractError

_WS = re.compile(r"[\s\u00a0\u3000]+")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_JS_STRING = re.compile(r'"((?:[^"\\\n]|\\.)*)"|\'((?:[^\'\\\n]|\\.)*)\'', re.S)
_JS_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)", re.S)
_OPENED = re.compile(r"<(html|body)[\s>]", re.I)
_CLOSED = re.compile(r"</(html|body)\s*>", re.I)
_JS_SIMPLE = {"n": "\n", "t": "\t", "r": "", "b": "", "f": "", "v": ""}


def clean(text):
    return _WS.sub(" ", text or "").strip()


def extract_html(data, header_charset=None):
    text, encoding = decode(data, header_charset)
    root = parse_markup(text)
    doc = Document(format="html", meta=_meta(root))
    doc.meta["encoding"] = encoding
    if _OPENED.search(text[:4096]) and not _CLOSED.search(text[-2048:]):
        # a page cut in transfer: the last row found may be cut too, and what follows is missing
        doc.warnings.append("the page ends without </html> or </body>: it may be truncated")
    tables = list(root.iter("table"))
    embedded = list(_embedded_reports(root))
    for fragment in embedded:
        tables.extend(fragment.iter("table"))
    for t, table in enumerate(tables):
        doc.rows.extend(table_rows(table, t))
    # the text of a report held in a script belongs to the document (its title may be only there)
    doc.text = "\n".join([page_text(root)] + [page_text(f, ".//text()") for f in embedded])
    return doc


def parse_markup(text):
    text = _XML_DECL.sub("", text)
    if not text.strip():
        raise ExtractError("empty", "the page has no content")
    try:
        return lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as e:
        raise ExtractError("malformed_html", f"the page cannot be parsed as HTML: {e}")


def table_rows(table, t):
    """The table's own rows (not those of nested tables), rowspans and colspans resolved."""
    rows, pending = [], {}  # pending: grid column -> [origin cell, rows still to cover]
    for r, tr in enumerate(table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr")):
        out, col = [], 0
        tds = tr.xpath("./td|./th")
        i = 0
        while i < len(tds) or any(c >= col for c in pending):
            if col in pending:
                origin, left = pending[col]
                out.append(Cell(origin.text, origin.loc, origin.colspan, spanned=True))
                if left <= 1:
                    del pending[col]
                else:
                    pending[col][1] = left - 1
                col += origin.colspan
                continue
            if i >= len(tds):
                col = min(c for c in pending if c >= col)
                continue
            td = tds[i]
            i += 1
            colspan = _span(td.get("colspan"))
            rowspan = _span(td.get("rowspan"))
            cell = Cell(clean(td.text_content()), {"table": t, "row": r, "col": col}, colspan)
            out.append(cell)
            if rowspan > 1:
                pending[col] = [cell, rowspan - 1]
            col += colspan
        rows.append(out)
    return rows


def _span(value):
    try:
        return max(1, min(int(str(value).strip().rstrip(";")), 100))
    except (TypeError, ValueError):
        return 1


def _meta(root):
    meta = {}
    for m in root.iter("meta"):
        name = m.get("name") or m.get("property")
        if name and m.get("content") is not None:
            meta[name] = clean(m.get("content"))
    title = root.find(".//title")
    if title is not None:
        meta["title"] = clean(title.text_content())
    return meta


def page_text(root, scope="//body//text()"):
    # link texts are navigation (menus, lists of other reports), never the report itself
    texts = root.xpath(scope + "[not(ancestor::script) and not(ancestor::style) and not(ancestor::a)]")
    return "\n".join(t for t in (clean(x) for x in texts) if t)


def _embedded_reports(root):
    """Report markup carried in JavaScript string literals, parsed into element trees."""
    for script in root.iter("script"):
        code = script.text or ""
        if "table" not in code.lower():
            continue
        pieces = [m.group(1) if m.group(1) is not None else m.group(2) for m in _JS_STRING.finditer(code)]
        markup = "".join(_JS_ESCAPE.sub(_unescape, p) for p in pieces)
        if "<table" in markup.lower():
            yield lxml.html.fragment_fromstring(markup, create_parent="div")


def _unescape(m):
    esc = m.group(1)
    if esc[0] in "ux" and len(esc) > 1:
        return chr(int(esc[1:], 16))
    return _JS_SIMPLE.get(esc, esc)
