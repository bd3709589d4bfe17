"""The site says which data it serves (release date, last crawl) on every page, and serves the dated
releases with their checksums."""
import hashlib
import json

import pytest

from db.release import make_release
from tests.serving import get, get_json, sample_site

from .conftest import SHARED


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    data = tmp_path_factory.mktemp("site")
    with sample_site(SHARED, data) as base:
        yield base, data


def test_every_page_names_the_release_and_the_last_crawl(site):
    base, data = site
    status, _, body = get(base, "/")
    assert status == 200 and "尚无发布版本 · No dated release yet" in body.decode()
    make_release(data, day="2026-11-25")
    make_release(data, day="2026-11-26")
    for path in ("/", "/nianbao", "/nianbao/reports", "/nianbao/national_trend", "/-/releases"):
        status, _, body = get(base, path)
        text = body.decode()
        assert status == 200, path
        assert 'Data release <a href="/-/releases">2026-11-26</a>' in text, path
        assert 'href="/-/releases/2026-11-26/CHANGES.md"' in text, path
        assert "Last crawl 20" in text, path  # the sample's runs have finish times


def test_releases_are_listed_and_served_as_checksummed(site):
    base, data = site
    if not (data / "releases" / "2026-11-26").exists():
        make_release(data, day="2026-11-26")
    listing = get_json(base, "/-/releases", _format="json")["releases"]
    newest = listing[0]
    assert newest["day"] == "2026-11-26"
    files = {f["name"]: f for f in newest["files"]}
    assert set(files) == {"nianbao-2026-11-26.db", "nianbao-2026-11-26.db.gz", "CHANGES.md", "CHANGES.json",
                          "SHA256SUMS"}
    status, headers, body = get(base, files["nianbao-2026-11-26.db.gz"]["url"])
    assert status == 200 and headers["Content-Type"] == "application/gzip"
    assert hashlib.sha256(body).hexdigest() == files["nianbao-2026-11-26.db.gz"]["sha256"]
    status, _, body = get(base, "/-/releases/2026-11-26/CHANGES.json")
    assert status == 200 and json.loads(body)["release"] == "2026-11-26"


@pytest.mark.parametrize("path", ["/-/releases/2026-11-26/..%2Fnianbao.db", "/-/releases/2026-11-26/nianbao.db",
                                  "/-/releases/2026-11-27/SHA256SUMS", "/-/releases/../nianbao.db"])
def test_nothing_outside_a_release_is_served(site, path):
    base, _ = site
    status, _, body = get(base, path)
    assert status == 404, (path, body[:200])
