"""One PDF page read with pypdfium2 (PDFium): its characters with their boxes, its ruling edges, its images.

PDFium parses and interprets the page in C++, where pdfminer did it in Python (85% of the time the
old extractor spent), but it gives lower-level answers than pdfminer/pdfplumber did, so this module
fills the gaps:

* Characters. PDFium's text page has each character's Unicode, origin, font and matrix. Its boxes
  are not the ones the table code needs: FPDFText_GetCharBox is the glyph's ink, and
  FPDFText_GetLooseCharBox takes the advance width from the font program, which for a font that is
  not embedded is PDFium's substitute, not the widths the PDF declares. The box is built here the
  way pdfminer builds it: from the origin, across the declared advance (FPDFFont_GetGlyphWidth reads
  the PDF's /W or /Widths), and up one font size from the font's descent. (One difference remains:
  where a font descriptor says /Descent 0, as LibreOffice writes it, pdfminer took 0 and PDFium
  reads the descent from the font program, so such boxes sit about a fifth of the font size lower;
  horizontal positions are pdfminer's to the last digit.) Vertical writing (Identity-V) is read as
  horizontal. PDFium also adds
  characters of its own (spaces and line breaks between words and lines: FPDFText_IsGenerated), which
  are dropped; and for a font without a Unicode map it returns the raw glyph code as if it were
  text, so every character flagged by FPDFText_HasUnicodeMapError becomes U+FFFD here, never read.
* Ruling lines. PDFium has page objects and path segments only: no lines, no rectangles, points in
  the object's own space (and a form XObject's objects in the form's space). Each straight
  horizontal or vertical segment of a stroked or filled path becomes an edge in page coordinates
  (top-down, as pdfplumber measured), whatever drew it: a stroked line, a rectangle's four sides (a
  thin filled rectangle, as Word and WPS draw table rules, gives two edges a hair apart, which the
  table finder snaps into one), a polygon's sides. A slanted segment rules nothing (pdfplumber made a
  lone slanted line a vertical edge at its left end, which for a diagonal header rule lies on the
  cell's left border anyway).
* Images: image objects, inside forms too (a scan is a page of images and no text).
"""
import ctypes
import threading
from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as R

_PATH, _IMAGE, _FORM = R.FPDF_PAGEOBJ_PATH, R.FPDF_PAGEOBJ_IMAGE, R.FPDF_PAGEOBJ_FORM
_MOVETO, _BEZIERTO = R.FPDF_SEGMENT_MOVETO, R.FPDF_SEGMENT_BEZIERTO
_STRAIGHT = 1e-3  # points: a segment whose ends differ less than this across is straight (float noise)
_MAX_FORM_DEPTH = 8
PDFIUM_LOCK = threading.Lock()  # PDFium must not be called from two threads at once


def _address(pointer):
    return ctypes.cast(pointer, ctypes.c_void_p).value


@dataclass
class Page:
    number: int  # 0-based
    width: float
    height: float
    chars: list = field(default_factory=list)  # dicts: text, x0, x1, top, bottom, size, upright, fontname
    edges: list = field(default_factory=list)  # (orientation "h"|"v", position, start, end), top-down coordinates
    images: list = field(default_factory=list)  # (x0, top, x1, bottom) of each image
    lines: list = None  # text lines (pdf_layout.lines), once the characters are deduplicated


def open_pdf(data):
    """The PDF as a pypdfium2 document (PdfiumError when it cannot be opened)."""
    return pdfium.PdfDocument(data)


def read_page(doc, number):
    page = doc[number]
    try:
        to_page = _page_transform(page)
        left, bottom, right, top = page.get_mediabox()
        if page.get_rotation() % 180:
            width, height = abs(top - bottom), abs(right - left)
        else:
            width, height = abs(right - left), abs(top - bottom)
        out = Page(number, width, height)
        textpage = page.get_textpage()
        try:
            out.chars = _chars(textpage.raw, to_page)
        finally:
            textpage.close()
        _objects(ctypes.cast(page.raw, ctypes.c_void_p), _page_objects, to_page, out, 0)
        return out
    finally:
        page.close()


def _page_transform(page):
    """PDF user space -> pdfplumber's page space (origin top left, y down), rotation applied as
    pdfminer applies it (its CTM for /Rotate), so positions are those the old reader gave. A matrix
    (a, b, c, d, e, f): x' = a x + c y + e, y' = b x + d y + f."""
    x0, y0, x1, y1 = page.get_mediabox()
    x0, x1 = sorted((x0, x1))
    y0, y1 = sorted((y0, y1))
    return {90: (0, 1, 1, 0, -y0, -x0), 180: (-1, 0, 0, 1, x1, -y0),
            270: (0, -1, -1, 0, y1, x1)}.get(page.get_rotation() % 360, (1, 0, 0, -1, 0, y1))


def _then(m, t):
    """The matrix m followed by t."""
    a, b, c, d, e, f = m
    ta, tb, tc, td, te, tf = t
    return (a * ta + b * tc, a * tb + b * td, c * ta + d * tc, c * tb + d * td,
            e * ta + f * tc + te, e * tb + f * td + tf)


# -- characters -------------------------------------------------------------------------------------

def _plain(fn, restype, *argtypes):
    """The PDFium function `fn` typed with plain C types: pypdfium2's typed pointers are checked and
    converted on every call, a quarter of the cost of the calls made for each character."""
    return ctypes.CFUNCTYPE(restype, *argtypes)(ctypes.cast(fn, ctypes.c_void_p).value)


_c_double_p = ctypes.POINTER(ctypes.c_double)
_unicode = _plain(R.FPDFText_GetUnicode, ctypes.c_uint, ctypes.c_void_p, ctypes.c_int)
_map_error = _plain(R.FPDFText_HasUnicodeMapError, ctypes.c_int, ctypes.c_void_p, ctypes.c_int)
_origin = _plain(R.FPDFText_GetCharOrigin, ctypes.c_int, ctypes.c_void_p, ctypes.c_int, _c_double_p, _c_double_p)
# the text object that drew a character, as an address (an int): a ctypes pointer would be a new
# Python object each time, useless as the key its characters are grouped by
_object_at = _plain(R.FPDFText_GetTextObject, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int)
_text_matrix = _plain(R.FPDFText_GetMatrix, ctypes.c_int, ctypes.c_void_p, ctypes.c_int, ctypes.POINTER(R.FS_MATRIX))
_font_size = _plain(R.FPDFText_GetFontSize, ctypes.c_double, ctypes.c_void_p, ctypes.c_int)
_object_font = _plain(R.FPDFTextObj_GetFont, ctypes.c_void_p, ctypes.c_void_p)


_SPACES = {ord(ch) for ch in map(chr, range(0x3001)) if ch.isspace()}


def _chars(textpage, to_page):
    tp = ctypes.cast(textpage, ctypes.c_void_p)
    n = R.FPDFText_CountChars(textpage)
    get_unicode, map_error, get_origin, object_at = _unicode, _map_error, _origin, _object_at
    pa, pb, pc, pd, pe, pf = to_page
    plain_page = to_page == (1, 0, 0, -1, 0, pf)  # not turned: x stays, y flips
    ox, oy = ctypes.c_double(), ctypes.c_double()
    px, py = ctypes.pointer(ox), ctypes.pointer(oy)
    runs = {}  # text object -> what its characters share
    kinds = {}  # (matrix, font size, font) -> what the characters of such objects share
    fonts = {}  # font -> (name, descent, advance widths)
    m = R.FS_MATRIX()
    pm = ctypes.pointer(m)
    chars = []
    append = chars.append
    key = None
    codes = _codes(textpage, n)
    if codes is None:
        codes = [get_unicode(tp, i) for i in range(n)]
    for i, u in enumerate(codes):
        if u in _SPACES and R.FPDFText_IsGenerated(textpage, i):
            continue  # a space or line break PDFium inferred, not a character of the page
        obj = object_at(tp, i)
        if obj != key:  # the characters of one text object mostly come together
            key = obj
            run = runs.get(key)
            if run is None:  # a new text object: most are a few characters (a word, a table cell)
                _text_matrix(tp, i, pm)
                kind = (m.a, m.b, m.c, m.d, _font_size(tp, i), _object_font(key))
                run = kinds.get(kind)
                if run is None:
                    run = kinds[kind] = _run(kind, to_page, fonts)
                runs[key] = run
            A, B, C, D, fs, lo, hi, fontname, widths, font, upright = run
            straight = B == 0 and C == 0 and A > 0  # neither turned nor mirrored across (nearly all text)
            size = (hi - lo) * abs(D)  # the same for every character of the object (fake bold is found by it)
            to_top, to_bottom = (hi * D, lo * D) if D < 0 else (lo * D, hi * D)  # from the baseline, in page space
        text = "\ufffd" if not u or map_error(tp, i) else chr(u)  # unmapped: PDFium gives the glyph code
        adv = widths.get(u)
        if adv is None:
            adv = widths[u] = _advance(font, u)
        adv *= fs
        if not adv and straight and u not in _SPACES:
            adv = _loose_width(textpage, i) / A  # the font's own width, if the PDF's cannot be looked up
        get_origin(tp, i, px, py)
        if plain_page:
            X, Y = ox.value, pf - oy.value
        else:
            x, y = ox.value, oy.value
            X, Y = pa * x + pc * y + pe, pb * x + pd * y + pf
        # pdfminer's box: in text space across the advance and from the descent up one font size,
        # through the character's matrix into page space (min and max over the four corners)
        if straight:
            x0, x1, top, bottom, height = X, X + adv * A, Y + to_top, Y + to_bottom, size
        else:
            ax, ay, cx0, cx1, cy0, cy1 = adv * A, adv * B, lo * C, hi * C, lo * D, hi * D
            x0 = X + (ax if ax < 0 else 0) + (cx0 if cx0 < cx1 else cx1)
            x1 = X + (ax if ax > 0 else 0) + (cx1 if cx0 < cx1 else cx0)
            top = Y + (ay if ay < 0 else 0) + (cy0 if cy0 < cy1 else cy1)
            bottom = Y + (ay if ay > 0 else 0) + (cy1 if cy0 < cy1 else cy0)
            height = bottom - top
        append({"text": text, "x0": x0, "x1": x1, "top": top, "bottom": bottom, "size": height,
                "upright": upright, "fontname": fontname})
    return chars


def _codes(textpage, n):
    """Every character's Unicode in one call (FPDFText_GetText) rather than one call each, when the
    page's text is the characters one for one (it leaves out control characters and any outside
    the BMP: then None, and they are asked for one by one)."""
    if n <= 0:
        return []
    buf = ctypes.create_string_buffer((n + 1) * 2)
    got = R.FPDFText_GetText(textpage, 0, n, ctypes.cast(buf, ctypes.POINTER(ctypes.c_ushort)))
    text = buf.raw[:2 * max(got - 1, 0)].decode("utf-16-le", "replace")
    return list(map(ord, text)) if len(text) == n else None


def _run(kind, to_page, fonts):
    """What the characters of text objects of one kind (matrix, font size, font) share: their matrix
    into page space, font size, the descent and top of their boxes, the font's name, its advance
    widths per point of size, the font, whether they stand upright."""
    a, b, c, d, fs, font = kind
    A, B, C, D, _, _ = _then((a, b, c, d, 0, 0), to_page[:4] + (0, 0))
    if font not in fonts:
        fonts[font] = _font_info(ctypes.cast(font, R.FPDF_FONT) if font else None)
    name, descent, widths = fonts[font]
    upright = A * D < 0 and B * C >= 0  # pdfminer's test, in its frame (y up): text not turned or mirrored
    return (A, B, C, D, fs, descent * fs, (descent + 1) * fs, name, widths,
            ctypes.cast(font, R.FPDF_FONT) if font else None, upright)


def _font_info(font):
    """(base font name, descent per point of size, {} for advance widths per point of size)."""
    if not font:
        return "", 0.0, {}
    descent = ctypes.c_float()
    if not R.FPDFFont_GetDescent(font, 1.0, descent):
        descent.value = 0.0
    size = R.FPDFFont_GetBaseFontName(font, None, 0)
    name = ""
    if size:
        buf = ctypes.create_string_buffer(size)
        R.FPDFFont_GetBaseFontName(font, buf, size)
        name = buf.value.decode("utf-8", "replace")
    # below the baseline: negative, as pdfminer forces it
    return name, -abs(descent.value), {}


def _loose_width(tp, i):
    box = R.FS_RECTF()
    R.FPDFText_GetLooseCharBox(tp, i, box)
    return abs(box.right - box.left)


def _advance(font, u):
    """The advance of the character u per point of font size, as the PDF declares it (/W, /Widths).
    PDFium looks it up by Unicode (mapped back to the character code): 0 when that fails."""
    w = ctypes.c_float()
    if font and u and R.FPDFFont_GetGlyphWidth(font, u, 1.0, w):
        return w.value
    return 0.0


# -- page objects: ruling edges and images ----------------------------------------------------------


_vp, _int = ctypes.c_void_p, ctypes.c_int
_c_float_p = ctypes.POINTER(ctypes.c_float)
_page_objects = (_plain(R.FPDFPage_CountObjects, _int, _vp), _plain(R.FPDFPage_GetObject, _vp, _vp, _int))
_form_objects = (_plain(R.FPDFFormObj_CountObjects, _int, _vp),
                 _plain(R.FPDFFormObj_GetObject, _vp, _vp, ctypes.c_ulong))
_object_type = _plain(R.FPDFPageObj_GetType, _int, _vp)
_object_matrix = _plain(R.FPDFPageObj_GetMatrix, _int, _vp, ctypes.POINTER(R.FS_MATRIX))
_object_bounds = _plain(R.FPDFPageObj_GetBounds, _int, _vp, _c_float_p, _c_float_p, _c_float_p, _c_float_p)
_segments = _plain(R.FPDFPath_CountSegments, _int, _vp)
_segment = _plain(R.FPDFPath_GetPathSegment, _vp, _vp, _int)
_segment_type = _plain(R.FPDFPathSegment_GetType, _int, _vp)
_segment_point = _plain(R.FPDFPathSegment_GetPoint, _int, _vp, _c_float_p, _c_float_p)
_segment_closes = _plain(R.FPDFPathSegment_GetClose, _int, _vp)


def _objects(parent, functions, transform, out, depth):
    count, get = functions
    for k in range(count(parent)):
        obj = get(parent, k)
        kind = _object_type(obj)
        if kind == _PATH:
            _path_edges(obj, transform, out.edges)
        elif kind == _IMAGE:
            out.images.append(_bounds(obj, transform))
        elif kind == _FORM and depth < _MAX_FORM_DEPTH:
            # a form's objects are in the form's space: its matrix maps them to the parent's
            inner = _then(_matrix(obj), transform)
            _objects(obj, _form_objects, inner, out, depth + 1)


def _matrix(obj):
    m = R.FS_MATRIX()
    _object_matrix(obj, ctypes.byref(m))
    return m.a, m.b, m.c, m.d, m.e, m.f


def _bounds(obj, transform):
    l, b, r, t = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
    _object_bounds(obj, ctypes.byref(l), ctypes.byref(b), ctypes.byref(r), ctypes.byref(t))
    ta, tb, tc, td, te, tf = transform
    xs = [ta * x + tc * y + te for x in (l.value, r.value) for y in (b.value, t.value)]
    ys = [tb * x + td * y + tf for x in (l.value, r.value) for y in (b.value, t.value)]
    return min(xs), min(ys), max(xs), max(ys)


def _path_edges(obj, transform, edges):
    """The straight horizontal and vertical pieces of a path, in page space. As pdfminer read a path:
    each subpath's points are its segments' end points (a Bézier curve counts by its end point), and
    a closed subpath comes back to its start."""
    a, b, c, d, e, f = _then(_matrix(obj), transform)
    x, y = ctypes.c_float(), ctypes.c_float()
    px, py = ctypes.pointer(x), ctypes.pointer(y)
    points, start = [], None
    n = _segments(obj)
    i = 0
    while i < n:
        seg = _segment(obj, i)
        kind = _segment_type(seg)
        if kind == _BEZIERTO:  # two control points, then the end point
            i += 2
            if i >= n:
                break
            seg = _segment(obj, i)
        _segment_point(seg, px, py)
        point = (a * x.value + c * y.value + e, b * x.value + d * y.value + f)
        if kind == _MOVETO:
            _add_edges(points, edges)
            points, start = [point], point
        else:
            points.append(point)
        if _segment_closes(seg) and start is not None:
            points.append(start)
        i += 1
    _add_edges(points, edges)


def _add_edges(points, edges):
    for (x0, y0), (x1, y1) in zip(points, points[1:]):
        if abs(x0 - x1) < _STRAIGHT:
            edges.append(("v", x0, min(y0, y1), max(y0, y1)))
        elif abs(y0 - y1) < _STRAIGHT:
            edges.append(("h", y0, min(x0, x1), max(x0, x1)))
        # a slanted segment (a diagonal header rule, a curve) rules no cell
