"""The Atom feed of new reports (datasette-atom over the new_reports canned query): a journalist subscribes
to one city, one level or one agency."""
import xml.etree.ElementTree as ET

import pytest

from tests.serving import get, sample_site

from .conftest import SHARED

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with sample_site(SHARED, tmp_path_factory.mktemp("feed")) as base:
        yield base


def feed(base, **params):
    status, headers, body = get(base, "/nianbao/new_reports.atom", **{"region": "", "level": "", "agency": "", **params})
    assert status == 200, body[:500]
    assert headers["Content-Type"].startswith("application/xml")
    root = ET.fromstring(body)
    return root, [{"id": e.findtext(f"{ATOM}id"), "title": e.findtext(f"{ATOM}title"),
                   "author": e.findtext(f"{ATOM}author/{ATOM}name"), "updated": e.findtext(f"{ATOM}updated"),
                   "link": next((link.get("href") for link in e.findall(f"{ATOM}link")), None)}
                  for e in root.findall(f"{ATOM}entry")]


def test_the_feed_of_one_city_holds_its_reports_and_no_others(site):
    root, entries = feed(site, region="河南省郑州市")
    assert root.findtext(f"{ATOM}title") == "新报告 · New reports"
    assert entries and {e["author"] for e in entries} >= {"郑州市人民政府"}
    assert "平潭综合实验区管理委员会" not in {e["author"] for e in entries}
    for e in entries:
        assert e["id"].startswith("nianbao:report:http") and e["link"].startswith("/report/")
        assert e["updated"] and e["title"]
    _, fujian = feed(site, region="福建省")
    assert {e["author"] for e in fujian} == {"平潭综合实验区管理委员会"}


def test_a_filter_that_matches_nothing_still_gives_a_valid_feed(site):
    _, entries = feed(site, agency="不存在的机关")
    assert [e["id"] for e in entries] == ["nianbao:none"]


def test_the_feed_is_linked_from_the_query_page(site):
    status, _, body = get(site, "/nianbao/new_reports", region="河南省郑州市", level="", agency="")
    assert status == 200 and b"new_reports.atom" in body
