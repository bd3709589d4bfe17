"""What OCR is not sure of, said in the parse result: a wrong number is never silent.

Runs after mapping and checks on a document read by OCR (pipelines/extract/ocr.py). It reads the
checks' results and changes no value:

- every value cell gets the `confidence` OCR gave it (the least sure character's probability);
- a cell is flagged `ocr_uncertain` when its confidence is below THRESHOLD, when its text did not
  read as a value (status `unparsed`), or when it is one of the cells of an identity of the report
  that fails (A1, A2, A3, L1 in pipelines/checks.py): one of those cells is wrong, and which one the
  arithmetic alone cannot always tell;
- where the arithmetic does tell, a `suggested` value is put beside the cell, with the reasoning in
  a warning (see `suggestions`); the value stays as read;
- the result says how many cells OCR read and how many are uncertain: `result["ocr"]` and a warning.
"""
from collections import defaultdict

THRESHOLD = 0.9  # a cell whose least sure character is below this is flagged (see README, OCR)
FLAG = "ocr_uncertain"


def _key(loc):
    return tuple(sorted((loc or {}).items()))


def _ref(cell):
    return f"{cell['section']}.{cell['item']}.{cell['measure']}"


def review(result, doc, threshold=THRESHOLD):
    """Annotate a parse result (in place) from the OCR'd document it was mapped from."""
    confidence = {_key(c.loc): c.confidence for row in doc.rows for c in row if c.confidence is not None}
    cells = result.get("cells") or []
    by_ref = {}
    for cell in cells:
        conf = confidence.get(_key(cell.get("loc")))
        if conf is not None:
            cell["confidence"] = conf
        by_ref.setdefault(_ref(cell), cell)
    checks = result.get("checks") or []
    failing = [c for c in checks if c["status"] == "fail"]
    reasons = defaultdict(list)
    for cell in cells:
        if cell.get("confidence") is not None and cell["confidence"] < threshold:
            reasons[_ref(cell)].append(f"confidence {cell['confidence']:.2f}")
        if cell.get("status") == "unparsed":
            reasons[_ref(cell)].append("not a number")
    for check in failing:
        for ref in check["cells"]["expected"] + check["cells"]["actual"]:
            if ref in by_ref:
                reasons[ref].append(f"{check['rule']} {check['where']} fails")
    for ref in reasons:
        if ref in by_ref:
            by_ref[ref]["flag"] = FLAG
    warnings = result.setdefault("warnings", [])
    for ref, value, why in suggestions(by_ref, checks):
        by_ref[ref]["suggested"] = value
        warnings.append(f"OCR: {ref} reads {by_ref[ref]['value']!r}, the report's arithmetic says {value!r}: {why} "
                        "(suggested, not changed)")
    # the likeliest culprits first: a suggested cell, then what OCR itself doubted, then the rest of
    # the cells of failing identities
    uncertain = sorted((ref for ref in reasons if ref in by_ref),
                       key=lambda ref: ("suggested" not in by_ref[ref],
                                        all(r.endswith(" fails") for r in reasons[ref]), ref))
    result["ocr"] = {"cells": len(cells), "uncertain": len(uncertain), "threshold": threshold,
                     "pages": doc.meta.get("ocr", {}).get("pages"), "model": doc.meta.get("ocr", {}).get("model")}
    if uncertain:
        shown = ", ".join(f"{ref} ({'; '.join(dict.fromkeys(reasons[ref]))})" for ref in uncertain[:12])
        more = f" and {len(uncertain) - 12} more" if len(uncertain) > 12 else ""
        warnings.append(f"OCR: {len(uncertain)} of {len(cells)} cells uncertain ({FLAG}): {shown}{more}")
    return result


def _terms(check):
    """The check as {ref: sign}: expected side +1, actual side -1, so that sum(sign * value) = 0 holds."""
    terms = defaultdict(int)
    for ref in check["cells"]["expected"]:
        terms[ref] += 1
    for ref in check["cells"]["actual"]:
        terms[ref] -= 1
    return {ref: s for ref, s in terms.items() if s}


def suggestions(by_ref, checks):
    """[(ref, value, reasoning)] where the report's arithmetic names one wrong cell and its value.

    If exactly one cell were misread, it would be in every failing check and in no passing one, and
    each failing check would give the same value for it (expected − actual, moved onto that cell).
    A suggestion is made only when that holds for exactly one cell, at least two independent
    checks fail (a row and a column: one failing check alone cannot say which of its cells is
    wrong), and the value is a whole number ≥ 0. Likewise a cell that OCR could not read as a number
    (null, status unparsed) gets the value its checks give it when they all give the same one, from
    two checks or more, every other cell of those checks being read.
    """
    terms = {id(c): _terms(c) for c in checks}
    failing = [c for c in checks if c["status"] == "fail"]
    passing = [c for c in checks if c["status"] == "pass"]
    out = []
    if len(failing) >= 2:
        common = set(terms[id(failing[0])])
        for check in failing[1:]:
            common &= set(terms[id(check)])
        common -= {ref for check in passing for ref in terms[id(check)]}
        found = []
        for ref in sorted(common):
            cell = by_ref.get(ref)
            if cell is None or not isinstance(cell.get("value"), (int, float)):
                continue
            values = {_solve(check, terms[id(check)], ref, cell["value"]) for check in failing}
            if len(values) == 1:
                found.append((ref, values.pop()))
        found = [(ref, v) for ref, v in found if v is not None and v >= 0 and float(v).is_integer()]
        if len(found) == 1:
            ref, value = found[0]
            rules = ", ".join(f"{c['rule']} {c['where']} ({c['expected']} ≠ {c['actual']})" for c in failing)
            out.append((ref, int(value), f"{rules} all fail, all hold if this one cell is {int(value)}, and no "
                                         "other single cell explains them"))
    # unread cells (not a number, or ink OCR could not read: blank but flagged): solve each
    # not-checkable check in which it is the only null operand
    for ref, cell in sorted(by_ref.items()):
        if cell.get("value") is not None or not (cell.get("status") == "unparsed" or cell.get("flag")):
            continue
        solved = []
        for check in checks:
            t = terms[id(check)]
            if ref not in t or check["status"] != "not_checkable":
                continue
            others = [r for r in t if r != ref]
            if any(by_ref.get(r) is None or by_ref[r].get("value") is None for r in others):
                continue
            rest = sum(t[r] * by_ref[r]["value"] for r in others)
            solved.append((check, -rest / t[ref]))
        values = {v for _, v in solved}
        if len(solved) >= 2 and len(values) == 1:
            value = values.pop()
            if value >= 0 and float(value).is_integer():
                rules = ", ".join(f"{c['rule']} {c['where']}" for c, _ in solved)
                out.append((ref, int(value), f"unread ({cell.get('raw')!r}); {rules} each give {int(value)}"))
    return out


def _solve(check, terms, ref, value):
    """The value `ref` must have for `check` to hold, the other cells as read."""
    if check["expected"] is None or check["actual"] is None:
        return None
    diff = check["expected"] - check["actual"]  # sum(sign * value) over the check
    # changing ref by d changes diff by sign * d: d = -diff / sign
    return value - diff / terms[ref]
