"""Fault injection for the crawl: kill -9 a real `nianbao crawl --db` of the replica at a chosen point,
run it again, and compare what the archive and the database hold with a crawl that was never killed.
Used by tests/test_crawl_faults.py (a few points) and bench/faults_crawl.py (many random ones).

What is compared: the reports (url, sha256) the archive gives back (`iter_reports`, what `nianbao build`
reads) and those in the crawl's database; lost = in the clean crawl's and not here; duplicated = stored
twice (the same url and bytes in two rows of `reports`).
"""
import os
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

from pipelines.archive import iter_reports, warc_files
from tests.crawl_harness import NIANBAO, ROOT, SETTINGS, crawl


def archived_reports(data_dir):
    return {(d.url, d.sha256) for d in iter_reports(Path(data_dir) / "archive")}


def stored_reports(db):
    """[(url, sha256)] of every row of the database's reports table (a duplicate appears twice)."""
    with sqlite3.connect(db) as conn:
        return [tuple(r) for r in conn.execute("select url, sha256 from reports")]


def report_records(data_dir):
    """How many report records the WARC files hold (a report fetched again after a crash adds one)."""
    from warcio.archiveiterator import ArchiveIterator
    n = 0
    for path in warc_files(Path(data_dir) / "archive"):
        with open(path, "rb") as f:
            n += sum(1 for r in ArchiveIterator(f) if r.rec_type == "metadata"
                     and b'"kind": "report"' in r.content_stream().read())
    return n


def _stored_lines(data_dir):
    return sum(p.read_bytes().count(b"\n") for p in (Path(data_dir) / "runs").glob("*.reports.jsonl"))


def _summaries(data_dir):
    return len(list((Path(data_dir) / "runs").glob("*.json")))


def killed_crawl(replica, data_dir, db, sources, after_reports=None, after_seconds=None, at_finish=False,
                 then_wait=0.0, timeout=300):
    """Start the crawl and kill -9 it (and its parse workers: the whole process group) once it has
    stored `after_reports` more reports, or after `after_seconds`, or (`at_finish`) once its run summary
    is written, i.e. while the database is being finished and swapped in; `then_wait` seconds later (a
    moment between two stored reports: fetching, archiving, parsing). Returns where it was killed
    ({"reports": n stored by then, "seconds": s}) or None if the crawl ended first."""
    args = [str(NIANBAO), "crawl", "--replica", replica.base_url, "--data", str(data_dir), "--db", str(db),
            "--settings", SETTINGS]
    for s in sources:
        args += ["--source", s]
    Path(data_dir, "runs").mkdir(parents=True, exist_ok=True)
    lines, summaries = _stored_lines(data_dir), _summaries(data_dir)
    started = time.monotonic()
    proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        while proc.poll() is None:
            elapsed = time.monotonic() - started
            stored = _stored_lines(data_dir) - lines
            if ((after_reports is not None and stored >= after_reports)
                    or (after_seconds is not None and elapsed >= after_seconds)
                    or (at_finish and _summaries(data_dir) > summaries)):
                time.sleep(then_wait)
                if proc.poll() is not None:
                    break
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
                return {"reports": _stored_lines(data_dir) - lines, "seconds": round(time.monotonic() - started, 2)}
            if elapsed > timeout:
                raise TimeoutError(f"the crawl did not reach the point to kill it within {timeout} s")
            time.sleep(0.01)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    return None


def clean_crawl(replica, data_dir, db, sources):
    replica.reset()
    crawl(replica, data_dir, sources=sources, db=db)
    return {"archived": archived_reports(data_dir), "stored": stored_reports(db)}


def trial(replica, data_dir, db, sources, clean, **kill_at):
    """One kill -9 at `kill_at` (see killed_crawl), then one full run; the figures against `clean`."""
    replica.reset()
    killed = killed_crawl(replica, data_dir, db, sources, **kill_at)
    replica.reset()
    crawl(replica, data_dir, sources=sources, db=db)
    archived, stored = archived_reports(data_dir), stored_reports(db)
    clean_stored = set(clean["stored"])
    return {"killed": killed,
            "lost_from_archive": len(clean["archived"] - archived),
            "lost_from_database": len(clean_stored - set(stored)),
            "duplicated_in_database": len(stored) - len(set(stored)),
            "extra_in_database": len(set(stored) - clean_stored),
            "report_records": report_records(data_dir), "reports": len(clean["archived"])}
