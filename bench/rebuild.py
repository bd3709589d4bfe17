"""Rebuild at scale: `nianbao build` of an archive of thousands of reports, with 1 parse process and with
one per core.

    .venv/bin/python bench/rebuild.py [--reports 2000] [--rounds 2]

1. Writes an archive as the crawl writes it (pipelines.archive.WarcArchive: a response record and a
   `report` metadata record per document) of --reports generated reports (replica/generate.py: agencies
   of every level, 2019-2024, arithmetic that adds up), served in the forms portals use: a portal page
   (60%), a PDF (15%), a Word file (10%) and a text export (15%), plus the four real Pingtan pages. No
   scans: OCR (seconds a page) would decide the figure alone; bench/ocr.py measures it.
2. Runs `nianbao build --data DIR --workers N` for N = 1 and N = cores, the two taking turns --rounds
   times (the best of each is kept, so other work on the machine counts against both alike).
3. Checks every build: every document stored, none unparsed, every generated report's checks pass.
Reports per second of wall-clock time and per core (CPU seconds of the build and its parse workers).
Writes bench/results/rebuild.json.
"""
import argparse
import json
import os
import random
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipelines.archive import WarcArchive, store_blob  # noqa: E402
from pipelines.records import CrawledDocument  # noqa: E402
from replica.generate import generate_report  # noqa: E402
from replica.render import render_page_html, render_report_text  # noqa: E402
from replica.render_office import render_docx, render_pdf  # noqa: E402
from tests.crawl_harness import NIANBAO  # noqa: E402

PLACES = ["郑州市", "开封市", "洛阳市", "新乡市", "许昌市", "南阳市", "信阳市", "周口市"]
COUNTIES = ["中原区", "金水区", "新郑市", "登封市", "巩义市", "中牟县", "荥阳市", "新密市", "延津县", "原阳县"]
DEPARTMENTS = ["人民政府", "人民政府办公室", "教育局", "公安局", "民政局", "财政局", "自然资源和规划局", "生态环境局",
               "住房和城乡建设局", "交通运输局", "卫生健康委员会", "市场监督管理局"]
TOWNS = ["城关镇", "龙湖镇", "新华路街道", "大隗镇", "观音寺镇"]
FORMS = [("html", 60, "text/html; charset=utf-8", ".html"), ("pdf", 15, "application/pdf", ".pdf"),
         ("docx", 10, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"),
         ("text", 15, "text/plain; charset=utf-8", ".txt")]


def agencies(rng, n):
    out = set()
    while len(out) < n:
        city = rng.choice(PLACES)
        kind = rng.random()
        if kind < 0.1:
            out.add(city + rng.choice(DEPARTMENTS))
        elif kind < 0.8:
            out.add(city + rng.choice(COUNTIES) + rng.choice(DEPARTMENTS))
        else:
            town = rng.choice(TOWNS)
            out.add(rng.choice(COUNTIES) + town + ("办事处" if town.endswith("街道") else "人民政府"))
    return sorted(out)


def render(report, form):
    if form == "html":
        return render_page_html(report)
    if form == "pdf":
        return render_pdf(report)
    if form == "docx":
        return render_docx(report)
    return render_report_text(report).encode("utf-8")


def write_archive(data_dir, n_reports, seed=1):
    """The archive a crawl of n_reports would leave; returns {form: count}."""
    rng = random.Random(seed)
    archive_dir = Path(data_dir) / "archive"
    archive = WarcArchive(archive_dir, info={"note": "bench/rebuild.py: generated reports"})
    names = agencies(rng, max(1, n_reports // 6))
    forms = [f for f, weight, _, _ in FORMS for _ in range(weight)]
    counts = {}
    documents = []
    for i in range(n_reports):
        agency, year = names[i % len(names)], 2019 + (i // len(names)) % 6
        form = rng.choice(forms)
        documents.append((generate_report(agency, year, seed=i), form))
    pingtan = sorted((ROOT.parent / "shared" / "corpus" / "pingtan").glob("*/source.html"))
    for i, (report, form) in enumerate(documents):
        _, _, content_type, suffix = next(f for f in FORMS if f[0] == form)
        _write(archive, archive_dir, f"https://www.example.gov.cn/nb/{i}{suffix}", render(report, form), content_type)
        counts[form] = counts.get(form, 0) + 1
    for i, path in enumerate(pingtan):  # real portal pages, as served (when ../shared is beside the project)
        _write(archive, archive_dir, f"https://www.pingtan.gov.cn/nb/{i}.html", path.read_bytes(),
               "text/html; charset=utf-8")
        counts["html (real Pingtan pages)"] = counts.get("html (real Pingtan pages)", 0) + 1
    archive.close()
    return counts


def _write(archive, archive_dir, url, body, content_type):
    sha256 = store_blob(archive_dir, body)
    record_id = archive.write_exchange(url, "GET", [("Accept-Encoding", "identity")], 200,
                                       [("Content-Type", content_type), ("Content-Length", str(len(body)))], body)
    doc = CrawledDocument(source_id="bench", url=url, page_url=url, content_type=content_type, http_status=200,
                          warc_file=archive.name, warc_record_id=record_id, fetched_at="2026-11-01T02:00:00+00:00",
                          sha256=sha256, list_title=None)
    archive.write_metadata(url, record_id, {"kind": "report", **doc.record()})


def build(data_dir, workers):
    """Wall seconds and CPU seconds (this build and its parse workers) of one `nianbao build`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.run([str(NIANBAO), "build", "--data", str(data_dir), "--workers", str(workers)],
                          capture_output=True, text=True, cwd=ROOT)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"nianbao build --workers {workers} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def verify(db_path, expected):
    """Every document stored and parsed, and the generated reports' own arithmetic holds."""
    db = sqlite3.connect(db_path)
    stored, unparsed, failing = db.execute(
        "select count(*), sum(parse_status != 'ok'), sum(checks_failed > 0) from reports").fetchone()
    db.close()
    if stored != expected or unparsed or failing:
        raise SystemExit(f"build incomplete: {stored} of {expected} stored, {unparsed} not parsed, "
                         f"{failing} failing checks")


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--reports", type=int, default=2000)
    p.add_argument("--rounds", type=int, default=2)
    p.add_argument("--keep", help="write the archive here and keep it (default: a temporary directory); "
                                  "an archive this script kept there before is used again")
    args = p.parse_args(argv)
    cores = os.cpu_count() or 1
    results = {"machine": f"{cores} cores", "reports": args.reports, "builds": []}
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(args.keep or tmp)
        started = time.perf_counter()
        kept = data / "bench-documents.json"
        if args.keep and kept.exists():
            results["documents"] = json.loads(kept.read_text())
        else:
            results["documents"] = write_archive(data, args.reports)
            kept.write_text(json.dumps(results["documents"], ensure_ascii=False))
        expected = sum(results["documents"].values())
        warc_bytes = sum(f.stat().st_size for f in (data / "archive" / "warc").iterdir())
        results["archive_bytes"] = warc_bytes
        print(f"archive: {expected} documents {results['documents']}, {warc_bytes / 2**20:.0f} MiB of WARC, "
              f"written in {time.perf_counter() - started:.0f} s", flush=True)
        best = {}
        for round_ in range(args.rounds):
            for workers in sorted({1, cores}):
                wall, cpu = build(data, workers)
                verify(data / "nianbao.db", expected)
                row = {"round": round_ + 1, "workers": workers, "seconds": round(wall, 1), "cpu_seconds": round(cpu, 1),
                       "reports_per_second": round(expected / wall, 1),
                       "reports_per_cpu_second": round(expected / cpu, 1)}
                results["builds"].append(row)
                if workers not in best or row["reports_per_second"] > best[workers]["reports_per_second"]:
                    best[workers] = row
                print(f"build, {workers} parse process(es): {expected} reports in {row['seconds']} s = "
                      f"{row['reports_per_second']} reports/s; {row['cpu_seconds']} CPU-s = "
                      f"{row['reports_per_cpu_second']} reports per CPU-second", flush=True)
        results["best"] = {str(w): r for w, r in best.items()}
        if cores > 1:
            results["speedup"] = round(best[cores]["reports_per_second"] / best[1]["reports_per_second"], 2)
            print(f"{cores} parse processes: {results['speedup']}x one")
    out = ROOT / "bench" / "results" / "rebuild.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=1))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
