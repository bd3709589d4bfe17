"""Scale: crawl workers on Redis, the rebuild on every core, and releases.

    .venv/bin/python bench/scale.py [--delay 0.25] [--workers 1 2 3]

1. Crawl workers: the replica's xinxiangxian and dengfeng-public columns crawled with 1, 2 and 3 workers on
   one real redis-server, each host held to a politeness delay (--delay seconds between requests): the honest case for scale-out, where the per-host delay and not the CPU bounds one worker. Pages
   per second of wall-clock time; every run must store the same reports.
2. Rebuild: `nianbao build` of the archive the first crawl made (the demo's sources), with 1 parse process
   and with one per core: documents per second, and per core.
3. Release: `nianbao release` of that database: seconds and file sizes.
Writes bench/results/scale.json.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from replica.server import Replica  # noqa: E402
from tests.crawl_harness import NIANBAO  # noqa: E402
from tests.redis_server import redis_server  # noqa: E402

SOURCES = ("xinxiangxian", "dengfeng-public")


def run(argv, **kwargs):
    started = time.perf_counter()
    proc = subprocess.run([str(a) for a in argv], capture_output=True, text=True, cwd=ROOT, **kwargs)
    if proc.returncode not in (0, 3):
        raise SystemExit(f"{argv[1]} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return time.perf_counter() - started


def crawl_workers(replica, workers, delay, tmp):
    data = tmp / f"crawl-{workers}"
    with redis_server(tmp) as url:
        argv = [NIANBAO, "crawl", "--redis", url, "--workers", workers, "--replica", replica.base_url,
                "--data", data, "--settings", "tests.crawl_settings",
                # the registry's delay of 1 s per host, scaled to `delay`; Scrapy sends one request per delay
                "--set", f"NIANBAO_POLITENESS_SCALE={delay}", "--set", "RANDOMIZE_DOWNLOAD_DELAY=False"]
        for s in SOURCES:
            argv += ["--source", s]
        seconds = run(argv, timeout=1800)
    summary = json.loads(sorted((data / "runs").glob("*.json"))[-1].read_text())
    pages = sum(s["pages_fetched"] for s in summary["sources"].values())
    reports = sum(s["new"] for s in summary["sources"].values())
    return data, {"workers": workers, "seconds": round(seconds, 1), "pages": pages, "reports_new": reports,
                  "pages_per_second": round(pages / seconds, 2)}


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--delay", type=float, default=0.25)
    p.add_argument("--workers", type=int, nargs="+", default=[1, 2, 3])
    args = p.parse_args(argv)
    results = {"machine": f"{os.cpu_count()} cores", "delay_seconds_per_host": args.delay, "crawl": []}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        replica = Replica(port=0).start()
        replica.warm()
        try:
            data = None
            for n in args.workers:
                made, row = crawl_workers(replica, n, args.delay, tmp)
                data = data or made
                results["crawl"].append(row)
                print(f"crawl, {n} worker(s): {row['pages']} pages in {row['seconds']} s = "
                      f"{row['pages_per_second']} pages/s ({row['reports_new']} reports)", flush=True)
        finally:
            replica.stop()
        base = results["crawl"][0]["pages_per_second"]
        for row in results["crawl"]:
            row["speedup"] = round(row["pages_per_second"] / base, 2)
        results["rebuild"] = []
        for workers in sorted({1, os.cpu_count() or 1}):
            seconds = run([NIANBAO, "build", "--data", data, "--workers", workers], timeout=1800)
            documents = sum(1 for _ in (data / "archive" / "blobs").rglob("*") if _.is_file())
            row = {"workers": workers, "seconds": round(seconds, 2), "documents": documents,
                   "documents_per_second": round(documents / seconds, 1)}
            results["rebuild"].append(row)
            print(f"rebuild, {workers} parse process(es): {documents} documents in {row['seconds']} s = "
                  f"{row['documents_per_second']} documents/s", flush=True)
        seconds = run([NIANBAO, "release", "--data", data, "--date", "2026-01-01"], timeout=1800)
        day = data / "releases" / "2026-01-01"
        results["release"] = {"seconds": round(seconds, 2),
                              "bytes": {f.name: f.stat().st_size for f in sorted(day.iterdir())}}
        print(f"release: {results['release']['seconds']} s, {results['release']['bytes']}")
    out = ROOT / "bench" / "results" / "scale.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=1))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
