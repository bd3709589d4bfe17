"""One test per real-world variation of template.md §6 that applies to HTML and text: each renders a
report with the variation, parses it and asserts the exact values and what `cells` records (raw text,
status, unit)."""
import copy

import pytest

from pipelines.parse import parse_bytes
from replica.generate import generate_report
from replica.render import render_page_html, render_report_html, render_report_text

SECTIONS = ("proactive", "applications", "review_litigation")


def report(template="2021", agency="金水区人民政府", seed=5):
    year = 2023 if template == "2021" else 2020
    return generate_report(agency, year, template, seed=seed)


def parse_page(rep, **variation):
    result = parse_bytes(render_page_html(rep, **variation), "page.html")
    assert "error" not in result, result.get("message")
    return result


def cell(result, ref):
    section, item, measure = ref.split(".")
    found = [c for c in result["cells"] if (c["section"], c["item"], c["measure"]) == (section, item, measure)]
    assert len(found) == 1, ref
    return found[0]


def assert_values(result, rep):
    for section in SECTIONS:
        assert result[section] == rep[section], section


def with_values(rep, values):
    rep = copy.deepcopy(rep)
    for ref, value in values.items():
        section, item, measure = ref.split(".")
        rep[section][item][measure] = value
    return rep


# -- 6.3 structure --------------------------------------------------------------------------------------

@pytest.mark.parametrize("template", ["2021", "2019"])
def test_explicit_empty_cells_instead_of_rowspans(template):
    rep = report(template)
    fragment = render_report_html(rep, rowspans=False)
    assert "rowspan" not in fragment
    assert_values(parse_page(rep, rowspans=False), rep)


@pytest.mark.parametrize("rowspans", [True, False])
def test_rowspan_group_cells_carry_no_numbers(rowspans):
    """三、本年度办理结果 spans 22 rows (20 in 2019), （三）不予公开 8: no row is filed under a group."""
    for template, span in (("2021", 22), ("2019", 20)):
        rep = report(template)
        fragment = render_report_html(rep, rowspans=rowspans)
        assert (f'rowspan="{span}"' in fragment) == rowspans
        assert ('rowspan="8"' in fragment) == rowspans
        result = parse_page(rep, rowspans=rowspans)
        assert_values(result, rep)
        assert not {c["item"] for c in result["cells"]} & {"withheld", "unavailable", "rejected", "results"}


@pytest.mark.parametrize("template", ["2021", "2019"])
def test_header_text_broken_with_br(template):
    rep = report(template)
    fragment = render_report_html(rep, header_breaks=True)
    assert "结果<br />维持" in fragment and "商业<br />企业" in fragment
    if template == "2019":
        assert "本年新<br />制作数量" in fragment
    assert_values(parse_page(rep, header_breaks=True), rep)


@pytest.mark.parametrize("rowspans", [True, False])
def test_shanghai_2019_colspans_disagree_between_header_and_data(rowspans):
    """(五)(六): header 本年增/减 spans 2 columns, but in the data row the *first* value does; values are
    mapped by their order, not their grid position."""
    rep = with_values(report("2019", agency="郑州市人民政府"),
                      {"proactive.licensing.prev_year_items": 396, "proactive.licensing.change": -2,
                       "proactive.licensing.decisions": 181, "proactive.fees.prev_year_items": 35,
                       "proactive.fees.change": 3})
    fragment = render_report_html(rep, shanghai_colspans=True, rowspans=rowspans)
    assert '<td colspan="2"><p class="MsoNormal" align="center"><span style="font-size:10.5pt;font-family:宋体">本年增/减' \
        in fragment
    result = parse_page(rep, shanghai_colspans=True, rowspans=rowspans)
    assert_values(result, rep)
    assert result["proactive"]["licensing"] == {"prev_year_items": 396, "change": -2, "decisions": 181}
    assert result["proactive"]["fees"] == {"prev_year_items": 35, "change": 3}


@pytest.mark.parametrize("layout", ["tabs", "cells"])
def test_shanghai_colspans_in_a_text_export(layout):
    """A text export of that table leaves an empty cell after the 2-column value; it is not a value."""
    rep = report("2019", agency="郑州市人民政府")
    text = render_report_text(rep, layout=layout, shanghai_colspans=True)
    result = parse_bytes(text.encode(), "shanghai.txt")
    assert_values(result, rep)


@pytest.mark.parametrize("rowspans", [True, False])
def test_ragged_rows_missing_spacer_and_trailing_empty_cell(rowspans):
    """Seed 003: (七) 总计 without its colspan and with a trailing empty cell; a row without its spacer."""
    rep = report("2021", agency="郑州市人民政府")
    result = parse_page(rep, ragged_rows=True, rowspans=rowspans)
    assert_values(result, rep)
    total = cell(result, "applications.results_total.total")
    assert total["value"] == rep["applications"]["results_total"]["total"] and total["status"] == "number"


@pytest.mark.parametrize("layout", ["tabs", "cells"])
def test_ragged_rows_in_text(layout):
    rep = report("2021", agency="郑州市人民政府")
    text = render_report_text(rep, layout=layout, ragged_rows=True, rowspans=False)
    assert_values(parse_bytes(text.encode(), "ragged.txt"), rep)


@pytest.mark.parametrize("intro", ["该部分以表格形式报告。表格如下:",
                                   "编写说明：可先适当综述。要注意数据间的逻辑关系：第一项加第二项之和，等于第三项加第四项之和。"
                                   "“其他处理”项目：主要考虑极少数特殊情况。"])
def test_prose_between_caption_and_table(intro):
    rep = report("2019", agency="新乡县城市管理局")
    page = render_page_html(rep, table_intro=intro).decode()
    assert page.count(intro) == 3
    assert_values(parse_page(rep, table_intro=intro), rep)
    text = render_report_text(rep, table_intro=intro)
    assert_values(parse_bytes(text.encode(), "intro.txt"), rep)


def test_section_four_sentence_followed_by_the_table():
    rep = report("2021", agency="新郑市城关乡人民政府")
    sentence = "本年度未发生因政府信息公开工作被申请行政复议、提起行政诉讼的情况。"
    page = render_page_html(rep, review_sentence=sentence).decode()
    assert sentence in page and page.index(sentence) < page.index("行政复议</span>")
    result = parse_page(rep, review_sentence=sentence)
    assert_values(result, rep)
    assert not [c for c in result["cells"] if sentence in c["raw"]]


def test_report_in_javascript_string_shanghai_2019():
    """The article is a JS string literal with escaped quotes; section 四 has Shanghai's blanks."""
    rep = report("2019", agency="上海市人民政府办公厅")
    values = [5, None, None, 2, 7, 8, None, None, 1, 9, None, None, None, None, None]
    for i, (g, m) in enumerate((g, m) for g in ("review", "litigation_direct", "litigation_after_review")
                               for m in ("upheld", "corrected", "other", "pending", "total")):
        rep["review_litigation"][g][m] = values[i]
    page = render_page_html(rep, in_javascript=True).decode()
    assert 'var content = "' in page and '\\"MsoNormal\\"' in page and "<table class=\"MsoNormalTable\"" not in page
    result = parse_page(rep, in_javascript=True)
    assert_values(result, rep)
    assert result["review_litigation"]["review"] == {"upheld": 5, "corrected": None, "other": None,
                                                      "pending": 2, "total": 7}
    assert cell(result, "review_litigation.review.corrected")["status"] == "blank"
    l1 = {c["where"]: c["status"] for c in result["checks"] if c["rule"] == "L1"}
    assert l1 == {"review": "not_checkable", "litigation_direct": "not_checkable",
                  "litigation_after_review": "not_checkable"}  # blank is never taken for 0


@pytest.mark.parametrize("markup", ["word", "plain"])
def test_word_and_plain_markup(markup):
    rep = report("2021")
    fragment = render_report_html(rep, markup=markup)
    assert ('class="MsoNormalTable"' in fragment) == (markup == "word")
    assert ("<o:p></o:p>" in fragment and "&nbsp;" in render_report_html(
        with_values(rep, {"applications.new_received.other_org": None}), markup=markup)) == (markup == "word")
    assert_values(parse_page(rep, markup=markup), rep)


# -- 6.1 labels ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("template", ["2021", "2019"])
def test_halfwidth_brackets_and_spaced_numbering(template):
    rep = report(template)
    fragment = render_report_html(rep, halfwidth=True)
    assert "(三) 不予公开" in fragment and "1. 属于国家秘密" in fragment and "（一）予以公开" not in fragment
    assert_values(parse_page(rep, halfwidth=True), rep)


@pytest.mark.parametrize("quotes", ["“”", '""', ""])
def test_quote_styles_in_san_anquan_yi_wending(quotes):
    rep = with_values(report("2021"), {"applications.withheld_security_stability.natural_person": 3,
                                       "applications.withheld_security_stability.total": 3})
    rep["applications"]["withheld_security_stability"].update(dict.fromkeys(
        ["commercial_enterprise", "research_institution", "social_welfare_org", "legal_service_org", "other_org"], 0))
    fragment = render_report_html(rep, quotes=quotes)
    label = "危及" + (quotes[:1] if quotes else "") + "三安全一稳定"
    assert label in fragment.replace("&quot;", '"')
    result = parse_page(rep, quotes=quotes)
    assert result["applications"]["withheld_security_stability"]["natural_person"] == 3
    assert_values(result, rep)


@pytest.mark.parametrize("sep", ["、", "，"])
def test_separator_in_other_processing_labels(sep):
    rep = with_values(report("2021", agency="郑州市人民政府"),
                      {"applications.other_overdue_correction.natural_person": 11,
                       "applications.other_overdue_fee.natural_person": 4})
    for row in ("other_overdue_correction", "other_overdue_fee"):
        rep["applications"][row]["total"] = sum(v for k, v in rep["applications"][row].items() if k != "total")
    fragment = render_report_html(rep, other_sep=sep)
    assert f"逾期不补正{sep}行政机关" in fragment
    result = parse_page(rep, other_sep=sep)
    assert result["applications"]["other_overdue_correction"]["natural_person"] == 11
    assert result["applications"]["other_overdue_fee"]["natural_person"] == 4
    assert_values(result, rep)


def test_hubei_2020_annotated_labels_and_extra_row():
    rep = report("2019", agency="孝感市生态环境局")
    rep["proactive"]["other_documents"] = {"new_made": 12, "new_published": 12, "total_published": 40}
    fragment = render_report_html(rep, hubei=True)
    assert "规章(设区的市、自治州人民政府应提供相关数据)" in fragment
    assert "本年增/减(指2020年增加或减少的事项数,减用负值表示,如-8)" in fragment
    assert "上一年项目数量(指2019年事项数)" in fragment and "二、行政机关主动公开政府信息情况" in fragment
    result = parse_page(rep, hubei=True)
    assert_values(result, rep)
    assert result["proactive"]["other_documents"] == {"new_made": 12, "new_published": 12, "total_published": 40}
    assert any("其他主动公开文件" in w for w in result["warnings"])
    assert result["template"] == "2019"


# -- 6.2 cell values --------------------------------------------------------------------------------------

NOT_NUMBERS = [("/", "slash"), ("／", "slash"), ("—", "dash"), ("-", "dash"), ("－", "dash"), ("无", "none_text"),
               ("", "blank")]


@pytest.mark.parametrize("text,status", NOT_NUMBERS)
def test_no_number_cells_are_null_with_their_status(text, status):
    """`/` `—` `-` `无` and blanks give None (never 0) and keep their raw text and kind."""
    rep = with_values(report("2021"), {"proactive.rules.issued": None, "proactive.rules.repealed": None,
                                       "proactive.rules.in_force": None,
                                       "applications.carried_over.research_institution": None})
    result = parse_page(rep, none_text=text)
    assert_values(result, rep)
    for ref in ("proactive.rules.issued", "proactive.rules.in_force", "applications.carried_over.research_institution"):
        c = cell(result, ref)
        assert (c["value"], c["status"], c["raw"]) == (None, status, text)
    a1 = next(c for c in result["checks"] if c["rule"] == "A1" and c["where"] == "research_institution")
    assert a1["status"] == "not_checkable"


@pytest.mark.parametrize("layout", ["tabs", "cells"])
def test_slash_cells_in_text_exports(layout):
    rep = with_values(report("2021"), {"proactive.rules.issued": None, "proactive.rules.repealed": None,
                                       "proactive.rules.in_force": None})
    result = parse_bytes(render_report_text(rep, layout=layout, none_text="/").encode(), "slash.txt")
    assert_values(result, rep)
    assert cell(result, "proactive.rules.repealed")["status"] == "slash"


def test_all_zero_report_with_blank_applicant_columns():
    """A common pattern: the six applicant columns left blank, 0 in 总计 (template.md §6.2)."""
    rep = report("2021", agency="新郑市城关乡人民政府", seed=0)
    for row in rep["applications"].values():
        row.update(dict.fromkeys(list(row)[:6], None))
        row["total"] = 0
    result = parse_page(rep)
    assert_values(result, rep)
    blanks = [c for c in result["cells"] if c["section"] == "applications" and c["status"] == "blank"]
    assert len(blanks) == 25 * 6
    assert not [c for c in result["checks"] if c["status"] == "fail"]
    assert {c["status"] for c in result["checks"] if c["rule"] == "A3"} == {"not_checkable"}


def test_procurement_amount_with_yuan_unit():
    rep = with_values(report("2019", agency="上海市人民政府办公厅"), {"proactive.procurement.procurement_amount": 251000})
    result = parse_page(rep, amount_unit="元")
    assert_values(result, rep)
    c = cell(result, "proactive.procurement.procurement_amount")
    assert (c["value"], c["unit"], c["raw"], c["status"]) == (251000, "元", "251000元", "number")
    plain = cell(parse_page(rep), "proactive.procurement.procurement_amount")
    assert plain["unit"] is None  # no unit written, none assumed


@pytest.mark.parametrize("sign,values,raws", [
    ("+", (173, -2, 0), ("+173", "-2", "0")),
    ("减", (173, -4, 1), ("+173", "减4", "+1")),
    ("", (173, -2, 0), ("173", "-2", "0")),
])
def test_signed_change_2019(sign, values, raws):
    rep = with_values(report("2019", agency="郑州市人民政府"),
                      {"proactive.licensing.change": values[0], "proactive.penalty.change": values[1],
                       "proactive.fees.change": values[2]})
    result = parse_page(rep, change_sign=sign)
    assert_values(result, rep)
    for item, value, raw in zip(("licensing", "penalty", "fees"), values, raws):
        c = cell(result, f"proactive.{item}.change")
        assert (c["value"], c["raw"]) == (value, raw)


def test_fullwidth_digits():
    rep = report("2021", agency="郑州市人民政府")
    fragment = render_report_html(rep, fullwidth_digits=True)
    n = rep["applications"]["new_received"]["total"]
    assert str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９")) in fragment
    result = parse_page(rep, fullwidth_digits=True)
    assert_values(result, rep)
    assert cell(result, "applications.new_received.total")["value"] == n


def test_thousands_separators():
    rep = with_values(report("2021", agency="郑州市人民政府"), {"proactive.licensing.decisions": 1608911,
                                                           "proactive.fees.fee_amount_10k_yuan": 160391.4077})
    result = parse_page(rep, thousands=True)
    assert_values(result, rep)
    assert cell(result, "proactive.licensing.decisions")["raw"] == "1,608,911"
    assert cell(result, "proactive.fees.fee_amount_10k_yuan")["raw"] == "160,391.4077"
    assert result["proactive"]["fees"]["fee_amount_10k_yuan"] == 160391.4077


def test_numbers_split_across_spans():
    rep = with_values(report("2021", agency="郑州市人民政府"), {"proactive.normative_documents.in_force": 10037})
    fragment = render_report_html(rep, split_numbers=True)
    assert '<span lang="EN-US">100</span><span lang="EN-US">37</span>' in fragment
    assert "<span>100</span><span>37</span>" in render_report_html(rep, split_numbers=True, markup="plain")
    result = parse_page(rep, split_numbers=True)
    assert_values(result, rep)
    assert result["proactive"]["normative_documents"]["in_force"] == 10037


def test_decimal_fee_kept_as_written():
    rep = with_values(report("2021", agency="郑州市人民政府"), {"proactive.fees.fee_amount_10k_yuan": 24252.311082})
    result = parse_page(rep)
    assert result["proactive"]["fees"]["fee_amount_10k_yuan"] == 24252.311082
    assert cell(result, "proactive.fees.fee_amount_10k_yuan")["raw"] == "24252.311082"


def test_everything_at_once():
    """The variations combine: a Hubei-style 2019 page with most deviations still parses exactly."""
    rep = report("2019", agency="武汉市生态环境局")
    rep["proactive"]["other_documents"] = {"new_made": 1, "new_published": 1, "total_published": 9}
    variation = dict(rowspans=False, ragged_rows=True, header_breaks=True, halfwidth=True, quotes="",
                     thousands=True, fullwidth_digits=True, split_numbers=True, hubei=True, change_sign="减",
                     amount_unit="元", shanghai_colspans=True, in_javascript=True,
                     table_intro="该部分以表格形式报告。表格如下:")
    assert_values(parse_page(rep, **variation), rep)


@pytest.mark.parametrize("rowspans", [True, False])
@pytest.mark.parametrize("template", ["2021", "2019"])
def test_tables_split_per_block_and_across_a_page_break(template, rowspans):
    """Section 二 as one <table> per 第二十条 block; section 三 broken in two with its header repeated."""
    rep = report(template, agency="郑州市人民政府")
    fragment = render_report_html(rep, split_tables=True, rowspans=rowspans)
    assert fragment.count("<table") == (4 if template == "2021" else 5) + 2 + 1
    assert fragment.count("申请人情况") == 2
    result = parse_page(rep, split_tables=True, rowspans=rowspans)
    assert_values(result, rep)
    assert not [w for w in result["warnings"] if "twice" in w or "not found" in w]


def test_mixed_templates_are_flagged_not_coerced():
    """Section 二 in the 2021 labels, section 三 in the 2019 ones: template 'mixed', both read as written."""
    r21, r19 = report("2021", agency="郑州市人民政府"), report("2019", agency="郑州市人民政府")
    frag21, frag19 = render_report_html(r21), render_report_html(r19)
    def para_start(fragment, heading):  # the <p> holding the section heading
        return fragment.rindex("<p", 0, fragment.index(heading))

    proactive = frag21[para_start(frag21, "二、主动公开"):para_start(frag21, "三、收到和处理")]
    rest = frag19[para_start(frag19, "三、收到和处理"):]
    page = f"<html><head><title>{r21['meta']['title']}</title></head><body>{proactive}{rest}</body></html>"
    result = parse_bytes(page.encode(), "mixed.html")
    assert result["template"] == "mixed"
    assert any("2021" in w and "2019" in w for w in result["warnings"])
    assert result["proactive"] == r21["proactive"]
    assert result["applications"] == r19["applications"]


def test_different_no_number_texts_in_one_report():
    """`/` for not applicable, `—` and `无` elsewhere, blanks: each cell keeps its own kind."""
    rep = with_values(report("2019", agency="孝感市生态环境局"),
                      {"proactive.rules.new_made": None, "proactive.enforcement.decisions": None,
                       "proactive.other_services.decisions": None, "proactive.procurement.procurement_amount": None})
    texts = {"proactive.rules.new_made": "/", "proactive.enforcement.decisions": "—",
             "proactive.other_services.decisions": "无", "proactive.procurement.procurement_amount": ""}
    result = parse_page(rep, cell_text=texts)
    assert_values(result, rep)
    kinds = {ref: cell(result, ref)["status"] for ref in texts}
    assert kinds == {"proactive.rules.new_made": "slash", "proactive.enforcement.decisions": "dash",
                     "proactive.other_services.decisions": "none_text",
                     "proactive.procurement.procurement_amount": "blank"}


def test_unknown_variation_is_an_error():
    with pytest.raises(TypeError):
        render_report_html(report(), rowspan=False)  # typo of rowspans


@pytest.mark.parametrize("rowspans", [True, False])
def test_sub_row_labels_dropped_are_read_by_position(rowspans):
    """（三）不予公开 printed as 8 rows of bare numbers: read in template order and flagged positional."""
    rep = report("2021", agency="郑州市人民政府")
    rows = rep["applications"]
    # the order is tested only if the rows differ
    assert rows["withheld_process_info"] != rows["withheld_state_secret"]
    assert rows["rejected_petition"] != rows["rejected_duplicate"]
    fragment = render_report_html(rep, drop_sub_labels=("withheld", "rejected"), rowspans=rowspans)
    assert "属于国家秘密" not in fragment and "重复申请" not in fragment
    result = parse_page(rep, drop_sub_labels=("withheld", "rejected"), rowspans=rowspans)
    assert_values(result, rep)
    positional = {c["item"] for c in result["cells"] if c.get("positional")}
    assert positional == {"withheld_state_secret", "withheld_prohibited_by_law", "withheld_security_stability",
                          "withheld_third_party_rights", "withheld_internal_affairs", "withheld_process_info",
                          "withheld_enforcement_file", "withheld_admin_query", "rejected_petition",
                          "rejected_duplicate", "rejected_publication", "rejected_excessive", "rejected_confirmation"}
    assert sum("taken by its place" in w for w in result["warnings"]) == 13
    assert not [c for c in result["checks"] if c["status"] == "fail"]
