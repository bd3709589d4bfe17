"""`nianbao nightly` when portals cannot be reached: it says so per source, still publishes what the
archive holds, and exits 3 (a source not ok)."""
import sqlite3
import subprocess

import yaml

from nianbao.exitcodes import ExitCode
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


def test_unreachable_portal_is_reported_and_the_archive_still_published(tmp_path):
    archive_seeds(tmp_path / "data" / "archive")
    registry = tmp_path / "sources.yaml"
    registry.write_text(yaml.safe_dump({"sources": [{
        "id": "down", "name": "关闭的门户", "region": "河南省郑州市", "level": "city", "platform": "zhengzhou",
        "robots": "ignore", "start_urls": ["http://127.0.0.1:9/?a=path&p=D41X"]}]}, allow_unicode=True))
    proc = subprocess.run([str(NIANBAO), "nightly", "--data", str(tmp_path / "data")], capture_output=True,
                          text=True, cwd=ROOT, timeout=300,
                          env={"PATH": "/usr/bin:/bin", "NIANBAO_REGISTRY": str(registry)})
    assert proc.returncode == ExitCode.SOURCE_NOT_OK, proc.stderr[-2000:]
    # the production settings never reach a loopback address (crawler/scope.py): the portal is unreachable
    assert "down: UNREACHABLE" in proc.stdout and "refused_address_loopback" in proc.stdout
    db = sqlite3.connect(tmp_path / "data" / "nianbao.db")
    agencies = {r[0] for r in db.execute("select agency from reports")}
    assert agencies == {"新郑市人民政府办公室", "郑州市人民政府"}
    health = db.execute("select consecutive_failures from source_health where source_id = 'down'").fetchone()
    assert health and health[0] >= 1
