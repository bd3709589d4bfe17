"""Per-source health: is the source answering, is it publishing, which reports are overdue.

The due year: a report for year Y is due by 31 March of Y+1 (Art. 49 of the 2019 Regulation; agencies'
departments by 31 January, but 31 March is the deadline that covers everyone). On a date D the latest
due year is D.year-1 after 31 March, else D.year-2. A report is "expected but missing" when an agency
of the source has a current report for due_year-1 and none for due_year: an agency that published last
year is expected to publish again.
"""
import datetime as dt
import json

DEADLINE = (3, 31)  # month, day of the year after the report year


def due_year(as_of):
    if isinstance(as_of, str):
        as_of = dt.date.fromisoformat(as_of[:10])
    return as_of.year - 1 if (as_of.month, as_of.day) > DEADLINE else as_of.year - 2


# the same rule in SQL, for the canned queries (evaluated on the day the query runs)
DUE_YEAR_SQL = (f"case when strftime('%m-%d', 'now') > '{DEADLINE[0]:02d}-{DEADLINE[1]:02d}' "
                "then cast(strftime('%Y', 'now') as integer) - 1 else cast(strftime('%Y', 'now') as integer) - 2 end")


MISSING_SQL = """
select prev.source_id, prev.agency, max(prev.id) as last_report_id
from reports prev
where prev.is_current = 1 and prev.year = :due - 1 and prev.agency is not null
  and not exists (select 1 from reports r where r.is_current = 1 and r.agency = prev.agency
                  and r.year = :due)
group by prev.source_id, prev.agency
"""


def health_rows(db, as_of):
    due = due_year(as_of)
    computed_at = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    missing = {}
    for row in db.query(MISSING_SQL, {"due": due}):
        missing.setdefault(row["source_id"], []).append(row["agency"])
    rows = []
    for source in db.query("select id, name from sources order by id"):
        sid = source["id"]
        runs = list(db.query(
            "select r.started_at, s.ok, s.status, s.declared, s.found, s.missing, s.monitors from crawl_run_sources s join crawl_runs r using (run_id) "
            "where s.source_id = ? order by r.started_at desc", [sid]))
        failures = 0
        for run in runs:
            if run["ok"]:
                break
            failures += 1
        stats = next(db.query("select count(*) as n, max(year) as latest from reports "
                              "where source_id = ? and is_current = 1", [sid]))
        # every stored row is a new report or a new version: the latest fetch among them
        last_new = next(db.query("select max(fetched_at) as t from reports where source_id = ?", [sid]))["t"]
        agencies = sorted(missing.get(sid, []))
        last = runs[0] if runs else {}
        if failures:
            status = "failing"
        elif last.get("status") == "incomplete_list":
            status = "incomplete_list"
        elif agencies:
            status = "missing_reports"
        elif not runs and not stats["n"]:
            status = "never_run"
        else:
            status = "ok"
        rows.append({
            "source_id": sid, "name": source["name"], "status": status,
            "last_run_at": runs[0]["started_at"] if runs else None,
            "last_success_at": next((r["started_at"] for r in runs if r["ok"]), None),
            "last_new_report_at": last_new, "consecutive_failures": failures,
            "declared": last.get("declared"), "found": last.get("found"), "missing": last.get("missing"),
            "monitors_failed": json.dumps({k: v for k, v in json.loads(last.get("monitors") or "{}").items() if v != "ok"},
                                          ensure_ascii=False),
            "reports": stats["n"], "latest_year": stats["latest"], "due_year": due,
            "missing_reports": len(agencies), "missing_agencies": json.dumps(agencies, ensure_ascii=False),
            "computed_at": computed_at,
        })
    return rows
