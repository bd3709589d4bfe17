"""One wide view per section: a row per (report, table row), a column per table column, as printed.

report_values is long (one cell per row) so that both templates and future codes fit one table; these
views turn it back into the report's own tables for reading and charting.
"""
from pipelines import template as T

SECTIONS = {"proactive_wide": "proactive", "applications_wide": "applications",
            "review_litigation_wide": "review_litigation"}


def columns(view):
    """The measure columns of a wide view: every measure of its section, of both templates, in printed order."""
    return T.measures(SECTIONS[view])


def _wide_sql(section, measures):
    # No GROUP BY: each cell is a primary-key lookup, so the view flattens into the outer query and a
    # filter on any report column (?agency=, ?year=, ?report_id=) uses the reports' indexes; an
    # aggregate view would have to group every value row first.
    cells = ",\n  ".join(
        f"(select v.value from report_values v where v.report_id = r.id and v.section = '{section}' "
        f"and v.item = c.code and v.measure = '{m}') as [{m}]" for m in measures)
    return f"""select
  r.id as report_id, r.agency, r.year, r.level, r.region, r.template, r.is_current,
  c.code as item, c.label_zh, c.sort,
  {cells},
  r.archived_original
from reports r join codes c on c.section = '{section}' and c.kind = 'item'
  and c.template in (case when r.template in ('2019', '2021') then r.template else '2021' end, 'both')
where r.values_count > 0
  and exists (select 1 from report_values v where v.report_id = r.id and v.section = '{section}' and v.item = c.code)
-- as printed: a report's rows in the template's order (c.sort), not in code order
order by r.id, c.sort"""


def views():
    return {name: _wide_sql(section, columns(name)) for name, section in SECTIONS.items()}

VIEW_DESCRIPTIONS = {
    "proactive_wide": ("二、主动公开政府信息情况：每份报告每行一条，列为表中各列", "Section 二 proactive disclosure, as printed: one row per report and table row"),
    "applications_wide": ("三、收到和处理政府信息公开申请情况：每份报告每行一条，列为申请人类型", "Section 三 applications, as printed: one row per report and table row, a column per applicant type"),
    "review_litigation_wide": ("四、行政复议、行政诉讼情况：每份报告每组一条", "Section 四 review and litigation, as printed: one row per report and group"),
}
