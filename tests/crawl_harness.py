"""Run the real `nianbao crawl` (a Scrapy process over real HTTP) against an in-process replica.

The replica puts up the obstacles real portals do, and one of them stops a source for good: chanhe's
镇街 column (`/zwgk/zfxxgk/jdnb/`, a start URL) sits behind a 瑞数 412 challenge, so chanhe ends
`blocked` on every run and with either spider. Every other source answers, so is `ok` (zhengzhou-www
too: it answers its robots.txt, which forbids the rest). A crawl that includes chanhe therefore exits
3 (`ExitCode.SOURCE_NOT_OK`) and names it. `crawl()` expects exactly that unless told otherwise: the
exit code and each source's status in the summary.
"""
import glob
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NIANBAO = ROOT / ".venv" / "bin" / "nianbao"

from crawler.registry import load_sources
from nianbao.exitcodes import ExitCode

SETTINGS = "tests.crawl_settings"  # the replica's settings, warnings logged, more requests in flight
REPLICA_NOT_OK = {"chanhe": "blocked"}  # what the replica does to the registry's sources; the rest are ok


class CrawlRun:
    def __init__(self, data_dir, proc):
        self.data_dir = Path(data_dir)
        self.proc = proc
        runs = sorted(glob.glob(str(self.data_dir / "runs" / "*.json")))
        self.summary = json.loads(Path(runs[-1]).read_text()) if runs else {}
        self.items = []
        path = self.data_dir / "runs" / f"{self.summary.get('run_id')}.reports.jsonl"
        if path.exists():
            self.items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]

    def source(self, source_id):
        return self.summary["sources"][source_id]

    def failed(self):
        return {f["url"]: f["reason"] for s in self.summary["sources"].values() for f in s["failed_urls"]}


def expected_statuses(sources=(), registry=None):
    """{source id: status} a crawl of the replica ends with (all the registry's sources when none)."""
    ids = sources or [s["id"] for s in load_sources(registry)]
    return {source_id: REPLICA_NOT_OK.get(source_id, "ok") for source_id in ids}


def crawl(replica, data_dir, sources=(), generic=False, db=None, extra=None, registry=None, timeout=600,
          settings=SETTINGS, expect=None):
    """Crawl `replica` (a running Replica, or the URL of one) into `data_dir`; `extra`: settings over
    the module's, as --set KEY=VALUE. `expect`: the exit code; by default the one the sources'
    statuses on the replica give (REPLICA_NOT_OK), and then those statuses are checked too."""
    url = replica if isinstance(replica, str) else replica.base_url
    args = [str(NIANBAO), "crawl", "--replica", url, "--data", str(data_dir), "--settings", settings]
    for s in sources:
        args += ["--source", s]
    if generic:
        args.append("--generic")
    if db:
        args += ["--db", str(db)]
    for k, v in (extra or {}).items():
        args += ["--set", f"{k}={v}"]
    env = dict(os.environ)
    if registry:
        env["NIANBAO_REGISTRY"] = str(registry)
    statuses = None
    if expect is None:
        statuses = expected_statuses(sources, registry)
        expect = ExitCode.SOURCE_NOT_OK if set(statuses.values()) - {"ok"} else ExitCode.OK
    proc = subprocess.run(args, capture_output=True, text=True, timeout=timeout, cwd=ROOT, env=env)
    if proc.returncode != expect:
        sys.stderr.write(proc.stdout[-3000:] + proc.stderr[-5000:])
    assert proc.returncode == expect, (proc.returncode, proc.stdout[-1000:], proc.stderr[-2000:])
    run = CrawlRun(data_dir, proc)
    if statuses is not None:
        assert {k: s["status"] for k, s in run.summary["sources"].items()} == statuses, run.summary
    return run
