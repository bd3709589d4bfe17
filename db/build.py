"""Rebuild the whole database from the archive alone, re-parsing every archived document.

This is how parser improvements reach the published data. The new database is written beside the
old one and moved into place at the end (db/staging.py), so a server never sees a half-built file.

A torn archive does not stop it: every complete record is used, and what could not be (a torn WARC
record, a report whose body is nowhere) is listed in the `archive_problems` table and counted in the
summary (`archive_problems`); `nianbao build` then exits with ExitCode.ARCHIVE_PROBLEMS.
"""
import time
from dataclasses import replace
from pathlib import Path

from pipelines.parse import parse_bytes

from .staging import fresh, publish
from .store import Store


def build(archive_dir, db_path, reports_iter=None, sources=(), runs=(), as_of=None, progress=None, workers=0,
          limits=None):
    """reports_iter yields CrawledDocuments with their bodies; default: pipelines.archive.iter_reports(archive_dir).
    workers >= 1 parses in that many worker processes, each document under `limits` (pipelines.bounded;
    parsing, not storing, is what takes the time); workers = 0 parses in this process, unbounded (for
    callers that feed a few known documents). The documents are stored in the archive's order either
    way, which decides what is a later version.
    Returns counts: documents, reports (stored versions), parse_errors, archive_problems (a list of
    pipelines.archive.ArchiveProblem), seconds."""
    problems = []
    if reports_iter is None:
        from pipelines.archive import iter_reports
        reports_iter = iter_reports(archive_dir, problems)
    db_path = Path(db_path)
    tmp = fresh(db_path, "building")
    started = time.monotonic()
    store = Store(tmp, batch=1000)
    counts = {"documents": 0, "parse_errors": 0}
    try:
        for source in sources:
            store.add_source(source)
        for document, result in parsed(reports_iter, workers, limits):
            store.add_report(document, result)
            counts["documents"] += 1
            counts["parse_errors"] += "error" in result
            if progress and counts["documents"] % 100 == 0:
                progress(counts["documents"])
        for run in runs:
            store.add_run(run)
        store.add_archive_problems(problems)  # complete once the archive has been read through
        counts["archive_problems"] = problems
        store.refresh_health(as_of)
        store.finish()
        counts["reports"] = store.db["reports"].count
    finally:
        store.close()
    publish(tmp, db_path)
    counts["seconds"] = round(time.monotonic() - started, 2)
    return counts


def parse_one(document):
    result = parse_bytes(document.body, filename=document.url, content_type=document.content_type or "",
                         with_text=True, sha256=document.sha256)
    return replace(document, body=b""), result  # parsed: the store needs the record, not the bytes


def parsed(reports_iter, workers=0, limits=None):
    """(document, parse result) in input order; with workers >= 1, a bounded window of parses runs in
    worker processes under the limits, so memory holds a few dozen documents, not the archive, and a
    document over a limit (or whose worker died) is a result with its reason like any unparsed one."""
    if workers <= 0:
        yield from map(parse_one, reports_iter)
        return
    from collections import deque

    from pipelines.bounded import LIMITS, BoundedParser
    with BoundedParser(workers, limits or LIMITS) as parser:
        window = deque()
        for item in reports_iter:
            future = parser.submit(item.body, filename=item.url, content_type=item.content_type or "",
                                   with_text=True, sha256=item.sha256)
            window.append((replace(item, body=b""), future))  # the worker has the bytes now
            if len(window) >= workers * 8:
                document, future = window.popleft()
                yield document, future.result()
        while window:
            document, future = window.popleft()
            yield document, future.result()
