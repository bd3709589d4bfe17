"""The `nianbao parse` command: one result per file, bad files reported and skipped, exit status at the end."""
import json
import shutil
import subprocess
import sys

import pytest

from tests.conftest import ROOT, SHARED
from replica.generate import generate_broken_report, generate_report
from replica.render import render_page_html

CLI = ROOT / ".venv" / "bin" / "nianbao"


def run(*args):
    cmd = [str(CLI)] if CLI.exists() else [sys.executable, "-m", "nianbao.cli"]
    return subprocess.run(cmd + ["parse", *map(str, args)], capture_output=True, text=True, timeout=120, cwd=ROOT)


@pytest.fixture
def files(tmp_path):
    good = tmp_path / "good.html"
    good.write_bytes(render_page_html(generate_report("新郑市人民政府办公室", 2023, "2021", seed=1)))
    bad = tmp_path / "bad.html"
    bad.write_bytes(bytes(range(256)) * 40)
    seed = tmp_path / "seed.txt"
    shutil.copy(SHARED / "seeds" / "002_737661822b4db9a0.txt", seed)
    broken = tmp_path / "broken.html"
    broken.write_bytes(render_page_html(generate_broken_report("郑州市人民政府", 2022, "2021", seed=1)))
    return good, bad, seed, broken


def test_json_one_line_per_file_error_object_for_the_bad_one(files):
    good, bad, seed, _ = files
    proc = run("--json", good, bad, seed)
    assert proc.returncode != 0  # a bad file fails the run, at the end
    lines = proc.stdout.strip().splitlines()
    assert len(lines) == 3
    results = [json.loads(line) for line in lines]
    assert [r["file"] for r in results] == [str(good), str(bad), str(seed)]
    assert results[1]["error"] == "unknown_format" and results[1]["message"]
    assert "applications" not in results[1]
    assert results[0]["agency"] == "新郑市人民政府办公室" and results[0]["template"] == "2021"
    truth = json.loads((SHARED / "seeds" / "002_737661822b4db9a0.truth.json").read_text())
    assert results[2]["applications"] == truth["applications"]  # the file after the bad one is parsed
    assert results[2]["proactive"] == truth["proactive"]


def test_json_all_good_exits_zero(files):
    good, _, seed, _ = files
    proc = run("--json", good, seed)
    assert proc.returncode == 0
    assert [json.loads(l)["year"] for l in proc.stdout.splitlines()] == [2023, 2020]


def test_failed_checks_do_not_fail_the_run_but_are_in_the_json(files):
    """A report that does not add up is a finding about the report, not a parse error."""
    _, _, _, broken = files
    proc = run("--json", broken)
    assert proc.returncode == 0
    result = json.loads(proc.stdout)
    assert sum(c["status"] == "fail" for c in result["checks"]) == 2


def test_readable_summary_with_failed_checks_highlighted(files):
    good, bad, _, broken = files
    proc = run(good, bad, broken)
    assert proc.returncode != 0
    out = proc.stdout
    assert "新郑市人民政府办公室2023年" in out and "template: 2021" in out
    assert "error: unknown_format" in out
    assert "三、依申请公开" in out and "四、复议与诉讼" in out
    assert "✗ A2 " in out and "✗ A3 " in out and "2 fail" in out
    assert "{" not in out  # not JSON


def test_missing_file_is_an_error_not_a_crash(tmp_path, files):
    good = files[0]
    proc = run("--json", tmp_path / "nope.html", good)
    assert proc.returncode != 0
    first, second = [json.loads(l) for l in proc.stdout.splitlines()]
    assert first["error"] == "unreadable" and second["agency"] == "新郑市人民政府办公室"
    assert "Traceback" not in proc.stderr
