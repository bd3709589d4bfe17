"""A crawl run: what every crawler of one `run_crawl` shares, and the run's summary.

One process runs one Scrapy crawler per registry source (crawler/run.py). `Run` is what they share:
`run_crawl` creates it, hands it to every spider as its `run` argument and closes it when the crawl
is over (a context manager: no module globals, no atexit). It owns what is process-wide:

- the run id and its start and finish times;
- the parse worker processes, started on first use (`pipelines.parse.default_workers()` of them),
  each document under a time and a memory limit (`pipelines.bounded`);
- the database (`db.store.Store`) when the crawl writes one (`nianbao crawl --db`), written from the
  reactor thread only, into its own file beside the published one and swapped in when the run
  closes (db/staging.py): a served database never sees a half-written file;
- the run's report log, `runs/<run id>.reports.jsonl` (one line per stored report: record and result);
- the run summary, `runs/<run id>.json`, saved once, when the run closes.

The counts are not kept here: each crawler counts into its own Scrapy stats, under `nianbao/`
(`nianbao/pages_fetched`, `nianbao/new`, ..., `nianbao/failures/<reason>`, `nianbao/robots`), and
when it closes its source's part of the summary is made from them (`source_summary`). Per source:
pages_fetched, not_modified, new, changed, unchanged, duplicates, blocked, parse_errors, failures
{reason: n}, failed_urls [{url, reason}], robots, status (`pipelines.records.source_status`, or
`incomplete_list`), monitors {monitor: "ok" | why it failed} (crawler/monitors.py), and
elapsed_seconds and finish_reason from Scrapy.

Completeness, per column (a start URL): `columns` {column: {declared, found, missing}} from the
spider's counts (`nianbao/columns`): declared is the column's own statement of its size (None where
the platform states none: "declared: unknown"), found the distinct rows its lists gave, missing
declared - found. The source's `declared`, `found`, `missing` add them up (declared and missing over
the columns that declare). A source that answered but found fewer rows than a column declared is
`incomplete_list`: not ok.
"""
import json
from datetime import datetime, timezone
from pathlib import Path
from typing import get_type_hints

from pipelines.parse import default_workers
from pipelines.records import SourceRun, source_status

PREFIX = "nianbao/"
FAILURES = PREFIX + "failures/"
ROBOTS = PREFIX + "robots"
COLUMNS = PREFIX + "columns"
MONITORS = PREFIX + "monitors"  # {monitor: "ok" | why it failed}, from crawler/monitors.py
INCOMPLETE = "incomplete_list"
COUNTS = tuple(key for key, kind in get_type_hints(SourceRun).items() if kind is int)  # pages_fetched ... parse_errors


def _now():
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def new_run_id():
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S")


def source_summary(stats, failed_urls=()):
    """One source's part of the run summary (a `pipelines.records.SourceRun`), from its crawler's
    stats as `StatsCollector.get_stats()` gives them."""
    run = {key: stats.get(PREFIX + key, 0) for key in COUNTS}
    run["failures"] = {k[len(FAILURES):]: n for k, n in sorted(stats.items()) if k.startswith(FAILURES)}
    run["failed_urls"] = list(failed_urls)
    run["robots"] = stats.get(ROBOTS)
    run.update(completeness(stats.get(COLUMNS) or {}))
    run["monitors"] = dict(stats.get(MONITORS) or {})
    run["status"] = source_status(run)
    if run["status"] == "ok" and run["missing"]:
        run["status"] = INCOMPLETE
    return run


def completeness(columns):
    """{columns, declared, found, missing} from the spider's {column: {declared, found}}."""
    out = {}
    for column, c in columns.items():
        declared, found = c.get("declared"), c.get("found") or 0
        out[column] = {"declared": declared, "found": found,
                       "missing": None if declared is None else max(0, declared - found)}
    declaring = [c for c in out.values() if c["declared"] is not None]
    return {"columns": out,
            "declared": sum(c["declared"] for c in declaring) if declaring else None,
            "found": sum(c["found"] for c in out.values()),
            "missing": sum(c["missing"] for c in declaring) if declaring else None}


def column_lines(source_summary):
    """One line per column of a source's summary, as `nianbao crawl` prints it."""
    lines = []
    for column, c in (source_summary.get("columns") or {}).items():
        declared = "unknown" if c["declared"] is None else c["declared"]
        missing = "" if c["missing"] is None else f", missing {c['missing']}"
        lines.append(f"  {column}: declared {declared}, found {c['found']}{missing}")
    return lines


def sources_not_ok(summary):
    """[(source id, status)] of the sources of a run summary that were not ok (blocked, unreachable)."""
    statuses = ((source_id, s.get("status") or source_status(s)) for source_id, s in summary["sources"].items())
    return [(source_id, status) for source_id, status in statuses if status != "ok"]


class Run:
    """One crawl run. `with Run(data_dir, db) as run: ...` saves the summary and closes everything."""

    def __init__(self, data_dir="data", db=None, workers=None, run_id=None, runs_dir=None):
        self.data_dir = Path(data_dir)
        self.dir = Path(runs_dir) if runs_dir else self.data_dir / "runs"  # a crawl worker's: runs/workers
        self.run_id = run_id or new_run_id()
        self.started_at = _now()
        self.finished_at = None
        self.sources = {}
        self.errors = []       # what stopped a crawler from working at all (see CrawlResources)
        self.workers = workers or default_workers()
        self._parsers = None
        self._closed = False
        self.dir.mkdir(parents=True, exist_ok=True)
        self._reports = open(self.dir / f"{self.run_id}.reports.jsonl", "a", encoding="utf-8")
        self.store = None
        if db:
            from db.staging import continued
            from db.store import Store
            self.db_path = Path(db)
            self._staged = continued(self.db_path)
            self.store = Store(self._staged)

    @classmethod
    def from_settings(cls, settings):
        """A run for a crawler started on its own (`scrapy crawl`), from NIANBAO_DATA_DIR and NIANBAO_DB."""
        return cls(settings.get("NIANBAO_DATA_DIR") or "data", settings.get("NIANBAO_DB"))

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        self.close(finish_store=exc_type is None)

    # -- during the crawl ---------------------------------------------------------------------------

    def add_source(self, source):
        """A source this run crawls: in the summary from the start (as unreachable until its crawler
        reports) and in the database."""
        self.sources.setdefault(source["id"], source_summary({}))
        if self.store is not None:
            self.store.add_source(source)

    def parsers(self):
        """The parse worker processes, started on first use (PDFs are CPU-heavy and would hold the GIL
        against the crawl); the crawl keeps one core to itself. A document over a limit, or whose worker
        died, comes back as a result with its reason; the pool replaces the worker and goes on."""
        if self._parsers is None:
            from pipelines.bounded import BoundedParser
            self._parsers = BoundedParser(self.workers)
        return self._parsers

    def report(self, item, result):
        """A parsed report document: into the database (if any) and the run's report log."""
        if self.store is not None:
            self.store.add_report(item, result)
        self._reports.write(json.dumps({"record": item.record(),
                                        "result": {k: v for k, v in result.items() if k != "text"}},
                                       ensure_ascii=False) + "\n")
        self._reports.flush()

    def source_finished(self, source_id, summary):
        """A crawler closed: its source's part of the summary (see `source_summary`)."""
        self.sources[source_id] = summary

    # -- at the end ---------------------------------------------------------------------------------

    def summary(self):
        return {"run_id": self.run_id, "started_at": self.started_at, "finished_at": self.finished_at,
                "sources": dict(self.sources)}

    @property
    def path(self):
        return self.dir / f"{self.run_id}.json"

    def close(self, finish_store=True):
        """Stop the parse workers, save the summary (once), and record the run in the database, make it
        ready to serve and put it in place (unless the crawl ended on an exception: then the database is
        only closed, and the next crawl continues it)."""
        if self._closed:
            return
        self._closed = True
        try:
            if self._parsers is not None:
                self._parsers.close()
            self._reports.close()
            self.finished_at = _now()
            self.path.write_text(json.dumps(self.summary(), ensure_ascii=False, indent=1), encoding="utf-8")
        finally:
            if self.store is not None:
                try:
                    if finish_store:
                        self.store.add_run(self.summary())
                        self.store.refresh_health()
                        self.store.finish()  # summary tables, search index optimised, statistics
                finally:
                    self.store.close()
                if finish_store:
                    from db.staging import publish
                    publish(self._staged, self.db_path)
