"""The report's own arithmetic (勾稽关系, template.md §5): checked, reported, never corrected.

The rules come from the roles the template gives its rows and columns:
- A1 per applicant column: the `received` rows = the `handled` row + the `forward` row
  (new + carried over = results total + carried forward);
- A2 per applicant column: the `handled` row = the sum of the template's `outcome` rows;
- A3 per row: its `total` column = the sum of its `part` columns;
- L1 per review/litigation group: its `total` measure = the sum of its `part` measures.

Each check gives a rule id, where it applies, the expected and actual numbers, the cells involved and
a status: pass, fail, or not_checkable when an operand is null (blank is never taken for 0).
"""
from . import template as T
from .records import Check

APPS, REVIEW = "applications", "review_litigation"


def _sum(values):
    return None if None in values else round(sum(values), 6)


@T.derived
def rules(a_tmpl, with_apps, with_review):
    """The checks of one template as (rule, where, expected refs, actual refs), refs as
    'section.row.column' strings. Built once: every report of a template has the same checks."""
    out = []
    if with_apps:
        role = lambda r: T.with_role(APPS, "item", r, a_tmpl)  # noqa: E731
        columns, parts, total = T.measures(APPS), T.with_role(APPS, "measure", "part"), T.with_role(APPS, "measure", "total")
        for col in columns:
            ref = lambda row: f"{APPS}.{row}.{col}"  # noqa: E731
            out.append(("A1", col, [ref(r) for r in role("received")], [ref(r) for r in role("handled") + role("forward")]))
            out.append(("A2", col, [ref(r) for r in role("handled")], [ref(r) for r in role("outcome")]))
        for row in T.items(APPS, a_tmpl):
            out.append(("A3", row, [f"{APPS}.{row}.{c}" for c in total], [f"{APPS}.{row}.{c}" for c in parts]))
    if with_review:
        parts, total = T.with_role(REVIEW, "measure", "part"), T.with_role(REVIEW, "measure", "total")
        for g in T.items(REVIEW, a_tmpl):
            out.append(("L1", g, [f"{REVIEW}.{g}.{m}" for m in total], [f"{REVIEW}.{g}.{m}" for m in parts]))
    return [(rule, where, exp, act, [r.split(".") for r in exp], [r.split(".") for r in act])
            for rule, where, exp, act in out]


def run_checks(sections, applications_template):
    """sections: {section: {row: {column: value}}}; applications_template: the template section 三
    follows (it decides which outcome rows add up to the total)."""
    apps = sections.get(APPS) or {}
    review = sections.get(REVIEW) or {}
    if not apps and not review:
        return []

    def values(refs):
        return [((sections.get(s) or {}).get(row) or {}).get(col) for s, row, col in refs]

    out = []
    for rule, where, exp_refs, act_refs, exp_keys, act_keys in rules(applications_template, bool(apps), bool(review)):
        exp, act = _sum(values(exp_keys)), _sum(values(act_keys))
        status = "not_checkable" if exp is None or act is None else ("pass" if exp == act else "fail")
        check: Check = {"rule": rule, "where": where, "expected": exp, "actual": act, "status": status,
                        "cells": {"expected": list(exp_refs), "actual": list(act_refs)}}
        out.append(check)
    return out
