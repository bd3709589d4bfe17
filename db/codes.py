"""The code tables, written from the template (pipelines.template): every code with its official
Chinese label per template, English name, parent and printed order; and the 2019 <-> 2021 crosswalk."""
from pipelines import template as T


def code_rows():
    rows, order = [], {}
    for c in T.ROWS:
        sort = order[(c.section, c.kind)] = order.get((c.section, c.kind), -1) + 1
        labels = {t: c.label_in(t) for t in c.templates}
        one = c.templates == T.BOTH and len(set(labels.values())) == 1
        for template, label in ({"both": c.label}.items() if one else labels.items()):
            rows.append({"section": c.section, "kind": c.kind, "code": c.code, "template": template,
                         "label_zh": label, "name_en": c.en, "parent": c.parent, "role": c.role, "sort": sort})
    return rows


def crosswalk_rows():
    rows, paired = [], set()
    for section, kind, code_2019, code_2021, comparable, note in T.CROSSWALK:
        rows.append(_pair(section, kind, code_2019, code_2021, comparable, note))
        paired |= {(section, kind, code_2019), (section, kind, code_2021)}
    compared = [("proactive", "item"), ("proactive", "measure"), ("applications", "item"), ("review_litigation", "item")]
    for section, kind in compared:
        for c in T.codes(section, kind):
            if (section, kind, c.code) in paired or c.role == "extension":
                continue
            if c.templates == T.BOTH:
                rows.append(_pair(section, kind, c.code, c.code, "yes", "identical in both templates"))
            else:
                only = c.templates[0]
                rows.append(_pair(section, kind, c.code if only == "2019" else None, c.code if only == "2021" else None,
                                  f"{only}_only", ""))
    return rows


def _pair(section, kind, code_2019, code_2021, comparable, note):
    def label(code, template):
        return T.get(section, code).label_in(template) if code else None
    return {"section": section, "kind": kind, "code_2019": code_2019, "code_2021": code_2021,
            "label_2019": label(code_2019, "2019"), "label_2021": label(code_2021, "2021"),
            "comparable": comparable, "note": note}


def fill(db):
    db["codes"].insert_all(code_rows(), replace=True)
    if not db["crosswalk"].count:
        db["crosswalk"].insert_all(crosswalk_rows())
