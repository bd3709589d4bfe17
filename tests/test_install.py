"""The product as a user gets it: `pip install` (not editable) into a fresh virtual environment outside
the checkout, then `nianbao demo` from a working directory of its own, with no ../shared beside it.

The demo must start the installed replica, crawl it, build the database in the user's data directory,
serve it with Datasette, and stop every process it started on Ctrl-C. Compared with the replica's own
ground truth (its /catalog.json) through Datasette's JSON API."""
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from replica.catalog import canonical
from tests.conftest import ROOT, SHARED
from tests.serving import free_port, get_json

pytestmark = [pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="needs /proc to list processes"),
              pytest.mark.timeout(1200)]

PT = "www.pingtan.gov.cn"


def clean_env():
    """The user's environment, without anything that would put the checkout on the path."""
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}


@pytest.fixture(scope="module")
def venv(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("install")
    # The checkout's files as git sees them (tracked and new, nothing ignored): building in place would
    # write build/ and *.egg-info into the developer's checkout, and a stale build/ can leak into the wheel.
    src = tmp / "src"
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, check=True).stdout.decode().split("\0")
    for rel in filter(None, listed):
        if (ROOT / rel).is_file():
            (src / rel).parent.mkdir(parents=True, exist_ok=True)
            (src / rel).write_bytes((ROOT / rel).read_bytes())
    env_dir = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env_dir)], check=True)
    # This pip installs into the new environment (--python): the same install, without bootstrapping
    # the older pip that ensurepip bundles (twice as slow to resolve).
    pip = subprocess.run([sys.executable, "-m", "pip", "--python", str(env_dir / "bin" / "python"), "install",
                          "--quiet", "--disable-pip-version-check", str(src)],
                         capture_output=True, text=True, timeout=900, env=clean_env(), cwd=tmp)
    assert pip.returncode == 0, pip.stdout[-3000:] + pip.stderr[-3000:]
    return env_dir


def test_the_installed_package_stands_alone(venv, tmp_path):
    """The product's modules come from the environment, not the checkout; test helpers are not shipped."""
    code = ("import importlib.util, db, nianbao, replica, replica.server; "
            "print(db.__file__, nianbao.__file__, replica.__file__, replica.DATA); "
            "print([m for m in ('tests', 'db.testing', 'db.sample') if importlib.util.find_spec(m)])")
    out = subprocess.run([str(venv / "bin" / "python"), "-c", code], capture_output=True, text=True, cwd=tmp_path,
                         env=clean_env(), check=True).stdout.splitlines()
    assert all(p.startswith(str(venv)) for p in out[0].split()), out[0]
    assert out[1] == "[]"


def processes_of(venv):
    """(pid, command line) of every live process running from the environment."""
    found = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                cmd = (d / "cmdline").read_bytes()
            except OSError:
                continue
            if str(venv).encode() in cmd:
                found.append((int(d.name), cmd.replace(b"\0", b" ").decode(errors="replace")))
    return found


def fetch(url, host=None, timeout=10):
    req = urllib.request.Request(url, headers={"Host": host} if host else {})
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return r.read()


def test_demo_from_the_installed_package(venv, tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    port, replica_port = free_port(), free_port()
    log_path = tmp_path / "demo.log"
    base, replica = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{replica_port}"
    started = time.monotonic()
    with open(log_path, "wb") as log:
        # A session of its own, so Ctrl-C can be sent to the demo's whole process group as a terminal
        # does; SIGINT restored to its default, in case this test runs where it is ignored (a background job).
        demo = subprocess.Popen([str(venv / "bin" / "nianbao"), "demo", "--port", str(port),
                                 "--replica-port", str(replica_port), "--data", "demo-data"],
                                cwd=work, env=clean_env(), stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True,
                                preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        try:
            deadline = time.monotonic() + 900
            while True:
                try:
                    fetch(base + "/-/versions.json", timeout=2)
                    break
                except (urllib.error.URLError, ConnectionError):
                    assert demo.poll() is None, "the demo exited:\n" + log_path.read_text(errors="replace")[-5000:]
                    assert time.monotonic() < deadline, "Datasette never answered:\n" + log_path.read_text()[-5000:]
                    time.sleep(1)
            up = time.monotonic() - started

            # The database is where the user said, relative to the working directory.
            assert (work / "demo-data" / "nianbao.db").is_file() and (work / "demo-data" / "archive").is_dir()

            # The installed replica serves its packaged copies of the real pages, byte for byte.
            corpus = SHARED / "corpus" / "pingtan"
            assert fetch(f"{replica}/zwgk/zfxxgk/zfxxgknb/", host=PT) == (corpus / "list-index.html").read_bytes()

            # Every report the replica says a crawler can reach is in `reports`, and nothing else is.
            catalog = get_json(replica, "/catalog.json")
            key_of = {canonical(u): e["key"] for e in catalog["reports"]
                      for u in [e["url"], *e["urls"], *e["attachments"], *e["attachment_files"]]}
            reachable = {e["key"] for e in catalog["reports"] if e["reachable"]}
            assert len(reachable) >= 200
            rows = get_json(base, "/nianbao/reports.json", _shape="array", _size="max")
            found = {key_of.get(canonical(r["page_url"])) or key_of.get(canonical(r["url"])) for r in rows}
            assert found == reachable

            # Seed 001, 郑州市人民政府 2022, served as a page, a PDF and a DOCX: each says 3325 new requests.
            zz = get_json(base, "/nianbao/reports.json", _shape="array", agency="郑州市人民政府", year="2022")
            assert {r["format"] for r in zz} >= {"html", "pdf", "docx"}
            for report in zz:
                cell = get_json(base, "/nianbao/report_values.json", _shape="array", report_id=report["id"],
                                section="applications", item="new_received", measure="total")
                assert [c["value"] for c in cell] == [3325], report["format"]
                # the report page comes from the installed package too (its template and plugin)
                page = fetch(f"{base}/report/{report['id']}").decode("utf-8")
                assert 'data-item="new_received" data-measure="total"' in page and ">3325</a>" in page
            assert b"vega.min.js" in fetch(base + "/-/dashboards/national-trend")

            running = processes_of(venv)
            assert len(running) >= 3, running  # the demo, the replica, Datasette: the check below sees them
            os.killpg(demo.pid, signal.SIGINT)  # Ctrl-C
            stopping = time.monotonic()
            assert demo.wait(timeout=60) == 0, log_path.read_text()[-3000:]
            stopped = time.monotonic() - stopping
        finally:
            if demo.poll() is None:
                os.killpg(demo.pid, signal.SIGKILL)
                demo.wait()
    assert processes_of(venv) == []
    with pytest.raises(ProcessLookupError):
        os.killpg(demo.pid, 0)  # nothing left in the demo's process group either
    for p in (port, replica_port):
        with pytest.raises(OSError):
            fetch(f"http://127.0.0.1:{p}/", timeout=2)
    print(f"demo: Datasette up after {up:.0f} s, stopped {stopped:.1f} s after Ctrl-C")
