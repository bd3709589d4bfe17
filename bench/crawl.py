"""Crawl throughput on the local replica: pages per second with the full pipeline (archive, parse,
store) and, in the same run, with the item pipelines off (fetch and archive only).

Target (issue 3): the full pipeline keeps at least 80% of fetch-only throughput.
Usage: .venv/bin/python bench/crawl.py [--repeat 2]
"""
import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.crawl_harness import crawl  # noqa: E402
from replica.server import Replica  # noqa: E402


def one(replica, full, tmp):
    """One crawl with the tests' replica settings (tests/crawl_settings.py); fetch only = no item pipelines."""
    extra = {} if full else {"ITEM_PIPELINES": "{}"}
    start = time.perf_counter()
    run = crawl(replica, Path(tmp) / ("full" if full else "fetch"), extra=extra)
    wall = time.perf_counter() - start
    sources = run.summary["sources"].values()
    pages = sum(s["pages_fetched"] for s in sources)
    elapsed = max(s.get("elapsed_seconds") or 0 for s in sources)
    return {"pages": pages, "crawl_seconds": round(elapsed, 2), "wall_seconds": round(wall, 2),
            "pages_per_second": round(pages / elapsed, 1), "reports": len(run.items)}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    replica = Replica(port=0, slow_delay=5.0).start()
    replica.warm()  # attachments rendered before timing
    results = {"fetch_only": [], "full_pipeline": []}
    try:
        for _ in range(args.repeat):
            with tempfile.TemporaryDirectory() as tmp:
                replica.reset()
                results["fetch_only"].append(one(replica, False, tmp))
                replica.reset()
                results["full_pipeline"].append(one(replica, True, tmp))
    finally:
        replica.stop()
    best = {k: max(v, key=lambda r: r["pages_per_second"]) for k, v in results.items()}
    ratio = best["full_pipeline"]["pages_per_second"] / best["fetch_only"]["pages_per_second"]
    print(f"{'mode':<15}{'pages':>7}{'seconds':>9}{'pages/s':>9}{'reports':>9}")
    for k, r in best.items():
        print(f"{k:<15}{r['pages']:>7}{r['crawl_seconds']:>9}{r['pages_per_second']:>9}{r['reports']:>9}")
    print(f"full pipeline / fetch only = {ratio:.0%} (target >= 80%)")
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "crawl.json").write_text(json.dumps({"runs": results, "best": best, "ratio": ratio}, indent=1))


if __name__ == "__main__":
    main()
