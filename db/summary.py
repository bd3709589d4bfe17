"""Summary tables recomputed after every load: per agency and year, per agency, per year.

They hold nothing that report_totals does not: they exist so that rankings and trends over a
million reports answer in milliseconds (see bench/query.py).
"""

AGENCY_YEARS = """
insert into agency_years
select agency, year, region, level, template, documents, report_id,
       new_received, results_total, disclosed, withheld, rejected,
       refused, refused * 1.0 / nullif(results_total, 0), review_total, litigation_total
from (
  -- one report per agency and year, often published in several forms (page, PDF, DOCX): count it
  -- once, from its best-read document, never summed over its copies
  select r.agency, r.year, r.region, r.level, r.template, r.id as report_id,
         count(*) over (partition by r.agency, r.year) as documents,
         row_number() over (partition by r.agency, r.year
                            order by r.parse_status = 'ok' desc, r.checks_failed, r.values_count desc, r.id desc) as pick,
         t.new_received, t.results_total, t.disclosed, t.withheld, t.rejected, t.refused,
         t.review_total, t.litigation_total
  from reports r join report_totals t on t.report_id = r.id
  where r.is_current = 1 and r.agency is not null and r.year is not null
)
where pick = 1
"""

AGENCIES = """
insert into agencies
select agency, max(region), max(level), min(year), max(year), count(*),
       sum(new_received), sum(results_total), sum(refused), sum(refused) * 1.0 / nullif(sum(results_total), 0)
from agency_years group by agency
"""

YEAR_SUMMARY = """
insert into year_summary
select a.year, count(*), sum(a.reports), sum(a.new_received), sum(a.results_total), sum(a.refused),
       sum(a.refused) * 1.0 / nullif(sum(a.results_total), 0), sum(a.review_total), sum(a.litigation_total),
       (select count(*) from reports r where r.is_current = 1 and r.year = a.year and r.checks_failed > 0)
from agency_years a group by a.year
"""


CHANGE = """
update agency_years set new_received_prev = (
  select p.new_received from agency_years p where p.agency = agency_years.agency and p.year = agency_years.year - 1)
"""
NEXT_YEAR = """
update agency_years set next_year_reported = exists (
  select 1 from agency_years n where n.agency = agency_years.agency and n.year = agency_years.year + 1)
"""
DERIVED = ("new_received_prev", "new_received_change", "next_year_reported")  # filled after the inserts


def refresh(db):
    from .fields import columns as columns_of
    with db.conn:
        for table, sql in (("agency_years", AGENCY_YEARS), ("agencies", AGENCIES), ("year_summary", YEAR_SUMMARY)):
            # the selects list the columns in the schema's order
            columns = ", ".join(c for c in columns_of(table) if c not in DERIVED)
            db.execute(f"delete from {table}")
            db.execute(sql.replace(f"insert into {table}", f"insert into {table} ({columns})", 1))
            if table == "agency_years":
                db.execute(CHANGE)
                db.execute("update agency_years set new_received_change = new_received - new_received_prev")
                db.execute(NEXT_YEAR)
