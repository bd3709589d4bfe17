"""The end-to-end commands: build the database from the archive, serve it, the demo and the nightly job.

The database is always rebuilt from the archive (written beside the old one, moved into place at the
end), so a running Datasette never sees a half-written file and parser fixes reach every report.
Nothing here needs the checkout: the child processes are this Python's installed commands, run in the
user's working directory, so a relative data directory means the same place to all of them.
"""
import glob
import json
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from crawler.errors import CrawlError



def say(message):
    print(f"[nianbao] {message}", flush=True)


def build(data_dir="data", db_path=None, workers=None, limits=None):
    from crawler.registry import load_sources
    from db.build import build as build_db
    from pipelines.parse import default_workers
    data_dir = Path(data_dir)
    db_path = Path(db_path or data_dir / "nianbao.db")
    runs = [json.loads(Path(p).read_text(encoding="utf-8"))
            for p in sorted(glob.glob(str(data_dir / "runs" / "*.json")))]
    counts = build_db(data_dir / "archive", db_path, sources=load_sources(), runs=runs,
                      progress=lambda n: say(f"  {n} documents parsed"),
                      workers=workers or default_workers(), limits=limits)
    say(f"built {db_path}: {counts['documents']} documents, {counts['reports']} report versions, "
        f"{counts['parse_errors']} unparsed (kept with their reason), {counts['seconds']} s")
    report_archive_problems(counts["archive_problems"])
    return counts


def report_archive_problems(problems):
    """Say what part of the archive could not be used (the database lists it in archive_problems)."""
    if problems:
        say(f"{len(problems)} archive problem(s); every complete record was used:")
    for p in problems:
        where = f" at byte {p.offset} (after {p.record_index} complete records)" if p.offset is not None else ""
        say(f"  {p.warc_file}{where}: {p.problem}: {p.message}")


def crawl_subprocess(data_dir, replica=None, sources=()):
    """`nianbao crawl` in its own process (Scrapy's reactor runs once per process)."""
    argv = [sys.executable, "-m", "nianbao.cli", "crawl", "--data", str(data_dir)]
    for s in sources:
        argv += ["--source", s]
    if replica:
        argv += ["--replica", replica]  # with the replica's settings (crawler/settings/replica.py)
    else:
        argv += ["--set", "LOG_LEVEL=WARNING", "--set", "LOGSTATS_INTERVAL=30"]
    return subprocess.run(argv).returncode


def serve(db_path, port=8001, data_dir="data"):
    from db.serve import command
    argv = command(db_path, port=port, archive_dir=Path(data_dir) / "archive")
    return subprocess.Popen(argv)


def wait_for_port(port, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return True
        time.sleep(0.2)
    return False


def demo(data_dir="data", port=8001, replica_port=8800):
    """Replica up, crawl it, build the database, serve it; Ctrl-C stops everything."""
    children = []

    def stop(*_):
        for child in children:
            if child.poll() is None:
                child.terminate()
        for child in children:
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()

    def terminated(*_):
        raise KeyboardInterrupt  # SIGTERM stops the demo as Ctrl-C does: children stopped, exit 0

    signal.signal(signal.SIGTERM, terminated)
    try:
        say(f"starting the replica portals on 127.0.0.1:{replica_port} (rendering reports, ~20 s)")
        replica = subprocess.Popen([sys.executable, "-m", "nianbao.cli", "replica", "--port", str(replica_port),
                                    "--warm"])
        children.append(replica)
        if not wait_for_port(replica_port, 180):
            raise CrawlError(f"the replica did not start on 127.0.0.1:{replica_port} within 180 s")
        say("crawling the replica portals (real Scrapy, real HTTP); per-source summary follows")
        crawl_subprocess(data_dir, replica=f"http://127.0.0.1:{replica_port}")
        say("building the database from the archive")
        db_path = Path(data_dir) / "nianbao.db"
        # in a process of its own, as the crawl: the parse workers and their multiprocessing helper
        # (the resource tracker) are gone when it ends, so Ctrl-C later leaves nothing behind
        subprocess.run([sys.executable, "-m", "nianbao.cli", "build", "--data", str(data_dir), "--db", str(db_path)])
        say(f"serving Datasette at http://127.0.0.1:{port}/ (Ctrl-C to stop)")
        server = serve(db_path, port, data_dir)
        children.append(server)
        server.wait()
    except KeyboardInterrupt:
        say("stopping")
    finally:
        stop()
    return 0


def nightly(data_dir="data", sources=()):
    """Crawl the real portals, say per source what happened, rebuild the database from the archive.
    Returns the crawl's exit code (nianbao/exitcodes.py): 3 when a source was not ok, 1 when the crawl
    crashed; either way the archive is published. A configuration error (2) stops before the rebuild."""
    from crawler.runlog import sources_not_ok

    from .exitcodes import ExitCode
    say("crawling the real portals")
    code = crawl_subprocess(data_dir, sources=sources)
    if code == ExitCode.USAGE:
        say("the crawl could not start (see above); the database is left as it was")
        return ExitCode.USAGE
    runs = sorted(glob.glob(str(Path(data_dir) / "runs" / "*.json")))
    if runs:
        summary = json.loads(Path(runs[-1]).read_text(encoding="utf-8"))
        statuses = dict(sources_not_ok(summary))
        for source_id, s in summary["sources"].items():
            state = statuses.get(source_id, "ok")
            say(f"  {source_id}: {state if state == 'ok' else state.upper()}; {s['new']} new, "
                f"{s['changed']} changed, failures {s['failures'] or 'none'}")
    say("rebuilding the database from everything the archive holds")
    counts = build(data_dir)
    if code == ExitCode.OK:
        return ExitCode.ARCHIVE_PROBLEMS if counts["archive_problems"] else ExitCode.OK
    if code == ExitCode.SOURCE_NOT_OK:
        say("some sources were not ok (above); the archive is published all the same")
        return ExitCode.SOURCE_NOT_OK
    say(f"the crawl failed (exit {code}); the archive is published all the same")
    return ExitCode.ERROR
