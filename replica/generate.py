"""Synthetic annual reports that add up, for round-trip tests and the replica portal.

`generate_report(agency, year, template, seed)` gives a report in the truth-file shape plus meta:
deterministic (one random.Random(seed)), arithmetic-consistent (template.md §5: A1, A2, A3, L1) and
of a realistic size for the agency (a township mostly zeros, a city government thousands).
`generate_broken_report` gives the same report with one cell off by one, for "flagged, never fixed".

The codes are written out here rather than imported from pipelines.template, so the replica does not
share a mistake with the parser it tests.
"""
import random
import re

from pipelines import template as T

# The template's own codes: the generator must never drift from what the parser expects.
COLUMNS = T.measures("applications")
LEAVES = {t: T.with_role("applications", "item", "outcome", t) for t in T.TEMPLATES}
ROWS = {t: T.items("applications", t) for t in T.TEMPLATES}
# How outcomes are usually spread (disclosed and not-held dominate in real reports).
_WEIGHT = {"disclosed": 40, "partially_disclosed": 8, "unavailable_not_held": 25, "unavailable_needs_creation": 3,
           "unavailable_unclear": 2, "rejected_petition": 2, "rejected_duplicate": 2, "other_total": 8,
           "other_overdue_correction": 3, "other_other": 5, "withheld_process_info": 2,
           "withheld_third_party_rights": 1, "withheld_enforcement_file": 1, "withheld_admin_query": 1}
# Share of each applicant type (before total).
_APPLICANT_SHARE = [0.9, 0.06, 0.005, 0.005, 0.02, 0.01]
REVIEW_GROUPS = ["review", "litigation_direct", "litigation_after_review"]
REVIEW_MEASURES = ["upheld", "corrected", "other", "pending", "total"]

# Typical yearly applications received, by kind of agency.
SCALE = {"township": 2, "department": 25, "county": 120, "city": 3000}

TITLE_FORMS = ["{agency}{year}年政府信息公开工作年度报告", "{agency}{year}年度政府信息公开工作年度报告",
               "{agency}{year}年政府信息公开工作年报", "{agency}{year}年度政府信息公开年报"]


def agency_kind(agency):
    if re.search(r"(乡|镇)人民政府$|街道办事处$", agency):
        return "township"
    if re.fullmatch(r"[^区县]+市人民政府", agency):
        return "city"
    if re.search(r"(区|县|市)人民政府(办公室)?$", agency):
        return "county"
    return "department"


def template_for(year):
    return "free" if year <= 2018 else "2019" if year <= 2020 else "2021"


def generate_report(agency, year, template=None, seed=0):
    template = template or template_for(year)
    rng = random.Random(f"{agency}|{year}|{template}|{seed}")
    kind = agency_kind(agency)
    meta = {"title": rng.choice(TITLE_FORMS).format(agency=agency, year=year),
            "agency": agency, "year": year, "template": template, "kind": kind}
    if template == "free":
        meta["legacy_stats"] = _legacy_stats(rng, kind, year)
        return {"meta": meta, "proactive": {}, "applications": {}, "review_litigation": {}}
    if template not in LEAVES:
        raise ValueError(f"unknown template {template!r}")
    return {"meta": meta,
            "proactive": _proactive(rng, kind, template),
            "applications": _applications(rng, kind, template),
            "review_litigation": _review(rng, kind)}


def generate_broken_report(agency, year, template=None, seed=0):
    """A report whose section 三 does not add up: one leaf cell one too many. meta['broken'] says which."""
    report = generate_report(agency, year, template, seed)
    if report["meta"]["template"] == "free":
        raise ValueError("a free-form report has no tables to break")
    rng = random.Random(seed)
    row = rng.choice(["disclosed", "unavailable_not_held", "partially_disclosed"])
    col = rng.choice(COLUMNS[:3])
    report["applications"][row][col] += 1
    report["meta"]["broken"] = f"applications.{row}.{col}"
    return report


# -- section 三 -------------------------------------------------------------------------------------


def _volume(rng, kind):
    """Applications handled this year; townships mostly none."""
    if kind == "township" and rng.random() < 0.7:
        return 0
    base = SCALE[kind]
    return max(0, int(rng.lognormvariate(0, 0.5) * base))


def _split(rng, n, names, weights):
    counts = dict.fromkeys(names, 0)
    if n:
        for name in rng.choices(names, weights=weights, k=n):
            counts[name] += 1
    return counts


def _applications(rng, kind, template):
    leaves = LEAVES[template]
    weights = [_WEIGHT.get(leaf, 0.3) for leaf in leaves]
    handled = _volume(rng, kind)
    per_column = _split(rng, handled, COLUMNS[:6], _APPLICANT_SHARE)
    apps = {row: {} for row in ROWS[template]}
    for col in COLUMNS[:6]:
        n = per_column[col]
        outcome = _split(rng, n, leaves, weights)
        for leaf in leaves:
            apps[leaf][col] = outcome[leaf]
        apps["results_total"][col] = n
        forward = rng.randint(0, max(0, n // 20)) if n else 0
        over = rng.randint(0, max(0, (n + forward) // 20)) if n else 0
        apps["carried_forward"][col] = forward
        apps["carried_over"][col] = over
        apps["new_received"][col] = n + forward - over  # A1 by construction
    for row in apps.values():
        row["total"] = sum(row[c] for c in COLUMNS[:6])  # A3
    return apps


# -- section 四 -------------------------------------------------------------------------------------


def _review(rng, kind):
    cap = {"township": 0, "department": 2, "county": 8, "city": 60}[kind]
    out = {}
    for g in REVIEW_GROUPS:
        top = cap if g != "litigation_after_review" else cap // 3
        vals = [rng.randint(0, top) if rng.random() < 0.5 else 0 for _ in range(4)]
        out[g] = dict(zip(REVIEW_MEASURES, vals + [sum(vals)]))  # L1
    return out


# -- section 二 -------------------------------------------------------------------------------------


def _count(rng, kind, city, county, department, township):
    top = {"city": city, "county": county, "department": department, "township": township}[kind]
    return rng.randint(0, top) if top else 0


def _proactive(rng, kind, template):
    rules_issued = _count(rng, kind, 8, 0, 0, 0)  # only cities with legislative power make 规章
    norm_issued = _count(rng, kind, 300, 40, 10, 2)
    if template == "2021":
        return {
            "rules": {"issued": rules_issued, "repealed": _count(rng, kind, 3, 0, 0, 0),
                      "in_force": rules_issued + _count(rng, kind, 120, 0, 0, 0)},
            "normative_documents": {"issued": norm_issued, "repealed": _count(rng, kind, 200, 20, 5, 1),
                                    "in_force": norm_issued + _count(rng, kind, 2000, 200, 40, 6)},
            "licensing": {"decisions": _count(rng, kind, 1_800_000, 20000, 3000, 50)},
            "penalty": {"decisions": _count(rng, kind, 90000, 3000, 600, 5)},
            "enforcement": {"decisions": _count(rng, kind, 20000, 300, 60, 2)},
            "fees": {"fee_amount_10k_yuan": _amount(rng, kind, 200000, 4)},
        }
    items = {}
    for item in ("licensing", "other_services", "penalty", "enforcement"):
        prev = _count(rng, kind, 900, 300, 80, 10)
        items[item] = {"prev_year_items": prev, "change": rng.randint(-min(prev, 20), 40) if prev else 0,
                       "decisions": _count(rng, kind, 800000, 20000, 2000, 40)}
    prev_fees = _count(rng, kind, 60, 20, 5, 0)
    return {
        "rules": {"new_made": rules_issued, "new_published": rules_issued,
                  "total_published": rules_issued + _count(rng, kind, 150, 0, 0, 0)},
        "normative_documents": {"new_made": norm_issued, "new_published": norm_issued,
                                "total_published": norm_issued + _count(rng, kind, 2000, 200, 40, 6)},
        **items,
        "fees": {"prev_year_items": prev_fees, "change": rng.randint(-prev_fees, 3) if prev_fees else 0},
        "procurement": {"procurement_projects": _count(rng, kind, 900, 120, 15, 3),
                        "procurement_amount": _amount(rng, kind, 90_000_000, 0)},
    }


def _amount(rng, kind, city_top, places):
    """A money amount: 0 for most small bodies; decimals as a portal prints them."""
    top = {"city": city_top, "county": city_top / 20, "department": city_top / 200, "township": 0}[kind]
    if not top or rng.random() < 0.3:
        return 0
    value = rng.uniform(0, top)
    return round(value, places) if places else int(value)


# -- free-form (pre-2019) ------------------------------------------------------------------------


def _legacy_stats(rng, kind, year):
    """The old 统计表 (指标名称 / 计量单位 / 本年度 / 历年累计) some pre-2019 reports carry."""
    published = _count(rng, kind, 20000, 3000, 400, 60)
    received = _count(rng, kind, 2000, 100, 10, 1)
    rows = [("主动公开文件数", "条", published), ("其中：1、政府网站公开数", "条", published),
            ("2、政府公报公开数", "条", 0), ("受理政府信息依申请公开总数", "条", received),
            ("对申请的答复总数", "条", received), ("其中：1、同意公开答复数", "条", received),
            ("行政复议数", "件", 0), ("行政诉讼数", "件", 0)]
    return {"period": f"{year}年度",
            "rows": [(label, unit, n, n * rng.randint(1, 6)) for label, unit, n in rows]}
