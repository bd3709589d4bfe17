"""The documented exit codes of `nianbao` (nianbao/exitcodes.py), each from a real run of the command.
The crawl's 0 and 3 are in tests/test_crawl.py and tests/test_nightly.py (they need a replica)."""
import subprocess

import pytest
import yaml

from nianbao.exitcodes import ExitCode
from tests.conftest import ROOT, SHARED

CLI = ROOT / ".venv" / "bin" / "nianbao"


def nianbao(*args, env=None):
    return subprocess.run([str(CLI), *map(str, args)], capture_output=True, text=True, timeout=120, cwd=ROOT,
                          env=env)


def test_help_lists_every_exit_code():
    out = nianbao("--help").stdout
    assert "exit status:" in out
    for code in ExitCode:
        assert f"\n  {code.value}  " in out, code
    assert "blocked, unreachable, or incomplete_list" in " ".join(nianbao("crawl", "--help").stdout.split())


def test_parse_exits_4_when_a_document_cannot_be_parsed(tmp_path):
    bad = tmp_path / "bad.bin"
    bad.write_bytes(bytes(range(256)) * 40)
    good = sorted((SHARED / "seeds").glob("000_*.txt"))[0]
    proc = nianbao("parse", "--json", good, bad)
    assert proc.returncode == ExitCode.UNPARSED
    assert len(proc.stdout.splitlines()) == 2  # the good one was parsed all the same


@pytest.mark.parametrize("args, message", [
    (["--source", "nowhere"], "unknown source ids: nowhere"),
    (["--settings", "no.such.settings"], "settings module 'no.such.settings' cannot be imported"),
    (["--settings", "crawler.settings.replica"], "for the local replica only"),
    (["--replica", "http://127.0.0.1:9", "--settings", "crawler.settings.production"], "--replica needs settings"),
    (["--set", "NO_EQUALS_SIGN"], "expected KEY=VALUE"),
])
def test_crawl_usage_and_configuration_errors_exit_2(tmp_path, args, message):
    proc = nianbao("crawl", "--data", tmp_path / "data", *args)
    assert proc.returncode == ExitCode.USAGE, proc.stderr
    assert message in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "data" / "archive").exists()  # stopped before crawling


def test_a_bad_registry_exits_2_in_crawl_and_nightly(tmp_path):
    registry = tmp_path / "sources.yaml"
    registry.write_text(yaml.safe_dump({"sources": [{
        "id": "x", "name": "x", "region": "x", "level": "city", "platform": "wordpress", "robots": "obey",
        "start_urls": ["https://www.example.gov.cn/"]}]}))
    env = {"PATH": "/usr/bin:/bin", "NIANBAO_REGISTRY": str(registry)}
    proc = nianbao("crawl", "--data", tmp_path / "data", env=env)
    assert proc.returncode == ExitCode.USAGE
    assert "unknown platform 'wordpress'" in proc.stderr and "Traceback" not in proc.stderr
    proc = nianbao("nightly", "--data", tmp_path / "data", env=env)
    assert proc.returncode == ExitCode.USAGE
    assert "unknown platform 'wordpress'" in proc.stderr
    assert not (tmp_path / "data" / "nianbao.db").exists()  # no rebuild after a configuration error


def test_build_with_an_empty_archive_exits_2(tmp_path):
    proc = nianbao("build", "--data", tmp_path)
    assert proc.returncode == ExitCode.USAGE
    assert "no archived document" in proc.stderr


def test_an_unexpected_error_exits_1_with_its_traceback(tmp_path):
    not_a_dir = tmp_path / "file"
    not_a_dir.write_text("")
    proc = nianbao("crawl", "--source", "pingtan", "--data", not_a_dir / "data")
    assert proc.returncode == ExitCode.ERROR
    assert "Traceback" in proc.stderr and "NotADirectoryError" in proc.stderr


def test_a_crawl_that_cannot_open_its_archive_exits_1_and_says_why(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "archive").write_text("a file where the archive directory should be")
    proc = nianbao("crawl", "--replica", "http://127.0.0.1:9", "--settings", "tests.crawl_settings",
                   "--source", "pingtan", "--data", data)
    assert proc.returncode == ExitCode.ERROR
    assert "source pingtan: cannot open the archive or the crawl state" in proc.stderr
    assert list((data / "runs").glob("*.json"))  # the run's summary is saved all the same
