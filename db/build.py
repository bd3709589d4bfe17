"""Rebuild the whole database from the archive alone, re-parsing every archived document.

This is how parser improvements reach the published data. The new database is written beside the
old one and moved into place at the end (db/staging.py), so a server never sees a half-built file.
"""
import time
from dataclasses import replace
from pathlib import Path

from pipelines.parse import parse_bytes

from .staging import fresh, publish
from .store import Store


def build(archive_dir, db_path, reports_iter=None, sources=(), runs=(), as_of=None, progress=None, workers=1):
    """reports_iter yields CrawledDocuments with their bodies; default: pipelines.archive.iter_reports(archive_dir).
    workers > 1 parses in that many processes (parsing, not storing, is what takes the time); the
    documents are still stored in the archive's order, which decides what is a later version.
    Returns counts: documents, reports (stored versions), parse_errors, seconds."""
    if reports_iter is None:
        from pipelines.archive import iter_reports
        reports_iter = iter_reports(archive_dir)
    db_path = Path(db_path)
    tmp = fresh(db_path, "building")
    started = time.monotonic()
    store = Store(tmp, batch=1000)
    counts = {"documents": 0, "parse_errors": 0}
    try:
        for source in sources:
            store.add_source(source)
        for document, result in parsed(reports_iter, workers):
            store.add_report(document, result)
            counts["documents"] += 1
            counts["parse_errors"] += "error" in result
            if progress and counts["documents"] % 100 == 0:
                progress(counts["documents"])
        for run in runs:
            store.add_run(run)
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
                         with_text=True)
    return replace(document, body=b""), result  # parsed: the store needs the record, not the bytes


def parsed(reports_iter, workers=1):
    """(document, parse result) in input order; with workers > 1, a bounded window of parses runs in
    other processes, so memory holds a few dozen documents, not the archive."""
    if workers <= 1:
        yield from map(parse_one, reports_iter)
        return
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor
    with ProcessPoolExecutor(workers) as pool:
        window = deque()
        for item in reports_iter:
            window.append(pool.submit(parse_one, item))
            if len(window) >= workers * 8:
                yield window.popleft().result()
        while window:
            yield window.popleft().result()
