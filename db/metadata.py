"""Datasette metadata, in Chinese and English, generated from the schema so every column is described.

`metadata(archive_dir)` returns the dict that db.serve writes to JSON for `datasette --metadata`.
"""
from . import queries
from .schema import TABLES
from .views import SECTIONS, VIEW_DESCRIPTIONS

DATABASE = "nianbao"

TITLE = "政府信息公开工作年度报告数据库 · nianbao: China's government information-disclosure annual reports"
LICENSE = "数据：政府公开信息；代码：Apache-2.0 · Data: public government information; code: Apache-2.0"
LICENSE_URL = "https://www.apache.org/licenses/LICENSE-2.0"
SOURCE = "各级政府门户网站的政府信息公开年报栏目 · Government portals' annual-report columns"

DESCRIPTION_HTML = f"""
<p>各级行政机关依《政府信息公开条例》每年发布的政府信息公开工作年度报告：三张统计表（主动公开、依申请公开、行政复议和诉讼）
逐格解析、校验，每个数字都可以追溯到存档原件。
Annual reports that every Chinese administrative body publishes under the Open Government Information Regulations:
their three statistical tables (proactive disclosure, applications, review and litigation) parsed cell by cell and
checked, each number traceable to the archived original.</p>
<ul>
<li><a href="/nianbao/reports?is_current=1">报告 Reports</a> (搜索框支持一两个字的词 · the search box finds 1–2 character terms too) ·
<a href="/nianbao/search">全文搜索 Full-text search</a></li>
<li><a href="/nianbao/top_agencies">收到申请最多的机关 Top agencies</a> ·
<a href="/nianbao/refused_share">拒绝比例 Share refused</a> ·
<a href="/nianbao/year_over_year">同比 Year over year</a> ·
<a href="/nianbao/national_trend{queries.CHART_TREND}">全国趋势图 National trend chart</a></li>
<li><a href="/nianbao/failing_reports">未通过校验 Failing checks</a> ·
<a href="/nianbao/missing_reports">应交未交 Missing reports</a> ·
<a href="/nianbao/agency_history">机关历史 Agency history</a> ·
<a href="/nianbao/source_health">来源健康 Source health</a></li>
<li>下载 Download: <a href="/nianbao.db">整个 SQLite 数据库 the whole SQLite file</a>; 每个表和查询都有 CSV（带 BOM，Excel 可直接打开）
· every table and query has CSV (with a UTF-8 BOM for Excel; add <code>_bom=0</code> to leave it out).</li>
</ul>
"""

TABLE_OPTIONS = {
    "reports": {"facets": ["year", "level", "region", "template", "agency"], "sort_desc": "year",
                "label_column": "title"},
    # no default facets on the big tables: each would be a GROUP BY over every value row
    "report_values": {},
    "failed_checks": {"facets": ["rule", "status"]},
    "source_health": {"facets": ["status"]},
    "sources": {"label_column": "name"},
    "codes": {"facets": ["section", "kind", "template"], "label_column": "label_zh"},
    "crosswalk": {"facets": ["section", "comparable"]},
    "agency_years": {"facets": ["year", "level"], "sort_desc": "new_received"},
    "agencies": {"facets": ["level", "region"], "sort_desc": "new_received"},
}
HIDDEN = ["reports_fts", "reports_bigrams"]


def _describe(zh, en):
    return f"{zh} · {en}"


def _tables():
    tables = {}
    for name, spec in TABLES.items():
        entry = {"description": _describe(*spec["description"]),
                 "columns": {col: _describe(zh, en) for col, (_t, zh, en) in spec["columns"].items()}}
        entry.update(TABLE_OPTIONS.get(name, {}))
        tables[name] = entry
    reports_columns = TABLES["reports"]["columns"]
    for view, (section, measures) in SECTIONS.items():
        from .codes import code_rows
        labels = {r["code"]: (r["label_zh"], r["name_en"]) for r in code_rows()
                  if r["section"] == section and r["kind"] == "measure"}
        columns = {c: _describe(*reports_columns[c][1:]) for c in
                   ("agency", "year", "level", "region", "template", "is_current", "archived_original")}
        columns.update({"report_id": "报告版本编号 · Report version id", "item": "行代码 · Row code",
                        "label_zh": "官方中文行标签 · Official Chinese row label", "sort": "表中顺序 · Order in the table"})
        columns.update({m: _describe(*labels.get(m, (m, m))) for m in measures})
        tables[view] = {"description": _describe(*VIEW_DESCRIPTIONS[view]), "columns": columns}
    for name in HIDDEN:
        tables[name] = {"hidden": True}
    return tables


def _queries():
    return {name: {"title": q["title"], "description": q["description"], "sql": q["sql"]}
            for name, q in queries.QUERIES.items()}


def metadata(archive_dir=None, database=DATABASE, search_cap=None):
    """database: the name Datasette gives the file (its stem); the site's links are written for it."""
    html = DESCRIPTION_HTML.replace("/nianbao/", f"/{database}/").replace("/nianbao.db", f"/{database}.db")
    return {
        "title": TITLE,
        "description_html": html,
        "license": LICENSE, "license_url": LICENSE_URL,
        "source": SOURCE, "source_url": f"/{database}/sources",
        "databases": {database: {
            "title": TITLE, "description_html": html,
            "license": LICENSE, "license_url": LICENSE_URL, "source": SOURCE, "source_url": f"/{database}/sources",
            "tables": _tables(), "queries": _queries(),
        }},
        "plugins": {
            "datasette-block-robots": {"allow_only_index": True},
            "nianbao": {"archive_dir": str(archive_dir) if archive_dir else None, "database": database,
                        "search_cap": search_cap},
        },
    }
