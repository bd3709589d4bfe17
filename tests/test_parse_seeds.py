"""The five seed reports and the four real Pingtan pages parse to their truth files, every cell."""
import json

import pytest

from pipelines.parse import parse_file
from tests.conftest import SHARED

SEEDS = sorted((SHARED / "seeds").glob("*.txt"))
CORPUS = sorted(p for p in (SHARED / "corpus" / "pingtan").iterdir() if p.is_dir())
SECTIONS = ("proactive", "applications", "review_litigation")


def assert_sections_equal(result, truth):
    """Every code and every value, None included, and nothing extra."""
    for section in SECTIONS:
        assert result[section] == truth.get(section, {}), section


def test_there_are_five_seeds_and_four_pages():
    assert len(SEEDS) == 5
    assert [p.name for p in CORPUS] == ["2017", "2019", "2021", "2023"]


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name[:3])
def test_seed_parses_to_its_truth(path):
    truth = json.loads(path.with_name(path.stem + ".truth.json").read_text())
    result = parse_file(path)
    assert "error" not in result
    assert_sections_equal(result, truth)
    assert result["template"] == truth["meta"]["template"]
    assert result["year"] == truth["meta"]["year"]
    # no row is flagged or warned about where every label is the template's (header rows with blank
    # cells after their last label are not rows of numbers)
    assert not [c for c in result["cells"] if c.get("positional")]
    assert not [w for w in result["warnings"] if "values, found" in w or "names no row" in w or "not recognised" in w]
    if path.name.startswith("003"):  # the text export has an OCR error: 瀋河 for 瀍河
        assert result["agency"] in ("瀍河回族区人民政府办公室", "瀋河回族区人民政府办公室")
    else:
        assert result["agency"] == truth["meta"]["agency"]


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name[:3])
def test_seed_arithmetic_holds(path):
    """The seeds are real reports that add up: no check fails, and the main ones are really run."""
    result = parse_file(path)
    statuses = {(c["rule"], c["where"]): c["status"] for c in result["checks"]}
    assert "fail" not in statuses.values()
    assert statuses[("A1", "total")] == "pass"
    assert statuses[("A2", "total")] == "pass"
    assert statuses[("L1", "review")] == "pass"


def test_seed_001_decimal_fee_kept_exactly():
    result = parse_file(SEEDS[1])
    assert result["proactive"]["fees"]["fee_amount_10k_yuan"] == 160391.4077
    cell = next(c for c in result["cells"] if c["item"] == "fees")
    assert cell["raw"] == "160391.4077" and cell["status"] == "number"


@pytest.mark.parametrize("page", CORPUS, ids=lambda p: p.name)
def test_corpus_page_parses_to_its_truth(page):
    truth = json.loads((page / "truth.json").read_text())
    meta = json.loads((page / "meta.json").read_text())
    result = parse_file(page / "source.html")
    assert "error" not in result
    assert result["template"] == meta["template"]
    assert result["agency"] == meta["agency"]
    assert result["year"] == meta["year"]
    assert result["title"] == meta["title"]
    assert_sections_equal(result, truth)


def test_corpus_2017_is_free_form_without_invented_zeros():
    """A pre-2019 report has no standard tables: empty sections, no cells, no checks; its old 统计表
    (with 0 rows for 行政复议数/行政诉讼数) must not be read as section 四."""
    result = parse_file(CORPUS[0] / "source.html")
    assert result["template"] == "free"
    assert result["proactive"] == {} and result["applications"] == {} and result["review_litigation"] == {}
    assert result["cells"] == []
    assert result["checks"] == []


def test_corpus_2019_procurement_amount_in_yuan_with_decimals():
    result = parse_file(CORPUS[1] / "source.html")
    assert result["proactive"]["procurement"] == {"procurement_projects": 135, "procurement_amount": 75394432.52}
    assert result["proactive"]["fees"] == {"prev_year_items": 35, "change": 0}
