"""`nianbao crawl --redis URL --workers N`: N crawl worker processes on one scrapy-redis crawl.

The coordinator (this module, in the `nianbao crawl` process) picks the run id, starts the workers
(`nianbao crawl --worker-of RUN:K`, each a Scrapy process with its own WARC files; see
crawler/distributed.py), waits for them, and then reconciles: a lease still unsettled when every worker
has exited (a worker killed between taking a request and recording it, with no survivor left to take it
over) is put back in the queue and a recovery worker crawls it, up to RECOVERY_ROUNDS times. The workers'
summaries are merged into the run's one summary, `runs/<run id>.json`, and their report logs into
`runs/<run id>.reports.jsonl`; a source left with unsettled requests is `incomplete_run`. Finally the
run's Redis keys (queue, duplicate filter, leases) are removed; the crawl state stays.
"""
import glob
import json
import pickle
import subprocess
import sys
from pathlib import Path

import redis

from pipelines.records import source_status

from .distributed import RunKeys
from .errors import ConfigurationError
from .monitors import documents_of, error_rate_over, last_run_of, short_columns, went_quiet
from .registry import load_sources, select_sources
from .run import crawl_settings
from .runlog import COUNTS, INCOMPLETE, completeness, new_run_id

RECOVERY_ROUNDS = 2


def worker_argv(run_id, number, redis_url, source_ids, data_dir, replica, settings_module, overrides, generic):
    argv = [sys.executable, "-m", "nianbao.cli", "crawl", "--data", str(data_dir), "--redis", redis_url,
            "--worker-of", f"{run_id}:{number}"]
    for s in source_ids or ():
        argv += ["--source", s]
    if replica:
        argv += ["--replica", replica]
    if settings_module:
        argv += ["--settings", settings_module]
    for key, value in (overrides or {}).items():
        argv += ["--set", f"{key}={value}"]
    if generic:
        argv.append("--generic")
    return argv


def run_workers(workers, redis_url, source_ids=None, data_dir="data", replica=None, settings_module=None,
                overrides=None, generic=False, registry=None, prefix="nianbao", on_start=None):
    """Run the crawl on `workers` processes; return the merged run summary. `on_start(processes)` is
    called once the first workers are started (the fault tests kill one from there)."""
    sources = [s["id"] for s in select_sources(load_sources(registry), source_ids)]
    server = redis.Redis.from_url(redis_url)
    try:
        server.ping()
    except redis.RedisError as e:
        raise ConfigurationError(f"cannot reach Redis at {redis_url}: {e}") from e
    error_limit = crawl_settings(settings_module, data_dir, replica, None, overrides).getfloat(
        "NIANBAO_MAX_ERROR_RATE", 0.2)
    run_id = new_run_id()
    keys = RunKeys(prefix, run_id)
    argv = lambda n: worker_argv(run_id, n, redis_url, source_ids, data_dir, replica, settings_module,  # noqa: E731
                                 overrides, generic)
    processes = [subprocess.Popen(argv(n)) for n in range(workers)]
    if on_start:
        on_start(processes)
    exits = {n: p.wait() for n, p in enumerate(processes)}
    rounds = 0
    while _unsettled(server, keys, sources) and rounds < RECOVERY_ROUNDS:
        _requeue_all(server, keys, sources, exits)
        number = workers + rounds
        exits[number] = subprocess.Popen(argv(number)).wait()
        rounds += 1
    unsettled = _unsettled(server, keys, sources)
    columns = {s: keys.columns(server, s) for s in sources}
    summary = merge(Path(data_dir), run_id, sources, exits, unsettled, rounds, error_limit, columns)
    for key in server.scan_iter(keys.pattern()):
        server.delete(key)
    return summary


def _unsettled(server, keys, sources):
    return {s: n for s in sources if (n := server.hlen(keys.source(s, "leases")))}


def _requeue_all(server, keys, sources, exits):
    """Every worker has exited: put every unsettled lease back in its source's queue."""
    for worker in exits:
        server.delete(keys.heartbeat(worker))
    for source_id in sources:
        queue = keys.source(source_id, "requests")
        for worker in server.smembers(keys.workers(source_id)):
            server.delete(keys.inflight(source_id, worker.decode()))
        server.delete(keys.workers(source_id), queue)
        for encoded in server.hvals(keys.source(source_id, "leases")):
            server.zadd(queue, {encoded: -pickle.loads(encoded).get("priority", 0)})


def merge(data_dir, run_id, sources, exits, unsettled, rounds, error_limit=0.2, columns=None):
    """The workers' summaries and report logs as the run's own; completeness and the monitors judged on
    the merged counts (one worker's share of a column says nothing of the column)."""
    runs = data_dir / "runs"
    parts = [json.loads(Path(p).read_text(encoding="utf-8"))
             for p in sorted(glob.glob(str(runs / "workers" / f"{run_id}-w*.json")))]
    merged = {"run_id": run_id, "started_at": min((p["started_at"] for p in parts), default=None),
              "finished_at": max((p["finished_at"] or "" for p in parts), default=None),
              "workers": {str(n): code for n, code in exits.items()}, "recovery_rounds": rounds, "sources": {}}
    for source_id in sources:
        mine = [p["sources"][source_id] for p in parts if source_id in p["sources"]]
        s = {key: sum(m.get(key) or 0 for m in mine) for key in COUNTS}
        s["failures"] = {}
        for m in mine:
            for reason, n in (m.get("failures") or {}).items():
                s["failures"][reason] = s["failures"].get(reason, 0) + n
        s["failed_urls"] = [f for m in mine for f in m.get("failed_urls") or []]
        s["robots"] = next((m.get("robots") for m in mine if m.get("robots")), None)
        s["elapsed_seconds"] = max((m.get("elapsed_seconds") or 0 for m in mine), default=0)
        s["finish_reason"] = ",".join(sorted({m.get("finish_reason") or "?" for m in mine}))
        # every worker's rows, a killed one's included, as they recorded them in Redis
        s.update(completeness((columns or {}).get(source_id, {})))
        s["monitors"] = _monitors(runs, run_id, source_id, s, mine, error_limit)
        s["status"] = source_status(s)
        if s["status"] == "ok" and s["missing"]:
            s["status"] = INCOMPLETE
        if source_id in unsettled:
            s["unsettled"] = unsettled[source_id]
            s["status"] = "incomplete_run"  # requests taken and never finished, even after recovery
        merged["sources"][source_id] = s
    (runs / f"{run_id}.json").write_text(json.dumps(merged, ensure_ascii=False, indent=1), encoding="utf-8")
    with open(runs / f"{run_id}.reports.jsonl", "w", encoding="utf-8") as out:
        for path in sorted(glob.glob(str(runs / "workers" / f"{run_id}-w*.reports.jsonl"))):
            out.writelines(_whole_lines(Path(path)))
    return merged


def _monitors(runs, run_id, source_id, s, parts, error_limit):
    """crawler/monitors.py's rules on the merged counts; item schema failures are any worker's."""
    failures = sum(n for reason, n in s["failures"].items() if reason != "robots_disallowed")
    last = last_run_of(runs, source_id, run_id)
    documents = documents_of(s)
    schema = [m.get("monitors", {}).get("nianbao/item_schema") for m in parts]
    problems = {"nianbao/yield": went_quiet(last, documents + s["found"]) if last else None,
                "nianbao/completeness": short_columns(s["columns"]),
                "nianbao/error_rate": error_rate_over(failures, s["pages_fetched"] + s["not_modified"], error_limit),
                "nianbao/item_schema": next((r for r in schema if r and r != "ok"), None)}
    return {name: problem or "ok" for name, problem in problems.items()}


def _whole_lines(path):
    """The complete lines of a worker's report log (a killed worker may leave its last line cut)."""
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines(keepends=True):
        try:
            json.loads(line)
        except ValueError:
            continue
        yield line if line.endswith("\n") else line + "\n"
