"""Fuzzing the parser: mutants of every format, and the costly documents of issue 12, under bounds.

    .venv/bin/python bench/fuzz_parse.py [--count 1000] [--seed 0] [--workers 1]
                                         [--time-limit 30] [--memory-limit 2048]

--count mutants are spread over the formats (HTML 30 %, text 30 %, PDF 20 %, DOCX 15 %, scanned
image 5 %: OCR costs seconds a page) and parsed in bounded workers (pipelines/bounded.py), each
under the time and memory limit; tests/fuzzing.py says how each mutant is made and judged. Then the
issue's costly documents at full size (a 2,000-page PDF with wrong /Length values, a DOCX of a
million paragraphs, HTML of huge rowspans, tables nested 3,000 deep) go through the same pool.
Goal: 0 tracebacks, 0 hangs, 0 silent differences. Prints a table and writes
bench/results/fuzz_parse.json.
"""
import argparse
import json
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipelines.bounded import BoundedParser, Limits  # noqa: E402
from tests import hostile  # noqa: E402
from tests.fuzzing import FORMATS, mutants, run, seeds  # noqa: E402

SHARE = {"html": 0.30, "text": 0.30, "pdf": 0.20, "docx": 0.15, "image": 0.05}


def costly_documents():
    return {"wrong-length-2000-pages.pdf": hostile.pdf_wrong_lengths(2000),
            "wrong-length-20000-pages.pdf": hostile.pdf_wrong_lengths(20000),
            "million-paragraphs.docx": hostile.docx_tiny_paragraphs(1_000_000),
            "rowspans.html": hostile.html_huge_rowspans(2000),
            "nested-3000.html": hostile.html_deep(3000)}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--time-limit", type=float, default=30.0)
    ap.add_argument("--memory-limit", type=int, default=2048, help="MiB of address space per worker")
    args = ap.parse_args(argv)
    limits = Limits(seconds=args.time_limit, memory=args.memory_limit << 20)

    started = time.monotonic()
    clean = seeds()
    counts = {fmt: round(args.count * SHARE[fmt]) for fmt in FORMATS}
    counts["html"] += args.count - sum(counts.values())
    inputs = mutants(clean, counts, seed=args.seed)
    report = run(clean, inputs, limits, workers=args.workers)
    fuzz_seconds = round(time.monotonic() - started, 1)

    costly = {}
    with BoundedParser(args.workers, limits) as parser:
        for name, data in costly_documents().items():
            t = time.monotonic()
            result = parser.parse(data, name)
            costly[name] = {"bytes": len(data), "seconds": round(time.monotonic() - t, 1),
                            "outcome": result.get("error") or result.get("status") or "parsed",
                            "cells": len(result.get("cells") or []), "warnings": (result.get("warnings") or [])[:3]}

    print(f"{len(inputs)} mutants in {fuzz_seconds} s (limits {limits.seconds:g} s, {limits.memory >> 20} MiB, "
          f"{args.workers} worker(s)); clean documents' values: {report.baseline_cells}")
    verdicts = sorted({v for c in report.by_format.values() for v in c})
    print(f"{'format':8}" + "".join(f"{v:>16}" for v in verdicts))
    for fmt, c in report.by_format.items():
        print(f"{fmt:8}" + "".join(f"{c.get(v, 0):>16}" for v in verdicts))
    print(f"{'all':8}" + "".join(f"{report.verdicts.get(v, 0):>16}" for v in verdicts))
    for bad in report.bad:
        print("  BAD", *bad)
    print("costly documents:")
    for name, c in costly.items():
        print(f"  {name:32} {c['bytes']:>9} bytes {c['seconds']:>6} s  {c['outcome']:>12}  {c['cells']} values")

    out = ROOT / "bench" / "results" / "fuzz_parse.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"machine": platform.platform(), "cpus": __import__("os").cpu_count(),
                               "mutants": len(inputs), "counts": counts, "seconds": fuzz_seconds,
                               "limits": {"seconds": limits.seconds, "memory_mib": limits.memory >> 20},
                               "verdicts": dict(report.verdicts),
                               "by_format": {k: dict(v) for k, v in report.by_format.items()},
                               "bad": report.bad, "costly": costly}, ensure_ascii=False, indent=1))
    bad = sum(report.verdicts.get(v, 0) for v in ("traceback", "hang", "silent"))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
