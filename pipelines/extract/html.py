"""HTML pages as portals serve them, into rows of cells.

Extraction parses with lexbor (through selectolax): on real portal pages, 100-370 KB of which the
report is a small part, lexbor builds the tree about three times faster than libxml2, and it parses as
browsers do (HTML5), which is how the publisher saw the page. lxml stays for callers that want its
element API on a whole page (parse_markup: the crawler's page metadata).
Charset detection is charset.decode (UnicodeDammit as the last resort). Every <table> becomes rows with
rowspans expanded: a cell continuing from a row above is repeated as a `spanned` copy, so each row
carries its group labels. A report held in a JavaScript string (escaped quotes and all) is unescaped
and parsed like the page itself.
"""
import codecs
import re

import lxml.html
from lxml import etree
from selectolax.lexbor import LexborHTMLParser

from .charset import decode_checked
from .model import Cell, Document, ExtractError

_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_JS_STRING = re.compile(r'"((?:[^"\\\n]|\\.)*)"|\'((?:[^\'\\\n]|\\.)*)\'', re.S)
_JS_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)", re.S)
_TABLE_WORD = re.compile(r"(<|\\x3c|\\u003c|&lt;)\s*table", re.I)  # a table tag, maybe JS-escaped
_OPENED = re.compile(r"<(html|body)[\s>]", re.I)
_CLOSED = re.compile(r"</(html|body)\s*>", re.I)
_JS_SIMPLE = {"n": "\n", "t": "\t", "r": "", "b": "", "f": "", "v": ""}


def clean(text):
    return " ".join(text.split()) if text else ""  # str.split() splits on \u00a0 and \u3000 too


def extract_html(data, header_charset=None):
    decoded = decode_checked(data, header_charset)
    text, encoding = decoded.text, decoded.encoding
    # UTF-8 bytes go to lexbor as they are (it reads bytes as UTF-8): no second encoding of the page
    tree = parse_page(data if encoding == "utf-8" and not data.startswith(codecs.BOM_UTF8) else text)
    doc = HtmlDocument(format="html", meta=_meta(tree))
    doc.meta.update(encoding=encoding, lossy=decoded.lossy)
    doc.warnings.extend(decoded.warnings)
    if _truncated(text):
        # a page cut in transfer: the last row found may be cut too, and what follows is missing
        doc.warnings.append("the page ends without </html> or </body>: it may be truncated")
    tables, scripts = [], []
    for node in tree.css("table, script"):  # one walk of the page for both (it costs as much as two)
        (tables if node.tag == "table" else scripts).append(node)
    embedded = list(_embedded_reports(scripts))
    tables += [table for fragment in embedded for table in fragment.css("table")]
    for t, table in enumerate(tables):
        doc.rows.extend(table_rows(table, t))
    depth = max((_depth(table) for table in tables), default=0)
    if depth > LXML_DEPTH:
        doc.warnings.append(f"tables nested {depth} elements deep: read (lexbor has no depth limit), but tools "
                            f"built on libxml2 stop at {LXML_DEPTH} levels and do not see them")
    # the text of a report held in a script belongs to the document (its title may be only there)
    doc.text_from([tree] + embedded)
    return doc


LXML_DEPTH = 256  # libxml2's default nesting limit (2048 with huge_tree, as parse_markup uses)


def _depth(node):
    n = 0
    while node.parent is not None:
        node, n = node.parent, n + 1
    return n


def parse_page(text):
    """Decoded page text (or UTF-8 bytes) to a lexbor tree, as extraction numbers its tables and cells."""
    if not text or text.isspace():  # isspace() stops at the first non-space; strip() copies the page
        raise ExtractError("empty", "the page has no content")
    return LexborHTMLParser(text)


def page_tables(tree):
    """The page's tables in document order: the numbering of every cell's location (extract_html
    selects them together with the scripts, in the same order)."""
    return tree.css("table")


class HtmlDocument(Document):
    """A Document whose text is collected on first use. Most pages name their title in <head>, so the
    text is rarely needed."""

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

    _flat = None

    def flat_text(self):
        """All the text under <body> run together (links and scripts included): for searching a name.
        Kept once made (the agency's name and the template's marks are both searched in it)."""
        if self._trees is None:
            return self._text
        if self._flat is None:
            self._flat = "".join(_body(t).text(deep=True) for t in self._trees)
        return self._flat


def _truncated(text):
    return bool(_OPENED.search(text[:4096])) and not _CLOSED.search(text[-2048:])


_HUGE = lxml.html.HTMLParser(huge_tree=True)  # nesting up to 2048 levels, not 256: deep pages keep their body


def parse_markup(text):
    """Decoded page text to an lxml.html tree (text_content(), xpath …), for callers that want lxml's API
    on a whole page. libxml2 drops what is nested deeper than 2048 levels (extraction reads with lexbor,
    which has no such limit)."""
    text = _XML_DECL.sub("", text)
    if not text or text.isspace():
        raise ExtractError("empty", "the page has no content")
    try:
        root = lxml.html.document_fromstring(text, parser=_HUGE)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as e:
        raise ExtractError("malformed_html", f"the page cannot be parsed as HTML: {e}")
    if root is None:
        raise ExtractError("empty", "the page has no content")
    return root


def table_rows(table, t):
    """The table's own rows (not those of nested tables), rowspans and colspans resolved."""
    rows, pending = [], {}  # pending: grid column -> [origin cell, rows still to cover]
    # reading a cell's attributes costs more than its text (Word pastes many): read only those spanning
    # (any element with a span attribute: matching on the name alone is twice as fast, and only cells are
    # looked up)
    spans = {n.mem_id: n.attributes for n in table.css("[rowspan], [colspan]")}
    for r, tr in enumerate(own_rows(table)):
        out, col = [], 0
        for td in row_cells(tr):  # the cells db/originals.py numbers the same way when it highlights one
            while col in pending:
                col = _continue_span(out, pending, col)
            text = " ".join(td.text_lexbor().split())
            attrs = spans.get(td.mem_id) if spans else None
            if attrs:
                colspan, rowspan = _span(attrs.get("colspan")), _span(attrs.get("rowspan"))
                cell = Cell(text, {"table": t, "row": r, "col": col}, colspan)
                if rowspan > 1:
                    pending[col] = [cell, rowspan - 1]
                col += colspan
            else:
                cell = Cell(text, {"table": t, "row": r, "col": col})
                col += 1
            out.append(cell)
        if pending:  # spans continuing past this row's last cell
            for c in sorted(c for c in pending if c >= col):
                if c >= col:
                    col = _continue_span(out, pending, c)
        rows.append(out)
    return rows


_CELL_TAGS = frozenset(("td", "th"))


def own_rows(table):
    """A table's <tr>s, not those of tables nested in its cells."""
    for child in table.iter():
        if child.tag == "tr":
            yield child
        elif child.tag in ("thead", "tbody", "tfoot"):
            yield from (tr for tr in child.iter() if tr.tag == "tr")


def row_cells(tr):
    return (td for td in tr.iter() if td.tag in _CELL_TAGS)


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


def _meta(tree):
    meta = {}
    head = tree.head
    metas = head.css("meta") if head is not None else []
    for m in metas or tree.css("meta"):
        attrs = m.attributes
        name = attrs.get("name") or attrs.get("property")
        if name and attrs.get("content") is not None:
            meta[name] = clean(attrs.get("content"))
    title = tree.css_first("title")
    if title is not None:
        meta["title"] = clean(title.text(deep=True))
    return meta


def page_text(tree):
    """The visible text, one line per text node. Strips the tree (call it last): scripts and styles are
    not text, and link texts are navigation (menus, lists of other reports), never the report itself."""
    body = _body(tree)
    for node in body.css("script, style, a"):
        node.decompose()
    return "\n".join(t for t in map(clean, body.text(deep=True, separator="\n").split("\n")) if t)


def _body(tree):
    return tree.body if tree.body is not None else tree.root


def _embedded_reports(scripts):
    """Report markup carried in JavaScript string literals, parsed into element trees."""
    for script in scripts:
        code = script.text(deep=True)
        if not ("table" in code or "TABLE" in code) or not _TABLE_WORD.search(code):  # plain find first: fast
            continue
        pieces = [m.group(1) if m.group(1) is not None else m.group(2) for m in _JS_STRING.finditer(code)]
        markup = "".join(_JS_ESCAPE.sub(_unescape, p) for p in pieces)
        if "<table" in markup.lower():
            yield LexborHTMLParser(f"<div>{markup}</div>")


def _unescape(m):
    esc = m.group(1)
    if esc[0] in "ux" and len(esc) > 1:
        return chr(int(esc[1:], 16))
    return _JS_SIMPLE.get(esc, esc)
