"""The report's own arithmetic (勾稽关系, template.md §5): checked, reported, never corrected.

Each check gives a rule id, where it applies, the expected and actual numbers, the cells involved and
a status: pass, fail, or not_checkable when an operand is null (blank is never taken for 0).
"""
from . import template as T


def _sum(values):
    return None if any(v is None for v in values) else round(sum(values), 6)


def _check(rule, where, expected_cells, actual_cells, table):
    exp = _sum([table(c) for c in expected_cells])
    act = _sum([table(c) for c in actual_cells])
    status = "not_checkable" if exp is None or act is None else ("pass" if exp == act else "fail")
    return {"rule": rule, "where": where, "expected": exp, "actual": act, "status": status,
            "cells": {"expected": expected_cells, "actual": actual_cells}}


def run_checks(template, sections):
    apps = sections.get("applications") or {}
    review = sections.get("review_litigation") or {}
    if not apps and not review:
        return []
    a_tmpl = "2021" if "other_other" in apps else "2019"

    def cell(ref):
        section, row, col = ref.split(".")
        return ((sections.get(section) or {}).get(row) or {}).get(col)

    out = []
    if apps:
        for col in T.APPLICANT_COLUMNS:
            a = lambda row: f"applications.{row}.{col}"
            out.append(_check("A1", col, [a("new_received"), a("carried_over")],
                              [a("results_total"), a("carried_forward")], cell))
            out.append(_check("A2", col, [a("results_total")], [a(r) for r in T.OUTCOME_LEAVES[a_tmpl]], cell))
        for row in T.APPLICATION_ROWS[a_tmpl]:
            out.append(_check("A3", row, [f"applications.{row}.total"],
                              [f"applications.{row}.{c}" for c in T.APPLICANT_COLUMNS[:-1]], cell))
    for g in T.REVIEW_GROUPS if review else ():
        out.append(_check("L1", g, [f"review_litigation.{g}.total"],
                          [f"review_litigation.{g}.{m}" for m in T.REVIEW_MEASURES[:-1]], cell))
    return out
