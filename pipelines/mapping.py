"""Map a document's rows onto the template's codes: the three tables of sections 二, 三 and 四.

Rows are read in order with a little state (section, 第二十条 block, row group). In each row the label
cells come first and the values after the last label cell, so rowspan group cells, explicit empty
placeholder cells and header/data colspan disagreements all reduce to the same rule: a row is named by
its last label and its values are taken in order (template.md §6.3).

A row whose label names nothing (a publisher's typo, characters missing or swapped) is read by its
place when its place and its label agree: its number or its position under its group points at a row
of the template whose official label it still resembles. Such cells are flagged positional, and a
warning names the printed label.
"""
from typing import NamedTuple

from . import template as T
from .records import Cell
from .values import BLANK, NUMBER, VALUE_LIKE, parse_value


_ALIKE = 0.5  # a typo'd label keeps most of its characters; a foreign one (小计, 合计, a note) does not
_ALIKE_NUMBERED = 0.4  # its number already points at the row


class _Row:
    """One row split into its label cells and the value cells after the last label."""

    def __init__(self, cells):
        self.cells = cells
        self.parsed = parsed = [parse_value(c.text) for c in cells]
        # a label is any text that is not a value (blank cells are values: status blank); one pass, as
        # every row of every table comes through here
        labels, label_idx, own_last = [], [], -1
        for i, (c, p) in enumerate(zip(cells, parsed)):
            if p[1] not in VALUE_LIKE:
                label_idx.append(i)
                labels.append(T.normalize_label(c.text))
                if not c.spanned:
                    own_last = i
        # the row is named by its own last label: a rowspan copy pushed to the right of it (a group
        # whose rows were dropped or miscounted) is context, not the row's name
        if own_last >= 0 and own_last != label_idx[-1]:
            labels.append(labels.pop(label_idx.index(own_last)))
        self.labels = labels
        start = own_last + 1 if own_last >= 0 else (label_idx[-1] + 1 if label_idx else 0)
        # rowspan copies are not values of this row; only cells that begin here count
        self.values = values = []
        has_numbers = False
        for i in range(start, len(cells)):
            c = cells[i]
            if not c.spanned:
                p = parsed[i]
                values.append((c, p))
                has_numbers = has_numbers or p[1] == NUMBER
        self.has_numbers = has_numbers
        self.joined = "".join(labels)
        self.last = labels[-1] if labels else ""

    def take(self, n):
        """Exactly n values: drop surplus blank cells at the end, then at the start, then inside (a text
        export of a colspan-2 value leaves an empty cell after it, Shanghai 2019); else None."""
        values = list(self.values)
        while len(values) > n and values[-1][1][1] == BLANK:
            values.pop()
        while len(values) > n and values[0][1][1] == BLANK:
            values.pop(0)
        blanks = [i for i, v in enumerate(values) if v[1][1] == BLANK]
        while len(values) > n and blanks:
            values.pop(blanks.pop())
        return values if len(values) == n else None


def detect_template(rows):
    """Template of section 二 and of section 三 from their labels (template.md §0)."""
    return _detect([label for row in map(_Row, rows) if len(row.cells) > 1 for label in row.labels])


def _detect(labels):
    text = "\n".join(labels)
    signs = T.FINGERPRINTS["proactive"]
    s19 = sum(1 for s in signs["2019"] if T.normalize_label(s) in text)
    s21 = sum(1 for s in signs["2021"] if T.normalize_label(s) in text)
    proactive = "2021" if s21 > s19 else "2019" if s19 > s21 else None
    signs = T.FINGERPRINTS["applications"]
    if any(s in text for s in signs["2021"]):
        applications = "2021"
    elif all(s in text for s in signs["2019"]):
        applications = "2019"
    else:
        applications = None
    return proactive, applications


class Mapper:
    def __init__(self, rows):
        self.rows = [_Row(cells) for cells in rows]
        self.p_tmpl, self.a_tmpl = _detect([l for row in self.rows if len(row.cells) > 1 for l in row.labels])
        self.cells = []
        self.warnings = []
        self.proactive = {}
        self.applications = {}
        self.review = {}
        self.review_count = len(T.items("review_litigation", "2021")) * len(T.measures("review_litigation"))

    # -- results ---------------------------------------------------------------------------------

    def run(self):
        section, block, header, group = None, None, None, None
        for row in self.rows:
            # section and block boundaries
            marked = T.section_marker(row.joined, bool(row.values))
            if marked:
                section, block, header, group = marked, None, None, None
                continue
            found_block = next((b for b in map(T.match_block, row.labels) if b), None)
            if found_block:
                section, block, header = "proactive", found_block, None
                continue
            if section == "proactive" and row.labels and row.labels[0] == T.PROACTIVE_HEADER:
                header = [T.match_measure(l) for l in row.labels[1:]]
                continue
            if not row.values:
                if section == "applications":
                    group = self._application_row(row, group)
                continue
            # data rows: named by content first, so a missing heading does not misfile a row
            if section in (None, "proactive") and T.match_proactive_item(row.last):
                section = "proactive"
                self._proactive_row(row, block, header)
            elif section != "applications" and _is_application(row):
                section, group = "applications", None
                group = self._application_row(row, group)
            elif section == "applications" and self._is_review_row_after(row):
                self.warnings.append(f"section 四: its headings name nothing of the template; the row of "
                                     f"{self.review_count} values after section 三 read as section 四, flagged positional")
                section = "review_litigation"
                self._review_row(row, positional=True)
            elif section == "applications":
                group = self._application_row(row, group)
            elif section == "review_litigation" and len(row.values) >= self.review_count:
                self._review_row(row)
            elif section == "proactive":
                self._proactive_row(row, block, header)
        return self

    # -- section 二 ------------------------------------------------------------------------------

    def _proactive_row(self, row, block, header):
        item = T.match_proactive_item(row.last)
        tmpl = self.p_tmpl or self.a_tmpl or "2021"
        positional = False
        if item is None and row.labels and row.has_numbers:
            rows = [i for i in T.items("proactive", tmpl) if block is None or T.get("proactive", i).parent == block]
            item = self._resembling(row, [i for i in rows if i not in self.proactive], "proactive")
            if item:
                positional = True
                self.warnings.append(f"{item}: printed label {row.last!r} names no row of the template; read as "
                                     f"the row of {block or 'section 二'} it resembles, flagged positional")
        if item is None:
            if row.has_numbers:
                self.warnings.append(f"proactive row not recognised: {row.last!r} at {row.cells[0].loc}")
            return
        measures = T.proactive_measures(item, tmpl)
        code = T.get("proactive", item)
        if code.role == "extension":
            self.warnings.append(f"extension row {code.label} (not in the national template)")
        if header and all(header) and len(header) == len(measures) and set(header) != set(measures):
            self.warnings.append(f"{item}: header measures {header} differ from the {tmpl} template")
            measures = header
        elif header and not all(header):
            self.warnings.append(f"{item}: header labels not all recognised, values mapped by template order")
        values = row.take(len(measures))
        if values is None:
            self.warnings.append(f"{item}: expected {len(measures)} values, found {len(row.values)}")
            return
        target = self.proactive.setdefault(item, {})
        for measure, (cell, parsed) in zip(measures, values):
            self._put(target, "proactive", item, measure, cell, parsed, positional)

    # -- section 三 ------------------------------------------------------------------------------

    def _application_row(self, row, group):
        for label in row.labels:
            g = T.match_group(label)
            if g and g != "results" and T.match_row(label) in (None, "other_total"):
                group = g
        if not row.values:
            return group
        code = T.match_row(row.last)
        if code == "other_total" and self.a_tmpl == "2021":
            code = None  # in 2021 （六）其他处理 is a group cell, never a row of its own
        if code is None:
            code = T.bare_row(group, T.strip_ordinal(row.last))
        placed = None  # why a row named by no label of its own is taken as `code`
        if code is None and (not row.labels or (group and T.match_group(row.last) == group)):
            code = self._next_leaf(group)
            placed = f"no row label, taken by its place under {group} (template order)"
        elif code is None and row.labels and row.has_numbers:
            code, why = self._by_place(row, group)
            placed = f"printed label {row.last!r} names no row of the template; read by {why}, flagged positional"
        if code is None:
            if row.has_numbers:
                self.warnings.append(f"applications row not recognised: {row.last!r} at {row.cells[0].loc}")
            return group
        columns = T.measures("applications")
        values = row.take(len(columns))
        if values is None:
            self.warnings.append(f"{code}: expected {len(columns)} values, found {len(row.values)}; row left empty")
            return group
        if code in self.applications:
            self.warnings.append(f"{code}: row appears twice, the first is kept")
            return group
        if placed:
            self.warnings.append(f"{code}: {placed}")
        positional = placed is not None
        target = self.applications.setdefault(code, {})
        for column, (cell, parsed) in zip(columns, values):
            self._put(target, "applications", code, column, cell, parsed, positional)
        return group

    def _by_place(self, row, group):
        """(code, how) for a row whose label names no row: the row its number points at under its
        parent, or without a number the row of its group it resembles; (None, None) when neither
        place nor label agree."""
        tmpl = self.a_tmpl or self.p_tmpl or "2021"  # the tables of one report follow one template
        core = T.strip_ordinal(row.last)
        level, n = T.ordinal(row.last)
        if level is not None:
            parent = {"top": None, "paren": "results", "sub": group}[level]
            if level == "sub" and group is None:
                return None, None
            siblings = T.children(parent, tmpl)
            code = siblings[n - 1] if n and n <= len(siblings) else None
            if code and T.get("applications", code).kind == "item" and code not in self.applications \
                    and T.resemblance(core, T.get("applications", code)) >= _ALIKE_NUMBERED:
                return code, f"its number {n} under {parent or 'the table'}"
            return None, None
        rows = [c for c in T.items("applications", tmpl) if T.group_of(c) == group and c not in self.applications]
        code = self._resembling(row, rows, "applications")
        return (code, f"its place under {group or 'the table'} and its resemblance to the official label") \
            if code else (None, None)

    @staticmethod
    def _resembling(row, codes, section):
        """The one code of these whose official label the row's label resembles, or None."""
        core = T.strip_ordinal(row.last)
        scored = sorted(((T.resemblance(core, T.get(section, c)), c) for c in codes), reverse=True)
        if not scored or scored[0][0] < _ALIKE or (len(scored) > 1 and scored[1][0] == scored[0][0]):
            return None
        return scored[0][1]

    def _next_leaf(self, group):
        """A group's sub-row printed without its label (owenbabies: （三）不予公开 as 8 rows of bare
        numbers) is the one after the last sub-row of that group already read (template.md §6.3)."""
        leaves = T.under(group) if group else ()
        if not leaves:
            return None
        templates = T.get("applications", group).templates
        if len(templates) == 1 and self.a_tmpl not in templates:  # a group of one template only
            return None
        done = [i for i, leaf in enumerate(leaves) if leaf in self.applications]
        n = done[-1] + 1 if done else 0
        return leaves[n] if n < len(leaves) else None

    # -- section 四 ------------------------------------------------------------------------------

    def _is_review_row_after(self, row):
        """A row of bare values right after section 三 ended, the size of section 四's one row."""
        return (not row.labels and len(row.values) == self.review_count and not self.review
                and T.items("applications", self.a_tmpl or self.p_tmpl or "2021")[-1] in self.applications)

    def _review_row(self, row, positional=False):
        values = row.take(self.review_count)
        if values is None or self.review:
            return
        it = iter(values)
        for g in T.items("review_litigation", "2021"):
            target = self.review.setdefault(g, {})
            for m in T.measures("review_litigation"):
                cell, parsed = next(it)
                self._put(target, "review_litigation", g, m, cell, parsed, positional)

    # -- provenance ------------------------------------------------------------------------------

    def _put(self, target, section, item, measure, cell, parsed, positional=False):
        value, status, unit = parsed
        target[measure] = value
        entry: Cell = {"section": section, "item": item, "measure": measure, "value": value, "raw": cell.text,
                       "status": status, "unit": unit, "loc": cell.loc}
        if positional:
            entry["positional"] = True  # placed by order, not by a label: worth a second look
        self.cells.append(entry)


def _is_application(row):
    return len(row.values) >= 5 and (T.match_row(row.last) is not None
                                     or T.strip_ordinal(row.last) in T.bare_labels())


class Mapped(NamedTuple):
    template: str           # 2021 | 2019 | mixed | free
    section_templates: dict  # {"proactive": 2019|2021, "applications": 2019|2021}: what each table follows
    sections: dict          # {section: {row: {column: value}}}, every row of its template present
    cells: list             # [Cell]
    warnings: list


def map_document(rows):
    m = Mapper(rows).run()
    found = bool(m.proactive or m.applications or m.review)
    if not found:
        return Mapped("free", {}, {}, [], m.warnings)
    p, a = m.p_tmpl, m.a_tmpl
    if p and a and p != a:
        template = "mixed"
        m.warnings.append(f"section 二 follows the {p} template and section 三 the {a} template")
    else:
        template = p or a or "2021"
        if not (p or a):
            m.warnings.append("template not recognisable from labels; assumed 2021")
    fallback = template if template in T.TEMPLATES else "2021"
    followed = {"proactive": p or fallback, "applications": a or fallback}
    sections = {
        "proactive": _complete(m.proactive, T.proactive_layout(followed["proactive"])),
        "applications": _complete(m.applications, dict.fromkeys(T.items("applications", followed["applications"]),
                                                                T.measures("applications"))),
        "review_litigation": _complete(m.review, dict.fromkeys(T.items("review_litigation", fallback),
                                                               T.measures("review_litigation"))),
    }
    for name, got in (("proactive", m.proactive), ("applications", m.applications), ("review_litigation", m.review)):
        if not got:
            m.warnings.append(f"section {name} not found: its values are null")
            continue
        # a row lost in a found table (cut page, dropped <tr>) must not pass silently as a null row
        for row in sections[name]:
            if row not in got and not any(w.startswith(f"{row}:") for w in m.warnings):
                m.warnings.append(f"{row}: row not found in section {name}; its values are null")
    return Mapped(template, followed, sections, m.cells, m.warnings)


def _complete(found, expected):
    """Every expected code present (None where the document has no value), plus any extension rows found."""
    out = {row: {col: found.get(row, {}).get(col) for col in cols} for row, cols in expected.items()}
    for row, cols in found.items():
        out.setdefault(row, dict(cols))
    return out
