"""pdf_layout rebuilds what pdfplumber did above the characters and edges PDFium gives: fake-bold
dedupe, words and lines, the ruled-table finder. Each is checked against pdfplumber's own functions
on many random pages (pdfplumber stays installed for the tests), so the rules are pdfplumber's, not
a lookalike; and on the cases a table printer makes: merged cells, rules in pieces, rules drawn twice."""
import random

import pytest
from pdfplumber import table as plumber_table
from pdfplumber.utils import chars_to_textmap, dedupe_chars, extract_text

from pipelines.extract import pdf_layout as layout


def _chars(rng, n, lines=(100.0,), texts="本年新收0 1"):
    out = []
    for _ in range(n):
        top = rng.choice(lines) + rng.random() * 2.5  # a line's characters sit within a few tenths
        x0 = rng.uniform(50, 300)
        size = rng.choice([9.0, 10.5])
        out.append({"text": rng.choice(texts), "x0": x0, "x1": x0 + size * rng.choice([0.5, 1.0]), "top": top,
                    "bottom": top + size, "doctop": top, "size": size, "fontname": rng.choice(["SimSun", "FangSong"]),
                    "upright": True})
    return out


@pytest.mark.parametrize("seed", range(3))
def test_dedupe_is_pdfplumbers(seed):
    rng = random.Random(seed)
    for _ in range(500):
        chars = _chars(rng, rng.randint(1, 40), lines=(100.0, 100.8, 112.0))
        for c in rng.sample(chars, len(chars) // 3):  # fake bold: the same character again, a hair off
            top = c["top"] + rng.uniform(-1.2, 1.2)
            chars.append(dict(c, x0=c["x0"] + rng.uniform(-1.2, 1.2), top=top, doctop=top, bottom=top + c["size"]))
        assert [id(c) for c in layout.dedupe(chars, tol=1)] == [id(c) for c in dedupe_chars(chars, tolerance=1)]


@pytest.mark.parametrize("seed", range(3))
def test_text_is_pdfplumbers(seed):
    rng = random.Random(seed)
    for _ in range(500):
        chars = _chars(rng, rng.randint(1, 40),
                       lines=rng.choice([(100.0,), (100.0, 104.5, 130.0), (90.0, 91.0), (100.0, 102.0, 104.0, 106.0)]))
        rng.shuffle(chars)
        if rng.random() < 0.2:  # some characters turned (a label printed sideways)
            for c in rng.sample(chars, len(chars) // 2):
                c["upright"] = False
        assert layout.text(chars) == extract_text(chars)  # a cell, a strip of the page
        page = "\n".join(map(layout.line_text, layout.lines(chars, keep_order=True)))
        assert page == chars_to_textmap(chars).as_string  # a whole page, as page.extract_text() read it


def _plumber_tables(edges):
    """pdfplumber's TableFinder, "lines" strategy with its defaults, on edges given as tuples."""
    objs = []
    for orientation, pos, start, end in edges:
        if orientation == "h":
            objs.append({"orientation": "h", "x0": start, "x1": end, "top": pos, "bottom": pos, "doctop": pos,
                         "width": end - start, "height": 0, "object_type": "line"})
        else:
            objs.append({"orientation": "v", "x0": pos, "x1": pos, "top": start, "bottom": end, "doctop": start,
                         "width": 0, "height": end - start, "object_type": "line"})
    objs = plumber_table.merge_edges(
        [e for e in objs if (e["height"] if e["orientation"] == "v" else e["width"]) >= 1], 3, 3, 3, 3)
    objs = [e for e in objs if (e["height"] if e["orientation"] == "v" else e["width"]) >= 3]
    cells = plumber_table.intersections_to_cells(plumber_table.edges_to_intersections(objs, 3, 3))
    return plumber_table.cells_to_tables(cells)


def _rounded(tables):
    return sorted(sorted(tuple(round(v, 6) for v in cell) for cell in t) for t in tables)


def _ruled_grid(rng):
    """A table as a printer draws it: column and row lines, some inner rules left out (merged cells),
    rules in pieces with small gaps, jitter under a point, some rules drawn twice half a point apart
    (a thin filled rectangle's two long sides)."""
    xs = sorted(rng.sample(range(60, 540, 7), rng.randint(3, 9)))
    ys = sorted(rng.sample(range(60, 760, 9), rng.randint(3, 12)))
    edges = []

    def add(orientation, pos, start, end):
        pos += rng.uniform(-0.8, 0.8)
        if rng.random() < 0.2 and end - start > 10:  # in two pieces
            cut = rng.uniform(start + 3, end - 3)
            edges.append((orientation, pos, start, cut - rng.uniform(0, 2)))
            edges.append((orientation, pos, cut, end))
        else:
            edges.append((orientation, pos, start, end))
        if rng.random() < 0.2:
            edges.append((orientation, pos + 0.5, start, end))

    for i, y in enumerate(ys):
        for a, b in zip(xs, xs[1:]):
            if i in (0, len(ys) - 1) or rng.random() > 0.15:
                add("h", y, a, b)
    for j, x in enumerate(xs):
        for a, b in zip(ys, ys[1:]):
            if j in (0, len(xs) - 1) or rng.random() > 0.15:
                add("v", x, a, b)
    return edges


@pytest.mark.parametrize("seed", range(3))
def test_table_finder_is_pdfplumbers(seed):
    rng = random.Random(seed)
    for _ in range(150):
        edges = _ruled_grid(rng)
        if rng.random() < 0.3:  # a second table below or beside, and a stray underline
            edges += [(o, p + 800 if o == "h" else p, s + 800 if o == "v" else s, e + 800 if o == "v" else e)
                      for o, p, s, e in _ruled_grid(rng)]
            edges.append(("h", 50.0, 100.0, 300.0))
        assert _rounded(layout.find_tables(edges)) == _rounded(_plumber_tables(edges))


def test_merged_cells_come_whole():
    # 申请人情况 over three columns, 自然人 over two rows, as in section 三's header
    h = [("h", 0, 0, 300), ("h", 20, 100, 300), ("h", 40, 150, 300), ("h", 60, 0, 300)]
    v = [("v", 0, 0, 60), ("v", 100, 0, 60), ("v", 150, 20, 60), ("v", 220, 40, 60), ("v", 300, 0, 60)]
    (table,) = layout.find_tables(h + v)
    assert sorted(table) == [(0, 0, 100, 60), (100, 0, 300, 20), (100, 20, 150, 60), (150, 20, 300, 40),
                             (150, 40, 220, 60), (220, 40, 300, 60)]
