"""Scale: crawl workers on Redis, the rebuild on every core, and releases.

    .venv/bin/python bench/scale.py [--delay 0.25] [--workers 1 2 3]

1. Crawl workers: replica sources crawled with 1, 2 and 3 workers on one real redis-server, each host held
   to a politeness delay (--delay seconds between requests), each worker keeping it on its own (as crawl
   machines with their own addresses do). Two sets: `delay-bound`, three portals on three platforms
   with no obstacle pages (pingtan, shenzhen-gkmlpt, hangzhou-jpaas), where the per-host delay and not
   the CPU bounds one worker: the honest case for scale-out; and `obstacles`, the xinxiangxian and
   dengfeng-public columns, whose slow page (answers after seconds), resets and 503s retried with
   backoff decide the end of the run whatever the workers. Pages per second of wall-clock time; every
   run of a set must store the same reports.
2. Release: `nianbao release` of the database the first crawl of the `obstacles` set made: seconds and
   file sizes. (The rebuild at scale is bench/rebuild.py; the million-report release bench/release.py.)
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

SETS = {"delay-bound": ("pingtan", "shenzhen-gkmlpt", "hangzhou-jpaas"),
        "obstacles": ("xinxiangxian", "dengfeng-public")}


def run(argv, **kwargs):
    started = time.perf_counter()
    proc = subprocess.run([str(a) for a in argv], capture_output=True, text=True, cwd=ROOT, **kwargs)
    if proc.returncode not in (0, 3):
        raise SystemExit(f"{argv[1]} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return time.perf_counter() - started


def crawl_workers(replica, sources, workers, delay, tmp):
    data = tmp / f"crawl-{len(list(tmp.iterdir()))}-{workers}"
    with redis_server(tmp) as url:
        argv = [NIANBAO, "crawl", "--redis", url, "--workers", workers, "--replica", replica.base_url,
                "--data", data, "--settings", "tests.crawl_settings",
                # the registry's delay of 1 s per host, scaled to `delay`; Scrapy sends one request per delay
                "--set", f"NIANBAO_POLITENESS_SCALE={delay}", "--set", "RANDOMIZE_DOWNLOAD_DELAY=False"]
        for s in sources:
            argv += ["--source", s]
        seconds = run(argv, timeout=1800)
    summary = json.loads(sorted((data / "runs").glob("*.json"))[-1].read_text())
    pages = sum(s["pages_fetched"] for s in summary["sources"].values())
    reports = sum(s["new"] for s in summary["sources"].values())
    return data, {"workers": workers, "seconds": round(seconds, 1), "pages": pages, "reports_new": reports,
                  "pages_per_second": round(pages / seconds, 2)}


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--delay", type=float, default=0.5)
    p.add_argument("--workers", type=int, nargs="+", default=[1, 2, 3])
    p.add_argument("--set", choices=sorted(SETS), nargs="+", default=sorted(SETS), dest="sets")
    args = p.parse_args(argv)
    results = {"machine": f"{os.cpu_count()} cores", "delay_seconds_per_host": args.delay, "crawl": []}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        replica = Replica(port=0).start()
        replica.warm()
        try:
            data = None
            for name in args.sets:
                for n in args.workers:
                    made, row = crawl_workers(replica, SETS[name], n, args.delay, tmp)
                    if name == "obstacles":
                        data = data or made  # the release below: the demo sources
                    row = {"set": name, "sources": list(SETS[name])} | row
                    results["crawl"].append(row)
                    print(f"crawl {name}, {n} worker(s): {row['pages']} pages in {row['seconds']} s = "
                          f"{row['pages_per_second']} pages/s ({row['reports_new']} reports)", flush=True)
        finally:
            replica.stop()
        for name in args.sets:
            rows = [r for r in results["crawl"] if r["set"] == name]
            if len({r["reports_new"] for r in rows}) > 1:
                raise SystemExit(f"{name}: the runs stored different numbers of reports: {rows}")
            for row in rows:
                row["speedup"] = round(row["pages_per_second"] / rows[0]["pages_per_second"], 2)
        data = data or made
        run([NIANBAO, "build", "--data", data], timeout=1800)  # the crawl keeps its database elsewhere
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
