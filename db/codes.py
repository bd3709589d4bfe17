"""The code tables: official Chinese labels (from pipelines.template) with English names, and the
2019 <-> 2021 crosswalk (template.md §2c)."""
from pipelines import template as T

ENGLISH = {
    # blocks and proactive items
    "art20_1": "Art. 20(1): rules and normative documents", "art20_5": "Art. 20(5): licensing and other services",
    "art20_6": "Art. 20(6): penalties and enforcement", "art20_8": "Art. 20(8): administrative fees",
    "art20_9": "Art. 20(9): government procurement",
    "rules": "Rules (regulations)", "normative_documents": "Normative documents", "other_documents": "Other documents (Hubei extension)",
    "licensing": "Administrative licensing", "other_services": "Other external services", "penalty": "Administrative penalties",
    "enforcement": "Administrative enforcement", "fees": "Administrative fees", "procurement": "Central government procurement",
    # proactive measures
    "issued": "Issued this year", "repealed": "Repealed this year", "in_force": "Currently in force",
    "decisions": "Decisions this year", "fee_amount_10k_yuan": "Fees collected (10k yuan)",
    "new_made": "Newly made this year", "new_published": "Newly published this year", "total_published": "Total published",
    "prev_year_items": "Items last year", "change": "Change this year (+/-)",
    "procurement_projects": "Procurement projects", "procurement_amount": "Procurement amount",
    # applicant columns
    "natural_person": "Natural persons", "commercial_enterprise": "Commercial enterprises",
    "research_institution": "Research institutions", "social_welfare_org": "Social welfare organisations",
    "legal_service_org": "Legal service organisations", "other_org": "Other organisations", "total": "Total",
    # application rows and groups
    "new_received": "New applications received this year", "carried_over": "Carried over from last year",
    "results": "Results this year", "disclosed": "Disclosed", "partially_disclosed": "Partially disclosed",
    "withheld": "Withheld", "withheld_state_secret": "Withheld: state secret",
    "withheld_prohibited_by_law": "Withheld: prohibited by other laws", "withheld_security_stability": "Withheld: endangers security or stability",
    "withheld_third_party_rights": "Withheld: third-party rights", "withheld_internal_affairs": "Withheld: internal affairs",
    "withheld_process_info": "Withheld: process information", "withheld_enforcement_file": "Withheld: enforcement case file",
    "withheld_admin_query": "Withheld: administrative query matter",
    "unavailable": "Cannot be provided", "unavailable_not_held": "Unavailable: not held by this agency",
    "unavailable_needs_creation": "Unavailable: would need to be created", "unavailable_unclear": "Unavailable: still unclear after correction",
    "rejected": "Not processed", "rejected_petition": "Not processed: petition or complaint", "rejected_duplicate": "Not processed: duplicate",
    "rejected_publication": "Not processed: asks for a publication", "rejected_excessive": "Not processed: excessive repeated requests",
    "rejected_confirmation": "Not processed: asks to confirm or reissue information",
    "other": "Other handling", "other_total": "Other handling (total)",
    "other_overdue_correction": "Other: correction overdue", "other_overdue_fee": "Other: fee not paid",
    "other_other": "Other: other", "results_total": "Results total", "carried_forward": "Carried forward to next year",
    # review and litigation
    "review": "Administrative review", "litigation_direct": "Lawsuit without prior review",
    "litigation_after_review": "Lawsuit after review", "upheld": "Upheld", "corrected": "Corrected",
    "pending": "Pending",
}
REVIEW_MEASURE_EN = {"other": "Other result", "total": "Total"}


def code_rows():
    rows = []

    def add(section, kind, code, template, label, parent=None, sort=0, en=None):
        rows.append({"section": section, "kind": kind, "code": code, "template": template, "label_zh": label,
                     "name_en": en or ENGLISH.get(code, code), "parent": parent, "sort": sort})

    block_labels = {v: f"第二十条第（{k}）项" for k, v in T.BLOCKS.items()}
    for i, (block, label) in enumerate(block_labels.items()):
        add("proactive", "block", block, "2019" if block == "art20_9" else "both", label, sort=i)
    for template, items in T.PROACTIVE.items():
        item_labels = T.PROACTIVE_ITEM_LABELS_2021 if template == "2021" else T.PROACTIVE_ITEM_LABELS
        measure_labels = T.MEASURE_LABELS if template == "2021" else T.MEASURE_LABELS_2019
        measures = []
        for i, (item, item_measures) in enumerate(items.items()):
            add("proactive", "item", item, template, item_labels[item], T.PROACTIVE_ITEM_BLOCK[item], i)
            measures += [m for m in item_measures if m not in measures]
        for i, m in enumerate(measures):
            add("proactive", "measure", m, template, measure_labels[m], sort=i)
    add("proactive", "item", "other_documents", "2019", T.PROACTIVE_ITEM_LABELS["other_documents"], "art20_1", 99)

    for i, (group, label) in enumerate(T.APPLICATION_GROUPS.items()):
        add("applications", "group", group, "both", label, None if group == "results" else "results", i)
    rows_2019, rows_2021 = T.APPLICATION_ROWS["2019"], T.APPLICATION_ROWS["2021"]
    for i, row in enumerate(rows_2021):
        template = "both" if row in rows_2019 else "2021"
        parent = T.GROUP_OF_ROW.get(row) or ("results" if i >= 2 and row != "carried_forward" else None)
        add("applications", "item", row, template, T.APPLICATION_LABELS[row], parent, i)
    add("applications", "item", "other_total", "2019", T.APPLICATION_LABELS["other_total"], "results", 20)
    for i, (col, label) in enumerate(zip(T.APPLICANT_COLUMNS, T.APPLICANT_LABELS)):
        add("applications", "measure", col, "both", label, None if col in ("natural_person", "total") else "legal_person", i)

    for i, g in enumerate(T.REVIEW_GROUPS):
        add("review_litigation", "item", g, "both", T.REVIEW_GROUP_LABELS[g], None, i)
    for i, (m, label) in enumerate(zip(T.REVIEW_MEASURES, T.REVIEW_MEASURE_LABELS)):
        add("review_litigation", "measure", m, "both", label, sort=i, en=REVIEW_MEASURE_EN.get(m))
    return rows


# (section, kind, code_2019, code_2021, comparable, note): template.md §2c, plus section 三's 2019/2021 difference
CROSSWALK = [
    ("proactive", "item", "rules", "rules", "yes", ""),
    ("proactive", "item", "normative_documents", "normative_documents", "yes", "2021 label adds 行政"),
    ("proactive", "item", "licensing", "licensing", "yes", ""),
    ("proactive", "item", "other_services", None, "2019_only", "dropped in 2021"),
    ("proactive", "item", "penalty", "penalty", "yes", ""),
    ("proactive", "item", "enforcement", "enforcement", "yes", ""),
    ("proactive", "item", "fees", "fees", "yes", "the row compares, its measures differ"),
    ("proactive", "item", "procurement", None, "2019_only", "dropped in 2021"),
    ("proactive", "measure", "decisions", "decisions", "approx", "same concept: 处理决定数量 / 本年处理决定数量"),
    ("proactive", "measure", "new_made", "issued", "approx", "close, kept as separate codes"),
    ("proactive", "measure", "new_published", None, "2019_only", ""),
    ("proactive", "measure", "total_published", "in_force", "no", "cumulative published vs currently valid: different concepts"),
    ("proactive", "measure", None, "repealed", "2021_only", ""),
    ("proactive", "measure", "prev_year_items", None, "2019_only", ""),
    ("proactive", "measure", "change", None, "2019_only", ""),
    ("proactive", "measure", None, "fee_amount_10k_yuan", "2021_only", ""),
    ("proactive", "measure", "procurement_projects", None, "2019_only", ""),
    ("proactive", "measure", "procurement_amount", None, "2019_only", "unit not fixed by the template: see unit"),
    ("applications", "item", "other_total", "other_total", "yes",
     "2019 prints one row; 2021 splits it in three (other_overdue_correction + other_overdue_fee + other_other): compare their sum"),
    ("applications", "item", None, "other_overdue_correction", "2021_only", ""),
    ("applications", "item", None, "other_overdue_fee", "2021_only", ""),
    ("applications", "item", None, "other_other", "2021_only", ""),
]


def crosswalk_rows():
    labels = {(r["section"], r["kind"], r["code"], r["template"]): r["label_zh"] for r in code_rows()}

    def label(section, kind, code, template):
        if code is None:
            return None
        return labels.get((section, kind, code, template)) or labels.get((section, kind, code, "both")) \
            or (T.APPLICATION_LABELS.get(code) if section == "applications" else None)

    rows = [{"section": s, "kind": k, "code_2019": a, "code_2021": b,
             "label_2019": label(s, k, a, "2019"), "label_2021": label(s, k, b, "2021"),
             "comparable": c, "note": n} for s, k, a, b, c, n in CROSSWALK]
    same = [r for r in T.APPLICATION_ROWS["2021"] if r in T.APPLICATION_ROWS["2019"]]
    rows += [{"section": "applications", "kind": "item", "code_2019": r, "code_2021": r,
              "label_2019": T.APPLICATION_LABELS[r], "label_2021": T.APPLICATION_LABELS[r],
              "comparable": "yes", "note": "identical row"} for r in same]
    rows += [{"section": "review_litigation", "kind": "item", "code_2019": g, "code_2021": g,
              "label_2019": T.REVIEW_GROUP_LABELS[g], "label_2021": T.REVIEW_GROUP_LABELS[g],
              "comparable": "yes", "note": "section 四 is identical in both templates"} for g in T.REVIEW_GROUPS]
    return rows


def fill(db):
    db["codes"].insert_all(code_rows(), replace=True)
    if not db["crosswalk"].count:
        db["crosswalk"].insert_all(crosswalk_rows())
