"""Plain-text exports: tab-separated rows, or one table cell per line (as in the seeds).

Tab-separated: each line is a row, cells split on tabs, markdown heading marks dropped.
One cell per line: a line starting with a tab is a cell, a blank line ends a row, and a short
untabbed line right after a label cell continues it (a label wrapped as '（三）不予' + '公开').
"""
import re

from .charset import decode
from .model import Cell, Document

_HEADING = re.compile(r"^\s*(#+\s*)")
_SECTION = re.compile(r"^\s*[一二三四五六七八九十]+[、.．]")
_NUMBERISH = re.compile(r"^[\s\d.,+\-/—－减]*$")


def extract_text(data, header_charset=None):
    text, encoding = decode(data, header_charset)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [_HEADING.sub("", line) for line in text.split("\n")]
    rows = _cell_per_line_rows(lines) if _is_cell_per_line(lines) else _tab_rows(lines)
    return Document(format="text", rows=rows, text="\n".join(lines), meta={"encoding": encoding})


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
