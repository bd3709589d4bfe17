"""Summary tables recomputed after every load: per agency and year, per agency, per year.

They hold nothing that report_totals does not: they exist so that rankings and trends over a
million reports answer in milliseconds (see bench/query.py).
"""
from . import agencies


AGENCY_YEARS = """
insert into agency_years
select agency, year, agency_id, region, level, template, documents, report_id,
       new_received, results_total, disclosed, withheld, rejected,
       refused, refused * 1.0 / nullif(results_total, 0), review_total, litigation_total
from (
  -- one report per agency (the body, whatever name it printed: db/agencies.py) and year, often
  -- published in several forms (page, PDF, DOCX): count it once, from its best-read document
  select g.agency, r.year, g.agency_id, g.region, g.level, r.template, r.id as report_id,
         count(*) over (partition by g.agency_id, r.year) as documents,
         row_number() over (partition by g.agency_id, r.year
                            order by r.parse_status = 'ok' desc, r.checks_failed, r.values_count desc, r.id desc) as pick,
         t.new_received, t.results_total, t.disclosed, t.withheld, t.rejected, t.refused,
         t.review_total, t.litigation_total
  from reports r join report_totals t on t.report_id = r.id
    join agency_names n on n.name = r.agency join agencies g on g.agency_id = n.agency_id
  where r.is_current = 1 and r.year is not null
)
where pick = 1
"""

# the agencies' identity columns are written by db.agencies; their totals come from agency_years
AGENCY_TOTALS = """
update agencies set (first_year, last_year, years, new_received, results_total, refused, refused_share) = (
  select min(year), max(year), count(*), sum(new_received), sum(results_total), sum(refused),
         sum(refused) * 1.0 / nullif(sum(results_total), 0)
  from agency_years a where a.agency_id = agencies.agency_id)
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
  select p.new_received from agency_years p where p.agency_id = agency_years.agency_id and p.year = agency_years.year - 1)
"""
NEXT_YEAR = """
update agency_years set next_year_reported = exists (
  select 1 from agency_years n where n.agency_id = agency_years.agency_id and n.year = agency_years.year + 1)
"""
DERIVED = ("new_received_prev", "new_received_change", "next_year_reported")  # filled after the inserts


def refresh(db):
    from .fields import columns as columns_of
    with db.conn:
        agencies.fill(db)
        for table, sql in (("agency_years", AGENCY_YEARS), ("year_summary", YEAR_SUMMARY)):
            # the selects list the columns in the schema's order
            columns = ", ".join(c for c in columns_of(table) if c not in DERIVED)
            db.execute(f"delete from {table}")
            db.execute(sql.replace(f"insert into {table}", f"insert into {table} ({columns})", 1))
            if table == "agency_years":
                db.execute(CHANGE)
                db.execute("update agency_years set new_received_change = new_received - new_received_prev")
                db.execute(NEXT_YEAR)
                db.execute(AGENCY_TOTALS)
