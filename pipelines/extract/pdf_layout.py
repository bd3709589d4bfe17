"""Words, text lines and ruled tables from a PDF page's characters and edges (see pdfium_page.py).

pypdfium2 gives characters and path segments, nothing above them: no words, no lines of text, no
table finder. This module rebuilds them with the rules pdfplumber applied (its defaults, which the
PDF extractor was written and tested against), so a page reads the same as before:

* words and lines: characters within 3 pt vertically are one line, read left to right; a space
  character or a gap of more than 3 pt starts a new word; words are joined by one space and lines
  by a line break. Rotated characters read top to bottom, in columns.
* ruled tables: edges within 3 pt of each other are snapped onto one line, collinear pieces less
  than 3 pt apart joined, pieces shorter than 3 pt dropped; where a horizontal and a vertical edge
  cross (3 pt tolerance) is a corner; a cell is the smallest rectangle of four corners joined by
  edges; cells that share a corner are one table.
"""
from bisect import bisect_left, bisect_right
from collections import defaultdict
from itertools import groupby
from operator import itemgetter

# PDFium hands out coordinates as 32-bit floats, pdfminer kept 64-bit ones: two lines exactly 3 pt
# apart come out 3.00006 pt apart. A distance within _EPS of a tolerance counts as within it, so a
# tie always falls the same way (pdfminer's rounding put one either way).
_EPS = 1e-3
_TOL = 3 + _EPS  # points: pdfplumber's default tolerance for words, lines, snapping, joining and crossings
_MIN_EDGE = 3 - _EPS  # points: a shorter rule (after joining) is no rule
_MIN_PIECE = 1 - _EPS  # points: a shorter piece is dropped before joining (a thin rectangle's ends)
_X0, _UPRIGHT, _TOP_BOTTOM = itemgetter("x0"), itemgetter("upright"), itemgetter("top", "bottom")
_LIGATURES = str.maketrans({"ﬀ": "ff", "ﬃ": "ffi", "ﬄ": "ffl", "ﬁ": "fi", "ﬂ": "fl", "ﬆ": "st", "ﬅ": "st"})


def _chain_ids(values, tol):
    """{value: group number}: sorted values in one group while each is within tol of the one before."""
    ids, last, n = {}, None, -1
    for v in sorted(set(values)):
        if last is None or v > last + tol:
            n += 1
        ids[v] = n
        last = v
    return ids


def _cluster(items, keys, tol, keep_order=False):
    """Group items by their key values (keys[i] for items[i]) chained within tol. Groups come in order
    of value, each keeping its items' order; keep_order instead cuts the items, in their own order,
    wherever the group changes."""
    ids = _chain_ids(keys, tol)
    groups = [ids[k] for k in keys]
    order = range(len(items)) if keep_order else sorted(range(len(items)), key=groups.__getitem__)
    out, last = [], None
    for i in order:
        if groups[i] != last:
            out.append([])
            last = groups[i]
        out[-1].append(items[i])
    return out


def dedupe(chars, tol=1 + _EPS):
    """Characters printed twice at (almost) the same place, as fake bold does, counted once: same
    text, font and size, tops within 1 pt (chained), then left edges within 1 pt (chained); the
    first of them kept, the page's order kept."""
    # one sort puts each group's characters together, top to bottom; only groups with characters
    # on one line go on to the left edges (a single sort instead of a dict of lists: this runs for
    # every character of every page)
    order = sorted(zip([c["text"] for c in chars], [c["fontname"] for c in chars], [c["size"] for c in chars],
                       [c["upright"] for c in chars], [c["top"] for c in chars], range(len(chars))))
    drop = set()
    band, last = [], (None,) * 5
    for text, font, size, upright, top, i in order:
        if text == last[0] and font == last[1] and size == last[2] and upright == last[3] and top <= last[4] + tol:
            band.append(i)
        else:
            if len(band) > 1:
                _drop_repeats(chars, band, tol, drop)
            band = [i]
        last = (text, font, size, upright, top)
    if len(band) > 1:
        _drop_repeats(chars, band, tol, drop)
    return [c for i, c in enumerate(chars) if i not in drop] if drop else chars


def _drop_repeats(chars, band, tol, drop):
    for spot in _chain(band, [chars[i]["x0"] for i in band], tol):
        if len(spot) > 1:
            keep = min(spot, key=lambda i: (chars[i]["top"], chars[i]["x0"], i))
            drop.update(i for i in spot if i != keep)


def _chain(items, keys, tol):
    """Items sorted by key, cut where a key is more than tol above the one before."""
    order = sorted(range(len(items)), key=keys.__getitem__)
    out, last = [], None
    for i in order:
        if last is None or keys[i] > last + tol:
            out.append([])
        out[-1].append(items[i])
        last = keys[i]
    return out


# -- words and lines --------------------------------------------------------------------------------


def _new_word(prev, ch, upright):
    if upright:  # left to right: behind the last character, a gap, or another line
        return (ch["x0"] < prev["x0"] - _EPS or ch["x0"] > prev["x1"] + _TOL
                or abs(ch["top"] - prev["top"]) > _TOL)
    return ch["top"] < prev["top"] - _EPS or ch["top"] > prev["bottom"] + _TOL or abs(ch["x0"] - prev["x0"]) > _TOL


def words(chars):
    """Words as lists of characters, line by line."""
    return [word for line, upright in _char_lines(chars) for word in _split_words(line, upright)]


def _char_lines(chars):
    """(characters of one line in reading order, upright), for each run of upright or turned ones."""
    out = []
    for upright, run in groupby(chars, key=_UPRIGHT):
        run = list(run)
        if upright:
            found = _cluster(run, [c["top"] for c in run], _TOL)
            order = _X0
        else:
            found = _cluster(run, [c["x0"] for c in run], _TOL)
            order = _TOP_BOTTOM
        out += [(sorted(line, key=order), upright) for line in found]
    return out


def _split_words(line, upright):
    """One line's characters, in reading order, cut into words."""
    out, word = [], []
    for ch in line:
        if ch["text"].isspace():
            if word:
                out.append(word)
            word = []
        elif not word:
            word = [ch]
        elif upright:  # inline _new_word: this loop runs for every character of every page
            prev = word[-1]
            x0 = ch["x0"]
            if x0 < prev["x0"] - _EPS or x0 > prev["x1"] + _TOL or abs(ch["top"] - prev["top"]) > _TOL:
                out.append(word)
                word = [ch]
            else:
                word.append(ch)
        elif _new_word(word[-1], ch, upright):
            out.append(word)
            word = [ch]
        else:
            word.append(ch)
    if word:
        out.append(word)
    return out


def _word_text(word):
    return "".join([c["text"] for c in word]).translate(_LIGATURES)


def lines(chars, keep_order=False):
    """Text lines as lists of words (lists of characters). keep_order reads the words in the order
    they come (the page as a whole, as pdfplumber's page.extract_text did); otherwise words are grouped
    into lines wherever they are (a cell, a strip of the page)."""
    if keep_order and all(map(_UPRIGHT, chars)):
        # the same, line by line: the words of one line of characters are one line of words unless
        # the characters' tops run over more than the tolerance (lines of characters are further apart)
        out = []
        for line, _ in _char_lines(chars):
            found = _split_words(line, True)
            tops = [min([c["top"] for c in w]) for w in found]
            if tops and max(tops) - min(tops) <= _TOL:
                out.append(found)
            elif tops:
                out += _cluster(found, tops, _TOL, keep_order=True)
        return out
    found = words(chars)
    return _cluster(found, [min([c["top"] for c in w]) for w in found], _TOL, keep_order=keep_order)


def line_text(line):
    return " ".join([_word_text(w) for w in line])


def text(chars, keep_order=False):
    if len(chars) == 1:
        return chars[0]["text"].translate(_LIGATURES).strip()
    tops = [c["top"] for c in chars]
    if tops and max(tops) - min(tops) <= _TOL and all([c["upright"] for c in chars]):
        # one line (most cells): no clustering to do
        return line_text(_split_words(sorted(chars, key=_X0), True))
    return "\n".join([line_text(line) for line in lines(chars, keep_order)])



# -- ruled tables -----------------------------------------------------------------------------------


def _snap_and_join(edges):
    """Edges ("h"|"v", position, start, end): snapped onto shared lines, collinear pieces joined."""
    out = []
    for orientation in ("h", "v"):
        mine = [e for e in edges if e[0] == orientation and e[3] - e[2] >= _MIN_PIECE]
        for group in _cluster(mine, [e[1] for e in mine], _TOL):
            position = sum(e[1] for e in group) / len(group)
            pieces = sorted(group, key=lambda e: e[2])
            start, end = pieces[0][2], pieces[0][3]
            for e in pieces[1:]:
                if e[2] <= end + _TOL:
                    end = max(end, e[3])
                else:
                    out.append((orientation, position, start, end))
                    start, end = e[2], e[3]
            out.append((orientation, position, start, end))
    return [e for e in out if e[3] - e[2] >= _MIN_EDGE]


def find_tables(edges):
    """Ruled tables, top to bottom: each a list of cell boxes (x0, top, x1, bottom), two cells or more."""
    edges = _snap_and_join(edges)
    # corners: where a vertical edge and a horizontal one cross or touch; each corner knows its edges
    vs = sorted((e[1], e[2], e[3], i) for i, e in enumerate(edges) if e[0] == "v")
    vx = [v[0] for v in vs]
    corners = {}
    for j, (orientation, y, x0, x1) in enumerate(edges):
        if orientation != "h":
            continue
        for x, top, bottom, i in vs[bisect_left(vx, x0 - _TOL):bisect_right(vx, x1 + _TOL)]:
            if top <= y + _TOL and bottom >= y - _TOL:
                v_ids, h_ids = corners.setdefault((x, y), (set(), set()))
                v_ids.add(i)
                h_ids.add(j)
    # cells: from each corner, the nearest corner below and the nearest to the right that edges join
    # to it, whose fourth corner exists and is joined to both (pdfplumber's rule: a merged cell is
    # one cell, since no edge joins the corners inside it)
    column, row, at = defaultdict(list), defaultdict(list), {}
    points = sorted(corners)
    for p in points:
        at[p] = (len(column[p[0]]), len(row[p[1]]))
        column[p[0]].append(p)  # top to bottom
        row[p[1]].append(p)  # left to right
    cells = []
    for p in points:
        v, h = corners[p]
        down, across = at[p]
        cell = None
        for below in column[p[0]][down + 1:]:
            if not v & corners[below][0]:
                continue
            for right in row[p[1]][across + 1:]:
                if not h & corners[right][1]:
                    continue
                far = (right[0], below[1])
                if far in corners and corners[far][0] & corners[right][0] and corners[far][1] & corners[below][1]:
                    cell = (p[0], p[1], far[0], far[1])
                    break
            if cell:
                cells.append(cell)
                break
    return _group(cells)


def _group(cells):
    """Cells sharing a corner belong to one table (union-find over corners)."""
    parent = {}

    def root(x):
        while parent.setdefault(x, x) != x:
            parent[x] = x = parent[parent[x]]
        return x

    for x0, top, x1, bottom in cells:
        a = root((x0, top))
        for corner in ((x0, bottom), (x1, top), (x1, bottom)):
            parent[root(corner)] = a
    tables = defaultdict(list)
    for cell in cells:
        tables[root((cell[0], cell[1]))].append(cell)
    found = [t for t in tables.values() if len(t) > 1]
    return sorted(found, key=lambda t: min((c[1], c[0]) for c in t))


def bbox(cells):
    return (min(c[0] for c in cells), min(c[1] for c in cells), max(c[2] for c in cells), max(c[3] for c in cells))
