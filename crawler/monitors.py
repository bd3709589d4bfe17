"""The monitors every crawl runs on each source when its spider closes, with spidermon (the library made
for it): a source that yields nothing where its last run yielded reports, a column that found fewer
rows than it declares, an error rate above NIANBAO_MAX_ERROR_RATE, items that fail their schema
(ITEM_SCHEMA, checked by spidermon's ItemValidationPipeline).

The results are written into the crawler's stats (`nianbao/monitors`: {monitor: "ok" | why it
failed}) by the suite's action, before `CrawlResources` makes the source's summary from the stats
(Spidermon's extension is ordered before it), so they reach the run summary, `crawl_run_sources`
and `source_health`. (spidermon 1.27 logs its results through `Spider.log`, which Scrapy 2.19
deprecates: a warning, nothing more.)
"""
import json
from pathlib import Path

from spidermon import Monitor, MonitorSuite, monitors
from spidermon import settings as spidermon_settings
from spidermon.core.actions import Action

from .runlog import COLUMNS, FAILURES, MONITORS, PREFIX

ITEM_NAME = "crawler.monitors.ITEM_SCHEMA"
DATE = {"type": ["string", "null"], "pattern": r"^\d{4}-\d{2}-\d{2}$"}
ITEM_SCHEMA = {  # a crawled report document, as the stages after the crawl need it
    "type": "object",
    "required": ["source_id", "url", "page_url", "canonical_url", "role", "http_status", "content_key"],
    "properties": {
        "source_id": {"type": "string", "minLength": 1},
        "url": {"type": "string", "pattern": "^https?://"},
        "page_url": {"type": "string", "pattern": "^https?://"},
        "canonical_url": {"type": "string", "minLength": 8},
        "role": {"enum": ["page", "attachment"]},
        "http_status": {"type": "integer", "minimum": 200, "maximum": 299},
        "content_key": {"type": "string", "minLength": 16},
        "published_date": DATE, "written_date": DATE,
        "index_no": {"type": ["string", "null"], "maxLength": 80},
        "publisher": {"type": ["string", "null"], "maxLength": 80},
    },
}


# the documents a source answered for in a run, whatever became of them
DOCUMENT_COUNTS = ("new", "changed", "unchanged", "not_modified", "duplicates")


def documents(stats):
    """Of one crawler's stats."""
    return sum(stats.get(PREFIX + key, 0) for key in DOCUMENT_COUNTS)


def documents_of(source_run):
    """Of a source's part of a run summary."""
    return sum(source_run.get(key) or 0 for key in DOCUMENT_COUNTS)


def rows_found(stats):
    return sum(c.get("found") or 0 for c in (stats.get(COLUMNS) or {}).values())


# The rules, as functions of counts: the monitors apply them to one crawler's stats, and the coordinator of
# crawl workers (crawler/workers.py) to the run's merged summary, where one worker's share means nothing.

def went_quiet(last, now):
    """Why a source that had rows and reports in its last run (a summary part) and `now` none is a problem."""
    before = documents_of(last) + (last.get("found") or 0)
    return f"nothing this run; the last run had {before} rows and reports" if before and not now else None


def short_columns(columns):
    """Why columns that found fewer rows than they declare are a problem ({column: {declared, found}})."""
    short = {c: f"found {v['found']} of {v['declared']}" for c, v in columns.items()
             if v.get("declared") is not None and (v.get("found") or 0) < v["declared"]}
    return "; ".join(f"{c}: {why}" for c, why in short.items()) or None


def error_rate_over(failures, fetched, limit):
    if not failures + fetched:
        return None
    rate = failures / (failures + fetched)
    return f"{failures} of {failures + fetched} requests failed ({rate:.0%} > {limit:.0%})" if rate > limit else None


def last_run_of(runs_dir, source_id, this_run):
    """The latest earlier run summary's part for the source, or None."""
    for path in sorted(Path(runs_dir).glob("*.json"), reverse=True):
        if path.stem == this_run:
            continue
        try:
            part = json.loads(path.read_text(encoding="utf-8")).get("sources", {}).get(source_id)
        except (OSError, ValueError):
            continue
        if part is not None:
            return part
    return None


@monitors.name("nianbao")
class SourceMonitor(Monitor):
    @monitors.name("yield")
    def test_a_source_that_yielded_reports_last_time_yields_something(self):
        spider = self.data.spider
        run = getattr(spider, "run", None)
        if run is None:
            return
        last = last_run_of(run.dir, spider.source["id"], run.run_id)
        if not last:
            return
        problem = went_quiet(last, documents(self.data.stats) + rows_found(self.data.stats))
        self.assertFalse(problem, problem)

    @monitors.name("completeness")
    def test_every_column_found_what_it_declares(self):
        problem = short_columns(self.data.stats.get(COLUMNS) or {})
        self.assertFalse(problem, problem)

    @monitors.name("error_rate")
    def test_the_error_rate_is_under_the_threshold(self):
        stats = self.data.stats
        failures = sum(n for k, n in stats.items() if k.startswith(FAILURES) and not k.endswith("robots_disallowed"))
        fetched = stats.get(PREFIX + "pages_fetched", 0) + stats.get(PREFIX + "not_modified", 0)
        problem = error_rate_over(failures, fetched, self.data.crawler.settings.getfloat("NIANBAO_MAX_ERROR_RATE", 0.2))
        self.assertFalse(problem, problem)


    @monitors.name("item_schema")
    def test_items_match_their_schema(self):
        # spidermon's ItemValidationPipeline counts errors only when there are some; its own
        # ItemValidationMonitor fails on a clean run for the missing key, hence this one
        stats = self.data.stats
        self.assertTrue(stats.get("spidermon/validation/validators"), "item validation is not enabled")
        errors = {k.rsplit("/", 2)[-2] + "/" + k.rsplit("/", 1)[-1]: n for k, n in stats.items()
                  if k.startswith("spidermon/validation/fields/errors/") and k.count("/") >= 5}
        self.assertEqual(stats.get("spidermon/validation/fields/errors", 0), 0,
                         f"items failing {ITEM_NAME}: " + ", ".join(f"{k} ×{n}" for k, n in sorted(errors.items())))


class RecordResults(Action):
    """{monitor: "ok" | why} into the crawler's stats, for the run summary."""

    def run_action(self):
        results = {}
        for outcome in self.result.monitor_results:
            name = outcome.monitor.name  # "nianbao/completeness", …
            if outcome.status == spidermon_settings.MONITOR.STATUS.SUCCESS:
                results[name] = "ok"
            else:  # a failed assertion gives its message; an error in the monitor, its traceback's last line
                results[name] = _reason(outcome.reason or getattr(outcome, "error", None))
        self.data.crawler.stats.set_value(MONITORS, results)


def _reason(reason):
    """The assertion's message, not its traceback."""
    text = str(reason or "failed").strip().splitlines()
    message = next((line for line in reversed(text) if line.startswith("AssertionError")), text[-1] if text else "")
    message = message.split(" : ", 1)[-1] if " : " in message else message.split(": ", 1)[-1]
    return (message or "failed")[:300]


class CloseSuite(MonitorSuite):
    monitors = [SourceMonitor]
    monitors_finished_actions = [RecordResults]
