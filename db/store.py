"""The store: crawled documents and their parse results in, one SQLite database out.

Loading is idempotent. A document is known by its URL or, failing that, by its 索引号 within the
source: the same bytes again add nothing; different bytes become a new version, and the old version
stays with all its values (is_current marks the latest).
"""
import datetime as dt
import json

import sqlite_utils

from pipelines.metadata import find_year
from pipelines.records import source_status

from . import schema, search, summary, totals
from .classify import level_of
from .fields import columns
from .routes import original_path


def _insert_sql(table, columns, verb="insert"):
    return f"{verb} into [{table}] ({', '.join(columns)}) values ({', '.join('?' * len(columns))})"


def _json(value):
    return json.dumps(value, ensure_ascii=False) if value is not None else None


# rows are dicts by column name; these lists put them in the order the insert names the columns
REPORT_COLUMNS = [c for c in columns("reports") if c != "id"]
VALUE_COLUMNS = columns("report_values")
CHECK_COLUMNS = [c for c in columns("failed_checks") if c != "id"]
TOTAL_COLUMNS = columns("report_totals")


class Store:
    """batch: reports per transaction. 1 (the default) commits each report at once, for callers that
    may stop at any time (the crawler). A commit costs a disk sync, so a rebuild uses a larger batch
    and close(); each report stays all-or-nothing either way (a savepoint)."""

    def __init__(self, path, batch=1):
        self.db = sqlite_utils.Database(path)
        # rollback journal, not WAL: the published file is opened read-only and immutable (datasette -i)
        self.db.execute("pragma journal_mode = delete")
        self.db.execute("pragma synchronous = normal")
        schema.create(self.db)
        self._sources = {}
        self._batch, self._pending = batch, 0

    def commit(self):
        if self.db.conn.in_transaction:
            self.db.conn.commit()
        self._pending = 0

    def close(self):
        self.commit()
        self.db.conn.close()

    # --- sources ---------------------------------------------------------------------------------

    def add_source(self, source):
        known = set(columns("sources")) - {"extra"}
        row = {k: v for k, v in source.items() if k in known}
        if isinstance(row.get("start_urls"), (list, tuple)):
            row["start_urls"] = json.dumps(row["start_urls"], ensure_ascii=False)
        extra = {k: v for k, v in source.items() if k not in known}
        row["extra"] = json.dumps(extra, ensure_ascii=False, default=str) if extra else None
        self.commit()
        self.db["sources"].upsert(row, pk="id")
        self._sources.pop(row["id"], None)

    def _source(self, source_id):
        if source_id not in self._sources:
            rows = list(self.db.query("select * from sources where id = ?", [source_id]))
            if not rows and source_id is not None:
                self.db.execute("insert or ignore into sources (id, name) values (?, ?)", [source_id, source_id])
                rows = [{"id": source_id}]
            self._sources[source_id] = rows[0] if rows else {}
        return self._sources[source_id]

    # --- reports ---------------------------------------------------------------------------------

    def add_report(self, document, parse_result):
        """Store one CrawledDocument with its parse result; return the id of its stored version."""
        sha = document.sha256 or parse_result.get("sha256")
        conn = self.db.conn
        if not conn.in_transaction:
            conn.execute("begin")
        conn.execute("savepoint report")
        try:
            report_id = self._add(document, parse_result, sha)
            conn.execute("release report")
        except BaseException:
            conn.execute("rollback to report")
            conn.execute("release report")
            raise
        self._pending += 1
        if self._pending >= self._batch:
            self.commit()
        return report_id

    def _add(self, document, parse_result, sha):
        previous = self._find_document(document, parse_result, sha)
        if previous and previous["sha256"] == sha:
            self._seen_again(previous, document)
            return previous["id"]
        row = self._report_row(document, parse_result, sha, previous)
        if previous:
            self.db.execute("update reports set is_current = 0 where doc_id = ?", [previous["doc_id"]])
        report_id = self.db.execute(_insert_sql("reports", REPORT_COLUMNS), [row[c] for c in REPORT_COLUMNS]).lastrowid
        if not previous:
            self.db.execute("update reports set doc_id = ? where id = ?", [report_id, report_id])
        self._insert_details(report_id, document, parse_result)
        return report_id

    def _find_document(self, document, parse_result, sha):
        """The current version of the document this is a fetch of, or None."""
        found = self._current("url = ?", [document.url])
        if not found and document.index_no:
            # same 索引号 at a new URL: the same document only in the same role (the page itself, or
            # an attachment of the same format), so a page and its PDF never pass for versions
            is_page = document.url == (document.page_url or document.url)
            found = self._current(
                "source_id = ? and index_no = ? and (url = coalesce(page_url, url)) = ? and format is ?",
                [document.source_id, document.index_no, is_page, parse_result.get("format")])
        if not found:
            # the same bytes under a second URL of the same source: one document, not two
            found = self._current("source_id = ? and sha256 = ?", [document.source_id, sha])
        return found

    def _current(self, where, params):
        rows = list(self.db.query(f"select id, doc_id, version, sha256, last_seen_at from reports "
                                  f"where is_current = 1 and {where} order by id desc limit 1", params))
        return rows[0] if rows else None

    def _seen_again(self, previous, document):
        fetched = document.fetched_at
        if fetched and (previous["last_seen_at"] or "") < fetched:
            self.db.execute("update reports set last_seen_at = ? where id = ?", [fetched, previous["id"]])

    def _report_row(self, document, result, sha, previous):
        source = self._source(document.source_id)
        checks = result.get("checks") or []
        agency = result.get("agency") or document.publisher
        year = result.get("year") or find_year(document.list_title, None)
        return {
            "doc_id": previous["doc_id"] if previous else None,
            "version": previous["version"] + 1 if previous else 1,
            "is_current": 1,
            "source_id": document.source_id,
            "agency": agency,
            "region": source.get("region"),
            "level": level_of(agency) or source.get("level"),
            "year": year,
            "template": result.get("template"),
            "title": result.get("title") or document.list_title,
            "list_title": document.list_title,
            "publisher": document.publisher,
            "written_date": document.written_date,
            "published_date": document.published_date,
            "index_no": document.index_no,
            "url": document.url,
            "page_url": document.page_url,
            "archived_original": original_path(sha),
            "content_type": document.content_type,
            "http_status": document.http_status,
            "format": result.get("format"),
            "bytes": result.get("bytes"),
            "sha256": sha,
            "warc_file": document.warc_file,
            "warc_record_id": document.warc_record_id,
            "fetched_at": document.fetched_at,
            "last_seen_at": document.fetched_at,
            "parse_status": result.get("error") or result.get("status") or "ok",
            "parse_message": result.get("message"),
            "values_count": len(result.get("cells") or []),
            "checks_passed": sum(c.get("status") == "pass" for c in checks),
            "checks_failed": sum(c.get("status") == "fail" for c in checks),
            "checks_not_checkable": sum(c.get("status") == "not_checkable" for c in checks),
            "warnings": json.dumps(result.get("warnings") or [], ensure_ascii=False),
        }

    def _insert_details(self, report_id, document, result):
        cells = result.get("cells") or []
        values = [dict(c, report_id=report_id, loc=_json(c.get("loc")), positional=int(c.get("positional", False)))
                  for c in cells]
        # a key printed twice keeps its first cell; the parser's warnings say why
        self.db.conn.executemany(_insert_sql("report_values", VALUE_COLUMNS, "insert or ignore"),
                                 [[v.get(col) for col in VALUE_COLUMNS] for v in values])
        failed = [dict(c, report_id=report_id, scope=c.get("where"), cells=_json(c.get("cells") or None))
                  for c in result.get("checks") or [] if c.get("status") != "pass"]
        self.db.conn.executemany(_insert_sql("failed_checks", CHECK_COLUMNS),
                                 [[f.get(col) for col in CHECK_COLUMNS] for f in failed])
        t = dict(totals.report_totals(cells), report_id=report_id)
        self.db.execute(_insert_sql("report_totals", TOTAL_COLUMNS, "insert or replace"), [t[c] for c in TOTAL_COLUMNS])
        title, agency = result.get("title") or document.list_title or "", result.get("agency") or ""
        text = search.report_text(result)
        self.db.execute("insert into reports_fts(rowid, title, agency, text) values (?, ?, ?, ?)",
                        [report_id, search.normalize(title), search.normalize(agency), search.normalize(text)])
        self.db.execute("insert into reports_bigrams(rowid, tokens) values (?, ?)",
                        [report_id, search.bigram_tokens(title, agency, text)])

    # --- runs and health -------------------------------------------------------------------------

    def add_run(self, summary):
        per_source = summary.get("sources") or {}
        rows = []
        for source_id, s in per_source.items():
            self._source(source_id)
            reasons = s.get("failures") or {}
            failures = sum(reasons.values()) if isinstance(reasons, dict) else int(reasons or 0)
            status = s.get("status") or source_status(s)
            rows.append({"run_id": summary["run_id"], "source_id": source_id, "status": status,
                         "ok": int(status in ("ok", "incomplete_list")),  # it answered
                         "pages_fetched": s.get("pages_fetched") or 0, "new": s.get("new") or 0,
                         "changed": s.get("changed") or 0, "unchanged": s.get("unchanged") or 0,
                         "not_modified": s.get("not_modified") or 0, "failures": failures,
                         "failure_reasons": json.dumps(reasons, ensure_ascii=False),
                         "blocked": int(s.get("blocked") or 0),
                         "failed_urls": json.dumps(s.get("failed_urls") or [], ensure_ascii=False),
                         "declared": s.get("declared"), "found": s.get("found"), "missing": s.get("missing"),
                         "column_counts": json.dumps(s.get("columns") or {}, ensure_ascii=False),
                         "monitors": json.dumps(s.get("monitors") or {}, ensure_ascii=False)})
        run = {"run_id": summary["run_id"], "started_at": summary.get("started_at"),
               "finished_at": summary.get("finished_at"), "sources": len(rows),
               "blocked": sum(1 for r in rows if r["blocked"])}
        for key in ("pages_fetched", "new", "changed", "unchanged", "not_modified", "failures"):
            run[key] = sum(r[key] for r in rows)
        self.commit()
        with self.db.conn:
            self.db["crawl_runs"].insert(run, replace=True)
            self.db["crawl_run_sources"].insert_all(rows, replace=True)

    def add_archive_problems(self, problems):
        """What a rebuild could not use from the archive (pipelines.archive.ArchiveProblem rows)."""
        self.commit()
        with self.db.conn:
            self.db["archive_problems"].insert_all([p.row() for p in problems])

    def refresh_health(self, as_of=None):
        """Recompute source_health. as_of (a date, default today UTC) fixes which report year is due."""
        from .health import health_rows
        self.commit()
        rows = health_rows(self.db, as_of or dt.datetime.now(dt.timezone.utc).date())
        with self.db.conn:
            self.db.execute("delete from source_health")
            self.db["source_health"].insert_all(rows)
        return rows

    def finish(self):
        """After a load: summary tables, statistics, and search indexes compacted for a read-only life."""
        self.commit()
        summary.refresh(self.db)
        with self.db.conn:
            self.db.execute("insert into reports_fts(reports_fts) values ('optimize')")
            self.db.execute("insert into reports_bigrams(reports_bigrams) values ('optimize')")
        self.db.execute("analyze")
