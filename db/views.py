"""One wide view per section: a row per (report, table row), a column per table column, as printed.

report_values is long (one cell per row) so that both templates and future codes fit one table; these
views turn it back into the report's own tables for reading and charting.
"""
from pipelines import template as T

PROACTIVE_MEASURES = list(dict.fromkeys(m for items in T.PROACTIVE.values() for ms in items.values() for m in ms))

SECTIONS = {
    "proactive_wide": ("proactive", PROACTIVE_MEASURES),
    "applications_wide": ("applications", T.APPLICANT_COLUMNS),
    "review_litigation_wide": ("review_litigation", T.REVIEW_MEASURES),
}


def _wide_sql(section, measures):
    pivots = ",\n  ".join(f"max(case when v.measure = '{m}' then v.value end) as [{m}]" for m in measures)
    return f"""select
  v.report_id, r.agency, r.year, r.level, r.region, r.template, r.is_current,
  v.item,
  (select c.label_zh from codes c where c.section = v.section and c.kind = 'item' and c.code = v.item
     and c.template in (r.template, 'both') limit 1) as label_zh,
  (select c.sort from codes c where c.section = v.section and c.kind = 'item' and c.code = v.item limit 1) as sort,
  {pivots},
  r.archived_original
from report_values v join reports r on r.id = v.report_id
where v.section = '{section}'
group by v.report_id, v.item"""


VIEWS = {name: _wide_sql(section, measures) for name, (section, measures) in SECTIONS.items()}

VIEW_DESCRIPTIONS = {
    "proactive_wide": ("二、主动公开政府信息情况：每份报告每行一条，列为表中各列", "Section 二 proactive disclosure, as printed: one row per report and table row"),
    "applications_wide": ("三、收到和处理政府信息公开申请情况：每份报告每行一条，列为申请人类型", "Section 三 applications, as printed: one row per report and table row, a column per applicant type"),
    "review_litigation_wide": ("四、行政复议、行政诉讼情况：每份报告每组一条", "Section 四 review and litigation, as printed: one row per report and group"),
}
