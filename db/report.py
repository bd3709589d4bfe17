"""One report as it prints: its three tables laid out from the template (labels, order, the rows of its
template), each number with where it came from, the same agency's number the year before, and the
checks it fails; its versions and copies. Read from the database only (db/datasette/plugins/report.py
serves it as a page, CSV and JSON).

The layout is derived from pipelines.template, the same table the code tables and wide views come
from: nothing here lists a row or a column.
"""
import json

from pipelines import template as T

from . import queries, routes

SECTIONS = tuple(T.SECTION_NAMES)
REPORT_COLUMNS = ("id", "doc_id", "version", "is_current", "agency", "year", "title", "level", "region", "template",
                  "published_date", "url", "page_url", "format", "sha256", "parse_status", "parse_message",
                  "checks_passed", "checks_failed", "checks_not_checkable", "values_count", "source_id")


def _rows(conn, sql, params=()):
    cursor = conn.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def layout_template(template):
    """The template whose rows a report is laid out in: its own, else the 2021 one (free, mixed)."""
    return template if template in T.TEMPLATES else "2021"


def section_template(section, cells, default):
    """The template a section was printed in: a mixed report prints 二 in one and 三 in the other, so the
    codes it holds that only one template has decide; else the report's."""
    only = set()
    for s, item, measure in cells:
        if s == section:
            for code in (item, measure):
                c = next((c for c in T.codes(section) if c.code == code), None)
                if c is not None and len(c.templates) == 1 and c.role != "extension":
                    only.add(c.templates[0])
    return only.pop() if len(only) == 1 else default


def _cells(conn, report_id):
    return {(c["section"], c["item"], c["measure"]): c for c in _rows(
        conn, "select section, item, measure, value, raw, status, unit, loc, positional, flag, suggested "
              "from report_values where report_id = ?", [report_id])}


def previous_report(conn, report):
    """The report the figures of the agency's year before come from (agency_years' best-read copy)."""
    if report["agency"] is None or report["year"] is None:
        return None
    found = _rows(conn, "select a.report_id, a.year from agency_years a join agency_names n on n.agency_id = a.agency_id "
                        "where n.name = ? and a.year = ?", [report["agency"], report["year"] - 1])
    return found[0] if found else None


def ref_label(ref, template):
    """'applications.new_received.total' -> '一、本年新收政府信息公开申请数量 · 总计'."""
    section, item, measure = ref.split(".")
    return f"{T.path_label(section, item, template)} · {T.path_label(section, measure, template)}"


def check_in_words(check, template):
    """A failed check as a sentence: which printed cells should add up to which, and the two sums."""
    cells = json.loads(check["cells"] or "{}")
    expected, actual = cells.get("expected") or [], cells.get("actual") or []
    refs = [r.split(".") for r in expected + actual]
    if refs and len({m for _s, _i, m in refs}) == 1:    # one column: name the rows
        section, _item, measure = refs[0]
        side = lambda rs: " + ".join(T.path_label(section, r.split(".")[1], template) for r in rs)  # noqa: E731
        where_zh = f"“{T.path_label(section, measure, template)}”列"
    elif refs and len({i for _s, i, _m in refs}) == 1:  # one row: name the columns
        section, item, _measure = refs[0]
        side = lambda rs: " + ".join(T.path_label(section, r.split(".")[2], template) for r in rs)  # noqa: E731
        where_zh = f"“{T.path_label(section, item, template)}”行"
    else:
        side = lambda rs: " + ".join(ref_label(r, template) for r in rs)  # noqa: E731
        where_zh = ""
    status = "不符 does not add up" if check["status"] == "fail" else "有空白，无法校验 not checkable (a blank cell)"
    return {"rule": check["rule"], "scope": check["scope"], "status": check["status"],
            "words": f"{check['rule']} {where_zh}：{side(expected)} = {side(actual)}",
            "figures": f"{_fmt(check['expected'])} ≠ {_fmt(check['actual'])}" if check["status"] == "fail" else status,
            "cells": [tuple(r.split(".")) for r in expected + actual]}


def _fmt(value):
    if value is None:
        return "—"
    return f"{value:g}" if isinstance(value, float) else str(value)


def _cell(report_id, key, cells, previous, failing):
    cell = cells.get(key)
    if cell is None:
        return {"key": key, "missing": True}
    prev = previous.get(key)
    prev_value = prev["value"] if prev else None
    change = cell["value"] - prev_value if cell["value"] is not None and prev_value is not None else None
    return {
        "key": key, "id": "c-" + "-".join(key), "value": cell["value"], "raw": cell["raw"], "status": cell["status"],
        "unit": cell["unit"], "positional": bool(cell["positional"]), "flag": cell["flag"],
        "href": routes.report_original_path(report_id, cell["loc"]) if cell["loc"] else None,
        "previous": prev_value, "change": change, "failing": failing.get(key, []),
    }


def _header_for(section, measure_codes, template):
    """Header rows for columns that may sit under groups (section 三's applicant columns): a grouped
    column's group spans its columns, an ungrouped column spans both rows."""
    measures = [T.get(section, m) for m in measure_codes]
    grouped = any(m.parent for m in measures)
    if not grouped:
        return [[{"text": m.label_in(template), "colspan": 1, "rowspan": 1} for m in measures]]
    top, bottom, seen = [], [], set()
    for m in measures:
        if m.parent and m.parent not in seen:
            seen.add(m.parent)
            width = sum(1 for x in measures if x.parent == m.parent)
            top.append({"text": T.get(section, m.parent).label_in(template), "colspan": width, "rowspan": 1})
        if m.parent:
            bottom.append({"text": m.label_in(template), "colspan": 1, "rowspan": 1})
        else:
            top.append({"text": m.label_in(template), "colspan": 1, "rowspan": 2})
    return [top, bottom]


def _present(cells, section, code):
    return any(s == section and i == code for s, i, _m in cells)


def proactive_grids(report_id, template, cells, previous, failing):
    """Section 二 prints one small table per 第二十条 clause, each with its own columns."""
    grids = []
    for block in T.codes("proactive", "block"):
        rows_ = [c for c in T.codes("proactive", "item") if c.parent == block.code and
                 ((template in c.templates and c.role != "extension") or _present(cells, "proactive", c.code))]
        if not rows_:
            continue
        measure_codes = []
        for row in rows_:
            measure_codes += [m for m in T.proactive_measures(row.code, template) if m not in measure_codes]
        body = []
        for row in rows_:
            own = T.proactive_measures(row.code, template)
            body.append({"label": row.label_in(template), "depth": 0, "group": False,
                         "cells": [_cell(report_id, ("proactive", row.code, m), cells, previous, failing)
                                   if m in own else None for m in measure_codes]})
        header = _header_for("proactive", measure_codes, template)
        grids.append({"caption": f"第二十条第（{block.clause}）项", "corner": "信息内容", "header": header,
                      "rows": body, "width": len(measure_codes)})
    return grids


def applications_grid(report_id, template, cells, previous, failing):
    """Section 三: the rows of its template with their groups as headings, the applicant columns."""
    measure_codes = T.measures("applications")
    body = []
    for c in T.codes("applications", template=None):
        if c.kind not in ("item", "group") or (c.kind == "group" and not T.under(c.code)):
            continue  # a group of columns (法人或其他组织) is in the header
        if template not in c.templates and not _present(cells, "applications", c.code):
            continue
        if c.kind == "group":
            body.append({"label": c.label_in(template), "depth": T.depth(c), "group": True, "cells": []})
            continue
        body.append({"label": c.label_in(template), "depth": T.depth(c), "group": False,
                     "cells": [_cell(report_id, ("applications", c.code, m), cells, previous, failing)
                               for m in measure_codes]})
    return {"caption": "", "corner": "申请人情况", "header": _header_for("applications", measure_codes, template),
            "rows": body, "width": len(measure_codes)}


def review_grid(report_id, template, cells, previous, failing):
    """Section 四 prints one row of fifteen numbers under a three-level heading: review, then lawsuits
    split into direct and after review, each with its results."""
    measures = [T.get("review_litigation", m) for m in T.measures("review_litigation")]
    tops = [c for c in T.codes("review_litigation") if c.kind in ("item", "group") and not c.parent]
    top, middle, bottom, row = [], [], [], []
    for unit in tops:
        items = [unit] if unit.kind == "item" else [c for c in T.codes("review_litigation", "item")
                                                    if c.parent == unit.code]
        top.append({"text": unit.label, "colspan": len(items) * len(measures), "rowspan": 1})
        for item in items:
            if unit.kind == "item":
                middle += [{"text": m.label, "colspan": 1, "rowspan": 2} for m in measures]
            else:
                middle.append({"text": item.label, "colspan": len(measures), "rowspan": 1})
                bottom += [{"text": m.label, "colspan": 1, "rowspan": 1} for m in measures]
            row += [_cell(report_id, ("review_litigation", item.code, m.code), cells, previous, failing)
                    for m in measures]
    return {"caption": "", "corner": None, "header": [top, middle, bottom] if bottom else [top, middle],
            "rows": [{"label": None, "depth": 0, "group": False, "cells": row}], "width": len(row)}


def entity(conn, report):
    """The agency (db/agencies.py) whose name the report printed."""
    found = _rows(conn, "select g.* from agency_names n join agencies g on g.agency_id = n.agency_id where n.name = ?",
                  [report["agency"]]) if report["agency"] else []
    return found[0] if found else None


def peers(conn, report):
    """Bodies of the same level under the same division, the same year (the report's own included);
    the SQL is the peers canned query's (db.queries)."""
    if not report["year"]:
        return []
    return _rows(conn, queries.QUERIES["peers"]["sql"], {"report_id": str(report["id"]), "agency": "", "year": ""})


def versions(conn, report):
    """Every version of this document, and the other documents of the same agency and year (the same
    report published as a page, a PDF and a Word file)."""
    doc = report["doc_id"] or report["id"]
    # doc_id = ? or (no doc_id and id = ?), not coalesce(doc_id, id) = ?: an expression hides the index, and
    # a scan of a million reports took 0.4 s
    own = _rows(conn, "select id, version, is_current, fetched_at, format, sha256, checks_failed from reports "
                      "where doc_id = ? or (doc_id is null and id = ?) order by version", [doc, doc])
    copies = _rows(conn, "select id, version, is_current, fetched_at, format, url, checks_failed from reports "
                         "where agency = ? and year = ? and coalesce(doc_id, id) != ? and is_current = 1 order by id",
                   [report["agency"], report["year"], doc]) if report["agency"] and report["year"] else []
    return own, copies


def load(conn, report_id):
    """Everything the report page shows, or None when there is no such report."""
    found = _rows(conn, f"select {', '.join(REPORT_COLUMNS)} from reports where id = ?", [report_id])
    if not found:
        return None
    report = found[0]
    template = layout_template(report["template"])
    cells = _cells(conn, report_id)
    prev = previous_report(conn, report)
    previous = _cells(conn, prev["report_id"]) if prev else {}
    checks = [check_in_words(c, template) for c in _rows(
        conn, "select rule, scope, expected, actual, status, cells from failed_checks where report_id = ? "
              "order by status, rule, id", [report_id])]
    failing = {}
    for n, check in enumerate(checks, 1):
        check["n"] = n
        if check["status"] == "fail":
            for key in check["cells"]:
                failing.setdefault(key, []).append(n)
    def args(section):
        return report_id, section_template(section, cells, template), cells, previous, failing
    tables = {"proactive": proactive_grids(*args("proactive")), "applications": [applications_grid(*args("applications"))],
              "review_litigation": [review_grid(*args("review_litigation"))]}
    shown = {c["key"] for grids in tables.values() for g in grids for r in g["rows"] for c in r["cells"]
             if c and not c.get("missing")}
    own, copies = versions(conn, report)
    return {
        "report": report, "layout": template, "previous": prev, "has_cells": bool(cells),
        "sections": [{"code": s, "title": T.SECTION_NAMES[s], "grids": tables[s]} for s in SECTIONS],
        "checks": checks,
        # a cell the layout has no place for (a code of neither template) is still shown, never dropped
        "unplaced": [dict(cells[k], section=k[0], item=k[1], measure=k[2]) for k in sorted(cells) if k not in shown],
        "versions": own, "copies": copies, "peers": peers(conn, report), "agency": entity(conn, report),
    }


CELL_COLUMNS = ("section", "item", "measure", "label", "column", "value", "raw", "status", "unit", "previous_year_value",
                "change", "failing_checks", "original")


def cell_rows(page):
    """The report's cells as flat rows in printed order (its CSV and JSON)."""
    template = page["layout"]
    out = []
    for section in page["sections"]:
        for grid in section["grids"]:
            for row in grid["rows"]:
                for cell in row["cells"]:
                    if not cell or cell.get("missing"):
                        continue
                    s, i, m = cell["key"]
                    out.append({"section": s, "item": i, "measure": m, "label": T.path_label(s, i, template),
                                "column": T.path_label(s, m, template), "value": cell["value"], "raw": cell["raw"],
                                "status": cell["status"], "unit": cell["unit"],
                                "previous_year_value": cell["previous"], "change": cell["change"],
                                "failing_checks": ",".join(str(n) for n in cell["failing"]) or None,
                                "original": cell["href"]})
    for cell in page["unplaced"]:
        out.append({"section": cell["section"], "item": cell["item"], "measure": cell["measure"], "label": cell["item"],
                    "column": cell["measure"], "value": cell["value"], "raw": cell["raw"], "status": cell["status"],
                    "unit": cell["unit"], "previous_year_value": None, "change": None, "failing_checks": None,
                    "original": routes.report_original_path(page["report"]["id"], cell["loc"]) if cell["loc"] else None})
    return out
