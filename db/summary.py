"""Summary tables recomputed after every load: per agency and year, per agency, per year.

They hold nothing that report_totals does not: they exist so that rankings and trends over a
million reports answer in milliseconds (see bench/query.py).
"""

AGENCY_YEARS = """
insert into agency_years
select r.agency, r.year, max(r.region), max(r.level), max(r.template), count(*), max(r.id),
       sum(t.new_received), sum(t.results_total), sum(t.disclosed), sum(t.withheld), sum(t.rejected),
       sum(t.refused), sum(t.refused) * 1.0 / nullif(sum(t.results_total), 0),
       sum(t.review_total), sum(t.litigation_total)
from reports r join report_totals t on t.report_id = r.id
where r.is_current = 1 and r.agency is not null and r.year is not null
group by r.agency, r.year
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


def refresh(db):
    from .schema import TABLES
    with db.conn:
        for table, sql in (("agency_years", AGENCY_YEARS), ("agencies", AGENCIES), ("year_summary", YEAR_SUMMARY)):
            columns = ", ".join(TABLES[table]["columns"])  # the selects list them in this order
            db.execute(f"delete from {table}")
            db.execute(sql.replace(f"insert into {table}", f"insert into {table} ({columns})", 1))
