"""Scanned reports into rows of cells: OCR of image-only PDFs and of page images (PNG, JPEG, TIFF, ...).

Pages are rendered with pypdfium2 (PDF) or opened with Pillow (images), straightened and cleaned,
and their ruled tables found as grids (pipelines/extract/raster.py, OpenCV). The text of every cell,
and of every line outside the tables, is then read by the recognition model of RapidOCR
(rapidocr-onnxruntime: PP-OCRv4 Chinese recognition, run by onnxruntime, its model files inside the
wheel, nothing downloaded). Text is located by the layout itself (cells from the rulings, lines from
the ink), not by the detection model: on printed tables that is exact and several times faster.

Numbers get the most care, since a wrong number must never be silent: short crops are read packed
side by side (context), a reading made only of digits and look-alikes becomes the best digits, each
number is read twice (grey and black-and-white) and its digits are counted against the blobs of ink;
any disagreement lowers its confidence below the threshold.

The rows come out as every other extractor's (pipelines/extract/model.py): a table row per grid
row, rowspan cells repeated as `spanned` copies, colspan cells once, locations {page, table, row,
col}; lines outside the tables as rows of {page, line, col}. Each cell also carries `confidence`,
the lowest probability the recognizer gave any of its characters (1.0 for a cell with no ink), so
the parse result can flag what OCR is not sure of (pipelines/extract/ocr_review.py).

Heavy imports (onnxruntime, OpenCV) happen here only, when a document needs OCR.
"""
import functools
import re
import threading
import unicodedata

import numpy as np

from . import raster
from ..values import is_value_like
from .model import Cell, Document, ExtractError

DPI = 200            # PDF pages are rendered at this resolution
MAX_PAGES = 40       # a scanned report runs 3-15 pages; the rest of a longer scan is not read
THREADS = 1          # onnxruntime threads: documents are parallel in processes (nianbao build), not in threads
MODEL = "PP-OCRv4 recognition (rapidocr-onnxruntime {})"  # the version installed, in the parse result

_engine = None
_lock = threading.Lock()


def engine():
    """The RapidOCR engine, loaded once per process from the model files inside the wheel."""
    global _engine
    with _lock:
        if _engine is None:
            try:
                from rapidocr_onnxruntime import RapidOCR
            except ImportError as e:  # OCR is an optional capability of an install, not a crash
                raise ExtractError("needs_ocr", f"OCR is not installed ({e}): install rapidocr-onnxruntime") from e
            _engine = RapidOCR(intra_op_num_threads=THREADS, inter_op_num_threads=1, print_verbose=False)
        return _engine


@functools.lru_cache(maxsize=1)
def _version():
    from importlib.metadata import PackageNotFoundError, version
    try:
        return version("rapidocr-onnxruntime")
    except PackageNotFoundError:
        return "?"


def model_files():
    """The model files the engine loads (all inside the installed package)."""
    from pathlib import Path

    import rapidocr_onnxruntime
    return sorted(str(p) for p in (Path(rapidocr_onnxruntime.__file__).parent / "models").glob("*.onnx"))


# -- entry points -------------------------------------------------------------------------------------


def extract_scanned_pdf(data, header_charset=None):
    try:
        images, count = raster.pdf_images(data, DPI, MAX_PAGES)
    except Exception as e:  # noqa: BLE001 - pdfium raises its own error types for damaged files
        raise ExtractError("malformed_pdf", f"the scanned PDF cannot be rendered: {type(e).__name__}: {e}"[:300])
    return _extract(images, count, "pdf")


def extract_image(data, header_charset=None):
    try:
        images, count = raster.image_frames(data, MAX_PAGES)
    except Exception as e:  # noqa: BLE001 - Pillow raises many types for damaged or unknown images
        # the reason stays needs_ocr (an image, no text), the message says why OCR could not help
        raise ExtractError("needs_ocr", f"an image that cannot be decoded ({type(e).__name__}: {e}): "
                                        "no text could be read from it"[:300])
    if not images:
        raise ExtractError("needs_ocr", "an image with no frames: no text could be read from it")
    return _extract(images, count, "image")


# -- pages to rows ------------------------------------------------------------------------------------


def _extract(images, count, fmt):
    doc = Document(format=fmt)
    if count > len(images):
        doc.warnings.append(f"{count} pages: only the first {len(images)} were read by OCR")
    rec = engine()
    table_no = 0
    text_lines, angles = [], []
    for p, image in enumerate(images):
        page = raster.prepare(image)
        angles.append(page.angle)
        jobs = []  # (crop, [line boxes]) per cell or line piece, recognized in one batch per page
        blocks = []
        for table in page.tables:
            cells = []
            for gc in table.cells:
                gray, lines = raster.cell_content(page, gc.box)
                cells.append((gc, len(jobs)))
                jobs.append((gray, lines))
            blocks.append((table.box[1], "table", (table, cells)))
        for n, line in enumerate(page.lines):
            pieces = []
            for box in line.pieces:
                x0, y0, x1, y1 = box
                pieces.append(len(jobs))
                jobs.append((page.gray[y0:y1, x0:x1], [(0, 0, x1 - x0, y1 - y0)]))
            blocks.append((line.box[1], "line", (n, pieces)))
        if not page.tables and not page.lines:
            doc.warnings.append(f"OCR: page {p + 1} has no text")
        read = _recognize(rec, jobs, page.char)
        for _, kind, item in sorted(blocks, key=lambda b: b[0]):
            if kind == "line":
                n, pieces = item
                row = [Cell(read[j][0], {"page": p, "line": n, "col": i}, confidence=read[j][1])
                       for i, j in enumerate(pieces)]
                doc.rows.append(row)
                text_lines.append(" ".join(c.text for c in row))
            else:
                table, cells = item
                doc.rows.extend(_table_rows(table, cells, read, p, table_no))
                text_lines.extend(" ".join(c.text for c in row if not c.spanned and c.text)
                                  for row in doc.rows[-table.nrows:])
                table_no += 1
    doc.text = "\n".join(t for t in text_lines if t)
    turned = [f"{p + 1} ({a:+.2f}°)" for p, a in enumerate(angles) if abs(a) >= 0.1]
    if turned:
        doc.warnings.append(f"OCR: page{'s' if len(turned) > 1 else ''} {', '.join(turned)} straightened")
    if not doc.text.strip():
        raise ExtractError("needs_ocr", f"no text layer, and OCR found no text on its {len(images)} page(s) "
                                        "(blank, a photograph, or handwriting)")
    doc.meta["ocr"] = {"pages": len(images), "angles": angles, "model": MODEL.format(_version())}
    return doc


def _table_rows(table, cells, read, page, table_no):
    """Rows as html.table_rows makes them: a rowspan cell repeated as a spanned copy below its first
    row, a colspan cell once."""
    rows = []
    for r in range(table.nrows):
        row = []
        for gc, j in sorted(((gc, j) for gc, j in cells if gc.row <= r < gc.row + gc.rowspan),
                            key=lambda x: x[0].col):
            loc = {"page": page, "table": table_no, "row": gc.row, "col": gc.col}
            text, confidence = _table_text(*read[j])
            row.append(Cell(text, loc, gc.colspan, spanned=gc.row != r, confidence=confidence))
        rows.append(row)
    return rows


_CJK = re.compile(r"[\u3400-\u9fff]")


def _table_text(text, confidence):
    """A table cell's text as the mapping should see it. Every label of the template has Chinese
    characters in it; a reading with none that is not a value either ('..0', '—"〇': a number with
    speckle around it) would pass for a label and take its row's name: it is given as blank instead,
    with a confidence low enough to be flagged (the raw reading is of no use to anyone)."""
    if text and not _CJK.search(text) and not is_value_like(text):
        return "", min(confidence, UNREAD)
    return text, confidence


def _recognize(rec, jobs, char):
    """(text, confidence) for each job: the lines of a crop read and joined without spaces (a label
    wrapped in its cell is one label); confidence is the least sure character's probability."""
    crops, owner, small = [], [], []
    for j, (gray, lines) in enumerate(jobs):
        for box in lines:
            crops.append(_line_crop(gray, box, char))
            owner.append(j)
            small.append(box[3] - box[1] < 0.5 * char)
    texts = [[] for _ in jobs]
    confs = [[] for _ in jobs]
    read = read_lines(rec.text_rec, crops, small)
    # numbers are read a second time from the crop made black and white (Otsu): the model reads a
    # crisp digit better than an antialiased one (a grey 0 alone is often taken for 。), a blurred one
    # sometimes worse. Two readings that agree are as sure as the surer; two that differ are not sure.
    again = [i for i, (text, _) in enumerate(read) if not text or _NUMBER_LIKE.match(text)]
    crisp = {i: _black_and_white(crops[i]) for i in again}
    for i, second in zip(again, read_lines(rec.text_rec, [crisp[i] for i in again], [small[i] for i in again])):
        read[i] = _agree(read[i], second)
        if not read[i][0] and not small[i]:
            # ink of a digit's size that neither reading made anything of (a 0 among 0s, at 150 dpi):
            # once more alone; whatever it gives stays below the threshold
            alone = read_lines(rec.text_rec, [crisp[i]], [False], pack=False)[0]
            if _NUMERIC.match(alone[0]):
                read[i] = alone[0], min(alone[1], DISAGREE)
        text, conf = read[i]
        if text and _NUMERIC.match(text) and _glyphs(crisp[i]) != sum(ch.isdigit() for ch in text):
            # a digit dropped or doubled (CTC merges 22 into 2 when it sees no gap between them):
            # the count of digit-sized blobs of ink says how many digits are printed
            read[i] = text, min(conf, MISCOUNT)
    for j, (text, conf) in zip(owner, read):
        texts[j].append(text)
        confs[j].append(conf)
    out = []
    for t, c in zip(texts, confs):
        text = "".join(t)
        if text and _JUNK.match(unicodedata.normalize("NFKC", text)):
            text = ""  # a mark read from a smudge ('。, ·) is not a label: the cell reads as blank, unsure
            c = [min(c + [0.5])]
        out.append((text, round(float(min(c)), 4) if c else 1.0))
    return out


def _agree(first, second):
    """One reading of a number from two: the same digits are sure; different digits are not."""
    a, b = (r if _NUMERIC.match(r[0]) else ("", 0.0) for r in (first, second))
    if not a[0] and not b[0]:
        return first
    if not a[0] or not b[0]:  # one view read a number, the other nothing or a smudge
        return a if a[0] else b
    if a[0] == b[0]:
        return a[0], max(a[1], b[1])
    best = a if a[1] >= b[1] else b
    return best[0], min(best[1], DISAGREE)


DISAGREE = 0.5  # the confidence of a number two readings of one crop do not agree on
STRAY = 0.8     # the confidence of a number read with a stray . or , beside it (dropped)
UNREAD = 0.3    # the confidence of a table cell whose ink read as neither a value nor a label
LOOKALIKE = 0.85  # the most a digit read as l, |, S, Z or B can be sure of
MISCOUNT = 0.6    # the confidence of a number whose digits do not match the blobs of ink printed


DIGIT_WIDTH = 0.65  # a printed digit's ink is about this wide for its height (1 narrower, 0 and 2 about so)


def _glyphs(crisp):
    """How many digits a black-and-white line crop holds by its ink: each digit-sized blob counts for
    as many digits as its width holds (two digits printed touching, as 22 at 150 dpi, are one blob
    twice as wide); a decimal point or a comma is far smaller and not counted."""
    import cv2
    ink = 255 - crisp
    n, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    if n <= 1:
        return 0
    w, h = stats[1:, cv2.CC_STAT_WIDTH], stats[1:, cv2.CC_STAT_HEIGHT]
    tall = h >= 0.5 * h.max()
    return int(np.maximum(1, np.round(w[tall] / (h.max() * DIGIT_WIDTH))).sum())


def _black_and_white(crop):
    import cv2
    if int(crop.max()) - int(crop.min()) < 40:
        return crop
    return cv2.threshold(np.ascontiguousarray(crop), 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)[1]


# punctuation alone, not a value: '-', '—', '/' and '+' mean something in a cell, the rest is a smudge
_JUNK = re.compile(r"^[^\w\-—–/／+]+$")


HEIGHT = 48        # the recognizer's input height
SHORT = 4 * HEIGHT  # a line narrower than this (a number, a short label) is read packed with others
PACK_WIDTH = 1280  # packed lines are at most this wide
GAP = 16           # paper between two packed crops

# What a cell holding a number may contain, and what the model mistakes a digit for. A line read as
# nothing but these is a number: each character is then the best number character at its place.
NUMBER_CHARS = "0123456789.,+-/—–"
ROUND = "oO。○〇°D"              # a lone 0 of a narrow font: the model often reads o or 。
LOOKALIKES = ROUND + "lI|!丨SZB"  # a digit too, but which one is less sure: capped below the threshold
MARKS = "'`、，．:;"              # a stray mark beside a number: dropped
_NUMBER_LIKE = re.compile(r"^[\d.,+\-/—–" + re.escape(LOOKALIKES + MARKS) + r"]+$")


class _Line:
    """The model's output for one line: class probabilities per time step, and x per step."""

    def __init__(self, recognizer, image):
        x = (image.astype(np.float32) / 127.5 - 1.0)[None, None].repeat(3, axis=1)
        probs = recognizer.session(x)[0][0]  # (time steps, classes), softmaxed
        alphabet = recognizer.postprocess_op.character
        # characters that are one under NFKC (0 and ０, ( and （) are one class: a digit is not
        # unsure because the model cannot tell its half-width form from its full-width one
        for group in _twins(tuple(alphabet)):
            probs[:, group[0]] = probs[:, group].sum(axis=1)
            probs[:, group[1:]] = 0
        self.probs, self.alphabet = probs, alphabet
        self.step = image.shape[1] / len(probs)

    def read(self, a=0.0, b=None, small=False):
        """(text, confidence) of the part of the line from x=a to x=b. small: the ink is shorter
        than a digit (a ring that small is a speck, not a 0)."""
        t0 = max(0, int(np.ceil(a / self.step - 0.5)))
        t1 = len(self.probs) if b is None else min(len(self.probs), int(np.ceil(b / self.step - 0.5)))
        probs = self.probs[t0:t1]
        chars = _decode(probs, self.alphabet)
        if not chars:
            return "", 0.0  # ink that reads as nothing is not sure
        text = "".join(c for c, _, _ in chars)
        if not _NUMBER_LIKE.match(text):
            return text, min(p for _, p, _ in chars)
        # a number: each character becomes the best number character at its peak, and its
        # confidence is that one's share of the number characters there: how sure the digit is,
        # given that it is a digit (a value cell holds nothing else; labels all have Chinese in them)
        out, stray = [], False
        for ch, _, t in chars:
            if ch in MARKS or (small and ch in ROUND):
                stray = True
                continue
            # what the model read as a number character competes with the others; what it read as
            # a look-alike (o, 。, l) is a digit, and competes with the digits only
            classes = _number_classes(tuple(self.alphabet), ch in NUMBER_CHARS)
            q = probs[t, classes]
            k = int(q.argmax())
            share = float(q[k] / max(float(q.sum()), 1e-9))
            out.append((self.alphabet[classes[k]], share if ch in NUMBER_CHARS or ch in ROUND else min(share, LOOKALIKE)))
        text = "".join(c for c, _ in out)
        stripped = text.strip(".,")  # a speck beside the number read as . or ,
        stray = stray or stripped != text
        if not stripped:
            return "", UNREAD
        conf = min(p for _, p in out)
        return stripped, min(conf, STRAY) if stray else conf


def _decode(probs, alphabet):
    """Greedy CTC: the best class per step, repeats merged, blanks (class 0) and spaces dropped (a
    cell is one value or one label): [(character, peak probability, step of the peak)]."""
    best = probs.argmax(axis=1)
    chars, t = [], 0
    while t < len(best):
        u = t
        while u + 1 < len(best) and best[u + 1] == best[t]:
            u += 1
        ch = alphabet[best[t]] if best[t] else ""
        if ch.strip():
            peak = t + int(probs[t:u + 1, best[t]].argmax())
            chars.append((ch, float(probs[peak, best[t]]), peak))
        t = u + 1
    return chars


def read_lines(recognizer, crops, small=None, pack=True):
    """Text and confidence of each line crop (greyscale, any height).

    Short crops, the numbers above all, are packed side by side into lines of about PACK_WIDTH and
    read together: a lone digit read on its own is often taken for o or 。, the same digit among
    others is read better, and one wide line costs a third of many narrow ones (the model pads every
    line to at least 320 px). Each crop's part of the line is decoded on its own. Long crops
    (labels, prose) are read one by one: on a CPU a batch costs what its lines cost apart, plus the
    padding to the widest."""
    import cv2
    lines = []
    for c in crops:
        w = max(1, int(np.ceil(c.shape[1] * HEIGHT / c.shape[0])))
        lines.append(cv2.resize(c, (w, HEIGHT), interpolation=cv2.INTER_AREA if c.shape[0] > HEIGHT
                                else cv2.INTER_CUBIC))
    small = small or [False] * len(crops)
    out = [("", 0.0)] * len(crops)
    short = [i for i, line in enumerate(lines) if line.shape[1] < SHORT and pack]
    packed_ones = set(short)
    for i, line in enumerate(lines):
        if i not in packed_ones:
            out[i] = _Line(recognizer, _pad_to(np.hstack([_paper(GAP), line, _paper(GAP)]), SHORT)).read(
                small=small[i])
    n = 0
    while n < len(short):
        parts, spans, x = [_paper(GAP)], [], GAP
        while n < len(short) and (not spans or x + lines[short[n]].shape[1] + GAP <= PACK_WIDTH):
            line = lines[short[n]]
            spans.append((short[n], x, x + line.shape[1]))
            parts += [line, _paper(GAP)]
            x += line.shape[1] + GAP
            n += 1
        packed = _Line(recognizer, _pad_to(np.hstack(parts), SHORT))
        for i, a, b in spans:
            out[i] = packed.read(a - GAP / 2, b + GAP / 2, small=small[i])
            if out[i][0] and not _NUMERIC.match(out[i][0]):
                # a short label (3.其他, 开): among numbers the model drifts to numbers (3.其他
                # came out 3其他); alone it reads as it is
                out[i] = _Line(recognizer, _pad_to(np.hstack([_paper(GAP), lines[i], _paper(GAP)]), SHORT)).read(
                    small=small[i])
    return out


_NUMERIC = re.compile(r"^[\d.,+\-/—–]+$")


def _paper(width):
    return np.full((HEIGHT, width), 255, np.uint8)


def _pad_to(line, width):
    return line if line.shape[1] >= width else np.hstack([line, _paper(width - line.shape[1])])


@functools.lru_cache(maxsize=4)
def _number_classes(alphabet, marks=True):
    """Class indices of the characters of a number (marks=False: the digits only)."""
    chars = NUMBER_CHARS if marks else "0123456789"
    return [i for i, ch in enumerate(alphabet) if i and ch in chars]


@functools.lru_cache(maxsize=2)
def _twins(alphabet):
    """Groups of class indices whose characters are equal under NFKC, the NFKC form's own first."""
    groups = {}
    for i, ch in enumerate(alphabet):
        if i and ch.strip():
            groups.setdefault(unicodedata.normalize("NFKC", ch), []).append(i)
    return [sorted(g, key=lambda i: alphabet[i] != unicodedata.normalize("NFKC", alphabet[i]))
            for g in groups.values() if len(g) > 1]


def _line_crop(gray, box, char):
    """One text line on paper, at the scale of the page's text: a line shorter than a character (a
    number: digits are smaller than Chinese characters) gets paper above and below up to a
    character's height, so a lone 0 looks like a digit in a line of text, not like a 。 or an o."""
    import cv2
    x0, y0, x1, y1 = box
    crop = gray[max(0, y0):y1, max(0, x0):x1]
    h = crop.shape[0]
    target = max(h, 0.95 * char)
    v = int(round((target - h) / 2 + 0.25 * target))
    side = int(round(0.3 * target))
    return cv2.copyMakeBorder(np.ascontiguousarray(crop), v, v, side, side, cv2.BORDER_CONSTANT, value=255)
