"""`nianbao release`: dated releases with checksums and the changes since the previous one, written so that
a release killed half-way leaves the earlier ones intact."""
import json
import os
import signal
import sqlite3
import subprocess
import time

import pytest

from db.release import releases
from tests.crawl_harness import NIANBAO, ROOT
from tests.sample import build_sample

from .conftest import SHARED


def release(data_dir, day, keep=None):
    argv = [str(NIANBAO), "release", "--data", str(data_dir), "--date", day]
    if keep:
        argv += ["--keep", str(keep)]
    proc = subprocess.run(argv, capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc


def current(db_path):
    with sqlite3.connect(db_path) as db:
        return {url: sha for url, sha in db.execute("select url, sha256 from reports where is_current = 1")}


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    data = tmp_path_factory.mktemp("release")
    build_sample(SHARED, data / "archive", data / "nianbao.db")
    return data


def edit(db_path):
    """The portals changed overnight: one report gone, one edited, one new. Returns their URLs."""
    with sqlite3.connect(db_path) as db:
        urls = [u for (u,) in db.execute("select url from reports where is_current = 1 order by url")]
        gone, edited = urls[0], urls[1]
        db.execute("delete from reports where url = ?", [gone])
        db.execute("update reports set sha256 = 'f' || substr(sha256, 2) where url = ? and is_current = 1", [edited])
        columns = [c for (c,) in db.execute("select name from pragma_table_info('reports')") if c != "id"]
        db.execute(f"insert into reports ({', '.join(columns)}) select "
                   + ", ".join("url || '?new=1'" if c == "url" else c for c in columns)
                   + " from reports where url = ? and is_current = 1", [urls[2]])
    return gone, edited, urls[2] + "?new=1"


def test_releases_are_dated_checksummed_and_list_their_changes(data_dir):
    first = release(data_dir, "2026-11-25")
    day1 = data_dir / "releases" / "2026-11-25"
    assert "first release" in first.stdout
    files = sorted(p.name for p in day1.iterdir())
    assert files == ["CHANGES.json", "CHANGES.md", "SHA256SUMS", "nianbao-2026-11-25.db", "nianbao-2026-11-25.db.gz"]
    check = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=day1, capture_output=True, text=True)
    assert check.returncode == 0 and check.stdout.count(": OK") == 4, check.stdout + check.stderr
    held = current(data_dir / "nianbao.db")
    changes = json.loads((day1 / "CHANGES.json").read_text(encoding="utf-8"))
    assert changes["previous"] is None
    assert changes["totals"] == {"new": len(held), "changed": 0, "removed": 0, "reports": len(held)}
    assert current(day1 / "nianbao-2026-11-25.db") == held  # the release is the database, copied whole

    gone, edited, new = edit(data_dir / "nianbao.db")
    release(data_dir, "2026-11-26")
    day2 = data_dir / "releases" / "2026-11-26"
    changes = json.loads((day2 / "CHANGES.json").read_text(encoding="utf-8"))
    assert changes["previous"] == "2026-11-25"
    assert changes["totals"] == {"new": 1, "changed": 1, "removed": 1, "reports": len(held)}
    by_kind = {kind: [r["url"] for s in changes["sources"].values() for r in s[kind]]
               for kind in ("new", "changed", "removed")}
    assert by_kind == {"new": [new], "changed": [edited], "removed": [gone]}
    markdown = (day2 / "CHANGES.md").read_text(encoding="utf-8")
    assert "since the release of 2026-11-25: 1 new, 1 changed, 1 removed" in markdown
    assert f"- removed: " in markdown and gone in markdown
    assert os.readlink(data_dir / "releases" / "latest") == "2026-11-26"


def test_old_releases_are_pruned_and_a_killed_release_leaves_the_others_intact(data_dir):
    release(data_dir, "2026-11-27", keep=2)
    root = data_dir / "releases"
    assert [p.name for p in releases(root)] == ["2026-11-26", "2026-11-27"]
    # make the database big enough that the release is still writing when it is killed
    with sqlite3.connect(data_dir / "nianbao.db") as db:
        db.execute("create table padding (b blob)")
        db.executemany("insert into padding values (randomblob(1048576))", [()] * 120)
    proc = subprocess.Popen([str(NIANBAO), "release", "--data", str(data_dir), "--date", "2026-11-28"], cwd=ROOT)
    deadline = time.monotonic() + 120
    while not any(p.name.startswith(".2026-11-28") and any(p.glob("*.gz")) for p in root.iterdir()):
        assert proc.poll() is None and time.monotonic() < deadline, "the release ended before it could be killed"
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert [p.name for p in releases(root)] == ["2026-11-26", "2026-11-27"]
    assert os.readlink(root / "latest") == "2026-11-27"
    check = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=root / "latest", capture_output=True, text=True)
    assert check.returncode == 0, check.stdout
    # the next release clears what the killed one left
    release(data_dir, "2026-11-29", keep=2)
    assert sorted(p.name for p in root.iterdir()) == ["2026-11-27", "2026-11-29", "latest"]


def test_release_without_a_database_says_so(tmp_path):
    proc = subprocess.run([str(NIANBAO), "release", "--data", str(tmp_path)], capture_output=True, text=True,
                          cwd=ROOT, timeout=60)
    assert proc.returncode == 2 and "no database at" in proc.stderr
