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
                      # one parse process per core but one: the store (reading the WARCs, writing SQLite) keeps
                      # a core busy (bench/rebuild.py on 2 cores: 2 parse processes were 0.84x one)
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


def crawl_subprocess(data_dir, replica=None, sources=(), redis=None, workers=1):
    """`nianbao crawl` in its own process (Scrapy's reactor runs once per process)."""
    argv = [sys.executable, "-m", "nianbao.cli", "crawl", "--data", str(data_dir)]
    for s in sources:
        argv += ["--source", s]
    if redis:
        argv += ["--redis", redis, "--workers", str(workers)]
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


def nightly(data_dir="data", sources=(), replica=None, keep=None, alert_command=None, alert_webhook=None,
            alert_always=False, redis=None, workers=1):
    """Crawl, rebuild, release and report, one run at a time (a lock in the data directory).

    Exit codes (nianbao/exitcodes.py): 0 all well; 3 a source failed, was blocked, incomplete or went
    empty (the archive is published all the same); 7 part of the archive could not be used (a torn WARC
    record); 1 the crawl crashed or the build or release failed; 2 the crawl could not start
    (configuration); 5 another nightly run holds the lock."""
    from .exitcodes import ExitCode
    from .lock import Locked, exclusive
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    try:
        with exclusive(data_dir / ".nightly.lock"):
            return _nightly(data_dir, sources, replica, keep, alert_command, alert_webhook, alert_always,
                            redis, workers)
    except Locked as holder:
        say(f"another nightly run holds the lock on {data_dir} ({holder}); this one does nothing")
        return ExitCode.LOCKED


def _nightly(data_dir, sources, replica, keep, alert_command, alert_webhook, alert_always, redis, workers):
    from db.release import KEEP, ReleaseError, make_release

    from . import alerts
    from .exitcodes import ExitCode
    runs_before = set(glob.glob(str(data_dir / "runs" / "*.json")))
    say("crawling " + (f"the replica at {replica}" if replica else "the real portals"))
    code = crawl_subprocess(data_dir, replica=replica, sources=sources, redis=redis, workers=workers)
    if code == ExitCode.USAGE:
        say("the crawl could not start (see above); the database is left as it was")
        return ExitCode.USAGE
    runs = sorted(glob.glob(str(data_dir / "runs" / "*.json")))
    new_runs = [r for r in runs if r not in runs_before]
    summary = json.loads(Path(new_runs[-1]).read_text(encoding="utf-8")) if new_runs else {"sources": {}}
    previous = [r for r in runs if r in runs_before]
    previous = json.loads(Path(previous[-1]).read_text(encoding="utf-8")) if previous else None
    say("rebuilding the database from everything the archive holds")
    build_counts = release = None
    try:
        build_counts = build(data_dir)
        say("writing today's release")
        release = make_release(data_dir, keep=keep or KEEP)
        say(f"released {release['dir']}")
    except (ReleaseError, CrawlError, OSError) as e:
        say(f"{'release' if build_counts else 'build'} failed: {e}")
    built = None
    if build_counts is not None:  # the archive's problems by file and kind, for the report (JSON)
        built = {k: v for k, v in build_counts.items() if k != "archive_problems"}
        built["archive_problems"] = [{"warc_file": p.warc_file, "problem": p.problem, "message": p.message}
                                     for p in build_counts["archive_problems"]]
    report = alerts.health_report(summary, previous, built, release, crawl_exit=code)
    path = alerts.write_report(data_dir, report)
    for line in alerts.report_text(report).splitlines():
        say(f"  {line}")
    say(f"health report: {path}")
    for target, error in alerts.deliver(report, alert_command, alert_webhook, alert_always):
        say(f"alert to {target}: {'sent' if error is None else 'FAILED: ' + error}")
    if code not in (ExitCode.OK, ExitCode.SOURCE_NOT_OK) or build_counts is None or release is None:
        say(f"the run failed (crawl exit {code}); whatever was built is published")
        return ExitCode.ERROR
    if report["failed"] or report["incomplete"] or report["went_empty"]:
        say("some sources were not ok (above); the archive is published all the same")
        return ExitCode.SOURCE_NOT_OK
    if built["archive_problems"]:
        say("part of the archive could not be used (above); everything else is published")
        return ExitCode.ARCHIVE_PROBLEMS
    return ExitCode.OK


def release(data_dir="data", keep=None, day=None):
    from db.release import KEEP, make_release
    r = make_release(data_dir, keep=keep or KEEP, day=day)
    t = r["totals"]
    say(f"released {r['dir']}: {t['reports']} reports; since {r['previous'] or 'nothing (first release)'}: "
        f"{t['new']} new, {t['changed']} changed, {t['removed']} removed")
    if r["removed_releases"]:
        say(f"removed old releases: {', '.join(r['removed_releases'])}")
    return 0
