"""The health report of a nightly run, and its delivery to whoever watches.

Each run writes `DIR/health/<run id>.json` and `.txt` (and `latest.json`/`latest.txt`): the sources that
failed (blocked, unreachable), came back incomplete (found fewer reports than the column declares) or went
empty (nothing found where the last run found reports), with the build and release beside. A command
(`--alert-command`, the JSON on its standard input) and a webhook (`--alert-webhook`, the JSON POSTed) receive
it; by default only when something is wrong, with `--alert-always` every night. A delivery that fails is
said on the console and in the report file, and never stops the run.
"""
import json
import subprocess
import urllib.request
from pathlib import Path

from crawler.monitors import documents_of
from crawler.runlog import sources_not_ok

PROBLEMS = ("failed", "incomplete", "went_empty")


def _found(source_run):
    """Reports the source's lists led to in a run: the column count where the spider keeps one, else the
    documents it answered for."""
    if source_run.get("found") is not None:
        return source_run["found"]
    return documents_of(source_run)


def health_report(summary, previous=None, build=None, release=None, crawl_exit=0):
    """The run's health from its crawl summary (and the previous run's, to see a source go empty)."""
    statuses = dict(sources_not_ok(summary))
    before = (previous or {}).get("sources", {})
    report = {"run_id": summary.get("run_id"), "started_at": summary.get("started_at"),
              "finished_at": summary.get("finished_at"), "crawl_exit": crawl_exit,
              "failed": [], "incomplete": [], "went_empty": [], "sources": {}}
    for source_id, s in summary.get("sources", {}).items():
        status = statuses.get(source_id, "ok")
        found, found_before = _found(s), _found(before[source_id]) if source_id in before else None
        entry = {"status": status, "found": found, "new": s.get("new", 0), "changed": s.get("changed", 0),
                 "failures": s.get("failures") or {}}
        if s.get("declared") is not None:
            entry["declared"] = s["declared"]
        report["sources"][source_id] = entry
        if status == "incomplete_list":
            report["incomplete"].append({"source_id": source_id, "declared": s.get("declared"), "found": found})
        elif status != "ok":
            report["failed"].append({"source_id": source_id, "status": status, "failures": entry["failures"]})
        elif found == 0 and found_before:
            report["went_empty"].append({"source_id": source_id, "found_before": found_before})
    report["build"] = build
    report["release"] = release
    report["ok"] = not any(report[k] for k in PROBLEMS) and crawl_exit == 0 and build is not None \
        and not build.get("archive_problems")
    return report


def report_text(report):
    lines = [f"nianbao nightly {report['run_id'] or ''}: {'OK' if report['ok'] else 'PROBLEMS'}",
             f"started {report['started_at']}, finished {report['finished_at']}, crawl exit {report['crawl_exit']}"]
    for f in report["failed"]:
        reasons = ", ".join(f"{k} {n}" for k, n in f["failures"].items()) or "no answer"
        lines.append(f"FAILED {f['source_id']}: {f['status']} ({reasons})")
    for i in report["incomplete"]:
        lines.append(f"INCOMPLETE {i['source_id']}: found {i['found']} of {i['declared']} declared")
    for e in report["went_empty"]:
        lines.append(f"WENT EMPTY {e['source_id']}: found nothing; the last run found {e['found_before']}")
    for source_id, s in report["sources"].items():
        declared = s.get("declared", "unknown")
        lines.append(f"  {source_id}: {s['status']}; found {s['found']} (declared {declared}), "
                     f"{s['new']} new, {s['changed']} changed")
    build = report.get("build")
    lines.append(f"build: {build['reports']} report versions, {build['parse_errors']} unparsed" if build
                 else "build: not done")
    for problem in (build or {}).get("archive_problems") or []:
        lines.append(f"ARCHIVE {problem['warc_file']}: {problem['problem']}: {problem['message']}")
    release = report.get("release")
    if release:
        t = release["totals"]
        lines.append(f"release {release['release']}: {t['new']} new, {t['changed']} changed, {t['removed']} removed")
    return "\n".join(lines) + "\n"


def write_report(data_dir, report):
    """health/<run id>.json and .txt, and latest.*: returns the JSON path."""
    out = Path(data_dir) / "health"
    out.mkdir(parents=True, exist_ok=True)
    stem = report["run_id"] or "run"
    text, body = report_text(report), json.dumps(report, ensure_ascii=False, indent=1)
    for name in (stem, "latest"):
        (out / f"{name}.json").write_text(body, encoding="utf-8")
        (out / f"{name}.txt").write_text(text, encoding="utf-8")
    return out / f"{stem}.json"


def deliver(report, command=None, webhook=None, always=False, timeout=30):
    """Send the report to the command and the webhook; [(target, error or None)]."""
    if report["ok"] and not always:
        return []
    body = json.dumps(report, ensure_ascii=False).encode("utf-8")
    outcomes = []
    if command:
        try:
            proc = subprocess.run(command, shell=True, input=body, capture_output=True, timeout=timeout)
            error = None if proc.returncode == 0 else f"exit {proc.returncode}: {proc.stderr.decode(errors='replace')[-300:]}"
        except (OSError, subprocess.TimeoutExpired) as e:
            error = f"{type(e).__name__}: {e}"
        outcomes.append((f"command {command}", error))
    if webhook:
        request = urllib.request.Request(webhook, data=body, method="POST",
                                         headers={"Content-Type": "application/json; charset=utf-8"})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                error = None if 200 <= response.status < 300 else f"HTTP {response.status}"
        except OSError as e:  # URLError, HTTPError, timeouts are all OSErrors
            error = f"{type(e).__name__}: {e}"
        outcomes.append((f"webhook {webhook}", error))
    return outcomes
