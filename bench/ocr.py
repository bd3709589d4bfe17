"""OCR accuracy and speed: the five seed reports scanned under several degradations, read back.

    .venv/bin/python bench/ocr.py [--seeds 000,001] [--degradations clean,150dpi] [--form pdf|png|tiff]

Each seed report is rendered as PDF (replica/render_office.render_pdf), rasterized and degraded
(tests/scans.py: resolution, rotation, noise, blur, speckle, JPEG) and stored as an image-only PDF
(or PNG pages / one TIFF), then parsed by pipelines.parse.parse_bytes as any crawled document is.
Every value of the seed's truth file is compared with what came out:

- exact: the value read equals the truth (blank where the truth is blank);
- wrong: any other value, or no value (a row OCR did not find);
- flagged: a wrong cell the parse result marks `ocr_uncertain` (goal: every wrong cell);
- missing: wrong cells with no cell in the result at all (their row was not recognised: the result
  warns that the row was not found; there is no cell to flag).

Speed is CPU seconds per page of this single-threaded process (time.process_time), so it is per
core and other work on the machine does not count against it. Prints a table and writes
bench/results/ocr.json.
"""
import argparse
import json
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipelines.parse import parse_bytes  # noqa: E402
from replica.render_office import seed_reports  # noqa: E402
from tests.scans import DEGRADATIONS, image_file, image_pdf, scan_pages  # noqa: E402

SECTIONS = ("proactive", "applications", "review_litigation")


def score(result, truth):
    cells = {(c["section"], c["item"], c["measure"]): c for c in result.get("cells") or []}
    out = {"cells": 0, "exact": 0, "wrong": 0, "flagged": 0, "missing": 0, "flagged_right": 0, "wrong_cells": []}
    for section in SECTIONS:
        got = result.get(section) or {}
        for row, cols in truth[section].items():
            for col, want in cols.items():
                out["cells"] += 1
                have = (got.get(row) or {}).get(col, "MISSING")
                cell = cells.get((section, row, col))
                flagged = bool(cell and cell.get("flag"))
                if have == want and type(have) is type(want):
                    out["exact"] += 1
                    out["flagged_right"] += flagged
                    continue
                out["wrong"] += 1
                out["flagged"] += flagged
                out["missing"] += cell is None
                out["wrong_cells"].append({"cell": f"{section}.{row}.{col}", "want": want, "got": have,
                                           "raw": cell and cell["raw"], "confidence": cell and cell.get("confidence"),
                                           "flagged": flagged, "suggested": cell and cell.get("suggested")})
    return out


def run_one(report, degradation, form):
    pages = scan_pages(report, degradation)
    started, cpu = time.monotonic(), time.process_time()
    if form == "pdf":
        results = [parse_bytes(image_pdf(pages, degradation.dpi), "scan.pdf")]
    elif form == "tiff":
        results = [parse_bytes(image_file(pages, "TIFF", degradation.dpi), "scan.tif")]
    else:  # one PNG per page, parsed as separate documents (as portals post them); values merged
        results = [parse_bytes(image_file([p], "PNG", degradation.dpi), f"page{i}.png") for i, p in enumerate(pages)]
    cpu, wall = time.process_time() - cpu, time.monotonic() - started
    result = results[0] if len(results) == 1 else _merge(results)
    return result, len(pages), cpu, wall


def _merge(results):
    merged = {"cells": [], "warnings": []}
    for r in results:
        merged["cells"] += r.get("cells") or []
        for section in SECTIONS:
            for row, cols in (r.get(section) or {}).items():
                target = merged.setdefault(section, {}).setdefault(row, {})
                for col, v in cols.items():
                    if v is not None or col not in target:
                        target[col] = v
    return merged


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", default="")
    ap.add_argument("--degradations", default="")
    ap.add_argument("--form", default="pdf", choices=["pdf", "png", "tiff"])
    ap.add_argument("--out", default=str(ROOT / "bench" / "results" / "ocr.json"))
    args = ap.parse_args()
    reports = seed_reports()
    seeds = args.seeds.split(",") if args.seeds else sorted(reports)
    wanted = set(args.degradations.split(",")) if args.degradations else None
    degradations = [d for d in DEGRADATIONS if wanted is None or d.name in wanted]

    from pipelines.extract.ocr import engine
    engine()  # loaded once per process: not counted per page
    rows, totals = [], {"cells": 0, "exact": 0, "wrong": 0, "flagged": 0, "missing": 0, "flagged_right": 0,
                        "pages": 0, "cpu": 0.0, "wall": 0.0}
    print(f"{'seed':5} {'degradation':22} {'cells':>5} {'exact':>6} {'wrong':>5} {'flagged':>7} {'missing':>7} "
          f"{'over-flag':>9} {'s/page':>7}")
    for degradation in degradations:
        for seed in seeds:
            result, pages, cpu, wall = run_one(reports[seed], degradation, args.form)
            s = score(result, reports[seed])
            row = {"seed": seed, "degradation": degradation.name, "pages": pages, "cpu": round(cpu, 2),
                   "wall": round(wall, 2), "error": result.get("error"), **s}
            rows.append(row)
            for k in ("cells", "exact", "wrong", "flagged", "missing", "flagged_right"):
                totals[k] += s[k]
            totals["pages"] += pages
            totals["cpu"] += cpu
            totals["wall"] += wall
            print(f"{seed:5} {degradation.name:22} {s['cells']:5} {s['exact'] / s['cells']:6.1%} {s['wrong']:5} "
                  f"{s['flagged']:7} {s['missing']:7} {s['flagged_right']:9} {cpu / pages:7.2f}"
                  + (f"  error: {result['error']}" if result.get("error") else ""))
            for w in s["wrong_cells"]:
                if not w["flagged"]:
                    print(f"      NOT FLAGGED {w['cell']}: want {w['want']!r} got {w['got']!r} raw {w['raw']!r} "
                          f"conf {w['confidence']}")
    t = totals
    summary = {
        "documents": len(rows), "pages": t["pages"], "cells": t["cells"],
        "exact_share": round(t["exact"] / max(1, t["cells"]), 4),
        "wrong": t["wrong"], "wrong_flagged_share": round(t["flagged"] / max(1, t["wrong"]), 4) if t["wrong"] else 1.0,
        "missing": t["missing"], "right_but_flagged": t["flagged_right"],
        "cpu_seconds_per_page": round(t["cpu"] / max(1, t["pages"]), 2),
        "wall_seconds_per_page": round(t["wall"] / max(1, t["pages"]), 2),
    }
    print(f"\n{summary['documents']} documents, {t['pages']} pages, {t['cells']} cells: "
          f"exact {summary['exact_share']:.2%} (goal 98%), wrong {t['wrong']}, "
          f"of which flagged {summary['wrong_flagged_share']:.1%} (goal 100%), missing {t['missing']}; "
          f"right but flagged {t['flagged_right']}; {summary['cpu_seconds_per_page']} CPU s/page "
          f"({summary['wall_seconds_per_page']} wall)")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"machine": platform.platform(), "python": platform.python_version(),
                               "form": args.form, "summary": summary, "runs": rows},
                              ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
