"""`nianbao crawl --db X` never writes into X while `nianbao serve` has it open: the crawl writes its own
file beside X and swaps it in at the end (db/staging.py). A real Datasette serves a crawled database
while a second crawl, which finds a new report, writes into it; every faceted page keeps answering
200 throughout, and the swapped-in file holds the new report."""
import os
import sqlite3
import subprocess
import threading
import time

from db.metadata import TABLE_OPTIONS
from db.staging import staging_path
from replica.server import Replica
from tests.crawl_harness import NIANBAO, ROOT, crawl
from tests.serving import get, served

SOURCES = ["zhengzhou-public"]
FACETED = [f"/nianbao/{table}{suffix}" for table, options in TABLE_OPTIONS.items() if options.get("facets")
           for suffix in ("", ".json")]


def test_a_crawl_into_a_served_database_never_breaks_a_page(tmp_path):
    db, data = tmp_path / "nianbao.db", tmp_path / "data"
    with Replica(port=0, slow_delay=5.0) as replica:
        replica.warm()
        crawl(replica, data, sources=SOURCES, db=db)
        before = sqlite3.connect(db).execute("select count(*) from reports").fetchone()[0]
        entry = replica.add_report("public.zhengzhou.gov.cn", "D41X")
        with served(db, data / "archive", tmp_path) as base:
            assert {path: get(base, path)[0] for path in FACETED} == {path: 200 for path in FACETED}
            answers, stop = [], threading.Event()

            def keep_asking():
                while not stop.is_set():
                    answers.extend((path, get(base, path)[0]) for path in FACETED)

            asker = threading.Thread(target=keep_asking)
            asker.start()
            try:
                second = subprocess.Popen(
                    [str(NIANBAO), "crawl", "--replica", replica.base_url, "--data", str(data), "--db", str(db),
                     "--settings", "tests.crawl_settings", "--source", SOURCES[0]],
                    cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
                saw_staging = False
                while second.poll() is None:  # the crawl's own file exists beside the served one
                    saw_staging = saw_staging or staging_path(db, "crawling").exists()
                    time.sleep(0.05)
                output = second.communicate()[0]
                time.sleep(1)  # a few more rounds of pages after the swap
            finally:
                stop.set()
                asker.join()
            assert second.returncode == 0, output[-3000:]
            failed = [(path, status) for path, status in answers if status != 200]
            assert len(answers) >= 2 * len(FACETED) and failed == []
            assert saw_staging and not staging_path(db, "crawling").exists()
    with sqlite3.connect(db) as published:
        urls = {r[0] for r in published.execute("select url from reports")}
        assert len(urls) == before + 1 and entry.url in urls
    assert os.listdir(tmp_path).count("nianbao.db") == 1
