"""Key totals of one report, precomputed at load time so rankings over a million reports stay fast.

"Refused" is defined here once: withheld (（三）不予公开, 8 rows) + rejected (（五）不予处理, 5 rows), total
column. "Unavailable" (（四）无法提供: the agency does not hold the information) is not a refusal. The rows
of each group are the template's (pipelines.template).
"""
from pipelines import template as T


def _sum(values):
    present = [v for v in values if v is not None]
    return sum(present) if present else None


def report_totals(cells):
    apps = {c["item"]: c.get("value") for c in cells
            if c["section"] == "applications" and c["measure"] == "total"}
    review = {(c["item"], c["measure"]): c.get("value") for c in cells if c["section"] == "review_litigation"}
    withheld = _sum(apps.get(r) for r in T.under("withheld"))
    rejected = _sum(apps.get(r) for r in T.under("rejected"))
    # 2019 prints （六） as one row, 2021 as a group of rows
    other = apps.get("other_total") if "other_total" in apps else _sum(apps.get(r) for r in T.under("other"))
    litigation = ("litigation_direct", "litigation_after_review")
    return {
        "new_received": apps.get("new_received"), "carried_over": apps.get("carried_over"),
        "results_total": apps.get("results_total"), "disclosed": apps.get("disclosed"),
        "partially_disclosed": apps.get("partially_disclosed"), "withheld": withheld,
        "unavailable": _sum(apps.get(r) for r in T.under("unavailable")), "rejected": rejected,
        "other_handling": other, "refused": _sum([withheld, rejected]),
        "carried_forward": apps.get("carried_forward"),
        "review_total": review.get(("review", "total")), "review_corrected": review.get(("review", "corrected")),
        "litigation_total": _sum(review.get((g, "total")) for g in litigation),
        "litigation_corrected": _sum(review.get((g, "corrected")) for g in litigation),
    }
