"""The database's tables, views and indexes. The tables and their columns come from db/fields.py,
where each column is described once; the Datasette metadata (db/metadata.py) shows the same text.
"""
import sqlite_utils

from . import codes, views
from .fields import TABLES, columns, field

FOREIGN_KEYS = {
    "reports": [("source_id", "sources", "id")],
    "report_values": [("report_id", "reports", "id")],
    "failed_checks": [("report_id", "reports", "id")],
    "crawl_run_sources": [("run_id", "crawl_runs", "run_id"), ("source_id", "sources", "id")],
    "report_totals": [("report_id", "reports", "id")],
    "agency_years": [("report_id", "reports", "id"), ("agency_id", "agencies", "agency_id")],
    "agency_names": [("agency_id", "agencies", "agency_id")],
}

INDEXES = [
    ("reports", ["doc_id"]), ("reports", ["url"]), ("reports", ["source_id", "index_no"]), ("reports", ["sha256"]),
    # Datasette facets are GROUP BYs, fast only as covering-index scans: one index per facet column,
    # and (year, column) for the facets of one year's page, the page readers open most (7x faster)
    ("reports", ["level"]), ("reports", ["region"]), ("reports", ["template"]),
    ("reports", ["year", "agency"]), ("reports", ["year", "level"]), ("reports", ["year", "region"]),
    ("reports", ["year", "template"]),
    ("reports", ["agency", "year"]), ("reports", ["parse_status"]), ("reports", ["source_id", "year"]),
    ("reports", ["is_current", "year", "agency"]),
    # no index on report_values (section, item, measure): 62 bytes a value (9 GiB at a million
    # reports) for queries that report_totals and the summary tables answer; add it locally if needed
    ("failed_checks", ["report_id"]), ("failed_checks", ["rule"]),
    ("reports", ["checks_failed", "year", "is_current"]),  # failing_reports, in its order
    ("agency_years", ["year", "new_received"]), ("agency_years", ["new_received"]),
    ("agency_years", ["year", "refused"]), ("agency_years", ["refused"]),
    ("agencies", ["new_received"]), ("agencies", ["agency"]), ("agency_names", ["agency_id"]),
    ("agency_years", ["agency_id", "year"]),
    # "every body in 郑州市": a place selects the bodies beneath it at any level; peers by level and place
    ("agencies", ["province_name"]), ("agencies", ["city_name"]), ("agencies", ["county_name"]),
    ("agencies", ["placed"]), ("agency_years", ["year", "level"]),
    ("agencies", ["peer_division", "level"]),  # peers: without it, every body's year is read (0.4 s at 1M reports)
    ("agency_years", ["level"]),  # its facets (10x faster; (year, level) is above)
]



def create(db: sqlite_utils.Database):
    """Create every table, index, view and the search indexes, then fill the code tables."""
    for name, table in TABLES.items():
        if name in db.table_names():
            continue
        types = {col: field(name, col).type for col in columns(name)}
        pk = table.pk if isinstance(table.pk, tuple) else (table.pk,)
        sql = db.create_table_sql(name, types, pk=table.pk, foreign_keys=FOREIGN_KEYS.get(name, ()), not_null=set(pk))
        if table.without_rowid:
            sql = sql.strip().rstrip(";") + " WITHOUT ROWID"
        db.execute(sql)
    for table, cols in INDEXES:
        db[table].create_index(cols, if_not_exists=True)
    # trigram: any substring of 3+ characters; bigrams (contentless, unicode61 over pre-cut
    # tokens): 1-2 character terms, which trigram cannot match
    db.execute("create virtual table if not exists reports_fts using fts5("
               "title, agency, text, tokenize='trigram')")
    db.execute("create virtual table if not exists reports_bigrams using fts5("
               "tokens, content='', detail='none', tokenize='unicode61')")
    # year-over-year ranks by the size of the change, either way
    db.execute("create index if not exists idx_agency_years_year_abs_change "
               "on agency_years (year, abs(new_received_change))")
    # missing reports: last year's agencies without a report this year, in the order they are listed
    db.execute("create index if not exists idx_agency_years_missing "
               "on agency_years (year, next_year_reported, region, agency)")
    codes.fill(db)
    for name, sql in views.views().items():  # the wide views are generated from the template's codes
        db.execute(f"drop view if exists [{name}]")
        db.execute(f"create view [{name}] as {sql}")
