"""A real Datasette server over the sample database (db.sample), for the API and browser tests."""
import json
import socket
import subprocess
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

from .sample import build_sample
from .serve import command


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


@contextmanager
def serving(db_path, archive_dir, **options):
    """Serve a database as `nianbao serve` does; yield the base URL; stop the server after."""
    port = free_port()
    tmp = Path(db_path).parent
    log = open(tmp / "datasette.log", "wb")
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
                    raise RuntimeError("datasette did not start: " + (tmp / "datasette.log").read_text())
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
