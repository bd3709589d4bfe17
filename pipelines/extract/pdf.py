"""PDF reports into rows of cells (pypdfium2).

Each page is read with PDFium (pdfium_page.py: characters with their boxes, ruling edges, images);
words, text lines and ruled tables are rebuilt from those (pdf_layout.py), since PDFium has no table
finder. Ruled tables are found from their drawn lines, each cell a rectangle; the grid
is rebuilt from the rectangles' edges so a merged cell knows its rowspan and colspan, and rows come
out as html.table_rows makes them: a rowspan cell repeats as a `spanned` copy in the rows below,
a colspan cell appears once. A label wrapped over several lines inside a cell is joined without
spaces (Chinese). A table running over a page break is stitched: header rows repeated on the new
page are dropped, group cells cut by the break carry their label on, and a data row cut in two
(label continued on the next page, no values there) is joined again.

A page without ruled tables gives its text lines as rows instead, cells split at wide gaps. Text that maps to
no Unicode (fonts without ToUnicode: '(cid:N)', U+FFFD, private-use code points) is refused, never
read as numbers; pages that are only images mean a scan, which needs OCR.
"""
import re
from bisect import bisect_left
from dataclasses import dataclass
from operator import itemgetter

from pypdfium2 import PdfiumError
from pypdfium2.raw import FPDF_ERR_PASSWORD

from ..template import normalize_label, strip_ordinal
from ..values import is_value_like
from . import pdf_layout as layout
from .model import Cell, Document, ExtractError
from .pdfium_page import PDFIUM_LOCK, open_pdf, read_page

MAX_PAGES = 80  # reports run 5–20 pages; beyond this it is a compilation, read the start only
_TOL = 1.5  # points: edges this close are the same grid line
_BAD_SHARE = 0.05  # more unreadable characters than this and the text is refused as a whole
_WS = re.compile(r"\s+")
_X0 = itemgetter("x0")
_PAGE_NUMBER = re.compile(r"^[-—–\s]*(第?\s*\d+\s*页?(共\s*\d+\s*页)?|\d+\s*/\s*\d+)[-—–\s]*$")


def extract_pdf(data, header_charset=None):
    with PDFIUM_LOCK:  # PDFium is not thread-safe: the pages are read one document at a time
        try:
            pdf = open_pdf(data)
        except PdfiumError as e:
            if getattr(e, "err_code", None) == FPDF_ERR_PASSWORD:  # an owner password alone opens fine
                raise ExtractError("encrypted", "the PDF is encrypted with a password and cannot be opened")
            raise ExtractError("malformed_pdf", f"the PDF cannot be read: {e}"[:300])
        try:
            count = len(pdf)
            if not count:
                raise ExtractError("malformed_pdf", "the PDF has no pages")
            title = pdf.get_metadata_value("Title")
            pages = [read_page(pdf, n) for n in range(min(count, MAX_PAGES))]
        except ExtractError:
            raise
        except Exception as e:  # a page PDFium opened but cannot interpret: the file is damaged
            raise ExtractError("malformed_pdf", f"the PDF cannot be read: {type(e).__name__}: {e}"[:300])
        finally:
            pdf.close()
    return _extract(pages, count, title)


def _extract(pages, count, title):
    """The document from its pages as read (plain data, PDFium done with)."""
    doc = Document(format="pdf")
    if count > MAX_PAGES:
        doc.warnings.append(f"{count} pages: only the first {MAX_PAGES} were read")
    if title:
        doc.meta["pdf_title"] = title  # often stale (a template's title): not trusted as the title
    _check_readable(pages, doc)
    for page in pages:
        page.chars = layout.dedupe(page.chars)  # fake bold prints each character twice
        page.lines = layout.lines(page.chars, keep_order=True)
    doc.text = "\n".join("\n".join(map(layout.line_text, page.lines)) for page in pages)
    tables = [table for p, page in enumerate(pages) for table in _page_tables(page, p)]
    for t, table in enumerate(tables):
        for c in table.cells:
            c.table = t
    _stitch(tables, pages)
    if not tables:
        doc.warnings.append("no ruled tables: rows read from text lines")
    for p, page in enumerate(pages):
        on_page = [table for table in tables if table.page == p]
        if on_page:
            for table in on_page:
                doc.rows.extend(table.rows_of_cells())
        else:  # a page without rulings (prose, or a table laid out with spaces): its text lines
            doc.rows.extend(_line_rows(page, p))
    return doc


# -- readability ------------------------------------------------------------------------------------


_BAD = re.compile("^\\(cid:|[\ufffd\ue000-\uf8ff]")  # pdfminer's name for an unmapped glyph, U+FFFD, private use


def _is_bad(text):
    return _BAD.search(text) is not None


def _check_readable(pages, doc):
    bad = good = 0
    image_only = []
    for n, page in enumerate(pages, 1):
        chars = [c["text"] for c in page.chars if c["text"].strip()]
        page_bad = len(list(filter(_BAD.search, chars)))  # _is_bad, for every character of the PDF
        bad += page_bad
        good += len(chars) - page_bad
        if not chars and page.images:
            image_only.append(n)
    if bad + good == 0:
        if image_only:
            raise ExtractError("needs_ocr", f"the PDF is scanned: {len(image_only)} page(s) of images and no text "
                                            "layer; its tables need OCR")
        raise ExtractError("needs_ocr", "the PDF has no text layer (text drawn as outlines?); it needs OCR")
    if bad / (bad + good) > _BAD_SHARE:
        raise ExtractError("no_unicode_map", f"{bad} of {bad + good} characters have no Unicode mapping (fonts "
                                             "without a ToUnicode map): the text cannot be read, no values taken")
    if bad:
        doc.warnings.append(f"{bad} characters have no Unicode mapping; cells holding them are left unread")
    if image_only:
        doc.warnings.append(f"pages {image_only} are images with no text: anything on them needs OCR")


# -- ruled tables -----------------------------------------------------------------------------------


@dataclass
class _Placed:
    row: int
    col: int
    rowspan: int
    colspan: int
    text: str
    bbox: tuple
    page: int
    origin: "_Placed" = None  # the cell this one continues from the page before (a cut merged cell)
    table: int = None  # index in document order, set when the tables are numbered

    def __post_init__(self):
        self.loc_row = self.row  # the row as printed on its page, before stitching renumbers


class _Table:
    """One ruled table on one page, as cells placed on a rebuilt grid."""

    def __init__(self, page, bbox, cells):
        self.page, self.bbox, self.cells = page, bbox, cells
        self.nrows = max((c.row + c.rowspan for c in cells), default=0)
        self.ncols = max((c.col + c.colspan for c in cells), default=0)
        # the leading rows as printed: what a continuation on the next page repeats, if anything
        self.head = [_texts(self.row(r)) for r in range(min(self.nrows, 8))]

    def row(self, r):
        """Cells that begin in row r."""
        return sorted((c for c in self.cells if c.row == r), key=lambda c: c.col)

    def covering(self, r):
        """Cells that begin in row r or reach down into it."""
        return sorted((c for c in self.cells if c.row <= r < c.row + c.rowspan), key=lambda c: c.col)

    def rows_of_cells(self):
        """Rows as in html.table_rows: rowspans repeated as spanned copies, colspans once."""
        out = []
        for r in range(self.nrows):
            row = []
            for c in self.covering(r):
                src = c.origin or c
                loc = {"page": src.page, "table": src.table, "row": src.loc_row, "col": src.col}
                row.append(Cell(src.text, loc, c.colspan, spanned=c.origin is not None or c.row != r))
            out.append(row)
        return out


def _page_tables(page, p):
    tables = []
    for boxes in layout.find_tables(page.edges):
        bbox = layout.bbox(boxes)
        cells = _place(boxes, _centred_in(page.chars, bbox), p)
        if cells:
            tables.append(_Table(p, bbox, cells))
    return sorted(tables, key=lambda t: (t.bbox[1], t.bbox[0]))


def _lines_of(values):
    """Distinct coordinates, merging those within _TOL of each other."""
    out = []
    for v in sorted(values):
        if not out or v - out[-1] > _TOL:
            out.append(v)
    return out


def _index(lines, v):
    """The line nearest to v (the first of two as near)."""
    i = bisect_left(lines, v)
    if i == len(lines) or (i and v - lines[i - 1] <= lines[i] - v):
        return i - 1
    return i


def _centred_in(chars, b):
    """Characters whose centre is inside the box (a glyph's ascent may poke above a cell's top line)."""
    return [ch for ch in chars if b[0] <= (ch["x0"] + ch["x1"]) / 2 < b[2]
            and b[1] <= (ch["top"] + ch["bottom"]) / 2 < b[3]]


def _place(bboxes, chars, p):
    xs = _lines_of([b[0] for b in bboxes] + [b[2] for b in bboxes])
    ys = _lines_of([b[1] for b in bboxes] + [b[3] for b in bboxes])
    # _centred_in, by bisection: the characters by the height of their centre; those of one band of
    # rows by the width of their centre (scanning the table's characters for each cell was the
    # slowest step of reading a page)
    cx = [(ch["x0"] + ch["x1"]) / 2 for ch in chars]
    cy = [(ch["top"] + ch["bottom"]) / 2 for ch in chars]
    by_height = sorted(range(len(chars)), key=cy.__getitem__)
    heights = [cy[i] for i in by_height]
    bands = {}
    cells = []
    for b in bboxes:
        c0, c1 = _index(xs, b[0]), _index(xs, b[2])
        r0, r1 = _index(ys, b[1]), _index(ys, b[3])
        if c1 <= c0 or r1 <= r0:
            continue
        band = bands.get((b[1], b[3]))
        if band is None:
            band = sorted(by_height[bisect_left(heights, b[1]):bisect_left(heights, b[3])], key=cx.__getitem__)
            band = bands[b[1], b[3]] = (band, [cx[i] for i in band])
        found, widths = band
        inside = [chars[i] for i in sorted(found[bisect_left(widths, b[0]):bisect_left(widths, b[2])])]
        text = _join_lines(layout.text(inside)) if inside else ""
        cells.append(_Placed(r0, c0, r1 - r0, c1 - c0, text, b, p))
    return cells


def _join_lines(text):
    """A wrapped label is one label: lines joined without spaces, inner runs of spaces kept as one."""
    return "".join(_WS.sub(" ", line).strip() for line in text.split("\n"))


# -- tables across page breaks ----------------------------------------------------------------------


def _texts(cells):
    return [c.text for c in cells if c.text]


def _stitch(tables, pages):
    """Make each table continued from the page before read on from the table it continues."""
    for prev, table in zip(tables, tables[1:]):
        if _continues(prev, table, pages):
            _join(prev, table)


def _repeated_header(prev, table):
    """How many leading rows of `table` repeat the leading rows of `prev`, word for word."""
    n = 0
    while n < min(len(prev.head), table.nrows - 1):
        a, b = prev.head[n], _texts(table.row(n))
        if not b or a != b or any(is_value_like(t) for t in b):
            break
        n += 1
    return n


def _continues(prev, table, pages):
    """`table` opens its page and `prev` closed the page before: one table, if the header repeats,
    or if both have the same edges and nothing but a page number stands above `table`."""
    if table.page != prev.page + 1:
        return False
    if _repeated_header(prev, table):
        return True
    page = pages[table.page]
    same_edges = abs(prev.bbox[0] - table.bbox[0]) < 3 and abs(prev.bbox[2] - table.bbox[2]) < 3
    above = layout.text(_centred_in(page.chars, (0, 0, page.width, table.bbox[1])))
    prose_above = [l for l in above.split("\n") if l.strip() and not _PAGE_NUMBER.match(l)]
    return same_edges and not prose_above


def _join(prev, table):
    """Make `table` read on from `prev`: drop the repeated header, carry cut cells over."""
    _drop_rows(table, _repeated_header(prev, table))
    table.head = prev.head  # a third page repeats the first page's header, not this page's rows
    last = prev.covering(prev.nrows - 1)
    if _is_cut_row(last, table.covering(0)):
        for c in table.row(0):
            above = _same_column(last, c)
            if above is not None and c.text and c.rowspan == 1:
                above.text += c.text
        _drop_rows(table, 1)
    # blank cells of the first row under a label of the last row: one merged cell, cut by the page
    for c in table.row(0):
        above = _same_column(last, c)
        if not c.text and above is not None and above.text and not is_value_like(above.text):
            c.origin = above.origin or above


def _drop_rows(table, n):
    """Remove the first n rows; a cell reaching below them keeps its lower part."""
    if n <= 0:
        return
    kept = []
    for c in table.cells:
        if c.row + c.rowspan <= n:
            continue
        if c.row < n:
            c.rowspan -= n - c.row
            c.row = n
        c.row -= n
        kept.append(c)
    table.cells = kept
    table.nrows -= n


def _same_column(row, cell):
    for c in row:
        if abs(c.bbox[0] - cell.bbox[0]) < 3 and abs(c.bbox[2] - cell.bbox[2]) < 3:
            return c
    return None


def _is_cut_row(last, first):
    """`first` is the rest of `last`: a label fragment that is not a new numbered label, with blank
    cells exactly where `last` has its numbers."""
    if not last or len(first) != len(last):
        return False
    pairs = [(a, _same_column(first, a)) for a in last]
    if any(b is None for a, b in pairs):
        return False
    numbers = [(a, b) for a, b in pairs if a.text and is_value_like(a.text)]
    labels = [b.text for a, b in pairs if b.text]
    return (bool(numbers) and all(not b.text for a, b in numbers) and bool(labels)
            and not _numbered(labels[0]) and not any(is_value_like(t) for t in labels))


def _numbered(label):
    """Does the label begin with its own number (（一）, 一、, 1.): then it starts a row of its own."""
    label = normalize_label(label)
    return strip_ordinal(label) != label


# -- text lines -------------------------------------------------------------------------------------


def _line_rows(page, p):
    """Each text line a row; cells split where the gap between characters is wider than ~2 spaces."""
    rows = []
    for n, line in enumerate(page.lines):
        chars = sorted((c for word in line for c in word if c["text"].strip()), key=_X0)
        if not chars or _PAGE_NUMBER.match(layout.line_text(line)):
            continue
        groups = [[chars[0]]]
        for prev, ch in zip(chars, chars[1:]):
            if ch["x0"] - prev["x1"] > 0.8 * max(prev["size"], ch["size"]):
                groups.append([])
            groups[-1].append(ch)
        rows.append([Cell("".join(c["text"] for c in g), {"page": p, "line": n, "col": i})
                     for i, g in enumerate(groups)])
    return rows
