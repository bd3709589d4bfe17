"""A small, fast version of bench/fuzz_parse.py: 50 mutants of every format, parsed under bounds, give
no traceback, no hang and no value that differs from the clean document's without a word."""
from tests.fuzzing import judge, mutants, run, seeds

COUNTS = {"html": 14, "text": 14, "pdf": 8, "docx": 10, "image": 4}


def test_fifty_mutants_no_traceback_no_hang_no_silent_difference():
    clean = seeds()
    inputs = mutants(clean, COUNTS, seed=7)
    assert len(inputs) == 50 and {fmt for fmt, _n, _d in inputs} == set(COUNTS)
    report = run(clean, inputs)
    assert report.baseline_cells["html"] == report.baseline_cells["text"] == 200
    assert report.bad == []
    assert sum(report.verdicts.values()) == 50
    assert report.verdicts["same"] > 0  # most mutations of markup leave the values as they were


def test_the_judge_sees_a_silent_difference():
    """The oracle is not blind: a value changed with nothing said is silent; said, it is not."""
    cell = {"section": "applications", "item": "new_received", "measure": "total", "value": 5, "raw": "5"}
    clean = {"cells": [cell], "warnings": [], "checks": []}
    changed = {"cells": [dict(cell, value=6)], "warnings": [], "checks": []}
    assert judge(changed, clean)[0] == "silent"
    assert judge(dict(changed, warnings=["something"]), clean)[0] == "differs_warned"
    assert judge({"cells": [dict(cell, value=6, raw="6")], "warnings": [], "checks": []}, clean)[0] == "rewritten"
    assert judge({"cells": [], "warnings": [], "checks": []}, clean)[0] == "silent"
    assert judge({"error": "parser_error", "message": "boom"}, clean)[0] == "traceback"
