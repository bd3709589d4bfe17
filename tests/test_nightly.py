"""`nianbao nightly`: crawl, rebuild, release and report, one run at a time. When portals cannot be reached
it says so per source, still publishes what the archive holds, alerts and exits 3 (a source not ok); the
shipped systemd unit's command line runs against the replica."""
import http.server
import json
import os
import shlex
import sqlite3
import subprocess
import threading

import yaml

from nianbao.exitcodes import ExitCode
from nianbao.lock import exclusive
from replica.server import Replica
from pipelines.archive import WarcArchive, store_blob
from tests.crawl_harness import NIANBAO, ROOT

from .conftest import SHARED


def archive_seeds(archive_dir):
    """An archive from an earlier crawl: two seed reports as WARC response + metadata records."""
    warc = WarcArchive(archive_dir)
    for n, path in enumerate(sorted((SHARED / "seeds").glob("00[01]_*.txt"))):
        body = path.read_bytes()
        url = f"https://public.zhengzhou.gov.cn/D41X/{n + 1}.jhtml"
        rid = warc.write_exchange(url, "GET", [("Host", "public.zhengzhou.gov.cn")], 200,
                                  [("Content-Type", "text/plain; charset=utf-8")], body)
        warc.write_metadata(url, rid, {"kind": "report", "url": url, "page_url": url, "source_id": "down",
                                       "sha256": store_blob(archive_dir, body), "warc_file": warc.name,
                                       "warc_record_id": rid, "content_type": "text/plain; charset=utf-8",
                                       "fetched_at": "2026-11-20T02:00:00Z"})
    warc.close()


class Receiver(http.server.BaseHTTPRequestHandler):
    """A webhook on loopback that keeps what it is sent."""
    received = []

    def do_POST(self):
        Receiver.received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


def down_registry(tmp_path):
    registry = tmp_path / "sources.yaml"
    registry.write_text(yaml.safe_dump({"sources": [{
        "id": "down", "name": "关闭的门户", "region": "河南省郑州市", "level": "city", "platform": "zhengzhou",
        "robots": "ignore", "start_urls": ["http://127.0.0.1:9/?a=path&p=D41X"]}]}, allow_unicode=True))
    return registry


def test_unreachable_portal_is_reported_alerted_and_the_archive_still_published(tmp_path):
    archive_seeds(tmp_path / "data" / "archive")
    server = http.server.HTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        proc = subprocess.run([str(NIANBAO), "nightly", "--data", str(tmp_path / "data"),
                               "--alert-webhook", f"http://127.0.0.1:{server.server_port}/hook",
                               "--alert-command", f"cat > {tmp_path / 'alert.json'}"],
                              capture_output=True, text=True, cwd=ROOT, timeout=300,
                              env={"PATH": "/usr/bin:/bin", "NIANBAO_REGISTRY": str(down_registry(tmp_path))})
    finally:
        server.shutdown()
    assert proc.returncode == ExitCode.SOURCE_NOT_OK, proc.stderr[-2000:]
    # the production settings never reach a loopback address (crawler/scope.py): the portal is unreachable
    assert "FAILED down: unreachable (refused_address_loopback" in proc.stdout
    # the health report: written, sent to the webhook and the command, naming the source and its reason
    written = json.loads((tmp_path / "data" / "health" / "latest.json").read_text(encoding="utf-8"))
    assert [Receiver.received[-1], json.loads((tmp_path / "alert.json").read_text())] == [written, written]
    assert written["ok"] is False and [f["source_id"] for f in written["failed"]] == ["down"]
    assert written["failed"][0]["status"] == "unreachable" and "refused_address_loopback" in written["failed"][0]["failures"]
    assert written["build"]["reports"] == 2 and written["release"]["totals"]["new"] == 2
    assert "FAILED down" in (tmp_path / "data" / "health" / "latest.txt").read_text(encoding="utf-8")
    # published all the same: the database and today's release
    assert (tmp_path / "data" / "releases" / "latest" / "SHA256SUMS").exists()
    db = sqlite3.connect(tmp_path / "data" / "nianbao.db")
    agencies = {r[0] for r in db.execute("select agency from reports")}
    assert agencies == {"新郑市人民政府办公室", "郑州市人民政府"}
    health = db.execute("select consecutive_failures from source_health where source_id = 'down'").fetchone()
    assert health and health[0] >= 1


def test_a_second_nightly_run_exits_while_the_first_holds_the_lock(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    with exclusive(data / ".nightly.lock"):
        proc = subprocess.run([str(NIANBAO), "nightly", "--data", str(data)], capture_output=True, text=True,
                              cwd=ROOT, timeout=120,
                              env={"PATH": "/usr/bin:/bin", "NIANBAO_REGISTRY": str(down_registry(tmp_path))})
    assert proc.returncode == ExitCode.LOCKED
    assert f"another nightly run holds the lock on {data} (pid {os.getpid()}" in proc.stdout
    assert sorted(p.name for p in data.iterdir()) == [".nightly.lock"]  # it did nothing


def service_command(data_dir):
    """ExecStart of the shipped systemd unit, with this checkout's nianbao and a test data directory."""
    unit = (ROOT / "deploy" / "nianbao-nightly.service").read_text(encoding="utf-8")
    argv = shlex.split(next(line for line in unit.splitlines() if line.startswith("ExecStart="))[len("ExecStart="):])
    assert argv[0] == "/opt/nianbao/.venv/bin/nianbao" and argv[1] == "nightly"
    argv[0] = str(NIANBAO)
    argv[argv.index("--data") + 1] = str(data_dir)
    return argv


def test_the_service_command_line_runs_against_the_replica(tmp_path):
    replica = Replica(port=0).start()
    try:
        argv = service_command(tmp_path / "data") + ["--replica", replica.base_url, "--source", "xinxiangxian"]
        proc = subprocess.run(argv, capture_output=True, text=True, cwd=tmp_path, timeout=600)
    finally:
        replica.stop()
    assert proc.returncode == ExitCode.OK, proc.stdout[-3000:] + proc.stderr[-3000:]
    health = json.loads((tmp_path / "data" / "health" / "latest.json").read_text(encoding="utf-8"))
    assert health["ok"] and health["sources"]["xinxiangxian"]["status"] == "ok"
    release = tmp_path / "data" / "releases" / "latest"
    changes = json.loads((release / "CHANGES.json").read_text(encoding="utf-8"))
    assert changes["totals"]["new"] == changes["totals"]["reports"] == health["build"]["reports"] > 0
    assert subprocess.run(["sha256sum", "--quiet", "-c", "SHA256SUMS"], cwd=release).returncode == 0
