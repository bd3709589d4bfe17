"""Title, agency and year come from the report itself, wherever the portal puts them."""
import pytest

from pipelines.parse import parse_bytes
from replica.generate import generate_report
from replica.render import render_page_html, render_report_text

REPORT = generate_report("金水区人民政府", 2023, "2021", seed=3)
EXPECTED = (REPORT["meta"]["title"], "金水区人民政府", 2023)


def meta_of(data, name="page.html"):
    r = parse_bytes(data, name)
    return r["title"], r["agency"], r["year"]


@pytest.mark.parametrize("page_title", ["full", "site"])
@pytest.mark.parametrize("header_meta", [True, False])
def test_title_wherever_the_cms_puts_it(page_title, header_meta):
    page = render_page_html(REPORT, header_meta=header_meta, page_title=page_title)
    assert meta_of(page) == EXPECTED


def test_side_list_of_earlier_reports_is_not_the_title():
    """The chrome lists 2022/2021/2020 reports before the article; with no title in <head> the parser
    must still take the article's own title, not the first linked one."""
    page = render_page_html(REPORT, header_meta=False, page_title="site")
    assert "金水区人民政府2022年政府信息公开工作年度报告".encode() in page
    assert page.index("2022年政府信息公开".encode()) < page.rindex(REPORT["meta"]["title"].encode())
    assert meta_of(page) == EXPECTED


def test_title_only_inside_a_javascript_string():
    page = render_page_html(REPORT, header_meta=False, page_title="site", site_chrome=False, in_javascript=True)
    assert meta_of(page) == EXPECTED


def test_place_only_title_takes_the_body_from_the_text():
    """平潭综合实验区2019年度…报告: the body (管委会 → 管理委员会) comes from the text, as in the corpus."""
    rep = generate_report("平潭综合实验区管委会", 2021, "2021", seed=1)
    rep["meta"]["title"] = "平潭综合实验区2021年度政府信息公开工作年度报告"
    r = parse_bytes(render_page_html(rep), "p.html")
    assert (r["agency"], r["year"]) == ("平潭综合实验区管理委员会", 2021)


def test_report_year_is_the_title_year_not_the_publication_year():
    page = render_page_html(REPORT)
    assert b'<meta name="PubDate" content="2024-01-20' in page
    assert meta_of(page)[2] == 2023


@pytest.mark.parametrize("layout", ["tabs", "cells"])
def test_text_export_title(layout):
    assert meta_of(render_report_text(REPORT, layout=layout).encode(), "r.txt") == EXPECTED


def test_agency_on_its_own_line_above_the_year_line():
    """Seed 001: '郑州市人民政府' then '2022年政府信息公开工作年度报告'."""
    text = "郑州市人民政府\n\n2022年政府信息公开工作年度报告\n一、总体情况\n正文。\n"
    assert meta_of(text.encode(), "t.txt") == ("郑州市人民政府2022年政府信息公开工作年度报告", "郑州市人民政府", 2022)


@pytest.mark.parametrize("furniture", [
    "正文",
    "首页 > 政务公开 > 政府信息公开年报",
    "字号：大 中 小  打印本页  关闭窗口",
    "— 1 —",
    "第1页 共6页",
    "索引号：11410100MB1234567X/2023-00012",
])
def test_stray_lines_before_the_title_are_not_the_agency(furniture):
    """Page furniture and a stray first line (正文) above a title that begins with its year."""
    text = f"{furniture}\n2022年政府信息公开工作年度报告\n郑州市人民政府\n一、总体情况\n正文。\n"
    assert meta_of(text.encode(), "t.txt") == ("郑州市人民政府2022年政府信息公开工作年度报告", "郑州市人民政府", 2022)
    text = f"{furniture}\n郑州市人民政府\n2022年政府信息公开工作年度报告\n一、总体情况\n"
    assert meta_of(text.encode(), "t.txt") == ("郑州市人民政府2022年政府信息公开工作年度报告", "郑州市人民政府", 2022)


def test_breadcrumb_naming_the_report_is_not_the_title():
    text = ("首页 > 政务公开 > 年报 > 新郑市人民政府2023年政府信息公开工作年度报告\n"
            "新郑市人民政府2023年政府信息公开工作年度报告\n一、总体情况\n")
    assert meta_of(text.encode(), "t.txt") == ("新郑市人民政府2023年政府信息公开工作年度报告", "新郑市人民政府", 2023)


def test_a_title_with_no_agency_anywhere_near_names_none():
    """No line near the title names a body: the agency stays unknown rather than a stray word."""
    text = "正文\n2022年政府信息公开工作年度报告\n一、总体情况\n本年度，我局坚持…\n"
    title, agency, year = meta_of(text.encode(), "t.txt")
    assert (title, agency, year) == ("2022年政府信息公开工作年度报告", None, 2022)
