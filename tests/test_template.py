"""The template is data: a row or a label variant added to pipelines.template.ROWS is mapped, checked,
stored and described with no other change anywhere."""
import dataclasses

import pytest

from db.store import Store
from pipelines import template as T
from pipelines.parse import parse_bytes
from pipelines.records import CrawledDocument

from .conftest import SHARED

SEED = (SHARED / "seeds" / "000_99c3e19785acc3c5.txt").read_text(encoding="utf-8")
CONFIRMATION = "\t\t5. 要求行政机关确认或重新出具已获取信息\t0\t0\t0\t0\t0\t0\t0\n"
NEW_ROW = T.Code("applications", "item", "rejected_generated", "6.要求生成新的统计数据", "Not processed: asks for new statistics",
                 parent="rejected", match=(("生成新的统计",),), role="outcome")


@pytest.fixture
def template(monkeypatch):
    """Put a row into the template, after the row `after` (in place of its namesake, if any), for one
    test; everything derived from the table is recomputed before and after."""
    def put(row, after):
        table = [r for r in T.ROWS if (r.section, r.code) != (row.section, row.code)]
        place = next(i for i, r in enumerate(table) if (r.section, r.code) == (row.section, after))
        table.insert(place + 1, row)
        monkeypatch.setattr(T, "ROWS", tuple(table))
        T.reset()
    yield put
    monkeypatch.undo()
    T.reset()


def _seed_with(line, replace=CONFIRMATION):
    assert replace in SEED
    return SEED.replace(replace, replace + line).encode("utf-8")


def test_an_added_row_is_mapped_checked_stored_and_described(template, tmp_path):
    template(NEW_ROW, after="rejected_confirmation")
    # a report that prints the new row with numbers that break 不予处理's share of the total
    body = _seed_with("\t\t6. 要求生成新的统计数据\t2\t0\t0\t0\t0\t0\t2\n")
    result = parse_bytes(body, "seed.txt")

    # mapped: a row of its own, in the template's rows, its cells read from the printed line
    assert result["applications"]["rejected_generated"] == {
        "natural_person": 2, "commercial_enterprise": 0, "research_institution": 0, "social_welfare_org": 0,
        "legal_service_org": 0, "other_org": 0, "total": 2}
    assert list(result["applications"]).index("rejected_generated") == \
        list(result["applications"]).index("rejected_confirmation") + 1
    assert not [w for w in result["warnings"] if "rejected_generated" in w]

    # checked: an outcome row counts in A2, so the unchanged results total no longer adds up, and it
    # has an A3 check of its own
    checks = {(c["rule"], c["where"]): c for c in result["checks"]}
    a2 = checks[("A2", "natural_person")]
    assert "applications.rejected_generated.natural_person" in a2["cells"]["actual"]
    assert a2["status"] == "fail" and a2["actual"] == a2["expected"] + 2
    assert checks[("A3", "rejected_generated")]["status"] == "pass"

    # stored and described
    store = Store(tmp_path / "t.db")
    report_id = store.add_report(CrawledDocument(source_id="s", url="https://example.gov.cn/a.txt"), result)
    stored = {r["measure"]: r["value"] for r in store.db.query(
        "select measure, value from report_values where report_id = ? and item = 'rejected_generated'", [report_id])}
    assert stored["total"] == 2 and len(stored) == 7
    code = next(store.db.query("select * from codes where code = 'rejected_generated'"))
    assert (code["label_zh"], code["name_en"], code["parent"], code["role"]) == (
        "6.要求生成新的统计数据", "Not processed: asks for new statistics", "rejected", "outcome")
    assert code["sort"] == next(store.db.query(
        "select sort from codes where code = 'rejected_confirmation'"))["sort"] + 1
    wide = next(store.db.query("select * from applications_wide where item = 'rejected_generated'"))
    assert (wide["label_zh"], wide["total"]) == ("6.要求生成新的统计数据", 2)
    totals = next(store.db.query("select rejected from report_totals where report_id = ?", [report_id]))
    assert totals["rejected"] == 2  # a row of 不予处理 counts in the refusals


def test_without_the_row_its_line_is_reported_not_dropped_silently(template):
    body = _seed_with("\t\t6. 要求生成新的统计数据\t2\t0\t0\t0\t0\t0\t2\n")
    result = parse_bytes(body, "seed.txt")
    assert "rejected_generated" not in result["applications"]
    assert any("not recognised" in w and "要求生成新的统计数据" in w for w in result["warnings"])


def test_a_label_variant_is_one_line(template):
    """A publisher's typo (characters missing) is named by a variant added to its row."""
    typo = SEED.replace("2. 其他法律行政法规禁止公开", "2. 其他法律行政止公开").encode("utf-8")
    before = parse_bytes(typo, "seed.txt")  # read by its place, flagged
    assert any("其他法律行政止公开" in w for w in before["warnings"])
    assert all(c.get("positional") for c in before["cells"] if c["item"] == "withheld_prohibited_by_law")

    row = T.get("applications", "withheld_prohibited_by_law")
    template(dataclasses.replace(row, variants=("其他法律行政止公开",)), after="withheld_state_secret")
    after = parse_bytes(typo, "seed.txt")
    assert after["applications"]["withheld_prohibited_by_law"]["total"] == 0
    assert not any("其他法律行政止公开" in w for w in after["warnings"])
    assert not any(c.get("positional") for c in after["cells"])
    assert after["applications"] == parse_bytes(SEED.encode("utf-8"), "seed.txt")["applications"]


def test_the_table_is_the_templates_rows():
    """Every code once per section; printed order and roles as template.md §3c and §5 give them."""
    for section in T.SECTION_NAMES:
        codes = [c.code for c in T.codes(section)]
        assert len(codes) == len(set(codes)), section
    assert len(T.items("applications", "2021")) == 25 and len(T.items("applications", "2019")) == 23
    assert T.items("applications", "2021")[-2:] == ("results_total", "carried_forward")
    assert T.with_role("applications", "item", "received") == ("new_received", "carried_over")
    assert len(T.with_role("applications", "item", "outcome", "2021")) == 21
    assert len(T.with_role("applications", "item", "outcome", "2019")) == 19
    assert T.under("withheld") == tuple(c for c in T.items("applications", "2021") if c.startswith("withheld_"))
    assert sum(len(m) for m in T.proactive_layout("2021").values()) == 10
    assert sum(len(m) for m in T.proactive_layout("2019").values()) == 22
    assert T.path_label("review_litigation", "litigation_after_review") == "行政诉讼 › 复议后起诉"
    assert T.labels("proactive", "2019")["normative_documents"] == "规范性文件"
    assert T.labels("proactive", "2021")["normative_documents"] == "行政规范性文件"


@pytest.mark.parametrize("label, code", [
    ("（六）其他处理1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "other_overdue_correction"),
    ("（四）无法提供1.本机关不掌握相关政府信息", "unavailable_not_held"),
    ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "partially_disclosed"),
    ("2.重复申请", "rejected_duplicate"),
    ("4.无正当理由大量反复申请", "rejected_excessive"),
    ("（一）予以公开", "disclosed"),
    ("（七）总计", "results_total"),
])
def test_a_label_merged_with_its_sub_label_names_the_sub_row(label, code):
    assert T.match_row(T.normalize_label(label)) == code
