"""The store: idempotent loading, version history, parse errors kept, search, health."""
import json
from dataclasses import replace

import pytest
import yaml

from crawler.registry import load_sources
from db import health, search
from db.store import Store
from pipelines.parse import parse_bytes
from pipelines.records import CrawledDocument
from tests.sample import RUN, SOURCES, archive, build_sample, documents

from .conftest import SHARED


@pytest.fixture
def docs():
    return list(documents(SHARED))


def test_sample_sources_are_valid_registry_entries(tmp_path):
    registry = tmp_path / "sources.yaml"
    registry.write_text(yaml.safe_dump({"sources": SOURCES}, allow_unicode=True), encoding="utf-8")
    assert [s["platform"] for s in load_sources(registry)] == ["zhengzhou", "trs"]


def _load(store, docs):
    return [store.add_report(doc, parse_bytes(doc.body, filename=doc.url, content_type=doc.content_type))
            for doc in docs]


def _counts(store):
    return {t: store.db[t].count for t in ("reports", "report_values", "failed_checks", "report_totals")} | {
        "fts": next(store.db.query("select count(*) n from reports_fts"))["n"]}


def test_loading_twice_adds_nothing(tmp_path, docs):
    store = Store(tmp_path / "a.db")
    for s in SOURCES:
        store.add_source(s)
    first_ids = _load(store, docs)
    before = _counts(store)
    second_ids = _load(store, docs)
    assert second_ids == first_ids
    assert _counts(store) == before
    assert before["reports"] == 9 and before["report_values"] == 5 * 200 - 2 + 3 * 200 - 2


def test_edited_report_keeps_both_versions(tmp_path, docs):
    store = Store(tmp_path / "a.db")
    doc = docs[1]  # 郑州市人民政府 2022
    old_id = _load(store, [doc])[0]
    edited = replace(doc, body=doc.body.replace(b"3325", b"3326", 1), sha256=None,
                     fetched_at="2026-12-01T00:00:00+00:00")
    assert edited.body != doc.body
    new_id = _load(store, [edited])[0]
    assert new_id != old_id
    rows = list(store.db.query("select id, doc_id, version, is_current from reports order by id"))
    assert rows == [{"id": old_id, "doc_id": old_id, "version": 1, "is_current": 0},
                    {"id": new_id, "doc_id": old_id, "version": 2, "is_current": 1}]
    history = {r["report_id"]: r["value"] for r in store.db.query(
        "select report_id, value from report_values where section = 'applications' and item = 'new_received' "
        "and measure = 'natural_person'")}
    assert len(history) == 2  # both versions' values stay queryable
    # the same edited bytes again: nothing new
    assert _load(store, [edited])[0] == new_id
    assert store.db["reports"].count == 2


def test_same_index_no_at_new_url_is_a_new_version(tmp_path, docs):
    store = Store(tmp_path / "a.db")
    doc = docs[0]
    first = _load(store, [doc])[0]
    moved = replace(doc, url=doc.url + "?v=2", page_url=doc.url + "?v=2", sha256=None, body=doc.body + b"\n")
    second = _load(store, [moved])[0]
    assert next(store.db.query("select version, doc_id from reports where id = ?", [second])) == \
        {"version": 2, "doc_id": first}


def test_parse_errors_are_stored(tmp_path):
    store = Store(tmp_path / "a.db")
    body = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
    doc = CrawledDocument(source_id="s", url="https://x.gov.cn/a.png", page_url="https://x.gov.cn/a.html",
                          list_title="某某局2023年政府信息公开工作年度报告", content_type="image/png",
                          fetched_at="2026-01-01T00:00:00+00:00", body=body)
    rid = _load(store, [doc])[0]
    row = store.db["reports"].get(rid)
    assert row["parse_status"] == "needs_ocr" and row["year"] == 2023 and row["values_count"] == 0
    assert row["title"] == doc.list_title


def test_search_terms_of_every_length(tmp_path):
    db_path = tmp_path / "s.db"
    build_sample(SHARED, tmp_path / "archive", db_path)
    store = Store(db_path)

    def found(query):
        where, params = search.match_clauses(query)
        sql = "select agency from reports where " + " and ".join(where)
        return {r["agency"] for r in store.db.query(sql, params)}

    assert "郑州市人民政府" in found("郑州")
    assert found("新郑市") >= {"新郑市人民政府办公室", "新郑市城关乡人民政府"}
    assert "新乡县城市管理局" not in found("新郑市")
    assert "郑州市人民政府" in found("不予公开")
    assert found("郑州 不予公开") <= found("郑州")
    assert "新乡县城市管理局" in found("城")  # one character
    assert found("新郑") == found("新郑市") | found("新郑")


def test_bigram_tokens():
    tokens = search.bigram_tokens("郑州市 A1 report").split()
    assert {"郑", "州", "市", "郑州", "州市", "a1"} <= set(tokens)
    assert "report" not in tokens  # 3+ characters are the trigram index's job


def test_due_year_and_missing_reports(tmp_path):
    assert health.due_year("2024-03-31") == 2022
    assert health.due_year("2024-04-01") == 2023
    db_path = tmp_path / "h.db"
    build_sample(SHARED, tmp_path / "archive", db_path, as_of="2024-06-01")
    store = Store(db_path)
    rows = {r["source_id"]: r for r in store.db.query("select * from source_health")}
    zz = rows["henan-zhengzhou"]
    assert zz["due_year"] == 2023 and json.loads(zz["missing_agencies"]) == ["郑州市人民政府"]
    assert zz["status"] == "missing_reports" and zz["last_success_at"] == RUN["started_at"]


def test_failing_runs_count_until_a_success(tmp_path):
    store = Store(tmp_path / "a.db")
    store.add_source(SOURCES[0])
    bad = {"pages_fetched": 0, "failures": {"dns": 3}, "blocked": 0}
    for i, s in enumerate([{"pages_fetched": 3}, bad, bad]):
        store.add_run({"run_id": f"r{i}", "started_at": f"2026-01-0{i + 1}T00:00:00Z", "sources": {"henan-zhengzhou": s}})
    row = store.refresh_health("2026-02-01")[0]
    assert row["consecutive_failures"] == 2 and row["status"] == "failing"
    assert row["last_success_at"] == "2026-01-01T00:00:00Z"
    assert next(store.db.query("select failures from crawl_runs where run_id = 'r1'"))["failures"] == 3


def test_codes_and_crosswalk_cover_the_template(tmp_path):
    store = Store(tmp_path / "a.db")
    codes = {(r["section"], r["code"]) for r in store.db.query("select section, code from codes")}
    values = {(c["section"], c["item"]) for doc in documents(SHARED)
              for c in parse_bytes(doc.body, filename=doc.url).get("cells", [])}
    assert values <= codes
    label = next(store.db.query("select label_zh, name_en from codes where code = 'withheld_state_secret'"))
    assert label == {"label_zh": "1.属于国家秘密", "name_en": "Withheld: state secret"}
    total_published = next(store.db.query("select comparable from crosswalk where code_2019 = 'total_published'"))
    assert total_published["comparable"] == "no"


def test_archive_layout(tmp_path):
    docs = archive(tmp_path, documents(SHARED))
    doc = docs[0]
    assert (tmp_path / "blobs" / doc.sha256[:2] / doc.sha256).read_bytes() == doc.body


def test_build_with_worker_processes_stores_the_same(tmp_path):
    from db.build import build
    docs = archive(tmp_path / "a", documents(SHARED))
    one = build(tmp_path / "a", tmp_path / "one.db", docs, sources=SOURCES)
    two = build(tmp_path / "a", tmp_path / "two.db", docs, sources=SOURCES, workers=2)
    assert one["reports"] == two["reports"] == 9

    def dump(path):
        s = Store(path)
        return list(s.db.query("select report_id, section, item, measure, value from report_values order by 1, 2, 3, 4"))
    assert dump(tmp_path / "one.db") == dump(tmp_path / "two.db")


def test_wide_views_hold_every_value(tmp_path):
    from db.views import SECTIONS, columns
    build_sample(SHARED, tmp_path / "archive", tmp_path / "w.db")
    store = Store(tmp_path / "w.db")
    for view, section in SECTIONS.items():
        measures = columns(view)
        rows = list(store.db.query(f"select * from {view}"))
        cells = {(r["report_id"], r["item"], m): r[m] for r in rows for m in measures if r[m] is not None}
        values = {(v["report_id"], v["item"], v["measure"]): v["value"] for v in store.db.query(
            "select * from report_values where section = ? and value is not null", [section])}
        assert cells == values, view
        assert all(r["label_zh"] for r in rows)
