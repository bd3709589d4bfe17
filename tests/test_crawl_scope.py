"""Scope on every request, redirects included (crawler/scope.py): a real crawl of a portal whose report
links redirect to another host and to the cloud metadata address; nothing from them is asked for,
archived or stored, and each refusal is recorded with its reason. Then, outside replica mode, a
registry host that resolves to a loopback address is refused unless the settings allow loopback."""
import json
import os
import sqlite3
import subprocess

import pytest
from warcio.archiveiterator import ArchiveIterator

from crawler.scope import refused_kind
from nianbao.exitcodes import ExitCode
from pipelines.archive import warc_files
from tests.crawl_harness import NIANBAO, ROOT, crawl
from tests.hostile_portal import IN_SCOPE_DOCUMENTS, METADATA, ONE, OUT_OF_SCOPE, REGISTRY, SECRET, TWO, HostilePortal


@pytest.mark.parametrize("address, kind", [
    ("169.254.169.254", "link_local"), ("fe80::1%eth0", "link_local"), ("::ffff:169.254.169.254", "link_local"),
    ("127.0.0.1", "loopback"), ("::1", "loopback"), ("10.1.2.3", "private"), ("192.168.0.1", "private"),
    ("172.16.5.4", "private"), ("fc00::1", "private"), ("0.0.0.0", "private"), ("224.0.0.1", "multicast"),
    ("240.0.0.1", "private"), ("8.8.8.8", None), ("2001:4860:4860::8888", None), ("218.28.1.1", None)])
def test_non_public_addresses_are_named(address, kind):
    assert refused_kind(address) == kind


def test_allowed_networks_let_loopback_through_and_nothing_else():
    import ipaddress
    allowed = [ipaddress.ip_network("127.0.0.0/8"), ipaddress.ip_network("::1/128")]
    assert refused_kind("127.0.0.1", allowed) is None and refused_kind("::1", allowed) is None
    assert refused_kind("169.254.169.254", allowed) == "link_local"


@pytest.fixture(scope="module")
def scoped(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("scope")
    registry = tmp / "sources.yaml"
    registry.write_text(REGISTRY, encoding="utf-8")
    with HostilePortal() as portal:
        run = crawl(portal.url, tmp / "data", db=tmp / "nianbao.db", registry=registry, timeout=300)
    return portal, run, tmp


def test_redirects_out_of_scope_are_never_followed(scoped):
    portal, _run, _tmp = scoped
    assert portal.hosts_asked() == {ONE, TWO}
    assert (ONE, "/files/2020.pdf") in portal.log  # a redirect within the registry's hosts is followed


def test_nothing_from_out_of_scope_is_archived_or_stored(scoped):
    _portal, run, tmp = scoped
    assert sorted(item["record"]["url"] for item in run.items) == sorted(IN_SCOPE_DOCUMENTS)
    archived = []
    for path in warc_files(tmp / "data" / "archive"):
        with open(path, "rb") as f:
            for record in ArchiveIterator(f):
                archived.append((record.rec_type, record.rec_headers.get_header("WARC-Target-URI") or "",
                                 record.content_stream().read()))
    out_of_scope = [(kind, uri, body) for kind, uri, body in archived if any(host in uri for host in OUT_OF_SCOPE)]
    # the archive tells of each refused attempt (a fetch_error record) and holds nothing it would have fetched
    assert sorted((kind, json.loads(body)["error"]) for kind, _, body in out_of_scope) == [("metadata", "Refused")] * 3
    assert not [uri for _, uri, body in archived if SECRET in body]
    blobs = [p.read_bytes() for p in (tmp / "data" / "archive" / "blobs").rglob("*") if p.is_file()]
    assert blobs and SECRET not in blobs
    with sqlite3.connect(tmp / "nianbao.db") as db:
        urls = sorted(r[0] for r in db.execute("select url from reports"))
    assert urls == sorted(IN_SCOPE_DOCUMENTS)


def test_each_refusal_is_recorded_with_its_reason_and_not_retried(scoped):
    _portal, run, tmp = scoped
    assert run.failed() == {
        "https://evil.example.com/nb/2022.pdf": "refused_offsite",
        f"http://{METADATA}/latest/meta-data/2021.pdf": "refused_offsite",
        f"http://{METADATA}/latest/meta-data/iam.pdf": "refused_address_link_local"}
    assert run.source("scope-one")["failures"] == {"refused_offsite": 2}
    assert run.source("scope-one")["status"] == "ok" and run.source("scope-two")["status"] == "ok"
    with sqlite3.connect(tmp / "nianbao.db") as db:  # the run as published
        reasons = dict(db.execute("select source_id, failure_reasons from crawl_run_sources"))
    assert json.loads(reasons["scope-two"]) == {"refused_address_link_local": 1}
    with sqlite3.connect(tmp / "data" / "crawl_state.sqlite") as db:  # a policy: nothing to retry
        assert db.execute("select url from failed").fetchall() == []


def _production_crawl(portal, tmp, *settings):
    """The real `nianbao crawl` with the production settings (names resolved), at a registry host that
    is `localhost`."""
    tmp.mkdir()
    registry = tmp / "sources.yaml"
    registry.write_text(f"""sources:
  - id: local
    name: a registry host that resolves to a loopback address
    region: test
    level: city
    platform: generic
    robots: ignore
    start_urls: ["http://localhost:{portal.port}/nb/"]
    allowed_hosts: [localhost]
    politeness: {{download_delay: 0}}
""", encoding="utf-8")
    args = [str(NIANBAO), "crawl", "--data", str(tmp / "data"), "--settings", "crawler.settings.production",
            "--set", "LOG_LEVEL=WARNING", "--set", "AUTOTHROTTLE_ENABLED=False", "--set", "DOWNLOAD_DELAY=0"]
    for setting in settings:
        args += ["--set", setting]
    proc = subprocess.run(args, capture_output=True, text=True, timeout=300, cwd=ROOT,
                          env={**os.environ, "NIANBAO_REGISTRY": str(registry)})
    summary = json.loads(sorted((tmp / "data" / "runs").glob("*.json"))[-1].read_text())
    return proc, summary["sources"]["local"]


def test_outside_replica_mode_a_host_resolving_to_loopback_is_refused(tmp_path):
    with HostilePortal() as portal:
        proc, source = _production_crawl(portal, tmp_path / "refused")
        assert portal.log == []
        assert proc.returncode == ExitCode.SOURCE_NOT_OK, proc.stderr[-2000:]
        assert source["status"] == "unreachable" and source["failures"] == {"refused_address_loopback": 1}
        proc, source = _production_crawl(portal, tmp_path / "allowed", "NIANBAO_ALLOWED_NETWORKS=127.0.0.0/8,::1/128")
        assert proc.returncode == ExitCode.OK, proc.stderr[-2000:]
        assert ("localhost", "/nb/") in portal.log and source["status"] == "ok"
