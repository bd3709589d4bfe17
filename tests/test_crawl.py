"""Crawl the replica with the real `nianbao crawl` (Scrapy over real HTTP) and compare with its ground truth.

One replica for the module; three crawls into one data directory: the first run, a second run on the
unchanged replica, and a third after one new report appears.
"""
import hashlib
import sqlite3
import subprocess
from collections import Counter

import pytest

from pipelines.archive import blob_path, iter_reports, read_record_payload, warc_files
from nianbao.exitcodes import ExitCode
from tests.crawl_harness import ROOT, crawl, expected_statuses
from replica.catalog import canonical
from replica.server import Replica

SECTIONS = ("proactive", "applications", "review_litigation")


@pytest.fixture(scope="module")
def replica():
    r = Replica(port=0, slow_delay=5.0).start()
    r.warm()  # attachments rendered up front: a first-request render must not race the 3 s timeout
    yield r
    r.stop()


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("crawl")


@pytest.fixture(scope="module")
def first(replica, data_dir):
    return crawl(replica, data_dir)


def entry_of(replica, record):
    return replica.catalog.find(record["page_url"]) or replica.catalog.find(record["url"])


def found_reports(replica, run):
    """catalog key -> the set of (canonical) detail pages the crawl kept for it."""
    found = {}
    for item in run.items:
        entry = entry_of(replica, item["record"])
        assert entry is not None, f"crawled something the replica does not list as a report: {item['record']['url']}"
        found.setdefault(entry.key, set()).add(canonical(item["record"]["page_url"]))
    return found


# -- first run: discovery ------------------------------------------------------------------------------

def test_every_reachable_report_is_found_exactly_once(replica, first):
    found = found_reports(replica, first)
    reachable = replica.catalog.reachable()
    missing = [e.url for e in reachable if e.key not in found]
    assert missing == []
    twice = {k: v for k, v in found.items() if len(v) > 1}
    assert twice == {}, "the same report kept under two pages (duplicates not recognised)"
    assert len(found) == len(reachable)


def test_nothing_from_other_columns(replica, first):
    crawled = {canonical(i["record"]["url"]) for i in first.items} | {canonical(i["record"]["page_url"]) for i in first.items}
    assert crawled & {canonical(u) for u in replica.catalog.non_reports} == set()


def test_duplicates_across_hosts_and_schemes_are_dropped_and_counted(replica, first):
    dup_entries = [e for e in replica.catalog.reports if len(e.urls) > 1 and e.reachable]
    assert dup_entries, "the replica serves duplicates"
    assert sum(s["duplicates"] for s in first.summary["sources"].values()) >= 1


def test_every_pagination_family_ends_and_misses_nothing(replica, first):
    found = found_reports(replica, first)
    for column in replica.catalog.columns:
        if column.kind != "report":
            continue
        listed = [e for e in replica.catalog.reachable() if e.host == column.host and e.column == column.column]
        assert all(e.key in found for e in listed), (column.host, column.column)
    assert first.proc.returncode == ExitCode.SOURCE_NOT_OK  # the crawl ended by itself (chanhe blocked)


# -- first run: values ---------------------------------------------------------------------------------

def test_every_crawled_report_parses_to_its_truth(replica, first):
    checked = 0
    for item in first.items:
        entry = entry_of(replica, item["record"])
        result = item["result"]
        if entry.needs_ocr:  # a scan: read by OCR (its truth is not in the catalog; tests/test_ocr.py checks values)
            assert "error" not in result and result["ocr"]["cells"] > 0, result.get("message")
            continue
        truth = entry.truth
        assert "error" not in result, (item["record"]["url"], result.get("message"))
        for section in SECTIONS:
            for row, cols in truth.get(section, {}).items():
                for col, want in cols.items():
                    assert result[section][row][col] == want, (item["record"]["url"], section, row, col)
        assert result["template"] == truth["meta"]["template"]
        assert result["year"] == truth["meta"]["year"]
        assert result["agency"] == truth["meta"]["agency"]
        checked += 1
    assert checked >= 200


def test_items_carry_provenance(replica, first):
    for item in first.items:
        rec = item["record"]
        assert rec["warc_file"] and rec["warc_record_id"] and rec["fetched_at"] and len(rec["sha256"]) == 64
    with_index = [i for i in first.items if i["record"]["index_no"]]
    assert len(with_index) > 100
    entry_meta = {}
    for item in with_index:
        entry = entry_of(replica, item["record"])
        if entry.page_meta.get("索引号") and item["record"]["role"] == "page":
            entry_meta[item["record"]["index_no"]] = entry.page_meta["索引号"]
    assert entry_meta and all(k == v for k, v in entry_meta.items())


def test_gbk_page_declared_gb2312_keeps_chan(replica, first):
    gbk = replica.catalog.obstacles_of("gbk_declared_gb2312")[0]
    item = next(i for i in first.items if canonical(i["record"]["page_url"]) == canonical(gbk["url"]))
    assert "瀍河" in item["result"]["agency"]


# -- first run: obstacles ------------------------------------------------------------------------------

def test_challenge_pages_are_blocked_never_parsed(replica, first):
    challenge = replica.catalog.obstacles_of("challenge_412")[0]
    crawled = {canonical(i["record"]["page_url"]) for i in first.items}
    assert not any(u.startswith(canonical(challenge["url"])) for u in crawled)
    failures = first.source("chanhe")["failures"]
    assert any(reason.startswith("blocked_challenge") for reason in failures)
    archived = [doc.url for doc in iter_reports(first.data_dir / "archive")]
    assert not any(challenge["prefix"] in u for u in archived)


def test_429_and_503_are_retried_after_backoff(replica, first):
    log = replica.request_log
    for kind in ("rate_429", "burst_503"):
        obstacle = replica.catalog.obstacles_of(kind)[0]
        path = obstacle["url"].split(obstacle["host"], 1)[1]
        statuses = [e["status"] for e in log if e["host"] == obstacle["host"] and _same_target(e["path"], path)]
        assert statuses[-1] == 200 and statuses.count(int(kind[-3:])) == obstacle["times"], (kind, statuses)


def _same_target(logged, path):
    from urllib.parse import parse_qsl, urlsplit
    a, b = urlsplit(logged), urlsplit(path)
    return a.path == b.path and sorted(parse_qsl(a.query)) == sorted(parse_qsl(b.query))


def test_timeout_and_reset_are_recorded_with_reasons_for_the_next_run(replica, first):
    failed = first.failed()
    slow = replica.catalog.obstacles_of("slow")[0]["url"]
    reset = replica.catalog.obstacles_of("reset_always")[0]["url"]
    assert failed[slow] == "timeout"
    assert failed[reset] == "connection_reset"
    once = replica.catalog.obstacles_of("reset_once")[0]["url"]
    assert once not in failed  # retried and fetched
    with sqlite3.connect(first.data_dir / "crawl_state.sqlite") as db:
        retry = dict(db.execute("select url, reason from failed"))
    assert retry[slow] == "timeout" and retry[reset] == "connection_reset"


def test_robots_policy_is_logged_and_obeyed(replica, first):
    www = first.source("zhengzhou-www")
    assert www["robots"] == "obey"
    assert www["failures"].get("robots_disallowed", 0) >= 1
    assert not any("www.zhengzhou.gov.cn" in i["record"]["url"] for i in first.items)


def test_soft_404_is_recorded_not_stored(replica, first):
    soft = replica.catalog.obstacles_of("soft_404")[0]["url"]
    assert first.failed().get(soft) == "soft_404"
    assert soft not in {i["record"]["page_url"] for i in first.items}


# -- first run: exit status --------------------------------------------------------------------------

def test_a_blocked_source_makes_the_crawl_exit_3_and_is_named(first):
    assert first.proc.returncode == ExitCode.SOURCE_NOT_OK
    out = first.proc.stdout
    assert "chanhe: blocked;" in out and "1 of 9 sources not ok: chanhe (blocked)" in out
    assert first.source("chanhe")["status"] == "blocked"
    for source_id in ("zhengzhou-public", "zhengzhou-www", "xinzheng-public", "dengfeng-public", "pingtan",
                      "xinxiangxian", "shenzhen-gkmlpt", "hangzhou-jpaas"):
        assert f"{source_id}: ok;" in out
        assert first.source(source_id)["status"] == "ok"


# -- the archive ---------------------------------------------------------------------------------------

def test_warc_files_pass_warcio_check(first):
    files = warc_files(first.data_dir / "archive")
    assert files
    for path in files:
        proc = subprocess.run([str(ROOT / ".venv/bin/warcio"), "check", str(path)], capture_output=True, text=True)
        assert proc.returncode == 0, proc.stdout[-2000:]


def test_archived_bytes_hash_to_each_items_sha256(first):
    archive = first.data_dir / "archive"
    for item in first.items[:60]:
        rec = item["record"]
        payload = read_record_payload(archive, rec["warc_file"], rec["warc_record_id"])
        assert hashlib.sha256(payload).hexdigest() == rec["sha256"]
        assert hashlib.sha256(blob_path(archive, rec["sha256"]).read_bytes()).hexdigest() == rec["sha256"]


def test_archive_alone_gives_back_every_report(first):
    archived = {doc.url for doc in iter_reports(first.data_dir / "archive")}
    assert archived == {i["record"]["url"] for i in first.items}


# -- incremental: an unchanged replica, then one new report ----------------------------------------------

@pytest.fixture(scope="module")
def second(replica, first, data_dir):
    replica.clear_log()
    return crawl(replica, data_dir)


def report_bodies(replica):
    """(host, path) of every reachable report page or document the replica sent in full."""
    sent = []
    for e in replica.request_log:
        entry = replica.catalog.find(f"https://{e['host']}{e['path']}")
        if entry is not None and entry.reachable and e["status"] == 200 and e["bytes"] > 0:
            sent.append((e["host"], e["path"]))
    return sent


def test_second_run_on_unchanged_replica_downloads_no_report_body(replica, second):
    assert report_bodies(replica) == []
    assert second.items == []
    totals = Counter()
    for s in second.summary["sources"].values():
        totals.update({k: s[k] for k in ("new", "changed", "not_modified")})
    assert totals["new"] == 0 and totals["changed"] == 0 and totals["not_modified"] >= 200


def test_one_added_report_is_one_fetch(replica, second, data_dir):
    entry = replica.add_report("public.zhengzhou.gov.cn", "D41X")
    replica.clear_log()
    third = crawl(replica, data_dir)
    bodies = report_bodies(replica)
    assert [canonical(f"https://{h}{p}") for h, p in bodies] == [canonical(entry.url)]
    assert len(third.items) == 1
    result = third.items[0]["result"]
    assert third.items[0]["record"]["url"] == entry.url
    assert result["applications"] == entry.truth["applications"]
    assert third.source("zhengzhou-public")["new"] == 1


# -- the generic spider, as if no platform were known ----------------------------------------------------

def test_generic_spider_finds_reports_on_every_site(replica, tmp_path):
    run = crawl(replica, tmp_path / "generic", generic=True, expect=ExitCode.SOURCE_NOT_OK)
    # it reads the sizes lists state in common forms: Pingtan's column says 20, its links give 10
    statuses = {source_id: s["status"] for source_id, s in run.summary["sources"].items()}
    assert statuses == {**expected_statuses(), "pingtan": "incomplete_list"}, run.summary
    assert run.source("pingtan")["columns"]["https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/"] == {
        "declared": 20, "found": 10, "missing": 10}
    found = found_reports(replica, run)
    # rows a column lists only through its API (Pingtan's second ten) are out of a link reader's reach
    reachable = [e for e in replica.catalog.reachable() if not e.added and "api_only" not in e.quirks]
    share = {}
    for host in sorted({e.host for e in reachable}):
        on_host = [e for e in reachable if e.host == host]
        share[host] = sum(e.key in found for e in on_host) / len(on_host)
    print("generic spider share of reports found per site:", share)
    assert all(len(v) == 1 for v in found.values())
    # gkmlpt and JPaaS lists are JSON/JS only: a link reader finds nothing there (their spiders do)
    js_only = {"www.sz.gov.cn", "www.hangzhou.gov.cn"}
    assert all(share[h] == 0 for h in js_only), share
    assert min(v for h, v in share.items() if h not in js_only) >= 0.9, share


def test_list_growing_mid_crawl_loses_nothing_and_doubles_nothing(tmp_path):
    """A new report pushed onto a column after its first page was read shifts every later page by one:
    the item at each page boundary shows up twice, and nothing that was there may be missed."""
    import threading
    import time

    with Replica(port=0, slow_delay=5.0) as r:
        r.warm()
        before = {e.key for e in r.catalog.reachable()}
        added = []

        def push_when_listed():
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline and not added:
                if any(e["host"] == "public.zhengzhou.gov.cn" and "p=D42Y" in e["path"] for e in r.request_log):
                    added.append(r.add_report("public.zhengzhou.gov.cn", "D42Y"))
                time.sleep(0.01)

        watcher = threading.Thread(target=push_when_listed)
        watcher.start()
        run = crawl(r, tmp_path / "growing", sources=["zhengzhou-public"])
        watcher.join()
        assert added, "the list never grew"
        found = found_reports(r, run)
        expected = {e.key for e in r.catalog.reachable() if e.host == "public.zhengzhou.gov.cn"} & before
        assert expected <= set(found)
        assert all(len(pages) == 1 for pages in found.values())
        later = crawl(r, tmp_path / "growing", sources=["zhengzhou-public"])  # the next run has it
        assert added[0].key in found or added[0].key in found_reports(r, later)


# -- exit status: healthy sources, an unreachable portal -----------------------------------------------

def test_a_crawl_of_healthy_sources_exits_0(replica, tmp_path):
    run = crawl(replica, tmp_path / "healthy", sources=["pingtan", "dengfeng-public"], expect=ExitCode.OK)
    assert "pingtan: ok;" in run.proc.stdout and "dengfeng-public: ok;" in run.proc.stdout
    assert "not ok" not in run.proc.stdout
    assert run.source("pingtan")["new"] == 20  # 10 from the list page, 10 more through its list API


def test_an_unreachable_source_makes_the_crawl_exit_3_and_is_named(tmp_path):
    """Every host routed to a closed port: the portal is down."""
    run = crawl("http://127.0.0.1:9", tmp_path / "down", sources=["pingtan"], expect=ExitCode.SOURCE_NOT_OK)
    assert "pingtan: unreachable;" in run.proc.stdout
    assert "1 of 1 sources not ok: pingtan (unreachable)" in run.proc.stdout
    source = run.source("pingtan")
    assert source["status"] == "unreachable" and source["pages_fetched"] == 0
    assert source["failures"] == {"connection_refused": 1}
