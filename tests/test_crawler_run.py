"""What a crawl remembers and records, offline and with real objects: the crawl state, each crawler's
resources (extension) and counts (Scrapy stats), the run and its summary, the downloader middlewares
and the item pipelines, on real crawlers (tests/offline.py) and real files in a temporary directory."""
import asyncio
import hashlib
import json
import sqlite3
from dataclasses import replace

import pytest
from scrapy import Request, signals
from scrapy.exceptions import CloseSpider, DropItem
from scrapy.utils.test import get_crawler
from warcio.archiveiterator import ArchiveIterator

from crawler.canonical import canonical_url
from crawler.middlewares import (ArchiveMiddleware, BackoffMiddleware, Blocked, CommitPageMiddleware,
                                 ConditionalGetMiddleware)
from crawler.pipelines import ArchiveReportPipeline, DeduplicatePipeline, ParseStorePipeline
from crawler.resources import CrawlResources
from crawler.runlog import Run, source_summary, sources_not_ok
from crawler.spiders.trs import TrsSpider
from crawler.spiders.zhengzhou import ZhengzhouSpider
from crawler.state import CrawlState
from db.store import Store
from pipelines.archive import blob_path, iter_reports, read_record_payload, store_blob, warc_files
from pipelines.records import CrawledDocument
from tests.offline import file_response, module_settings, replica_response, spiders  # noqa: F401

# -- the crawl state -------------------------------------------------------------------------------------

URL = "https://public.zhengzhou.gov.cn/D41X/1.jhtml"


def test_state_validators_and_previous_body(tmp_path):
    state = CrawlState(tmp_path / "state.sqlite")
    assert state.validators(URL) == (None, None) and state.previous_sha256(URL) is None
    state.commit(URL, '"e1"', "Mon, 01 Jan 2024 00:00:00 GMT", "aa" * 32, 200, "report")
    assert state.validators(URL) == ('"e1"', "Mon, 01 Jan 2024 00:00:00 GMT")
    assert state.previous_sha256(URL) == "aa" * 32 and state.committed(URL) == ("report", "aa" * 32)
    state.commit(URL, None, None, "bb" * 32, 200, "links")  # the next fetch's answer replaces the last
    assert state.validators(URL) == (None, None) and state.previous_sha256(URL) == "bb" * 32


def test_validators_recorded_before_the_archive_waited_for_it_are_not_trusted(tmp_path):
    """A state file of the version that recorded validators on arrival: its rows may name reports that
    never reached the archive, so they are read as unknown (the URL is fetched in full once)."""
    path = tmp_path / "state.sqlite"
    with sqlite3.connect(path) as db:
        db.execute("create table fetched (url text primary key, etag text, last_modified text, sha256 text, "
                   "status integer, fetched_at text)")
        db.execute("insert into fetched values (?, '\"e1\"', null, ?, 200, '2024-01-01T00:00:00Z')", (URL, "aa" * 32))
    state = CrawlState(path)
    assert state.committed(URL) is None and state.validators(URL) == (None, None)
    assert state.previous_sha256(URL) is None
    state.commit(URL, '"e2"', None, "bb" * 32, 200, "report")
    assert state.validators(URL) == ('"e2"', None)


def test_state_links_of_a_page(tmp_path):
    state = CrawlState(tmp_path / "state.sqlite")
    assert state.documents_of(URL) == []
    for doc in ("https://x/a.pdf", "https://x/b.docx", "https://x/a.pdf"):
        state.link(URL, doc)
    state.link("https://other/page", "https://x/c.pdf")
    assert sorted(state.documents_of(URL)) == ["https://x/a.pdf", "https://x/b.docx"]


def test_state_failures_count_attempts_and_clear_on_success(tmp_path):
    path = tmp_path / "state.sqlite"
    state = CrawlState(path)
    state.fail(URL, "zz", "timeout", page_url="https://list", kind="page")
    state.fail(URL, "zz", "connection_reset", page_url="https://elsewhere", kind="document")
    state.fail("https://x/doc.pdf", "zz", "http_404", kind="document")
    state.fail("https://y/", "other", "dns", kind="list")
    assert sorted(state.failures("zz"), key=lambda f: f["url"]) == [
        {"url": URL, "reason": "connection_reset", "attempts": 2, "page_url": "https://list", "kind": "page"},
        {"url": "https://x/doc.pdf", "reason": "http_404", "attempts": 1, "page_url": None, "kind": "document"}]
    state.commit(URL, None, None, "aa" * 32, 200, "report")  # fetched at last: off the retry list
    state.close()
    reopened = CrawlState(path)  # what the next run reads
    assert [f["url"] for f in reopened.failures("zz")] == ["https://x/doc.pdf"]
    assert reopened.failures("other")[0]["reason"] == "dns" and reopened.failures("nobody") == []
    assert reopened.previous_sha256(URL) == "aa" * 32


# -- resources and stats, the run summary -------------------------------------------------------------------

def test_each_crawler_opens_its_own_warc_file_and_the_state_and_closes_them(spiders):
    a = spiders(ZhengzhouSpider, "zhengzhou-public")
    b = spiders(TrsSpider, "chanhe")
    ra, rb = a.res, b.res
    assert ra is CrawlResources.of(a.crawler) and ra is not rb
    assert ra.archive.path != rb.archive.path
    assert ra.archive.path.name.startswith("nianbao-zhengzhou-public-") and rb.archive.name.startswith("warc/nianbao-chanhe-")
    assert ra.run is rb.run is spiders.run  # one run for the process
    assert a.crawler.stats.get_value("nianbao/robots") == "obey"
    spiders.close()
    assert ra.archive._file.closed and rb.archive._file.closed
    with pytest.raises(sqlite3.ProgrammingError):
        ra.state.validators(URL)
    assert len(warc_files(spiders.data_dir / "archive")) == 2


def test_the_summary_is_made_from_each_crawlers_stats_with_a_status(spiders):
    ok = spiders(ZhengzhouSpider, "zhengzhou-public")
    for key, n in (("pages_fetched", 12), ("new", 3), ("changed", 1), ("unchanged", 2), ("not_modified", 4),
                   ("duplicates", 1), ("parse_errors", 1)):
        ok.res.count(key, n)
    ok.res.fail("https://public.zhengzhou.gov.cn/D42Y/1.jhtml", "timeout")
    ok.res.fail("https://public.zhengzhou.gov.cn/D42Y/2.jhtml", "timeout")
    ok.res.fail("https://public.zhengzhou.gov.cn/robots", "robots_disallowed")
    blocked = spiders(TrsSpider, "chanhe")
    blocked.res.count("pages_fetched", 5)
    blocked.res.fail("https://www.chanhe.gov.cn/zwgk/zfxxgk/jdnb/", "blocked_challenge_ruishu")
    spiders(TrsSpider, "pingtan")  # nothing answered
    spiders.close("finished")
    summary = spiders.run.summary()
    zz = summary["sources"]["zhengzhou-public"]
    assert {k: zz[k] for k in ("pages_fetched", "new", "changed", "unchanged", "not_modified", "duplicates",
                               "blocked", "parse_errors", "robots", "status", "finish_reason")} == {
        "pages_fetched": 12, "new": 3, "changed": 1, "unchanged": 2, "not_modified": 4, "duplicates": 1,
        "blocked": 0, "parse_errors": 1, "robots": "obey", "status": "ok", "finish_reason": "finished"}
    assert zz["failures"] == {"robots_disallowed": 1, "timeout": 2}
    assert zz["failed_urls"][0] == {"url": "https://public.zhengzhou.gov.cn/D42Y/1.jhtml", "reason": "timeout"}
    assert zz["elapsed_seconds"] >= 0
    ch = summary["sources"]["chanhe"]
    assert (ch["blocked"], ch["status"], ch["failures"]) == (1, "blocked", {"blocked_challenge_ruishu": 1})
    assert summary["sources"]["pingtan"]["status"] == "unreachable"
    assert sources_not_ok(summary) == [("chanhe", "blocked"), ("pingtan", "unreachable")]


def test_the_summary_is_saved_once_when_the_run_closes_and_the_store_reads_it(tmp_path):
    run = Run(tmp_path, workers=1)
    run.add_source({"id": "never-ran"})  # its crawler never reported: unreachable
    stats = {"nianbao/pages_fetched": 3, "nianbao/new": 1, "nianbao/failures/http_404": 1, "nianbao/robots": "ignore"}
    run.source_finished("a", source_summary(stats, [{"url": "https://a/x", "reason": "http_404"}]))
    assert not run.path.exists()
    run.close()
    saved = json.loads(run.path.read_text(encoding="utf-8"))
    assert saved == run.summary() and saved["finished_at"] and saved["run_id"] == run.run_id
    assert saved["sources"]["never-ran"]["status"] == "unreachable"
    assert saved["sources"]["a"] == {
        "pages_fetched": 3, "not_modified": 0, "new": 1, "changed": 0, "unchanged": 0, "duplicates": 0, "blocked": 0,
        "parse_errors": 0, "failures": {"http_404": 1}, "failed_urls": [{"url": "https://a/x", "reason": "http_404"}],
        "robots": "ignore", "status": "ok",
        "columns": {}, "declared": None, "found": 0, "missing": None,  # no column counted: nothing declared
        "monitors": {}}  # its stats hold no monitor results
    before = run.path.read_bytes()
    run.close()  # a second close changes nothing
    assert run.path.read_bytes() == before
    assert (tmp_path / "runs" / f"{run.run_id}.reports.jsonl").exists()
    store = Store(tmp_path / "nianbao.db")
    store.add_run(saved)
    rows = {r["source_id"]: r for r in store.db.query("select * from crawl_run_sources")}
    assert rows["a"]["ok"] == 1 and rows["a"]["failures"] == 1 and rows["never-ran"]["ok"] == 0
    store.close()


def test_a_run_with_a_database_records_its_sources_and_itself(tmp_path):
    db = tmp_path / "nianbao.db"
    with Run(tmp_path, db=db, workers=1) as run:
        run.add_source({"id": "a", "name": "甲", "region": "河南省", "level": "city", "platform": "trs",
                        "robots": "obey", "start_urls": ["https://a.gov.cn/"]})
    con = sqlite3.connect(db)
    assert con.execute("select name from sources where id = 'a'").fetchone() == ("甲",)
    assert con.execute("select run_id from crawl_runs").fetchone() == (run.run_id,)


def test_a_spider_started_alone_gets_a_run_of_its_own(tmp_path):
    crawler = get_crawler(TrsSpider, {**module_settings(), "NIANBAO_DATA_DIR": str(tmp_path)})
    spider = TrsSpider.from_crawler(crawler, source="pingtan")  # as `scrapy crawl trs -a source=pingtan`
    crawler.spider = spider
    crawler.signals.send_catch_log(signals.spider_opened, spider=spider)
    spider.res.count("pages_fetched")
    crawler.signals.send_catch_log(signals.spider_closed, spider=spider, reason="finished")
    [saved] = (tmp_path / "runs").glob("*.json")
    assert json.loads(saved.read_text())["sources"]["pingtan"]["status"] == "ok"


def test_a_crawler_that_cannot_open_its_archive_stops_and_says_why(tmp_path):
    (tmp_path / "archive").write_text("a file where the archive directory should be")
    run = Run(tmp_path, workers=1)
    crawler = get_crawler(TrsSpider, module_settings())
    spider = TrsSpider.from_crawler(crawler, source="pingtan", run=run)
    crawler.spider = spider
    [(_, result)] = [r for r in crawler.signals.send_catch_log(signals.spider_opened, spider=spider)
                     if r[0].__self__.__class__ is CrawlResources]
    assert isinstance(result.value, CloseSpider) and result.value.reason == "resources_unavailable"
    assert run.errors and "pingtan: cannot open the archive" in run.errors[0]
    crawler.signals.send_catch_log(signals.spider_closed, spider=spider, reason="resources_unavailable")
    run.close()
    assert run.summary()["sources"]["pingtan"]["finish_reason"] == "resources_unavailable"


# -- downloader middlewares ---------------------------------------------------------------------------------

def test_archive_middleware_writes_every_response_and_every_failed_fetch(spiders):
    spider = spiders(TrsSpider, "chanhe")
    mw = ArchiveMiddleware.from_crawler(spider.crawler)
    response = replica_response("trs_chanhe_t20240310_6537656.html")
    request = Request(response.url)
    assert mw.process_response(request, response) is response
    assert request.meta["warc_file"] == spider.res.archive.name
    archive_dir = spiders.data_dir / "archive"
    assert read_record_payload(archive_dir, request.meta["warc_file"], request.meta["warc_record_id"]) == response.body
    assert spider.crawler.stats.get_value("nianbao/pages_fetched") == 1
    robots = Request("https://www.chanhe.gov.cn/robots.txt")  # Scrapy's own request, without our meta
    assert mw.process_exception(robots, TimeoutError("took too long")) is None
    spider.res.archive.close()
    with open(spider.res.archive.path, "rb") as f:
        records = [(r.rec_type, r.rec_headers.get_header("WARC-Target-URI"), r.content_stream().read())
                   for r in ArchiveIterator(f)]
    assert [t for t, _, _ in records] == ["warcinfo", "response", "request", "metadata"]
    failed = json.loads(records[-1][2])
    assert failed == {"kind": "fetch_error", "url": robots.url, "error": "TimeoutError", "message": "took too long",
                      "source_id": "chanhe"}


def test_conditional_get_sends_the_validators_of_a_kept_answer_and_counts_304(spiders):
    spider = spiders(ZhengzhouSpider, "zhengzhou-public")
    mw = ConditionalGetMiddleware.from_crawler(spider.crawler)
    page = replica_response("zhengzhou_public_D41X_7249341.html")
    etag, modified = '"5f3-17"', "Sun, 26 Mar 2023 02:00:00 GMT"
    first = Request(page.url, meta={"conditional": True})
    mw.process_request(first)
    assert b"If-None-Match" not in first.headers  # nothing known yet
    answered = page.replace(headers={**page.headers.to_unicode_dict(), "ETag": etag, "Last-Modified": modified})
    mw.process_response(first, answered)
    assert first.meta["previous_sha256"] is None
    waiting = Request(page.url, meta={"conditional": True})
    mw.process_request(waiting)
    assert b"If-None-Match" not in waiting.headers  # the answer is not archived yet: no promise made
    sha = store_blob(spiders.data_dir / "archive", page.body)
    spider.res.commit(canonical_url(page.url), "report")  # what the item pipelines do once it is stored
    second = Request(page.url.replace("https://", "http://"), meta={"conditional": True})  # the twin URL too
    mw.process_request(second)
    assert second.headers[b"If-None-Match"] == etag.encode() and second.headers[b"If-Modified-Since"] == modified.encode()
    mw.process_response(second, answered)
    assert second.meta["previous_sha256"] == sha
    for meta in ({}, {"conditional": True, "unconditional": True}):  # lists; a forced full fetch
        plain = Request(page.url, meta=meta)
        mw.process_request(plain)
        assert b"If-None-Match" not in plain.headers
    not_modified = file_response("/dev/null", page.url, status=304)
    assert mw.process_response(second, not_modified) is not_modified
    assert spider.crawler.stats.get_value("nianbao/not_modified") == 1
    blob_path(spiders.data_dir / "archive", sha).unlink()  # the archived report is gone: 304 is not enough
    again = mw.process_response(second, not_modified)
    assert isinstance(again, Request) and again.url == second.url and again.meta["unconditional"]
    assert b"If-None-Match" not in again.headers and b"If-Modified-Since" not in again.headers
    assert spider.crawler.stats.get_value("nianbao/not_modified") == 1


def test_a_page_that_only_links_its_documents_is_committed_when_its_links_are_recorded(spiders):
    spider = spiders(ZhengzhouSpider, "zhengzhou-public")
    conditional = ConditionalGetMiddleware.from_crawler(spider.crawler)
    commit_page = CommitPageMiddleware.from_crawler(spider.crawler)
    page = replica_response("zhengzhou_public_D41X_7249341.html")
    for gives_report in (True, False):
        request = Request(page.url, meta={"conditional": True})
        conditional.process_response(request, page)
        output = [Request("https://public.zhengzhou.gov.cn/a.pdf")]
        if gives_report:
            output.append(next(i for i in spider.parse_page(page) if isinstance(i, CrawledDocument)))
        response = page.replace(request=request)
        assert list(commit_page.process_spider_output(response, iter(output))) == output
        committed = spider.res.state.committed(canonical_url(page.url))
        assert committed == (None if gives_report else ("links", hashlib.sha256(page.body).hexdigest()))


def test_backoff_retries_then_gives_up_with_a_reason(spiders):
    spider = spiders(TrsSpider, "chanhe", BACKOFF_MAX_TRIES=2, BACKOFF_BASE_DELAY=0)
    mw = BackoffMiddleware.from_crawler(spider.crawler)
    challenge = replica_response("trs_chanhe_jdnb_challenge.html")
    request = Request(challenge.url, meta={"kind": "list"})
    retry = asyncio.run(mw.process_response(request, challenge))
    assert isinstance(retry, Request) and retry.url == request.url and retry.dont_filter
    assert retry.meta["backoff_tries"] == 1 and retry.meta["kind"] == "list"
    with pytest.raises(Blocked) as e:
        asyncio.run(mw.process_response(retry, challenge))
    assert e.value.reason == "blocked_challenge_ruishu"
    limited = challenge.replace(status=429, body=b"Too Many Requests", headers={"Retry-After": "0"})
    with pytest.raises(Blocked, match="blocked_http_429"):
        asyncio.run(mw.process_response(retry, limited))
    page = replica_response("trs_chanhe_t20240310_6537656.html")
    assert asyncio.run(mw.process_response(request, page)) is page


# -- item pipelines ------------------------------------------------------------------------------------------

def document(url, body=b"<html>report</html>", **fields):
    return CrawledDocument(source_id="zhengzhou-public", url=url, page_url=url, canonical_url=fields.pop("canonical", url),
                           body=body, content_key=hashlib.sha256(body).hexdigest(), **fields)


def test_duplicates_are_dropped_and_counted_once_per_other_name(spiders):
    spider = spiders(ZhengzhouSpider, "zhengzhou-public")
    dedupe = DeduplicatePipeline.from_crawler(spider.crawler)
    first = document("https://a.gov.cn/1", index_no="1/2023-00001")
    assert dedupe.process_item(first) is first
    with pytest.raises(DropItem, match="already seen"):  # the same name again: no duplicate
        dedupe.process_item(document("http://a.gov.cn/1", canonical="https://a.gov.cn/1"))
    with pytest.raises(DropItem, match="duplicates https://a.gov.cn/1"):  # same bytes elsewhere
        dedupe.process_item(document("https://b.gov.cn/9"))
    with pytest.raises(DropItem, match="duplicates"):  # same 索引号, another page
        dedupe.process_item(document("https://c.gov.cn/2", body=b"other", index_no="1/2023-00001"))
    attachment = document("https://c.gov.cn/3.pdf", body=b"pdf", index_no="1/2023-00001", role="attachment")
    assert dedupe.process_item(attachment) is attachment  # an attachment shares its page's 索引号
    assert spider.crawler.stats.get_value("nianbao/duplicates") == 2


def test_archive_pipeline_keeps_the_body_and_marks_new_changed_unchanged(spiders):
    spider = spiders(ZhengzhouSpider, "zhengzhou-public")
    archive = ArchiveReportPipeline.from_crawler(spider.crawler)
    new = archive.process_item(document("https://a.gov.cn/1", warc_record_id="<urn:uuid:1>"))
    sha = hashlib.sha256(b"<html>report</html>").hexdigest()
    assert (new.sha256, new.status) == (sha, "new")
    assert blob_path(spiders.data_dir / "archive", sha).read_bytes() == b"<html>report</html>"
    assert archive.process_item(document("https://a.gov.cn/2", previous_sha256="0" * 64)).status == "changed"
    with pytest.raises(DropItem, match="unchanged"):
        archive.process_item(document("https://a.gov.cn/3", previous_sha256=sha))
    assert spider.crawler.stats.get_value("nianbao/unchanged") == 1
    spider.res.archive.close()
    with open(spider.res.archive.path, "rb") as f:
        reports = [json.loads(r.content_stream().read()) for r in ArchiveIterator(f) if r.rec_type == "metadata"]
    assert [(r["kind"], r["url"], r["sha256"]) for r in reports] == [("report", "https://a.gov.cn/1", sha),
                                                                    ("report", "https://a.gov.cn/2", sha)]


def test_parse_store_pipeline_parses_in_a_worker_and_logs_the_report(spiders):
    spider = spiders(ZhengzhouSpider, "zhengzhou-public")
    parse_store = ParseStorePipeline.from_crawler(spider.crawler)
    page = replica_response("zhengzhou_public_D41X_7249341.html")
    [item] = [i for i in spider.parse_page(page) if isinstance(i, CrawledDocument)]
    item = replace(item, sha256=hashlib.sha256(page.body).hexdigest(), status="new")
    broken = replace(document("https://public.zhengzhou.gov.cn/u/x.bin", body=bytes(range(256)) * 8,
                              content_type="application/octet-stream"), status="changed")

    async def both():
        return [await parse_store.process_item(item), await parse_store.process_item(broken)]

    stored = asyncio.run(both())
    assert [s.body for s in stored] == [b"", b""]  # the bytes are not carried further
    stats = spider.crawler.stats
    assert (stats.get_value("nianbao/new"), stats.get_value("nianbao/changed"), stats.get_value("nianbao/parse_errors")) == (1, 1, 1)
    spiders.close()
    lines = [json.loads(line) for line in
             (spiders.data_dir / "runs" / f"{spiders.run.run_id}.reports.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [line["record"]["url"] for line in lines] == [item.url, broken.url]
    assert lines[0]["result"]["agency"] == "郑州市人民政府" and lines[0]["result"]["year"] == 2022
    assert "text" not in lines[0]["result"] and lines[1]["result"]["error"] == "unknown_format"


def test_what_a_crawler_archived_reads_back_as_reports(spiders):
    spider = spiders(ZhengzhouSpider, "zhengzhou-public")
    archive_mw = ArchiveMiddleware.from_crawler(spider.crawler)
    page = replica_response("zhengzhou_public_D41X_7249341.html")
    request = Request(page.url)
    archive_mw.process_response(request, page)
    response = page.replace(request=request)
    [item] = [i for i in spider.parse_page(response) if isinstance(i, CrawledDocument)]
    ArchiveReportPipeline.from_crawler(spider.crawler).process_item(item)
    spiders.close()
    [back] = list(iter_reports(spiders.data_dir / "archive"))
    assert back.url == page.url and back.body == page.body and back.index_no == "845312939/2023-00001"


def test_a_report_commits_its_validators_only_once_stored_and_its_duplicates_with_it(spiders):
    """The crawl state's promise (crawler/state.py): a URL's validators are committed when its report is
    stored (or found unchanged), a duplicate's when the report it duplicates is; never on arrival."""
    spider = spiders(ZhengzhouSpider, "zhengzhou-public")
    dedupe, archive = DeduplicatePipeline.from_crawler(spider.crawler), ArchiveReportPipeline.from_crawler(spider.crawler)
    parse_store, state = ParseStorePipeline.from_crawler(spider.crawler), spider.res.state
    first, twin, again = (document(f"https://{host}.gov.cn/1", content_type="text/html")
                          for host in ("a", "b", "c"))
    sha = hashlib.sha256(first.body).hexdigest()
    for item in (first, twin, again):
        spider.res.expect(item.canonical_url, f'"{item.url}"', None, sha, 200)  # as ConditionalGet does
    archived = archive.process_item(dedupe.process_item(first))
    with pytest.raises(DropItem, match="duplicates"):
        dedupe.process_item(twin)
    assert archived.status == "new" and blob_path(spiders.data_dir / "archive", sha).exists()
    assert state.committed(first.canonical_url) is None and state.committed(twin.canonical_url) is None
    asyncio.run(parse_store.process_item(archived))
    assert state.committed(first.canonical_url) == ("report", sha)
    assert state.committed(twin.canonical_url) == ("duplicate", sha)
    with pytest.raises(DropItem, match="unchanged"):  # archived by an earlier run: done with at once
        archive.process_item(replace(again, previous_sha256=sha))
    assert state.committed(again.canonical_url) == ("report", sha)
    assert state.validators(again.canonical_url) == ('"https://c.gov.cn/1"', None)


def test_warc_records_are_written_whole_and_read_back(tmp_path):
    from pipelines.archive import WarcArchive
    archive = WarcArchive(tmp_path / "archive", prefix="t")
    sizes = [archive.path.stat().st_size]
    for n in range(3):
        archive.write_exchange(f"https://a.gov.cn/{n}", "GET", [("Host", "a.gov.cn")], 200,
                               [("Content-Type", "application/pdf")], bytes(range(256)) * (1000 * (n + 1)))
        sizes.append(archive.path.stat().st_size)
        archive.sync()
    archive.close()
    with open(archive.path, "rb") as f:  # every size seen between writes ends a whole record
        ends = [0] + [it.get_record_offset() + it.get_record_length() for it in _offsets(f)]
    assert set(sizes) <= set(ends)


def _offsets(f):
    iterator = ArchiveIterator(f)
    for _record in iterator:
        iterator.read_to_end()
        yield iterator
