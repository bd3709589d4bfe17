"""Datasette metadata, in Chinese and English, generated from the schema so every column is described.

`metadata(archive_dir)` returns the dict that db.serve writes to JSON for `datasette --metadata`.
"""
from pipelines import template as T

from . import charts, queries
from .fields import FIELDS, TABLES, columns, field
from .views import SECTIONS, VIEW_DESCRIPTIONS, columns as view_columns

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
<a href="/nianbao/national_trend">全国趋势 National trend</a></li>
<li>图表 Charts: <a href="/-/dashboards/national-trend">全国逐年趋势 National trend</a> ·
<a href="/-/dashboards/agency">一个机关的历史 An agency's history</a> ·
<a href="/-/dashboards/refusals">按层级和地区的拒绝比例 Share refused by level and region</a></li>
<li><a href="/nianbao/failing_reports">未通过校验 Failing checks</a> ·
<a href="/nianbao/missing_reports">应交未交 Missing reports</a> ·
<a href="/nianbao/agency_history">机关历史 Agency history</a> ·
<a href="/nianbao/agencies">机关 Agencies</a> (<a href="/nianbao/agencies_in?place=%E9%83%91%E5%B7%9E%E5%B8%82">某地的全部机关 every body in a place</a>,
<a href="/nianbao/unplaced_agencies">未能定位 not placed</a>) ·
<a href="/nianbao/peers">同级对比 Peers</a> ·
<a href="/nianbao/source_health">来源健康 Source health</a></li>
<li>下载 Download: <a href="/nianbao.db">整个 SQLite 数据库 the whole SQLite file</a>; 每个表和查询都有 CSV（带 BOM，Excel 可直接打开）
· every table and query has CSV (with a UTF-8 BOM for Excel; add <code>_bom=0</code> to leave it out).</li>
</ul>
"""

TABLE_OPTIONS = {
    # three default facets, the ones readers narrow by: each is a scan of a million index entries (80-100 ms at
    # a million reports; Datasette runs them one after another). ?_facet=template or ?_facet=agency on request
    # 50 rows a page: a row of the reports table is 40 columns wide, and drawing 100 of them took 0.17 s
    "reports": {"facets": ["year", "level", "region"], "sort_desc": "year", "size": 50,
                "label_column": "title"},
    # no default facets on the big tables: each would be a GROUP BY over every value row
    "report_values": {},
    "failed_checks": {"facets": ["rule", "status"]},
    "source_health": {"facets": ["status"]},
    "sources": {"label_column": "name"},
    "codes": {"facets": ["section", "kind", "template"], "label_column": "label_zh"},
    "crosswalk": {"facets": ["section", "comparable"]},
    "agency_years": {"facets": ["year", "level"], "sort_desc": "new_received"},
    # selecting a province, city or county lists every body beneath it, at every level
    "agencies": {"facets": ["level", "province_name", "city_name", "county_name", "placed"], "sort_desc": "new_received",
                 "label_column": "agency"},
    "agency_names": {"facets": ["kind"]},
}
HIDDEN = ["reports_fts", "reports_bigrams"]


def _describe(zh, en):
    return f"{zh} · {en}"


def _tables():
    tables = {}
    for name, table in TABLES.items():
        entry = {"description": _describe(table.zh, table.en),
                 "columns": {col: _describe(field(name, col).zh, field(name, col).en) for col in columns(name)}}
        entry.update(TABLE_OPTIONS.get(name, {}))
        tables[name] = entry
    for view, section in SECTIONS.items():
        described = {c: field("reports", c) for c in
                     ("agency", "year", "level", "region", "template", "is_current", "archived_original")}
        described.update(report_id=FIELDS["report_id"], item=FIELDS["item"], sort=FIELDS["sort"],
                         label_zh=FIELDS["label_zh"])
        columns_ = {c: _describe(f.zh, f.en) for c, f in described.items()}
        columns_.update({m: _describe(T.get(section, m).label, T.get(section, m).en) for m in view_columns(view)})
        tables[view] = {"description": _describe(*VIEW_DESCRIPTIONS[view]), "columns": columns_}
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
            "datasette-dashboards": charts.dashboards(database),
            "nianbao": {"archive_dir": str(archive_dir) if archive_dir else None, "database": database,
                        "search_cap": search_cap},
        },
    }
