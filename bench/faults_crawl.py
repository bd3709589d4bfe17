"""Fault injection for the crawl: kill -9 `nianbao crawl --db` of the local replica (with its parse
workers) at random points, run it again, and count the reports lost (against a crawl never killed,
in the archive as `nianbao build` reads it and in the crawl's database) and the reports stored twice.

Target: 0 lost, 0 duplicated, over at least 20 trials.
Usage: .venv/bin/python bench/faults_crawl.py [--trials 20] [--seed 12] [--source ID ...]
"""
import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from replica.server import Replica  # noqa: E402
from tests.crawl_faults import clean_crawl, report_records, trial  # noqa: E402

SOURCES = ["zhengzhou-public", "pingtan"]  # two platforms; the kill points are what varies


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--source", action="append", help=f"default: {' '.join(SOURCES)}")
    args = parser.parse_args()
    sources = args.source or SOURCES
    rng = random.Random(args.seed)
    results = []
    with Replica(port=0, slow_delay=5.0) as replica, tempfile.TemporaryDirectory() as tmp:
        replica.warm()
        started = time.monotonic()
        clean = clean_crawl(replica, Path(tmp) / "clean", Path(tmp) / "clean.db", sources)
        clean_seconds = time.monotonic() - started
        clean_records = report_records(Path(tmp) / "clean")
        print(f"clean crawl: {len(clean['archived'])} reports ({clean_records} report records) in "
              f"{clean_seconds:.1f} s", flush=True)
        for n in range(args.trials):
            # a random moment of a crawl's life: after a random number of stored reports (0: start-up) and
            # a random wait, or while the database is finished; drawn in reports, not seconds, so that
            # the machine's load does not push the moment past the crawl's end
            if rng.random() < 0.1:
                at = {"at_finish": True, "then_wait": round(rng.uniform(0, 1.0), 2)}
            else:
                at = {"after_reports": rng.randrange(len(clean["archived"])), "then_wait": round(rng.uniform(0, 1.5), 2)}
            figures = trial(replica, Path(tmp) / f"t{n}", Path(tmp) / f"t{n}.db", sources, clean, **at)
            figures["kill_at"] = at
            results.append(figures)
            print(f"trial {n + 1:>2}: kill at {at}, killed {figures['killed']}; lost archive "
                  f"{figures['lost_from_archive']}, database {figures['lost_from_database']}; duplicated "
                  f"{figures['duplicated_in_database']}; report records {figures['report_records']} "
                  f"for {figures['reports']} reports", flush=True)
    killed = [r for r in results if r["killed"] is not None]  # None: the crawl ended before the point
    summary = {"trials": len(results), "killed": len(killed), "reports": len(clean["archived"]),
               "lost_from_archive": sum(r["lost_from_archive"] for r in results),
               "lost_from_database": sum(r["lost_from_database"] for r in results),
               "duplicated_in_database": sum(r["duplicated_in_database"] for r in results),
               "extra_in_database": sum(r["extra_in_database"] for r in results),
               # a report archived by the killed run but not yet stored is fetched and archived again
               "report_records_added_by_refetch": sum(r["report_records"] - clean_records for r in results)}
    print(json.dumps(summary))
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "faults_crawl.json").write_text(json.dumps({"summary": summary, "trials": results}, indent=1))
    return 0 if summary["lost_from_archive"] == summary["lost_from_database"] == summary["duplicated_in_database"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
