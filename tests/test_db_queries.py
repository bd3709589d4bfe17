"""The canned queries' meaning, on made-up reports whose answers are known."""
import sqlite3

import pytest

from db.queries import QUERIES
from db.store import Store
from pipelines import template as T
from pipelines.records import CrawledDocument


def _result(agency, year, new_received, withheld=0, rejected=0, unavailable=0):
    """A parse result with the applications total column only: enough for the summaries."""
    values = {"new_received": new_received, "carried_over": 0, "withheld_state_secret": withheld,
              "rejected_duplicate": rejected, "unavailable_not_held": unavailable,
              "disclosed": new_received - withheld - rejected - unavailable, "results_total": new_received,
              "carried_forward": 0}
    cells = [{"section": "applications", "item": item, "measure": "total", "value": v, "raw": str(v),
              "status": "number", "unit": None, "loc": {"line": i}} for i, (item, v) in enumerate(values.items())]
    return {"title": f"{agency}{year}年政府信息公开工作年度报告", "agency": agency, "year": year, "template": "2021",
            "format": "html", "bytes": 1, "cells": cells, "checks": [], "warnings": []}


def _record(agency, year):
    url = f"https://example.gov.cn/{agency}/{year}.html"
    return CrawledDocument(source_id="s", url=url, page_url=url, sha256=f"{agency}-{year}", fetched_at="2026-01-01")


@pytest.fixture
def conn(tmp_path):
    store = Store(tmp_path / "q.db")
    for agency, year, n, w, r, u in [("甲市人民政府", 2022, 100, 5, 5, 40), ("甲市人民政府", 2023, 150, 10, 20, 0),
                                     ("乙县人民政府", 2022, 30, 0, 0, 0), ("丙区人民政府", 2023, 500, 1, 0, 0)]:
        store.add_report(_record(agency, year), _result(agency, year, n, w, r, u))
    store.finish()
    store.close()
    c = sqlite3.connect(tmp_path / "q.db")
    c.row_factory = sqlite3.Row
    return c


def _run(conn, name, **params):
    return [dict(r) for r in conn.execute(QUERIES[name]["sql"], params)]


def test_year_over_year(conn):
    rows = _run(conn, "year_over_year", year="2023", agency="")
    assert rows == [{"agency": "甲市人民政府", "year": 2023, "previous": 100, "current": 150, "change": 50,
                     "change_share": 0.5, "region": None, "level": "city"}]


def test_refused_is_withheld_plus_rejected_not_unavailable(conn):
    rows = {(r["agency"], r["year"]): r for r in _run(conn, "refused_share", year="")}
    assert rows[("甲市人民政府", 2022)]["refused"] == 10  # 40 unavailable are not refusals
    assert rows[("甲市人民政府", 2023)]["refused_share"] == round(30 / 150, 4)
    assert len(rows) == 4
    assert set(r["agency"] for r in _run(conn, "refused_share", year="2022")) == {"甲市人民政府", "乙县人民政府"}
    history = _run(conn, "agency_history", agency="甲市人民政府")
    assert [h["refused_share"] for h in history] == [0.1, 0.2]


def test_top_agencies_for_a_year_and_overall(conn):
    assert [r["agency"] for r in _run(conn, "top_agencies", year="2022")] == ["甲市人民政府", "乙县人民政府"]
    overall = _run(conn, "top_agencies", year="")
    assert overall[0]["agency"] == "丙区人民政府" and overall[1]["new_received"] == 250


def test_missing_reports(conn):
    assert [r["agency"] for r in _run(conn, "missing_reports", year="2023")] == ["乙县人民政府"]


def test_agency_history_by_part_of_the_name(conn):
    assert [r["year"] for r in _run(conn, "agency_history", agency="甲市人民政府")] == [2022, 2023]
    assert [r["year"] for r in _run(conn, "agency_history", agency="甲市")] == [2022, 2023]


def test_wide_view_has_every_applicant_column(conn):
    cols = [r[1] for r in conn.execute("pragma table_info(applications_wide)")]
    assert all(c in cols for c in T.measures("applications"))
    row = dict(conn.execute("select * from applications_wide where item = 'new_received' and year = 2023 "
                            "and agency = '甲市人民政府'").fetchone())
    assert row["total"] == 150 and row["natural_person"] is None
