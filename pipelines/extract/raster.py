"""Page images for OCR: the pages of a scanned PDF (pypdfium2) or of an image file (Pillow), straightened
and cleaned, with their ruled tables found as grids of cells and their text located as lines (OpenCV).

Nothing here reads characters; pipelines/extract/ocr.py does, on the crops located here.

- Scale: every size below is in units of the page's character height, measured on the page (the
  median height of character-sized ink blobs), so a 150 dpi and a 300 dpi scan are read alike.
- Deskew: the small rotation of a scanned page (up to ±3°) is the angle at which the rows of ink
  line up best (the projection profile is sharpest); the page is rotated back before anything else.
- Cleaning: an adaptive threshold above the paper's measured grain separates ink from paper under
  uneven light; blobs far smaller than a character stroke (speckle, grain) are dropped and painted
  out of what the recognizer sees. No median filter: it erases the one-pixel lines of a 150 dpi scan.
- Tables: ruling lines are the long thin runs of ink (morphological opening with a line-shaped
  kernel). Candidate grid lines come from where those runs are; a candidate is a cell border between
  two neighbouring grid points only where the ruling is really drawn there (coverage), so a merged
  cell (rowspan, colspan) is the set of grid cells with no border between them.
"""
from dataclasses import dataclass, field

import cv2
import numpy as np

MAX_SKEW = 3.0      # degrees: a scan rotated more than this is not straightened (a photo, a page on its side)
BORDER = 0.5        # share of a grid edge the ruling must cover to count as a cell border
TARGET_CHAR = 24    # px: pages are rescaled so characters are about this tall (OCR reads 48 px lines)


@dataclass
class GridCell:
    row: int
    col: int
    rowspan: int
    colspan: int
    box: tuple  # (x0, y0, x1, y1) in page pixels, the inside of the cell


@dataclass
class Table:
    box: tuple
    nrows: int
    ncols: int
    cells: list  # [GridCell]


@dataclass
class Line:
    """A run of text outside the tables: one line, split into pieces at wide gaps."""
    box: tuple
    pieces: list  # [(x0, y0, x1, y1)]


@dataclass
class Page:
    gray: np.ndarray          # straightened page, specks painted out (what OCR reads)
    ink: np.ndarray           # binary, 255 = ink, specks removed
    char: float               # character height in px
    angle: float              # degrees the page was rotated back by
    scale: float              # factor the page was resized by
    tables: list = field(default_factory=list)  # [Table], top to bottom
    lines: list = field(default_factory=list)   # [Line] outside the tables, top to bottom


# -- loading ----------------------------------------------------------------------------------------


def pdf_images(data, dpi=200, max_pages=80):
    """Every page of a PDF rendered as a greyscale array (pypdfium2)."""
    import pypdfium2
    doc = pypdfium2.PdfDocument(data)
    try:
        pages = []
        for i in range(min(len(doc), max_pages)):
            page = doc[i]
            bitmap = page.render(scale=dpi / 72, grayscale=True, fill_color=(255, 255, 255, 255))
            pages.append(np.array(bitmap.to_pil().convert("L")))
            page.close()
        return pages, len(doc)
    finally:
        doc.close()


def image_frames(data, max_pages=80):
    """Every frame of an image file (a TIFF can hold many pages) as a greyscale array."""
    import io

    from PIL import Image, ImageOps, ImageSequence
    image = Image.open(io.BytesIO(data))
    pages, count = [], 0
    for frame in ImageSequence.Iterator(image):
        count += 1
        if len(pages) >= max_pages:
            continue
        frame = ImageOps.exif_transpose(frame)  # phone photos store their rotation aside
        if frame.mode in ("RGBA", "LA", "PA") or (frame.mode == "P" and "transparency" in frame.info):
            rgba = frame.convert("RGBA")
            white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
            frame = Image.alpha_composite(white, rgba)
        if frame.mode.startswith("I;16") or frame.mode == "I":
            arr = np.asarray(frame, dtype=np.float64)
            top = arr.max() or 1
            pages.append((arr * 255 / top).astype(np.uint8))
            continue
        pages.append(np.array(frame.convert("L")))
    return pages, count


# -- scale, skew, cleaning --------------------------------------------------------------------------


def char_height(binary):
    """Median height of the character-sized blobs of ink; None on a page without text."""
    n, _, stats, _ = cv2.connectedComponentsWithStats(binary, connectivity=8)
    h, w, area = stats[1:, cv2.CC_STAT_HEIGHT], stats[1:, cv2.CC_STAT_WIDTH], stats[1:, cv2.CC_STAT_AREA]
    # at least 8 px tall: smaller is speckle (a 100 dpi page's characters are still 11 px or more)
    keep = (h >= 8) & (h <= 150) & (w <= 3 * h) & (w >= h / 8) & (area >= 20)
    if keep.sum() < 10:
        return None
    heights = h[keep]
    # the tallest half: digits and whole characters, not dots and the small parts of characters
    return float(np.median(heights[heights >= np.median(heights)]))


def noise_level(gray):
    """Standard deviation of the paper's grain: the median absolute difference from a 3x3 median."""
    diff = cv2.absdiff(gray, cv2.medianBlur(gray, 3))
    return 1.4826 * float(np.median(diff))


def binarize(gray):
    """Ink = 255. The page is smoothed a little first (noise, JPEG blocks), never median-filtered: a
    median erases the one-pixel lines and strokes of a 150 dpi scan. The threshold is adaptive (a
    shadow or a grey scan keeps its thin lines) and stays above the paper's grain."""
    smooth = cv2.GaussianBlur(gray, (0, 0), 0.8)
    c = max(12.0, 3.0 * noise_level(smooth))
    block = max(15, (min(gray.shape) // 40) | 1)
    return cv2.adaptiveThreshold(smooth, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY_INV, block, c)


def skew_angle(binary):
    """The small rotation (degrees, counter-clockwise positive as cv2 takes it) that makes the page's
    rows of ink level: the angle of the sharpest horizontal projection profile."""
    h, w = binary.shape
    f = 800 / max(w, 1)
    small = cv2.resize(binary, (max(1, int(w * f)), max(1, int(h * f))), interpolation=cv2.INTER_AREA)
    small = small.astype(np.float32)
    sh, sw = small.shape
    centre = (sw / 2, sh / 2)

    def score(angle):
        m = cv2.getRotationMatrix2D(centre, angle, 1.0)
        rotated = cv2.warpAffine(small, m, (sw, sh), flags=cv2.INTER_LINEAR, borderValue=0)
        profile = rotated.sum(axis=1)
        return float(np.square(np.diff(profile)).sum())

    def search(angles):  # the best angle; on a tie (a blank page) the smallest rotation
        return max(sorted(angles, key=abs), key=score)

    coarse = search(np.arange(-MAX_SKEW, MAX_SKEW + 1e-9, 0.25))
    return round(float(search(np.arange(coarse - 0.2, coarse + 0.2 + 1e-9, 0.04))), 3)


def rotate(gray, angle):
    if not angle:
        return gray
    h, w = gray.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(gray, m, (w, h), flags=cv2.INTER_CUBIC, borderValue=255)


def prepare(gray):
    """A raw page to a straightened, cleaned Page with its tables and text lines located."""
    binary = binarize(gray)
    char = char_height(binary)
    scale = 1.0
    if char and not (0.75 * TARGET_CHAR <= char <= 1.6 * TARGET_CHAR):
        scale = min(4.0, max(0.25, TARGET_CHAR / char))
        interp = cv2.INTER_CUBIC if scale > 1 else cv2.INTER_AREA
        gray = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=interp)
        binary = binarize(gray)
        char = char * scale
    char = char or TARGET_CHAR
    angle = skew_angle(binary)
    if abs(angle) > 0.02:
        gray = rotate(gray, angle)
        binary = binarize(gray)
    ink = drop_specks(binary, char)
    gray = gray.copy()
    gray[(binary > 0) & (ink == 0)] = 255  # specks and grain: the recognizer sees paper there
    page = Page(gray=gray, ink=ink, char=char, angle=angle, scale=scale)
    page.tables = find_tables(*ruling_masks(ink, char), char)
    page.lines = text_lines(page.ink, char, [t.box for t in page.tables])
    return page


def cell_content(page, box):
    """What is written in a cell: its text lines (crop coordinates) and the greyscale crop, with the
    remnants of the cell's own rulings (the long thin blobs along its edges) painted out."""
    x0, y0, x1, y1 = (max(0, int(v)) for v in box)
    ink = page.ink[y0:y1, x0:x1].copy()
    gray = page.gray[y0:y1, x0:x1].copy()
    if not ink.size:
        return gray, []
    h, w = ink.shape
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    thin, speck = 0.35 * page.char, (page.char / 4) ** 2
    drop = np.zeros(n, bool)
    for i in range(1, n):
        x, y, bw, bh, area = stats[i]
        edge = x == 0 or y == 0 or x + bw == w or y + bh == h
        if edge and ((bw >= 0.5 * w and bh <= thin) or (bh >= 0.5 * h and bw <= thin) or area < speck):
            drop[i] = True
        # a ruling that runs (almost) the cell's whole height or width is never a character: a 1
        # or a dash is shorter than the cell that holds it
        elif (bh >= 0.85 * h and bh > 1.2 * page.char and bw <= thin) or (bw >= 0.85 * w and bw > 3 * page.char
                                                                          and bh <= thin):
            drop[i] = True
    if drop.any():
        gone = drop[labels]
        ink[gone] = 0
        gray[cv2.dilate(gone.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0] = 255
    return gray, ink_lines(ink, (0, 0, w, h), page.char)


def drop_specks(ink, char):
    """Speckle and grain out, punctuation kept: a blob much smaller than a character is dropped
    unless it sits close to a bigger blob (the dot of 1., a 、 or a ，beside its text)."""
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    w, h, area = stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT], stats[:, cv2.CC_STAT_AREA]
    # small and compact: a stroke (the 一 of （一）, a side of 二) is as small but long and thin
    small = (area < (char / 4) ** 2) & (w < 0.45 * char) & (h < 0.45 * char) & \
        (np.maximum(w, h) < 2.5 * np.minimum(w, h))
    small[0] = False
    if not small.any():
        return ink
    big = ink.copy()
    big[small[labels]] = 0
    reach = max(3, int(char * 0.3)) | 1
    near = cv2.dilate(big, cv2.getStructuringElement(cv2.MORPH_RECT, (reach, reach)))
    # a small blob survives if any of its pixels is within reach of a bigger blob
    touched = np.zeros(n, bool)
    touched[np.unique(labels[(near > 0) & small[labels]])] = True
    lone = small & ~touched
    out = ink.copy()
    out[lone[labels]] = 0
    return out


# -- rulings and tables -----------------------------------------------------------------------------


def _ruling_lengths(char):
    """Shortest horizontal and vertical ruling: 3 characters across (no stroke of a character is
    that long), 1.3 characters down (a row is at least that tall; a stroke of a character is shorter)."""
    return max(15, int(3 * char)), max(10, int(1.3 * char))


def ruling_masks(binary, char):
    """The long thin runs of ink: (horizontal, vertical) masks."""
    lh, lv = _ruling_lengths(char)
    # bridge the one-pixel breaks a thin blurred line gets from thresholding, along the line only
    h = cv2.morphologyEx(binary, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (5, 1)))
    h = cv2.morphologyEx(h, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (lh, 1)))
    v = cv2.morphologyEx(binary, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (1, 5)))
    v = cv2.morphologyEx(v, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, lv)))
    return h, v


def _runs(profile, minimum):
    """Centres of the runs of indices where profile >= minimum."""
    idx = np.flatnonzero(profile >= minimum)
    if not len(idx):
        return []
    out, start = [], idx[0]
    for a, b in zip(idx, idx[1:]):
        if b - a > 2:
            out.append((start + a) / 2)
            start = b
    out.append((start + idx[-1]) / 2)
    return out


def find_tables(hmask, vmask, char):
    """Each network of ruling lines holding at least a 2x2 grid, as a Table of cells."""
    joined = cv2.dilate(cv2.bitwise_or(hmask, vmask), np.ones((5, 5), np.uint8))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    tables = []
    for i in range(1, n):
        x, y, w, h = stats[i, :4]
        if w < 6 * char or h < 2 * char:
            continue
        region = labels[y:y + h, x:x + w] == i
        hm = np.where(region, hmask[y:y + h, x:x + w], 0)
        vm = np.where(region, vmask[y:y + h, x:x + w], 0)
        table = _grid(hm, vm, char, (x, y))
        if table is not None:
            tables.append(table)
    return sorted(tables, key=lambda t: (t.box[1], t.box[0]))


def _grid(hm, vm, char, origin):
    """The cells of one table from its horizontal and vertical ruling masks (table coordinates)."""
    lh, lv = _ruling_lengths(char)
    ys = _runs((hm > 0).sum(axis=1), lh)
    xs = _runs((vm > 0).sum(axis=0), lv)
    if len(ys) < 2 or len(xs) < 2:
        return None
    t = max(2, int(char / 6))  # how far a ruling may wander from its grid line (thickness, residual skew)

    def drawn(profile):
        """Share of an edge drawn, 0 unless the drawing reaches both of its ends: a ruling runs from
        line to line, a stroke of a character (作, 十) with a speck beside it floats in the cell."""
        if not profile.size:
            return 0.0
        k = max(2, len(profile) // 6)
        return float(profile.mean()) if profile[:k].any() and profile[-k:].any() else 0.0

    def h_cover(y, x0, x1):  # share of the edge y, from x0 to x1, drawn
        return drawn(hm[max(0, int(y) - t):int(y) + t + 1, int(x0):int(x1) + 1].max(axis=0, initial=0) > 0)

    def v_cover(x, y0, y1):
        return drawn(vm[int(y0):int(y1) + 1, max(0, int(x) - t):int(x) + t + 1].max(axis=1, initial=0) > 0)

    nr, nc = len(ys) - 1, len(xs) - 1
    parent = list(range(nr * nc))

    def find(a):
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for r in range(nr):
        for c in range(nc):
            if c + 1 < nc and v_cover(xs[c + 1], ys[r] + t, ys[r + 1] - t) < BORDER:
                parent[find(r * nc + c)] = find(r * nc + c + 1)
            if r + 1 < nr and h_cover(ys[r + 1], xs[c] + t, xs[c + 1] - t) < BORDER:
                parent[find(r * nc + c)] = find((r + 1) * nc + c)
    groups = {}
    for r in range(nr):
        for c in range(nc):
            groups.setdefault(find(r * nc + c), []).append((r, c))
    spans = []
    for members in groups.values():
        rows, cols = [m[0] for m in members], [m[1] for m in members]
        spans.append((min(rows), min(cols), max(rows) + 1, max(cols) + 1))
    # the outer frame must be drawn: a "table" whose cells are all one region is a box, not a grid
    if len(spans) < 2:
        return None
    # grid lines that bound no cell (a dash in a cell, a stroke that passed for a ruling) go away
    used_r = sorted({s[0] for s in spans} | {s[2] for s in spans})
    used_c = sorted({s[1] for s in spans} | {s[3] for s in spans})
    ri, ci = {v: i for i, v in enumerate(used_r)}, {v: i for i, v in enumerate(used_c)}
    ox, oy = origin
    cells = []
    for r0, c0, r1, c1 in sorted(spans):
        box = (ox + int(xs[c0]) + t, oy + int(ys[r0]) + t, ox + int(xs[c1]) - t, oy + int(ys[r1]) - t)
        cells.append(GridCell(ri[r0], ci[c0], ri[r1] - ri[r0], ci[c1] - ci[c0], box))
    box = (ox + int(xs[0]), oy + int(ys[0]), ox + int(xs[-1]), oy + int(ys[-1]))
    return Table(box, len(used_r) - 1, len(used_c) - 1, cells)


# -- text inside a cell, text outside the tables ----------------------------------------------------


def ink_lines(ink, box, char, min_row=1):
    """The text lines inside a box, as tight boxes (page coordinates), top to bottom.

    Lines are the runs of rows holding ink (at least min_row pixels); a run much shorter than a
    character (a stroke of 三, a dot, the top of a character cut by a gap) joins its nearest
    neighbour when close, else it is a speck and dropped. A gap between two full-height runs is a
    line break however narrow: tight line spacing is common in table cells."""
    x0, y0, x1, y1 = (int(v) for v in box)
    crop = ink[max(0, y0):max(0, y1), max(0, x0):max(0, x1)]
    if not crop.size or not crop.any():
        return []
    counts = (crop > 0).sum(axis=1)
    idx = np.flatnonzero(counts >= min_row)
    if not len(idx):
        return []
    runs, start, prev = [], idx[0], idx[0]
    for i in idx[1:]:
        if i - prev > 1:
            runs.append([start, prev + 1])
            start = i
        prev = i
    runs.append([start, prev + 1])
    short, near = 0.5 * char, 0.5 * char
    changed = True
    while changed and len(runs) > 1:
        changed = False
        for k, (a, b) in enumerate(runs):
            if b - a >= short:
                continue
            gaps = []
            if k > 0:
                gaps.append((a - runs[k - 1][1], k - 1))
            if k + 1 < len(runs):
                gaps.append((runs[k + 1][0] - b, k + 1))
            gap, other = min(gaps)
            if gap <= near:
                lo, hi = sorted((k, other))
                runs[lo] = [min(runs[lo][0], runs[hi][0]), max(runs[lo][1], runs[hi][1])]
                del runs[hi]
                changed = True
                break
    lines = []
    for a, b in runs:
        band = crop[a:b]
        # the line's extent: its pieces (split at gaps wider than a character) that are not specks
        kept = []
        for p0, p1 in _pieces(np.flatnonzero(band.any(axis=0)), char):
            rows = np.flatnonzero(band[:, p0:p1].any(axis=1))
            if p1 - p0 < char * 0.45 and rows[-1] - rows[0] + 1 < char * 0.45:
                continue  # a speck (a digit is taller, a dash or a hyphen as thin but wider)
            kept.append((p0, p1, rows[0], rows[-1] + 1))
        if kept:
            lines.append((x0 + kept[0][0], y0 + int(a) + min(k[2] for k in kept), x0 + kept[-1][1],
                          y0 + int(a) + max(k[3] for k in kept)))
    return lines


def _pieces(cols, char, gap_chars=1.0):
    """Runs of inked columns, cut where the gap is wider than gap_chars characters."""
    if not len(cols):
        return []
    out, start, prev = [], cols[0], cols[0]
    for c in cols[1:]:
        if c - prev > gap_chars * char:
            out.append((int(start), int(prev) + 1))
            start = c
        prev = c
    out.append((int(start), int(prev) + 1))
    return out


def split_pieces(ink, line, char, gap_chars=1.5):
    """A line cut where the gap between inked columns is wider than gap_chars characters."""
    x0, y0, x1, y1 = line
    cols = np.flatnonzero(ink[y0:y1, x0:x1].any(axis=0))
    if not len(cols):
        return []
    pieces, start, prev = [], cols[0], cols[0]
    for c in cols[1:]:
        if c - prev > gap_chars * char:
            pieces.append((x0 + int(start), y0, x0 + int(prev) + 1, y1))
            start = c
        prev = c
    pieces.append((x0 + int(start), y0, x0 + int(prev) + 1, y1))
    return pieces


def text_lines(ink, char, table_boxes):
    """Lines of text outside the tables (title, headings, prose), each split into pieces."""
    free = ink.copy()
    m = max(3, int(char / 4))  # the table's outer rulings, thickened by blur
    for x0, y0, x1, y1 in table_boxes:
        free[max(0, y0 - m):y1 + m, max(0, x0 - m):x1 + m] = 0
    h, w = free.shape
    out = []
    for line in ink_lines(free, (0, 0, w, h), char, min_row=max(2, int(char / 8))):
        height = line[3] - line[1]
        # taller than three characters: a picture, a stamp or a signature, not text we read;
        # thin and long: a rule (the red line under a 红头 letterhead), not text either
        if height > 3 * char or (height < 0.3 * char and line[2] - line[0] > 2 * char):
            continue
        out.append(Line(line, split_pieces(free, line, char)))
    return out
