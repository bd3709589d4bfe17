"""Parsing under bounds: a document over the time or memory limit, or whose worker is killed, is
recorded with its reason and every other document is still parsed; only regular files are read."""
import json
import os
import signal
import subprocess
import sys
import threading
import time
from multiprocessing import active_children

import pytest
import sqlite_utils

from db.build import build
from nianbao.exitcodes import ExitCode
from pipelines.bounded import BoundedParser, Limits
from pipelines.parse import MAX_BYTES, NotReadable, parse_bytes, parse_file, read_document

from .conftest import SHARED
from .hostile import docx_tiny_paragraphs, html_huge_rowspans, pdf_wrong_lengths
from .offline import spiders  # noqa: F401 - a fixture
from .sample import SOURCES, documents

SEED = sorted((SHARED / "seeds").glob("*.txt"))[0]
ROW = "<tr>" + "<td>12</td>" * 200 + "</tr>"
BIG_TABLE = ("<html><body><table>" + ROW * 3000 + "</table></body></html>").encode()  # 600,000 cells


def parsed_seed(result):
    return "error" not in result and len(result["cells"]) == 200


def test_issue_cases_parse_within_bounds_or_are_recorded():
    """The issue's costly documents (smaller, to keep the suite fast; bench/fuzz_parse.py has them at
    full size): each is parsed or recorded over a limit, and the seed after them is parsed."""
    cases = {"wrong-length.pdf": pdf_wrong_lengths(2000), "tiny-paragraphs.docx": docx_tiny_paragraphs(200_000),
             "rowspans.html": html_huge_rowspans(300)}
    with BoundedParser(1, Limits(seconds=60, memory=1 << 30)) as parser:
        futures = {name: parser.submit(data, name) for name, data in cases.items()}
        seed = parser.submit(SEED.read_bytes(), SEED.name)
        for name, future in futures.items():
            result = future.result()
            assert result.get("error") in (None, "too_slow", "too_large"), (name, result.get("message"))
            assert result["sha256"] and result["bytes"] == len(cases[name])
        assert parsed_seed(seed.result())


def test_over_the_time_limit_is_too_slow_and_the_pool_goes_on():
    with BoundedParser(1, Limits(seconds=0.5, memory=1 << 30)) as parser:
        slow = parser.submit(html_huge_rowspans(600), "rowspans.html")
        after = parser.submit(SEED.read_bytes(), SEED.name)
        result = slow.result()
        assert result["error"] == "too_slow" and "0.5-second limit" in result["message"]
        assert result["format"] == "html"
        assert parsed_seed(after.result())


def test_over_the_memory_limit_is_recorded_and_the_pool_goes_on():
    """256 MiB of address space cannot hold a 600,000-cell table. Mostly the worker catches its
    MemoryError (too_large); when the allocation fails inside the worker's own machinery the worker
    dies instead (worker_died): recorded either way, and the next document is parsed."""
    with BoundedParser(1, Limits(seconds=60, memory=256 << 20)) as parser:
        big = parser.submit(BIG_TABLE, "big.html")
        after = parser.submit(SEED.read_bytes(), SEED.name)
        assert big.result()["error"] in ("too_large", "worker_died")
        assert parsed_seed(after.result())


def test_worker_killed_by_sigkill():
    """As the kernel's OOM killer would: the document being parsed is recorded worker_died, every
    other one is parsed by the worker the pool starts in its place."""
    slow = html_huge_rowspans(2000)  # seconds of work: the worker is busy with it when killed
    others = {p.pid for p in active_children()}
    with BoundedParser(1, Limits(seconds=120, memory=2 << 30)) as parser:
        first = parser.submit(SEED.read_bytes(), "first.txt")
        assert parsed_seed(first.result())  # the worker is up
        victim = parser.submit(slow, "victim.html")
        rest = [parser.submit(SEED.read_bytes(), f"after-{i}.txt") for i in range(3)]
        time.sleep(1.0)
        assert not victim.done()
        [worker] = [p for p in active_children() if p.pid not in others]  # this pool's one worker
        os.kill(worker.pid, signal.SIGKILL)
        result = victim.result()
        assert result["error"] == "worker_died" and "SIGKILL" in result["message"]
        assert all(parsed_seed(f.result()) for f in rest)


def test_build_records_a_document_over_the_limit(tmp_path):
    """The rebuild parses under the same limits: the slow document is stored with parse_status
    too_slow and its reason; the others are parsed."""
    docs = list(documents(SHARED))[:3]
    slow = docs[1].__class__(**{**docs[1].__dict__, "url": "https://public.zhengzhou.gov.cn/nb/slow.html",
                                "body": html_huge_rowspans(600), "content_type": "text/html"})
    counts = build(tmp_path, tmp_path / "x.db", [docs[0], slow, docs[2]], sources=SOURCES, workers=1,
                   limits=Limits(seconds=0.5, memory=1 << 30))
    assert counts["documents"] == 3 and counts["parse_errors"] == 1
    rows = {r["url"]: r for r in sqlite_utils.Database(tmp_path / "x.db")["reports"].rows}
    assert rows[slow.url]["parse_status"] == "too_slow" and "limit" in rows[slow.url]["parse_message"]
    for doc in (docs[0], docs[2]):  # as parsed in this process
        assert rows[doc.url]["values_count"] == len(parse_bytes(doc.body, doc.url)["cells"]) > 100


def test_only_regular_files_are_read(tmp_path):
    fifo = tmp_path / "report.html"
    os.mkfifo(fifo)
    for path, kind in ((fifo, "a FIFO"), ("/dev/zero", "a device"), (tmp_path, "a directory")):
        result = parse_file(path)
        assert result["error"] == "not_a_file" and kind in result["message"], path


def test_size_is_what_was_read(tmp_path):
    """A file the size of the limit is read; one byte more is refused, from the bytes read."""
    path = tmp_path / "exact.txt"
    path.write_bytes(b"1" * 1000)
    assert read_document(path, limit=1000) == b"1" * 1000
    with pytest.raises(NotReadable) as refused:
        read_document(path, limit=999)
    assert refused.value.reason == "too_large" and "999-byte limit" in refused.value.message
    assert MAX_BYTES > 1000  # the default limit: far above a real report


def test_cli_parse_applies_the_limits(tmp_path):
    """`nianbao parse` reads each file itself (a FIFO is refused at once, never waited on) and parses
    it in a bounded worker; exit 4 for the documents not parsed, the seed parsed."""
    fifo = tmp_path / "fifo.html"
    os.mkfifo(fifo)
    slow = tmp_path / "rowspans.html"
    slow.write_bytes(html_huge_rowspans(600))
    guard = threading.Timer(60, lambda: open(fifo, "wb").close())  # should the CLI block on the FIFO
    guard.start()
    try:
        out = subprocess.run([sys.executable, "-m", "nianbao.cli", "parse", "--json", "--time-limit", "0.5",
                              str(fifo), "/dev/zero", str(slow), str(SEED)],
                             capture_output=True, text=True, timeout=120)
    finally:
        guard.cancel()
    results = [json.loads(line) for line in out.stdout.splitlines()]
    assert out.returncode == ExitCode.UNPARSED, out.stderr
    assert [r.get("error") for r in results] == ["not_a_file", "not_a_file", "too_slow", None]
    assert len(results[3]["cells"]) == 200


def test_crawl_pipeline_survives_a_killed_parse_worker(spiders):  # noqa: F811 - the fixture
    """The crawl's own pool (crawler/runlog.py, used by the parse-and-store pipeline): the document
    whose worker is SIGKILLed is logged worker_died and counted as a parse error; every other document
    of the crawl is parsed and logged."""
    import asyncio
    import hashlib
    from dataclasses import replace

    from crawler.pipelines import ParseStorePipeline
    from crawler.spiders.zhengzhou import ZhengzhouSpider
    from pipelines.records import CrawledDocument

    spider = spiders(ZhengzhouSpider, "zhengzhou-public")
    pipeline = ParseStorePipeline.from_crawler(spider.crawler)

    def item(name, body):
        url = f"https://public.zhengzhou.gov.cn/nb/{name}"
        return CrawledDocument(source_id="zhengzhou-public", url=url, page_url=url, canonical_url=url, body=body,
                               sha256=hashlib.sha256(body).hexdigest(), status="new")

    victim = item("victim.html", html_huge_rowspans(2000))
    others = [item(f"seed-{i}.txt", SEED.read_bytes() + b"\n" * i) for i in range(3)]

    before = {p.pid for p in active_children()}
    spiders.run.workers = 1  # one worker whatever the cores (the pool starts on first use)

    async def crawl():
        first = await pipeline.process_item(others[0])  # the pool is up
        tasks = [asyncio.ensure_future(pipeline.process_item(i)) for i in [victim] + others[1:]]
        await asyncio.sleep(1.0)
        [worker] = [p for p in active_children() if p.pid not in before]  # the crawl's one parse worker
        os.kill(worker.pid, signal.SIGKILL)
        return [first] + list(await asyncio.gather(*tasks))

    stored = asyncio.run(crawl())
    assert [replace(s, body=b"").url for s in stored] == [others[0].url, victim.url] + [o.url for o in others[1:]]
    assert spider.crawler.stats.get_value("nianbao/parse_errors") == 1
    spiders.close()
    log = [json.loads(line) for line in
           (spiders.data_dir / "runs" / f"{spiders.run.run_id}.reports.jsonl").read_text(encoding="utf-8").splitlines()]
    results = {line["record"]["url"]: line["result"] for line in log}
    assert results[victim.url]["error"] == "worker_died" and "SIGKILL" in results[victim.url]["message"]
    assert all(len(results[o.url]["cells"]) == 200 for o in others)
