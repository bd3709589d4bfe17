"""Plain-text exports: tab-separated rows, one table cell per line (as in the seeds), or tables drawn
with pipes (Markdown, as PDF-to-text converters write them).

Tab-separated: each line is a row, cells split on tabs, markdown heading marks dropped.
One cell per line: a line starting with a tab is a cell, a blank line ends a row, and a short
untabbed line right after a label cell continues it (a label wrapped as '（三）不予' + '公开').
Pipes: a line `| a | b |` is a row, `|---|---|` rules are skipped, columns empty in every row of a
table (spacers) are dropped, and the damage converters do is mended: a label wrapped onto a line of
its own is joined to its row, a row printed as its label line then its values line becomes one row,
and a block's header row broken over two lines (信息内容 / 本年新 制作数量) is joined cell by cell.
"""
import re

from .. import template as T
from ..values import is_value_like
from .charset import decode_checked
from .model import Cell, Document

_HEADING = re.compile(r"^\s*(#+\s*)")
_SECTION = re.compile(r"^\s*[一二三四五六七八九十]+[、.．]")
_NUMBERISH = re.compile(r"^[\s\d.,+\-/—－减]*$")


def extract_text(data, header_charset=None):
    decoded = decode_checked(data, header_charset)
    text, encoding = decoded.text, decoded.encoding
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [_HEADING.sub("", line) for line in text.split("\n")]
    if "|" in text and _is_piped(lines):
        rows = _pipe_rows(lines)
    elif _is_cell_per_line(lines):
        rows = _cell_per_line_rows(lines)
    else:
        rows = _tab_rows(lines)
    return Document(format="text", rows=rows, text="\n".join(lines), warnings=list(decoded.warnings),
                    meta={"encoding": encoding, "lossy": decoded.lossy})


# -- tables drawn with pipes -------------------------------------------------------------------------

_PIPED = re.compile(r"^\s*\|.*\|\s*$")
_RULE = re.compile(r"^\s*\|?(\s*:?-{2,}:?\s*\|)+\s*:?-*:?\s*$")


def _is_piped(lines):
    return sum(1 for line in lines if _PIPED.match(line)) >= 10


def _pipe_rows(lines):
    """Rows of pipe tables (spacer columns dropped, converter damage mended) and the other lines."""
    rows, table = [], []
    for n, line in enumerate(lines, 1):
        if _PIPED.match(line):
            if not _RULE.match(line):
                table.append([Cell(p.strip(), {"line": n, "col": i})
                              for i, p in enumerate(line.strip().strip("|").split("|"))])
            continue
        rows.extend(_mend(_without_spacers(table)))
        table = []
        if line.strip():
            rows.append([Cell(line.strip(), {"line": n, "col": 0})])
    rows.extend(_mend(_without_spacers(table)))
    return rows


def _without_spacers(table):
    width = max((len(r) for r in table), default=0)
    used = [i for i in range(width) if any(i < len(r) and r[i].text for r in table)]
    return [[r[i] for i in used if i < len(r)] for r in table]


def _texts(row):
    return [c.text for c in row if c.text]


def _has_values(row):
    return any(c.text and is_value_like(c.text) for c in row)


def _label_at(row):
    """Index of the row's last label cell (text that is not a value), or None."""
    return next((i for i in range(len(row) - 1, -1, -1) if row[i].text and not is_value_like(row[i].text)), None)


def _mend(table):
    out = []
    for row in table:
        prev = out[-1] if out else None
        if not _texts(row):
            continue
        if prev and _is_wrapped_label(row, prev):
            prev[_label_at(prev)].text += _texts(row)[0]
        elif prev and _is_values_of(row, prev):
            out[-1] = prev[:_label_at(prev) + 1] + row[_label_at(prev) + 1:]
        elif prev and _continues_header(row, prev):
            for above, below in zip(prev, row):
                above.text += below.text
        else:
            out.append(row)
    return out


def _is_wrapped_label(row, prev):
    """A line holding only the rest of the label above it, in the label's column, under a row with
    values: a long label the converter wrapped."""
    texts, at = _texts(row), _label_at(prev)
    return (len(texts) == 1 and at is not None and at < len(row) and row[at].text == texts[0]
            and not is_value_like(texts[0]) and T.ordinal(T.normalize_label(texts[0]))[0] is None and _has_values(prev)
            and not _names_something(texts[0]))


def _names_something(text):
    """A caption, heading or row of the template stands on its own line: it continues no label."""
    label = T.normalize_label(text)
    return bool(T.match_block(label) or T.section_marker(label, False) or T.match_row(label)
                or T.match_group(label) or T.match_proactive_item(label))


def _is_values_of(row, prev):
    """A line of values and no label under a line of one label and no values: one row printed over
    two lines."""
    at = _label_at(prev)
    return (len(_texts(prev)) == 1 and at is not None and not _has_values(prev)
            and not any(c.text for c in row[:at + 1]) and all(is_value_like(t) for t in _texts(row)))


def _continues_header(row, prev):
    """The second line of a block header (信息内容 | 本年新 | …) the converter broke."""
    return (prev[0].text == "信息内容" and not row[0].text and not _has_values(row) and not _has_values(prev)
            and len(row) == len(prev))


# -- tab-separated, and one cell per line ----------------------------------------------------------

def _is_cell_per_line(lines):
    tabbed = [line for line in lines if line.startswith("\t") and line.strip()]
    if len(tabbed) < 10:
        return False
    single = sum(1 for line in tabbed if len([c for c in line.split("\t") if c.strip()]) == 1
                 and line.count("\t") == 1)
    return single / len(tabbed) > 0.9


def _tab_rows(lines):
    rows = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        parts = line.split("\t")
        rows.append([Cell(p.strip(), {"line": n, "col": i}) for i, p in enumerate(parts)])
    return rows


def _continues(line, row):
    """Is this untabbed line the rest of the row's last (label) cell?"""
    if not row or not line.strip() or len(line.strip()) > 12 or _SECTION.match(line):
        return False
    last = row[-1].text
    return bool(last) and not _NUMBERISH.match(last)


def _cell_per_line_rows(lines):
    rows = _Rows()
    row = []
    for n, line in enumerate(lines, 1):
        if line.startswith("\t"):
            row.append(Cell(line[1:].strip(), {"line": n}))
        elif not line.strip():
            nxt = next((l for l in lines[n:] if l.strip()), "")
            if row and not nxt.startswith("\t") and _continues(nxt, row):
                continue  # a wrapped label: the blank line sits inside the cell
            if row:
                rows.append(row)
            row = []
        elif _continues(line, row):
            row[-1].text += line.strip()
        else:
            if row:
                rows.append(row)
            row = []
            rows.append([Cell(line.strip(), {"line": n})])
    if row:
        rows.append(row)
    return list(rows)


class _Rows(list):
    """Rows that number their cells' columns as they are closed."""

    def append(self, row):
        for i, cell in enumerate(row):
            cell.loc["col"] = i
        super().append(row)
