"""The report's own arithmetic (勾稽关系, template.md §5): checked, reported, never corrected.

Each check gives a rule id, where it applies, the expected and actual numbers, the cells involved and
a status: pass, fail, or not_checkable when an operand is null (blank is never taken for 0).
"""
from functools import lru_cache

from . import template as T


def _sum(values):
    return None if any(v is None for v in values) else round(sum(values), 6)


@lru_cache(maxsize=None)
def _rules(a_tmpl, with_apps, with_review):
    """The checks of one template as (rule, where, expected refs, actual refs), refs as
    'section.row.column' strings. Built once: every report of a template has the same checks."""
    out = []
    if with_apps:
        for col in T.APPLICANT_COLUMNS:
            a = lambda row: f"applications.{row}.{col}"  # noqa: E731
            out.append(("A1", col, [a("new_received"), a("carried_over")], [a("results_total"), a("carried_forward")]))
            out.append(("A2", col, [a("results_total")], [a(r) for r in T.OUTCOME_LEAVES[a_tmpl]]))
        for row in T.APPLICATION_ROWS[a_tmpl]:
            out.append(("A3", row, [f"applications.{row}.total"],
                        [f"applications.{row}.{c}" for c in T.APPLICANT_COLUMNS[:-1]]))
    if with_review:
        for g in T.REVIEW_GROUPS:
            out.append(("L1", g, [f"review_litigation.{g}.total"],
                        [f"review_litigation.{g}.{m}" for m in T.REVIEW_MEASURES[:-1]]))
    return [(rule, where, exp, act, [r.split(".") for r in exp], [r.split(".") for r in act])
            for rule, where, exp, act in out]


def run_checks(template, sections):
    apps = sections.get("applications") or {}
    review = sections.get("review_litigation") or {}
    if not apps and not review:
        return []
    a_tmpl = "2021" if "other_other" in apps else "2019"

    def values(refs):
        return [((sections.get(s) or {}).get(row) or {}).get(col) for s, row, col in refs]

    out = []
    for rule, where, exp_refs, act_refs, exp_keys, act_keys in _rules(a_tmpl, bool(apps), bool(review)):
        exp, act = _sum(values(exp_keys)), _sum(values(act_keys))
        status = "not_checkable" if exp is None or act is None else ("pass" if exp == act else "fail")
        out.append({"rule": rule, "where": where, "expected": exp, "actual": act, "status": status,
                    "cells": {"expected": list(exp_refs), "actual": list(act_refs)}})
    return out
