"""Run the real `nianbao crawl` (a Scrapy process over real HTTP) against an in-process replica."""
import glob
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NIANBAO = ROOT / ".venv" / "bin" / "nianbao"

SETTINGS = "tests.crawl_settings"  # the replica's settings, warnings logged, more requests in flight


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


def crawl(replica, data_dir, sources=(), generic=False, db=None, extra=None, registry=None, timeout=600,
          settings=SETTINGS):
    """`extra`: settings over the module's, as --set KEY=VALUE."""
    args = [str(NIANBAO), "crawl", "--replica", replica.base_url, "--data", str(data_dir), "--settings", settings]
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
    proc = subprocess.run(args, capture_output=True, text=True, timeout=timeout, cwd=ROOT, env=env)
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout[-3000:] + proc.stderr[-5000:])
    assert proc.returncode == 0, proc.stderr[-2000:]
    return CrawlRun(data_dir, proc)
