"""A real Datasette server, as `nianbao serve` runs it, over the sample database (tests/sample.py) or a built one,
for the API, browser and publishing tests; free_port and HTTP helpers for them (and the query bench)."""
import json
import socket
import subprocess
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

from db.serve import command
from tests.sample import build_sample


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def sample_site(shared, tmp, as_of="2024-06-01"):
    """Build the sample database in tmp, serve it, yield the base URL; stop the server after."""
    archive_dir, db_path = tmp / "archive", tmp / "nianbao.db"
    build_sample(shared, archive_dir, db_path, as_of=as_of)
    with serving(db_path, archive_dir) as base:
        yield base


def served(db_path, archive_dir, tmp=None, **options):
    """serving() under the name the replica publishing test uses; the log goes to tmp."""
    return serving(db_path, archive_dir, log_dir=tmp, **options)


@contextmanager
def serving(db_path, archive_dir, log_dir=None, **options):
    """A real Datasette on a free port over db_path, as `nianbao serve` runs it; yield its base URL,
    stop it after. options go to db.serve.command (search_cap=…)."""
    port = free_port()
    log_path = Path(log_dir or Path(db_path).parent) / "datasette.log"
    log = open(log_path, "wb")
    proc = subprocess.Popen(command(db_path, port=port, archive_dir=archive_dir, **options), stdout=log, stderr=log)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(base + "/-/versions.json", timeout=2).read()
                break
            except (urllib.error.URLError, ConnectionError):
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("datasette did not start: " + log_path.read_text())
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def get(base, path, **params):
    """(status, headers, body bytes) of a GET; params are URL-encoded."""
    url = base + path + ("?" + urlencode(params) if params else "")
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def get_json(base, path, **params):
    status, _headers, body = get(base, path, **params)
    assert status == 200, (path, status, body[:500])
    return json.loads(body)
