"""The database's tables, views and indexes, each column with a bilingual description.

One place says what a column is: `create()` builds the tables from TABLES, and the Datasette metadata
(db/metadata.py) shows the same descriptions, so the schema and its documentation cannot drift apart.
"""
import sqlite_utils

from . import codes

# table -> {"description": (zh, en), "pk": ..., "columns": {name: (type, zh, en)}}
TABLES = {
    "sources": {
        "description": ("爬取来源（门户网站的年报栏目）登记表", "Registry of crawled sources (a portal's annual-report column)"),
        "pk": "id",
        "columns": {
            "id": (str, "来源编号", "Source id, as in the crawler's registry"),
            "name": (str, "来源名称", "Source name"),
            "region": (str, "地区（省/市/县）", "Region (province / city / county)"),
            "level": (str, "行政层级：province/city/county/district/township/department", "Administrative level: province/city/county/district/township/department"),
            "platform": (str, "网站平台类型（如 Hanweb、TRS）", "Portal platform (e.g. Hanweb, TRS)"),
            "start_urls": (str, "起始网址（JSON 列表）", "Start URLs (JSON list)"),
            "robots": (str, "robots.txt 策略：obey 或 ignore", "robots.txt policy: obey or ignore"),
            "extra": (str, "登记表中的其他字段（JSON）", "Other registry fields (JSON)"),
        },
    },
    "reports": {
        "description": ("每份年报文件一行；网站修改过的年报保留每个版本（is_current=1 为最新版本）",
                        "One row per annual-report document; a report the portal edited keeps every version (is_current=1 is the latest)"),
        "pk": "id",
        "columns": {
            "id": (int, "报告版本编号", "Report version id"),
            "doc_id": (int, "文件编号：同一文件各版本共用（第一个版本的 id）", "Document id shared by all versions of one document (the first version's id)"),
            "version": (int, "版本号，从 1 开始", "Version number, from 1"),
            "is_current": (int, "是否最新版本（1/0）", "1 if this is the latest version of the document"),
            "source_id": (str, "来源编号", "Source id"),
            "agency": (str, "报告机关（取自标题）", "Reporting agency (from the title)"),
            "region": (str, "地区（取自来源登记）", "Region (from the source registry)"),
            "level": (str, "行政层级（据机关名称推断，推断不了时取来源层级；“市”可能是地级市或县级市）",
                      "Administrative level (inferred from the agency name, else the source's level; 市 may be a prefecture- or county-level city)"),
            "year": (int, "报告年度（标题中的年份，不是发布年份）", "Report year (the year the title names, not the publication year)"),
            "template": (str, "表格格式：2019（国办公开办函〔2019〕60号）、2021（〔2021〕30号）、free（2019年前自由格式）、mixed",
                         "Table template: 2019 (GOV 2019 No. 60), 2021 (2021 No. 30), free (pre-2019 free form), mixed"),
            "title": (str, "报告标题", "Report title"),
            "list_title": (str, "栏目列表中的标题", "Title as shown in the portal's list page"),
            "publisher": (str, "发布机构（网页元数据）", "Publisher (page metadata 发布机构)"),
            "written_date": (str, "成文日期 YYYY-MM-DD", "Date written (成文日期), YYYY-MM-DD"),
            "published_date": (str, "发布日期 YYYY-MM-DD", "Publication date (发布日期), YYYY-MM-DD"),
            "index_no": (str, "索引号", "Index number (索引号) on the portal"),
            "url": (str, "文件网址（网页或附件）", "Document URL (the page or the attachment)"),
            "page_url": (str, "链接该文件的详情页网址", "Detail page that linked the document"),
            "archived_original": (str, "存档原件链接（经过净化，不运行网页脚本）", "Link to the archived original (sanitized; scraped scripts never run)"),
            "content_type": (str, "HTTP 内容类型", "HTTP Content-Type"),
            "http_status": (int, "HTTP 状态码", "HTTP status"),
            "format": (str, "文件格式：html/text/pdf/docx/doc/wps…", "Document format: html/text/pdf/docx/doc/wps…"),
            "bytes": (int, "文件字节数", "Document size in bytes"),
            "sha256": (str, "文件内容 SHA-256（存档中的文件名）", "SHA-256 of the document body (its name in the archive)"),
            "warc_file": (str, "WARC 存档文件", "WARC file holding the response"),
            "warc_record_id": (str, "WARC 记录编号", "WARC-Record-ID of the response"),
            "fetched_at": (str, "抓取时间（UTC，ISO 8601）", "Fetch time (UTC, ISO 8601)"),
            "last_seen_at": (str, "最近一次抓到相同内容的时间（UTC）", "Last time the same content was fetched again (UTC)"),
            "parse_status": (str, "解析状态：ok 或失败原因（needs_ocr、unknown_format…）", "Parse status: ok, or the failure reason (needs_ocr, unknown_format, …)"),
            "parse_message": (str, "解析失败说明", "Parse failure message"),
            "values_count": (int, "解析出的数值单元格数", "Number of table cells parsed"),
            "checks_passed": (int, "通过的勾稽关系校验数", "Arithmetic checks passed"),
            "checks_failed": (int, "未通过的校验数（明细见 failed_checks）", "Arithmetic checks failed (see failed_checks)"),
            "checks_not_checkable": (int, "因空白单元格无法校验的数量", "Checks not checkable because a cell was blank"),
            "warnings": (str, "解析警告（JSON 列表）", "Parser warnings (JSON list)"),
        },
    },
    "report_values": {
        "description": ("年报三张统计表的每个单元格（长表：报告、部分、行、列）", "Every cell of the report's three statistical tables, in long form (report, section, item, measure)"),
        "pk": ("report_id", "section", "item", "measure"),
        # the rows live in primary-key order: no second b-tree of keys (229 -> ~120 bytes a value)
        "without_rowid": True,
        "columns": {
            "report_id": (int, "报告版本编号", "Report version id"),
            "section": (str, "部分：proactive 主动公开 / applications 依申请公开 / review_litigation 复议诉讼", "Section: proactive / applications / review_litigation"),
            "item": (str, "行代码（见 codes 表）", "Row code (see the codes table)"),
            "measure": (str, "列代码（见 codes 表）", "Column code (see the codes table)"),
            # INTEGER affinity: whole numbers are stored as integers, amounts such as 160391.4077 as reals
            "value": (int, "数值（整数；金额可为小数）；空白、“/”、“-”、“无”为空（NULL），不当作 0",
                      "Number (whole, or decimal for amounts); blank, '/', '-', '无' are NULL, never 0"),
            "raw": (str, "单元格原文", "Cell text as printed"),
            "status": (str, "number/blank/dash/slash/none_text/unparsed", "number/blank/dash/slash/none_text/unparsed"),
            "unit": (str, "单元格中写明的单位（元、万元），未写为空", "Unit printed in the cell (元, 万元), else NULL"),
            "loc": (str, "在原件中的位置（JSON：表/行/列 或 行号）；点击打开存档原件", "Location in the original (JSON: table/row/col or line); click to open the archived original"),
        },
    },
    "failed_checks": {
        "description": ("未通过或无法校验的勾稽关系（规则见模板说明 §5）", "Arithmetic checks that failed or could not be checked (rules: template §5)"),
        "pk": "id",
        "columns": {
            "id": (int, "编号", "Row id"),
            "report_id": (int, "报告版本编号", "Report version id"),
            "rule": (str, "规则：A1 收支平衡、A2 办理结果合计、A3 申请人合计、L1 复议诉讼合计…", "Rule: A1 balance, A2 results total, A3 applicant total, L1 review/litigation total, …"),
            "scope": (str, "适用的列或组（如 natural_person、review）", "Column or group the check applies to (e.g. natural_person, review)"),
            "expected": (int, "应等于的值", "Expected value"),
            "actual": (int, "实际值", "Actual value"),
            "status": (str, "fail 不符 / not_checkable 有空白无法校验", "fail, or not_checkable (a cell was blank)"),
            "cells": (str, "参与计算的单元格（JSON）", "Cells the check used (JSON)"),
        },
    },
    "codes": {
        "description": ("代码表：每个代码的官方中文标签和英文名称", "Code table: each code's official Chinese label and English name"),
        "pk": ("section", "kind", "code", "template"),
        "columns": {
            "section": (str, "部分", "Section"),
            "kind": (str, "block 条款块 / item 行 / group 分组 / measure 列", "block / item (row) / group / measure (column)"),
            "code": (str, "代码", "Code"),
            "template": (str, "适用格式：2019、2021 或 both", "Template: 2019, 2021 or both"),
            "label_zh": (str, "官方中文标签", "Official Chinese label"),
            "name_en": (str, "英文名称", "English name"),
            "parent": (str, "上级代码（分组或条款块）", "Parent code (group or block)"),
            "sort": (int, "在表格中的顺序", "Order in the printed table"),
        },
    },
    "crosswalk": {
        "description": ("2019 与 2021 格式对照：哪些行和列可跨格式比较（模板说明 §2c）", "2019 ↔ 2021 crosswalk: which rows and columns compare across templates (template §2c)"),
        "pk": "id",
        "columns": {
            "id": (int, "编号", "Row id"),
            "section": (str, "部分", "Section"),
            "kind": (str, "item 行 / measure 列", "item (row) / measure (column)"),
            "code_2019": (str, "2019 格式代码", "Code in the 2019 template"),
            "code_2021": (str, "2021 格式代码", "Code in the 2021 template"),
            "label_2019": (str, "2019 格式标签", "2019 label"),
            "label_2021": (str, "2021 格式标签", "2021 label"),
            "comparable": (str, "yes 可比 / approx 近似 / no 不可比 / 2019_only / 2021_only", "yes / approx / no / 2019_only / 2021_only"),
            "note": (str, "说明", "Note"),
        },
    },
    "crawl_runs": {
        "description": ("每次爬取运行的汇总", "One row per crawl run"),
        "pk": "run_id",
        "columns": {
            "run_id": (str, "运行编号", "Run id"),
            "started_at": (str, "开始时间（UTC）", "Start (UTC)"),
            "finished_at": (str, "结束时间（UTC）", "End (UTC)"),
            "sources": (int, "来源数", "Sources crawled"),
            "pages_fetched": (int, "抓取页面数", "Pages fetched"),
            "new": (int, "新报告数", "New reports"),
            "changed": (int, "内容有变化的报告数（新版本）", "Changed reports (new versions)"),
            "unchanged": (int, "内容未变的报告数", "Unchanged reports"),
            "not_modified": (int, "HTTP 304 未修改数", "HTTP 304 Not Modified"),
            "failures": (int, "失败请求数", "Failed requests"),
            "blocked": (int, "被拦截的来源数", "Sources that blocked the crawler"),
        },
    },
    "crawl_run_sources": {
        "description": ("每次运行中每个来源的结果", "Per-source results of each run"),
        "pk": ("run_id", "source_id"),
        "columns": {
            "run_id": (str, "运行编号", "Run id"),
            "source_id": (str, "来源编号", "Source id"),
            "ok": (int, "是否成功（抓到页面且未被拦截）", "1 if the source answered (pages fetched or 304s) and did not block"),
            "pages_fetched": (int, "抓取页面数", "Pages fetched"),
            "new": (int, "新报告数", "New reports"),
            "changed": (int, "新版本数", "Changed reports"),
            "unchanged": (int, "未变报告数", "Unchanged reports"),
            "not_modified": (int, "HTTP 304 数", "HTTP 304 count"),
            "failures": (int, "失败请求数", "Failed requests"),
            "failure_reasons": (str, "失败原因及次数（JSON）", "Failure reasons and counts (JSON)"),
            "blocked": (int, "被拦截（验证码、WAF、403）次数", "Times blocked (captcha, WAF, 403)"),
            "failed_urls": (str, "失败网址（JSON 列表）", "Failed URLs (JSON list)"),
        },
    },
    "source_health": {
        "description": ("每个来源的健康状况；“应交未交”：某机关有 Y−1 年度报告，而到 Y+1 年 3 月 31 日后仍无 Y 年度报告",
                        "Health of each source. Expected but missing: an agency with a report for year Y−1 and none for year Y after 31 March of Y+1"),
        "pk": "source_id",
        "columns": {
            "source_id": (str, "来源编号", "Source id"),
            "name": (str, "来源名称", "Source name"),
            "status": (str, "ok / failing 连续失败 / missing_reports 有应交未交 / never_run 未运行", "ok / failing / missing_reports / never_run"),
            "last_run_at": (str, "最近运行时间", "Last run"),
            "last_success_at": (str, "最近成功时间", "Last successful run"),
            "last_new_report_at": (str, "最近发现新报告或新版本的时间", "Last time a new report or version was found"),
            "consecutive_failures": (int, "连续失败次数", "Consecutive failed runs"),
            "reports": (int, "现有报告数（最新版本）", "Reports held (current versions)"),
            "latest_year": (int, "最新报告年度", "Latest report year"),
            "due_year": (int, "截至计算日已到期的报告年度", "Latest report year already due on the computation date"),
            "missing_reports": (int, "应交未交报告数", "Reports expected but missing"),
            "missing_agencies": (str, "应交未交的机关（JSON 列表）", "Agencies whose report is missing (JSON list)"),
            "computed_at": (str, "计算时间", "Computed at"),
        },
    },
    "report_totals": {
        "description": ("每份报告的关键合计（由 report_values 预先计算，供排名和图表快速查询）；“拒绝”= 不予公开(三) + 不予处理(五)",
                        "Key totals per report (precomputed from report_values for fast rankings and charts); refused = withheld (三) + rejected (五)"),
        "pk": "report_id",
        "columns": {
            "report_id": (int, "报告版本编号", "Report version id"),
            "new_received": (int, "本年新收申请（总计）", "New applications received (total column)"),
            "carried_over": (int, "上年结转（总计）", "Carried over from last year (total)"),
            "results_total": (int, "本年度办理结果总计", "Applications answered (results total)"),
            "disclosed": (int, "予以公开", "Disclosed"),
            "partially_disclosed": (int, "部分公开", "Partially disclosed"),
            "withheld": (int, "不予公开合计（8 项）", "Withheld (sum of 8 rows)"),
            "unavailable": (int, "无法提供合计", "Unavailable (sum of 3 rows)"),
            "rejected": (int, "不予处理合计（5 项）", "Rejected, not processed (sum of 5 rows)"),
            "other_handling": (int, "其他处理合计", "Other handling (2019 row, or 2021 sum of 3 rows)"),
            "refused": (int, "拒绝 = 不予公开 + 不予处理", "Refused = withheld + rejected"),
            "carried_forward": (int, "结转下年度", "Carried forward"),
            "review_total": (int, "行政复议总计", "Administrative reviews, total"),
            "review_corrected": (int, "行政复议结果纠正", "Reviews: decision corrected"),
            "litigation_total": (int, "行政诉讼总计（直接起诉 + 复议后起诉）", "Lawsuits, total (direct + after review)"),
            "litigation_corrected": (int, "行政诉讼结果纠正", "Lawsuits: decision corrected"),
        },
    },
    "agency_years": {
        "description": ("每个机关每年一行的汇总（最新版本，供排名、同比和图表）", "One row per agency and year (current versions): for rankings, year-over-year and charts"),
        "pk": ("agency", "year"),
        "columns": {
            "agency": (str, "报告机关", "Agency"),
            "year": (int, "报告年度", "Report year"),
            "region": (str, "地区", "Region"),
            "level": (str, "行政层级", "Administrative level"),
            "template": (str, "表格格式", "Template"),
            "reports": (int, "该年度报告数（通常为 1）", "Reports for that year (usually 1)"),
            "report_id": (int, "最新的报告版本编号", "Latest report version id"),
            "new_received": (int, "本年新收申请", "New applications received"),
            "results_total": (int, "办理结果总计", "Applications answered"),
            "disclosed": (int, "予以公开", "Disclosed"),
            "withheld": (int, "不予公开", "Withheld"),
            "rejected": (int, "不予处理", "Rejected (not processed)"),
            "refused": (int, "拒绝 = 不予公开 + 不予处理", "Refused = withheld + rejected"),
            "refused_share": (float, "拒绝占办理结果总计的比例（0–1）", "Refused as a share of applications answered (0–1)"),
            "review_total": (int, "行政复议总计", "Administrative reviews"),
            "litigation_total": (int, "行政诉讼总计", "Lawsuits"),
            "new_received_prev": (int, "上一年度新收申请（无上年报告为空）", "New applications the year before (NULL without a report then)"),
            "new_received_change": (int, "与上一年度相比的变化", "Change from the year before"),
            "next_year_reported": (int, "下一年度是否有报告（1/0）", "1 if the agency has a report for the following year"),
        },
    },
    "agencies": {
        "description": ("每个机关一行：历年合计", "One row per agency: totals over all years"),
        "pk": "agency",
        "columns": {
            "agency": (str, "报告机关", "Agency"),
            "region": (str, "地区", "Region"),
            "level": (str, "行政层级", "Administrative level"),
            "first_year": (int, "最早报告年度", "First report year"),
            "last_year": (int, "最新报告年度", "Latest report year"),
            "years": (int, "有报告的年度数", "Years with a report"),
            "new_received": (int, "历年新收申请合计", "New applications, all years"),
            "results_total": (int, "历年办理结果合计", "Applications answered, all years"),
            "refused": (int, "历年拒绝合计", "Refused, all years"),
            "refused_share": (float, "拒绝比例（0–1）", "Refused share (0–1)"),
        },
    },
    "year_summary": {
        "description": ("全国（库中全部机关）逐年合计，供趋势图", "Totals per year over every agency in the database, for trend charts"),
        "pk": "year",
        "columns": {
            "year": (int, "报告年度", "Report year"),
            "agencies": (int, "机关数", "Agencies"),
            "reports": (int, "报告数", "Reports"),
            "new_received": (int, "新收申请", "New applications"),
            "results_total": (int, "办理结果总计", "Applications answered"),
            "refused": (int, "拒绝", "Refused"),
            "refused_share": (float, "拒绝比例", "Refused share"),
            "review_total": (int, "行政复议", "Administrative reviews"),
            "litigation_total": (int, "行政诉讼", "Lawsuits"),
            "reports_failing_checks": (int, "未通过校验的报告数", "Reports failing checks"),
        },
    },
}

FOREIGN_KEYS = {
    "reports": [("source_id", "sources", "id")],
    "report_values": [("report_id", "reports", "id")],
    "failed_checks": [("report_id", "reports", "id")],
    "crawl_run_sources": [("run_id", "crawl_runs", "run_id"), ("source_id", "sources", "id")],
    "report_totals": [("report_id", "reports", "id")],
    "agency_years": [("report_id", "reports", "id")],
}

INDEXES = [
    ("reports", ["doc_id"]), ("reports", ["url"]), ("reports", ["source_id", "index_no"]), ("reports", ["sha256"]),
    # Datasette facets are GROUP BYs, fast only as covering-index scans: one index per facet column,
    # and (year, column) for the facets of one year's page, the page readers open most (7x faster)
    ("reports", ["level"]), ("reports", ["region"]), ("reports", ["template"]),
    ("reports", ["year", "agency"]), ("reports", ["year", "level"]), ("reports", ["year", "region"]),
    ("reports", ["year", "template"]),
    ("reports", ["agency", "year"]), ("reports", ["parse_status"]), ("reports", ["source_id", "year"]),
    ("reports", ["is_current", "year", "agency"]),
    # no index on report_values (section, item, measure): 62 bytes a value (9 GiB at a million
    # reports) for queries that report_totals and the summary tables answer; add it locally if needed
    ("failed_checks", ["report_id"]), ("failed_checks", ["rule"]),
    ("reports", ["checks_failed"]),
    ("agency_years", ["year", "new_received"]), ("agency_years", ["new_received"]),
    ("agency_years", ["year", "refused"]), ("agency_years", ["refused"]),
    ("agencies", ["new_received"]),
    ("agency_years", ["level"]), ("agency_years", ["year", "level"]),  # its facets (10x faster)
]

TEXT_FIELDS = ("title", "agency", "text")


def create(db: sqlite_utils.Database):
    """Create every table, index, view and the search indexes, then fill the code tables."""
    for name, spec in TABLES.items():
        if name in db.table_names():
            continue
        columns = {col: spec["columns"][col][0] for col in column_order(name)}
        sql = db.create_table_sql(name, columns, pk=spec["pk"], foreign_keys=FOREIGN_KEYS.get(name, ()),
                                  not_null={c for c in _as_tuple(spec["pk"])})
        if spec.get("without_rowid"):
            sql = sql.strip().rstrip(";") + " WITHOUT ROWID"
        db.execute(sql)
    for table, cols in INDEXES:
        db[table].create_index(cols, if_not_exists=True)
    # trigram: any substring of 3+ characters; bigrams (contentless, unicode61 over pre-cut
    # tokens): 1-2 character terms, which trigram cannot match
    db.execute("create virtual table if not exists reports_fts using fts5("
               "title, agency, text, tokenize='trigram')")
    db.execute("create virtual table if not exists reports_bigrams using fts5("
               "tokens, content='', detail='none', tokenize='unicode61')")
    # year-over-year ranks by the size of the change, either way
    db.execute("create index if not exists idx_agency_years_year_abs_change "
               "on agency_years (year, abs(new_received_change))")
    # missing reports: last year's agencies without a report this year, in the order they are listed
    db.execute("create index if not exists idx_agency_years_missing "
               "on agency_years (year, next_year_reported, region, agency)")
    codes.fill(db)
    create_views(db)


# what a reader looks at first comes first; provenance after
READING_ORDER = {"reports": ["id", "agency", "year", "title", "level", "region", "template", "published_date",
                             "archived_original", "parse_status", "checks_failed", "checks_passed",
                             "checks_not_checkable", "values_count", "version", "is_current", "doc_id", "source_id"]}


def column_order(table):
    columns = list(TABLES[table]["columns"])
    first = READING_ORDER.get(table, [])
    return first + [c for c in columns if c not in first]


def _as_tuple(pk):
    return pk if isinstance(pk, tuple) else (pk,)


def create_views(db):
    from .views import VIEWS  # the wide views are generated from the template's codes
    for name, sql in VIEWS.items():
        db.execute(f"drop view if exists [{name}]")
        db.execute(f"create view [{name}] as {sql}")
