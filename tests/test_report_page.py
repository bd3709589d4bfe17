"""The report page /report/<id> and the wide views, through a real Datasette over the sample database plus
one more report: 郑州市人民政府 for 2023, made from the 2022 seed with one cell changed (natural persons'
new applications 3126 -> 3127), so that it has a year before to compare with and a check that fails."""
import codecs
import csv
import hashlib
import io
import json
import re
from dataclasses import replace
from html.parser import HTMLParser

import pytest

from db.build import build
from pipelines import template as T
from tests.sample import RUN, SOURCES, archive, documents
from tests.serving import get, get_json, serving

from .conftest import SHARED


def _next_year(doc):
    body = doc.body.replace("2022年政府信息公开工作年度报告".encode(), "2023年政府信息公开工作年度报告".encode(), 1)
    body = body.replace(b"\t3126\n", b"\t3127\n", 1)
    assert body.count("2023年政府信息公开工作年度报告".encode()) == 1 and body != doc.body
    return replace(doc, body=body, sha256=hashlib.sha256(body).hexdigest(), url=doc.url.replace("001_", "001b_"),
                   page_url=doc.page_url.replace("001_", "001b_"), index_no="ZZ-2023", published_date="2024-02-20")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("report_page")
    docs = list(documents(SHARED))
    docs.append(_next_year(docs[1]))
    # the portal edits 新乡县城市管理局's report after publishing it: a second version at the same URL
    edited = docs[4].body + "\n（2024年3月修订）\n".encode()
    docs.append(replace(docs[4], body=edited, sha256=hashlib.sha256(edited).hexdigest(),
                        fetched_at="2026-11-21T02:05:00+00:00"))
    docs = archive(tmp / "archive", docs)
    build(tmp / "archive", tmp / "nianbao.db", docs, sources=SOURCES, runs=[RUN], as_of="2024-06-01")
    with serving(tmp / "nianbao.db", tmp / "archive") as base:
        yield base


def _report_id(base, agency, year, is_current=1):
    rows = get_json(base, "/nianbao/reports.json", agency=agency, year=year, is_current=is_current, _shape="array")
    assert len(rows) == 1
    return rows[0]["id"]


class Cells(HTMLParser):
    """The report page's tables: each <td class="nb-cell"> with its data attributes, text, link and
    classes; each table's row labels (th.nb-label) in order, by section."""

    def __init__(self):
        super().__init__()
        self.cells, self.labels, self._cell, self._label, self._section = {}, {}, None, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table" and "nb-printed" in (a.get("class") or ""):
            self._section = a.get("data-section")
        if tag == "td" and "nb-cell" in (a.get("class") or ""):
            self._cell = {"key": (a["data-section"], a["data-item"], a["data-measure"]), "class": a["class"],
                          "text": "", "href": None, "title": a.get("title")}
        elif tag == "a" and self._cell is not None and self._cell["href"] is None and "nb-value" in (a.get("class") or ""):
            self._cell["href"] = a["href"]
        elif tag == "th" and "nb-label" in (a.get("class") or ""):
            self._label = ""

    def handle_data(self, data):
        if self._cell is not None:
            self._cell["text"] += data
        if self._label is not None:
            self._label += data

    def handle_endtag(self, tag):
        if tag == "td" and self._cell is not None:
            self.cells[self._cell["key"]] = self._cell
            self._cell = None
        if tag == "th" and self._label is not None:
            self.labels.setdefault(self._section, []).append(self._label.strip())
            self._label = None


def _page(base, report_id):
    status, _h, body = get(base, f"/report/{report_id}")
    assert status == 200, body[:300]
    parser = Cells()
    parser.feed(body.decode("utf-8"))
    return body.decode("utf-8"), parser


def test_seed_001_prints_3325_where_the_report_prints_it(site):
    rid = _report_id(site, "郑州市人民政府", 2022)
    page, parsed = _page(site, rid)
    assert "郑州市人民政府2022年政府信息公开工作年度报告" in page
    cell = parsed.cells[("applications", "new_received", "total")]
    assert cell["text"].split()[0] == "3325"
    assert cell["href"].startswith(f"/-/original/report/{rid}?loc=")
    # the link opens the archived original with that very cell marked
    status, _h, original = get(site, cell["href"].split("#")[0])
    marked = re.search(r'id="nb-cell"[^>]*>([^<]*)<', original.decode("utf-8"))
    assert status == 200 and marked and marked.group(1).strip() == "3325"
    assert parsed.cells[("applications", "new_received", "natural_person")]["text"].split()[0] == "3126"
    assert parsed.cells[("review_litigation", "review", "total")]["text"].split()[0] == "146"
    assert parsed.cells[("proactive", "fees", "fee_amount_10k_yuan")]["text"].split()[0] == "160391.4077"
    # the page links the agency's history, the original and the cells as CSV and JSON
    assert "agency_history?agency=%E9%83%91%E5%B7%9E%E5%B8%82%E4%BA%BA%E6%B0%91%E6%94%BF%E5%BA%9C" in page
    assert f'href="/-/original/report/{rid}"' in page and f'href="/report/{rid}.csv"' in page


def test_rows_are_in_the_templates_printed_order(site):
    rid = _report_id(site, "郑州市人民政府", 2022)
    _page_html, parsed = _page(site, rid)
    expected = [c.label_in("2021") for c in T.codes("applications", template="2021")
                if c.kind == "item" or (c.kind == "group" and T.under(c.code))]
    assert parsed.labels["applications"] == expected
    proactive = [T.get("proactive", i).label_in("2021") for i in T.items("proactive", "2021")]
    assert parsed.labels["proactive"] == proactive
    # the 2019 report is laid out in its own template's rows
    rid_2019 = _report_id(site, "新郑市城关乡人民政府", 2020)
    _p, parsed_2019 = _page(site, rid_2019)
    assert parsed_2019.labels["applications"][-3:] == [T.get("applications", c).label_in("2019")
                                                       for c in T.items("applications", "2019")[-3:]]
    assert "（六）其他处理" in parsed_2019.labels["applications"]
    assert ("applications", "other_overdue_fee", "total") not in parsed_2019.cells


def test_previous_year_change_and_failing_check_at_its_cells(site):
    rid = _report_id(site, "郑州市人民政府", 2023)
    page, parsed = _page(site, rid)
    # 3127 fails A3 (its row's total) and A1 (its column's balance)
    checks = dict(re.findall(r'<li id="check-(\d+)"[^>]*>(.*?)</li>', page, re.S))
    a3 = next(n for n, text in checks.items() if "A3" in text)
    a1 = next(n for n, text in checks.items() if "A1" in text)
    natural = parsed.cells[("applications", "new_received", "natural_person")]
    assert natural["text"].split() == ["3127", f"✗{a1}", f"✗{a3}", "3126", "+1"]
    total = parsed.cells[("applications", "new_received", "total")]
    assert total["text"].split() == ["3325", f"✗{a3}", "3325", "+0"] and "nb-fail" in total["class"]
    assert "nb-fail" not in parsed.cells[("applications", "carried_over", "total")]["class"]
    # the rule in words, with the template's labels and the two sums
    assert "3325 ≠ 3326" in checks[a3] and "自然人" in checks[a3] and "总计" in checks[a3]
    assert "“一、本年新收政府信息公开申请数量”行" in checks[a3]
    assert "3223 ≠ 3222" in checks[a1] and "“自然人”列" in checks[a1]  # 3127 + 96 against 3179 + 43


def test_cells_as_csv_and_json(site):
    rid = _report_id(site, "郑州市人民政府", 2023)
    status, headers, body = get(site, f"/report/{rid}.csv")
    assert status == 200 and body.startswith(codecs.BOM_UTF8)
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    values_count = get_json(site, f"/nianbao/reports/{rid}.json", _shape="array")[0]["values_count"]
    assert len(rows) == values_count
    row = next(r for r in rows if (r["item"], r["measure"]) == ("new_received", "natural_person"))
    assert row["value"] == "3127" and row["previous_year_value"] == "3126" and row["change"] == "1"
    assert len(row["failing_checks"].split(",")) == 2 and row["label"] == "一、本年新收政府信息公开申请数量"
    data = get_json(site, f"/report/{rid}.json")
    assert data["report"]["agency"] == "郑州市人民政府" and len(data["cells"]) == values_count
    assert {c["rule"] for c in data["checks"]} == {"A1", "A3"}
    assert all("applications.new_received.natural_person" in c["cells"] for c in data["checks"])
    assert [v["version"] for v in data["versions"]] == [1]


def test_unknown_report_is_404(site):
    assert get(site, "/report/999999")[0] == 404


def test_every_place_a_report_appears_links_to_its_page(site):
    rid = _report_id(site, "郑州市人民政府", 2023)
    link = f'href="/report/{rid}"'
    pages = [("/nianbao/reports", {"_search": "郑州"}), ("/nianbao/search", {"q": "郑州"}),
             ("/nianbao/failing_reports", {"year": ""}), ("/nianbao/agency_history", {"agency": "郑州市人民政府"}),
             ("/nianbao/report_values", {"report_id": str(rid)}), ("/nianbao/agency_years", {}),
             ("/nianbao/applications_wide", {"report_id": str(rid)})]
    for path, params in pages:
        status, _h, body = get(site, path, **params)
        assert status == 200 and link in body.decode("utf-8"), path
    # and the archived original leads back to the report page
    status, _h, original = get(site, f"/-/original/report/{rid}")
    assert f'href="/report/{rid}"' in original.decode("utf-8")


def test_wide_views_list_a_report_in_printed_order(site):
    rid = _report_id(site, "郑州市人民政府", 2022)
    rows = get_json(site, "/nianbao/applications_wide.json", report_id=rid, _shape="array")
    assert [r["item"] for r in rows] == list(T.items("applications", "2021"))
    rows = get_json(site, "/nianbao/proactive_wide.json", report_id=rid, _shape="array")
    assert [r["item"] for r in rows] == list(T.items("proactive", "2021"))
    # and the columns as the table prints them
    data = get_json(site, "/nianbao/applications_wide.json", report_id=rid, _shape="objects")
    measures = [c for c in data["columns"] if c in T.measures("applications")]
    assert measures == list(T.measures("applications"))
    assert json.dumps(data["rows"][0]["total"]) == "3325"


def test_agency_place_and_peers_on_the_page(site):
    rid = _report_id(site, "新郑市人民政府办公室", 2023)
    page, _parsed = _page(site, rid)
    assert "河南省 › 郑州市 › 新郑市" in page and "agencies_in?place=%E6%96%B0%E9%83%91%E5%B8%82" in page
    peers = re.search(r'<table class="nb-peers">(.*?)</table>', page, re.S).group(1)
    assert f'href="/report/{rid}"' in peers and "新郑市人民政府办公室" in peers
    # the misprinted name is shown with the agency it names
    rid_003 = _report_id(site, "瀋河回族区人民政府办公室", 2023)
    page_003, _p = _page(site, rid_003)
    assert "<strong>瀍河回族区人民政府办公室</strong>" in page_003 and "河南省 › 洛阳市 › 瀍河回族区" in page_003
    # the 2023 郑州 report: itself among its peers, with its figures
    zz, _p = _page(site, _report_id(site, "郑州市人民政府", 2023))
    row = re.search(r'<tr class="nb-self">(.*?)</tr>', zz, re.S).group(1)
    assert "郑州市人民政府" in row and "3325" in row


def test_a_report_without_tables_says_so(site):
    rid = _report_id(site, "平潭综合实验区管理委员会", 2017)  # free form: prose, no table
    page, parsed = _page(site, rid)
    assert "No table was read" in page and parsed.cells == {} and "nb-printed" not in page


def test_every_version_of_the_report(site):
    new, old = _report_id(site, "新乡县城市管理局", 2023), _report_id(site, "新乡县城市管理局", 2023, is_current=0)
    page, _parsed = _page(site, new)
    versions = re.search(r'<section class="nb-section" id="versions">(.*?)</section>', page, re.S).group(1)
    assert f'href="/report/{old}"' in versions and "version 1" in versions and "version 2" in versions
    old_page, _p = _page(site, old)
    assert "superseded" in old_page and f'href="/report/{new}"' in old_page
    assert [v["version"] for v in get_json(site, f"/report/{new}.json")["versions"]] == [1, 2]


def test_a_section_is_laid_out_in_the_template_it_was_printed_in():
    from db.report import section_template
    cells_2019 = {("applications", "other_total", "total"), ("applications", "new_received", "total"),
                  ("proactive", "rules", "issued")}
    assert section_template("applications", cells_2019, "2021") == "2019"
    assert section_template("proactive", cells_2019, "2019") == "2021"
    assert section_template("review_litigation", cells_2019, "2019") == "2019"  # the same in both: the report's
