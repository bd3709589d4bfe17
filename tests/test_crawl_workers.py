"""Crawl workers on a real Redis (`nianbao crawl --redis URL --workers N`): several Scrapy processes share one
scrapy-redis queue, duplicate filter and crawl state; every reachable report is archived and stored exactly
once, a second run fetches no report body again whoever takes the URL, and a worker killed with SIGKILL
mid-crawl loses nothing."""
import json
import os
import signal
import sqlite3
import subprocess
import time
from collections import Counter
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from crawler.registry import sources_by_id
from crawler.workers import run_workers
from nianbao.exitcodes import ExitCode
from replica.catalog import canonical
from replica.server import Replica
from tests.crawl_harness import NIANBAO, ROOT, SETTINGS, CrawlRun
from tests.redis_server import redis_server

SOURCES = ("xinxiangxian", "dengfeng-public")


@pytest.fixture(scope="module")
def replica():
    r = Replica(port=0, slow_delay=5.0).start()
    r.warm()
    yield r
    r.stop()


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    with redis_server(tmp_path_factory.mktemp("redis")) as url:
        yield url


def crawl(replica, data_dir, redis_url, workers=3):
    argv = [str(NIANBAO), "crawl", "--redis", redis_url, "--workers", str(workers), "--replica", replica.base_url,
            "--data", str(data_dir), "--settings", SETTINGS]
    for s in SOURCES:
        argv += ["--source", s]
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert proc.returncode == ExitCode.OK, proc.stdout[-2000:] + proc.stderr[-3000:]
    return CrawlRun(data_dir, proc)


def expected(replica):
    hosts = {h for s in SOURCES for h in sources_by_id()[s]["allowed_hosts"]}
    return {e.key for e in replica.catalog.reachable() if e.host in hosts}


def found(replica, run):
    """catalog key -> how many report pages the run kept it under (1: found once), as tests/test_crawl.py
    counts; and the documents (page and attachments) stored, each once."""
    pages, documents = {}, Counter()
    for item in run.items:
        entry = replica.catalog.find(item["record"]["page_url"]) or replica.catalog.find(item["record"]["url"])
        assert entry is not None, item["record"]["url"]
        pages.setdefault(entry.key, set()).add(canonical(item["record"]["page_url"]))
        documents[canonical(item["record"]["url"])] += 1
    assert max(documents.values(), default=1) == 1, [u for u, n in documents.items() if n > 1]
    return Counter({k: len(v) for k, v in pages.items()})


def archived_reports(data_dir):
    """url -> metadata records of kind report in every WARC file (a killed worker's torn tail skipped)."""
    urls = Counter()
    for path in sorted((Path(data_dir) / "archive" / "warc").glob("*.warc.gz")):
        with open(path, "rb") as f:
            try:
                for rec in ArchiveIterator(f):
                    if rec.rec_type == "metadata":
                        data = json.loads(rec.content_stream().read())
                        if data.get("kind") == "report":
                            urls[canonical(data["url"])] += 1
            except Exception:  # noqa: BLE001 - the record a SIGKILL cut: what precedes it counts
                pass
    return urls


@pytest.fixture(scope="module")
def first(replica, redis_url, tmp_path_factory):
    data = tmp_path_factory.mktemp("workers")
    return data, crawl(replica, data, redis_url)


def test_three_workers_store_every_reachable_report_exactly_once(replica, first):
    data, run = first
    assert run.summary["workers"] == {"0": 0, "1": 0, "2": 0} and run.summary["recovery_rounds"] == 0
    stored = found(replica, run)
    assert set(stored) == expected(replica) and max(stored.values()) == 1
    archived = archived_reports(data)
    assert set(archived) == {canonical(i["record"]["url"]) for i in run.items} and max(archived.values()) == 1
    # the work was shared: more than one worker archived reports (one WARC file per worker and source)
    writers = {p.name.rsplit("-", 1)[-1] for p in (data / "archive" / "warc").glob("*.warc.gz") if p.stat().st_size > 4096}
    assert len(writers) >= 2
    assert not (data / "crawl_state.sqlite").exists()  # the crawl state is in Redis
    built = subprocess.run([str(NIANBAO), "build", "--data", str(data)], capture_output=True, text=True, cwd=ROOT,
                           timeout=600)
    assert built.returncode == 0, built.stderr[-2000:]
    with sqlite3.connect(data / "nianbao.db") as db:
        versions = db.execute("select count(*), count(distinct url) from reports").fetchone()
    assert versions == (len(run.items), len(run.items))


def test_a_second_run_fetches_no_report_body_again(replica, redis_url, first):
    data, run = first
    again = crawl(replica, data, redis_url)
    for source_id in SOURCES:
        s = again.source(source_id)
        assert (s["new"], s["changed"]) == (0, 0), s
        assert s["not_modified"] + s["unchanged"] > 0
    assert again.items == []
    assert sum(archived_reports(data).values()) == len(run.items)


def test_a_worker_killed_mid_crawl_loses_nothing_and_doubles_nothing(replica, tmp_path):
    data = tmp_path / "data"
    with redis_server(tmp_path) as url:  # a Redis of its own: no crawl state from the runs above

        killed = []

        def kill_one_once_it_archives(processes):
            """SIGKILL the first worker that has archived some reports (whichever the queue fed first)."""
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline and not killed:
                for number, worker in enumerate(processes):
                    mine = list((data / "archive" / "warc").glob(f"*-{worker.pid}.warc.gz"))
                    if worker.poll() is None and sum(p.stat().st_size for p in mine) > 20_000:
                        os.kill(worker.pid, signal.SIGKILL)
                        killed.append(number)
                        break
                time.sleep(0.05)
            assert killed, "no worker archived anything before the crawl ended"

        summary = run_workers(3, url, SOURCES, data_dir=data, replica=replica.base_url, settings_module=SETTINGS,
                              on_start=kill_one_once_it_archives)
    assert summary["workers"][str(killed[0])] == -signal.SIGKILL
    assert {s["status"] for s in summary["sources"].values()} == {"ok"}
    # every reachable report is in the archive: what the killed worker archived (its WARC up to the cut)
    # and what the others took over from it. One the killed worker archived but had not finished is archived
    # again by the one that took it over (as after a crash of a single crawl): the rebuild reads it once.
    archived = archived_reports(data)
    keys = {(replica.catalog.find(u) or replica.catalog.find("https://" + u)).key for u in archived}
    assert keys >= expected(replica)
    built = subprocess.run([str(NIANBAO), "build", "--data", str(data)], capture_output=True, text=True, cwd=ROOT,
                           timeout=600)
    assert built.returncode in (0, ExitCode.ARCHIVE_PROBLEMS), built.stderr[-2000:]  # the SIGKILL tore a WARC
    with sqlite3.connect(data / "nianbao.db") as db:
        urls = db.execute("select count(*), count(distinct url) from reports").fetchone()
    assert urls[0] == urls[1] == len(archived)
