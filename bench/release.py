"""Release time and size of a big database: `nianbao release` of the query bench's million reports.

    .venv/bin/python bench/release.py [--db bench/results/bench.db]

Runs `nianbao release --data DIR` exactly as the nightly run does, DIR holding the database (a symbolic
link to --db, so nothing is copied before the clock starts): the SQLite backup copy, its gzip copy,
CHANGES against the previous release (none: a first release lists every report as new, the largest
CHANGES there is), SHA256SUMS, rename into place. Then the nightly case: the CHANGES of two releases of
the same million reports, timed alone (db.release.diff), as every later night computes it. The release is
removed afterwards unless --keep.
Writes bench/results/release.json.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from db.release import diff  # noqa: E402
from tests.crawl_harness import NIANBAO  # noqa: E402


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--db", default=str(ROOT / "bench" / "results" / "bench.db"))
    p.add_argument("--work", help="directory for the release (default: a temporary one beside --db)")
    p.add_argument("--keep", action="store_true", help="keep the release written")
    args = p.parse_args(argv)
    db = Path(args.db).resolve()
    if not db.is_file():
        raise SystemExit(f"no database at {db}: run bench/query.py first")
    work = Path(args.work or tempfile.mkdtemp(prefix="release-bench-", dir=db.parent))
    work.mkdir(parents=True, exist_ok=True)
    (work / "nianbao.db").symlink_to(db)
    try:
        started = time.perf_counter()
        proc = subprocess.run([str(NIANBAO), "release", "--data", str(work), "--date", "2026-01-01"],
                              capture_output=True, text=True, cwd=ROOT)
        seconds = time.perf_counter() - started
        if proc.returncode != 0:
            raise SystemExit(f"nianbao release failed ({proc.returncode}): {proc.stderr[-2000:]}")
        day = work / "releases" / "2026-01-01"
        sizes = {f.name: f.stat().st_size for f in sorted(day.iterdir())}
        totals = json.loads((day / "CHANGES.json").read_text())["totals"]
        print(f"release of {totals['reports']:,} reports: {seconds:.0f} s; "
              + ", ".join(f"{name} {size / 2**20:,.1f} MiB" for name, size in sizes.items()), flush=True)
        started = time.perf_counter()
        nightly = diff(db, day / "nianbao-2026-01-01.db")["totals"]
        diff_seconds = time.perf_counter() - started
        print(f"CHANGES between two releases of the same reports: {diff_seconds:.1f} s ({nightly})", flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    out = ROOT / "bench" / "results" / "release.json"
    out.write_text(json.dumps({"machine": f"{os.cpu_count()} cores", "db": str(db), "db_bytes": db.stat().st_size,
                               "reports": totals["reports"], "release_seconds": round(seconds, 1), "bytes": sizes,
                               "diff_seconds": round(diff_seconds, 1), "diff_totals": nightly},
                              ensure_ascii=False, indent=1))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
