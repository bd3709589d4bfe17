"""Word .docx reports into rows of cells.

python-docx only loads the package; the XML is walked here, because python-docx's `row.cells`
repeats a merged cell at every grid position it covers (values would be counted twice) and has no
API for vertical merges. Here a `w:gridSpan` cell is one cell with its colspan, a `w:vMerge`
continuation is a `spanned` copy of the cell that restarted the merge (as html.table_rows does for
rowspans), and tables nested in a cell follow the row that holds them.
"""
import io

from .model import Cell, Document, ExtractError

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_WRAPPERS = {W + "sdt", W + "sdtContent", W + "customXml", W + "smartTag"}  # containers with no meaning here
_SKIP = {W + "moveFrom", W + "del", MC_FALLBACK}  # moved-away text, deletions, duplicate fallbacks
_TEXT = {W + "t": None, W + "tab": " ", W + "br": "", W + "cr": "", W + "noBreakHyphen": "-"}


def extract_docx(data, header_charset=None):
    import docx  # imported here: only Word documents pay for it
    try:
        package = docx.Document(io.BytesIO(data))
        body = package.element.body
    except Exception as e:  # zip, XML and package errors all mean the same: not a readable .docx
        raise ExtractError("malformed_docx", f"the Word file cannot be read: {type(e).__name__}: {e}"[:300])
    doc = Document(format="docx")
    title = package.core_properties.title
    if title:
        doc.meta["docx_title"] = title  # often a stale template title: kept, not trusted as the title
    walker = _Walker(doc)
    walker.blocks(body)
    doc.text = "\n".join(walker.lines)
    return doc


def _children(el):
    """Child elements, looking through content controls and other transparent wrappers."""
    for child in el:
        if child.tag in _WRAPPERS:
            yield from _children(child)
        else:
            yield child


def paragraph_text(p):
    parts = []
    for el in p.iter(*_TEXT):
        if any(a.tag in _SKIP for a in el.iterancestors()):
            continue
        parts.append((el.text or "") if _TEXT[el.tag] is None else _TEXT[el.tag])
    return "".join(parts).strip()


def _val(el, path):
    found = el.find(path)
    return None if found is None else found.get(W + "val", "")


def _int(value, default=1):
    try:
        return max(1, min(int(value), 100))
    except (TypeError, ValueError):
        return default


class _Walker:
    def __init__(self, doc):
        self.doc = doc
        self.lines = []
        self.tables = 0

    def blocks(self, el):
        for child in _children(el):
            if child.tag == W + "p":
                text = paragraph_text(child)
                if text:
                    self.lines.append(text)
            elif child.tag == W + "tbl":
                self.table(child)

    def table(self, tbl):
        t = self.tables
        self.tables += 1
        merges = {}  # grid column -> the cell that restarted a vertical merge there
        for r, tr in enumerate(c for c in _children(tbl) if c.tag == W + "tr"):
            row, nested = [], []
            col = _int(_val(tr, f"{W}trPr/{W}gridBefore"), 0)
            for tc in (c for c in _children(tr) if c.tag == W + "tc"):
                span = _int(_val(tc, f"{W}tcPr/{W}gridSpan"))
                vmerge = _val(tc, f"{W}tcPr/{W}vMerge")
                if _val(tc, f"{W}tcPr/{W}hMerge") in ("", "continue") and row:
                    row[-1].colspan += span  # legacy horizontal merge: part of the cell on the left
                    col += span
                    continue
                if vmerge in ("", "continue") and col in merges:
                    origin = merges[col]
                    row.append(Cell(origin.text, origin.loc, span, spanned=True))
                else:
                    text = self._cell_text(tc, nested)
                    cell = Cell(text, {"table": t, "row": r, "col": col}, span)
                    row.append(cell)
                    for c in range(col, col + span):
                        merges.pop(c, None)
                    if vmerge == "restart":
                        merges[col] = cell
                col += span
            self.doc.rows.append(row)
            for inner in nested:
                self.table(inner)

    def _cell_text(self, tc, nested):
        """The cell's paragraphs joined without spaces (a label wrapped by hand is one label);
        each paragraph is also a line of the document text. Nested tables are set aside."""
        parts = []
        for child in _children(tc):
            if child.tag == W + "p":
                text = paragraph_text(child)
                if text:
                    parts.append(text)
                    self.lines.append(text)
            elif child.tag == W + "tbl":
                nested.append(child)
        return "".join(parts)
