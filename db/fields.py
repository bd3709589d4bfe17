"""Every column of the database, described once in Chinese and English (in the manner of PUDL's
fields.py). A column means the same wherever its name appears, unless TABLE_FIELDS gives the table its
own description; tables list field names. The schema (db/schema.py) and the bilingual Datasette
metadata (db/metadata.py) are both generated from here, so they cannot drift apart.
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    type: type
    zh: str
    en: str


FIELDS = {
    # identity and provenance
    "id": Field(int, "编号", "Row id"),
    "report_id": Field(int, "报告版本编号", "Report version id"),
    "source_id": Field(str, "来源编号（爬虫登记表中的编号）", "Source id, as in the crawler's registry"),
    "run_id": Field(str, "运行编号", "Run id"),
    "name": Field(str, "来源名称", "Source name"),
    "agency": Field(str, "报告机关", "Reporting agency"),
    "region": Field(str, "地区（省/市/县）", "Region (province / city / county)"),
    "level": Field(str, "行政层级：province/city/county/district/township/department",
                   "Administrative level: province/city/county/district/township/department"),
    "year": Field(int, "报告年度（标题中的年份，不是发布年份）", "Report year (the year the title names, not the publication year)"),
    "template": Field(str, "表格格式：2019（国办公开办函〔2019〕60号）、2021（〔2021〕30号）、free（2019年前自由格式）、mixed",
                      "Table template: 2019 (GOV 2019 No. 60), 2021 (2021 No. 30), free (pre-2019 free form), mixed"),
    "archived_original": Field(str, "存档原件链接（经过净化，不运行网页脚本）", "Link to the archived original (sanitized; scraped scripts never run)"),
    # the registry
    "platform": Field(str, "网站平台类型（如 hanweb、trs）", "Portal platform (e.g. hanweb, trs)"),
    "start_urls": Field(str, "起始网址（JSON 列表）", "Start URLs (JSON list)"),
    "robots": Field(str, "robots.txt 策略：obey 或 ignore", "robots.txt policy: obey or ignore"),
    "extra": Field(str, "登记表中的其他字段（JSON）", "Other registry fields (JSON)"),
    # a report document
    "doc_id": Field(int, "文件编号：同一文件各版本共用（第一个版本的 id）", "Document id shared by all versions of one document (the first version's id)"),
    "version": Field(int, "版本号，从 1 开始", "Version number, from 1"),
    "is_current": Field(int, "是否最新版本（1/0）", "1 if this is the latest version of the document"),
    "title": Field(str, "报告标题", "Report title"),
    "list_title": Field(str, "栏目列表中的标题", "Title as shown in the portal's list page"),
    "publisher": Field(str, "发布机构（网页元数据）", "Publisher (page metadata 发布机构)"),
    "written_date": Field(str, "成文日期 YYYY-MM-DD", "Date written (成文日期), YYYY-MM-DD"),
    "published_date": Field(str, "发布日期 YYYY-MM-DD", "Publication date (发布日期), YYYY-MM-DD"),
    "index_no": Field(str, "索引号", "Index number (索引号) on the portal"),
    "url": Field(str, "文件网址（网页或附件）", "Document URL (the page or the attachment)"),
    "page_url": Field(str, "链接该文件的详情页网址", "Detail page that linked the document"),
    "content_type": Field(str, "HTTP 内容类型", "HTTP Content-Type"),
    "http_status": Field(int, "HTTP 状态码", "HTTP status"),
    "format": Field(str, "文件格式：html/text/pdf/docx/doc/wps…", "Document format: html/text/pdf/docx/doc/wps…"),
    "bytes": Field(int, "文件字节数", "Document size in bytes"),
    "sha256": Field(str, "文件内容 SHA-256（存档中的文件名）", "SHA-256 of the document body (its name in the archive)"),
    "warc_file": Field(str, "WARC 存档文件", "WARC file holding the response"),
    "warc_record_id": Field(str, "WARC 记录编号", "WARC-Record-ID of the response"),
    "fetched_at": Field(str, "抓取时间（UTC，ISO 8601）", "Fetch time (UTC, ISO 8601)"),
    "last_seen_at": Field(str, "最近一次抓到相同内容的时间（UTC）", "Last time the same content was fetched again (UTC)"),
    "parse_status": Field(str, "解析状态：ok；无法读取的原因（needs_ocr、unknown_format、too_slow 超时、too_large 超出内存、worker_died 解析进程被终止…）；或可读文件中需要复核的情况（tables_not_read：有模板标签却未读出表格；ocr_uncertain：有 OCR 没把握的数字；charset_misread：字符编码读错，未读出数值）",
                          "Parse status: ok; why the document could not be read (needs_ocr, unknown_format, too_slow and too_large: over the time or memory limit, worker_died: the parsing process was killed, …); or what in a readable document needs a look (tables_not_read: the template's labels are printed but no table was read; ocr_uncertain: OCR was unsure of some numbers; charset_misread: read in the wrong charset, no value came out)"),
    "parse_message": Field(str, "解析失败说明", "Parse failure message"),
    "values_count": Field(int, "解析出的数值单元格数", "Number of table cells parsed"),
    "checks_passed": Field(int, "通过的勾稽关系校验数", "Arithmetic checks passed"),
    "checks_failed": Field(int, "未通过的校验数（明细见 failed_checks）", "Arithmetic checks failed (see failed_checks)"),
    "checks_not_checkable": Field(int, "因空白单元格无法校验的数量", "Checks not checkable because a cell was blank"),
    "warnings": Field(str, "解析警告（JSON 列表）", "Parser warnings (JSON list)"),
    # cells and codes
    "section": Field(str, "部分：proactive 主动公开 / applications 依申请公开 / review_litigation 复议诉讼",
                     "Section: proactive / applications / review_litigation"),
    "item": Field(str, "行代码（见 codes 表）", "Row code (see the codes table)"),
    "measure": Field(str, "列代码（见 codes 表）", "Column code (see the codes table)"),
    # INTEGER affinity: whole numbers are stored as integers, amounts such as 160391.4077 as reals
    "value": Field(int, "数值（整数；金额可为小数）；空白、“/”、“-”、“无”为空（NULL），不当作 0",
                   "Number (whole, or decimal for amounts); blank, '/', '-', '无' are NULL, never 0"),
    "raw": Field(str, "单元格原文", "Cell text as printed"),
    "unit": Field(str, "单元格中写明的单位（元、万元），未写为空", "Unit printed in the cell (元, 万元), else NULL"),
    "loc": Field(str, "在原件中的位置（JSON：表/行/列 或 行号）；点击打开存档原件", "Location in the original (JSON: table/row/col or line); click to open the archived original"),
    "confidence": Field(float, "OCR 识别的把握（0–1，最没把握的字）；非 OCR 为空", "OCR confidence (0–1, its least sure character); NULL unless OCR read it"),
    "flag": Field(str, "ocr_uncertain：OCR 没把握或所在勾稽关系不成立，需要复核", "ocr_uncertain: OCR was unsure of it, or it is in an identity that fails: check it"),
    "suggested": Field(int, "勾稽关系指出的可能正确值（仅为建议，数值不改）", "The value the report's arithmetic points to (a suggestion; the value is never changed)"),
    "positional": Field(int, "1 = 原件此行无可识别的标签，按其在分组中的位置归入该行，值得复核", "1 = the row had no label it could be named by and was placed by its position under its group: worth a second look"),
    "rule": Field(str, "规则：A1 收支平衡、A2 办理结果合计、A3 申请人合计、L1 复议诉讼合计…", "Rule: A1 balance, A2 results total, A3 applicant total, L1 review/litigation total, …"),
    "scope": Field(str, "适用的列或组（如 natural_person、review）", "Column or group the check applies to (e.g. natural_person, review)"),
    "expected": Field(int, "应等于的值", "Expected value"),
    "actual": Field(int, "实际值", "Actual value"),
    "cells": Field(str, "参与计算的单元格（JSON）", "Cells the check used (JSON)"),
    "kind": Field(str, "block 条款块 / item 行 / group 分组 / measure 列", "block / item (row) / group / measure (column)"),
    "code": Field(str, "代码", "Code"),
    "label_zh": Field(str, "官方中文标签", "Official Chinese label"),
    "name_en": Field(str, "英文名称", "English name"),
    "parent": Field(str, "上级代码（分组或条款块）", "Parent code (group or block)"),
    "role": Field(str, "在勾稽关系中的作用：received 收入、handled 办结、forward 结转、outcome 办理结果、part 分项、total 合计、extension 地方扩展行",
                  "Role in the arithmetic checks: received, handled, forward, outcome, part, total; extension: a provincial row outside the template"),
    "sort": Field(int, "在表格中的顺序", "Order in the printed table"),
    "code_2019": Field(str, "2019 格式代码", "Code in the 2019 template"),
    "code_2021": Field(str, "2021 格式代码", "Code in the 2021 template"),
    "label_2019": Field(str, "2019 格式标签", "2019 label"),
    "label_2021": Field(str, "2021 格式标签", "2021 label"),
    "comparable": Field(str, "yes 可比 / approx 近似 / no 不可比 / 2019_only / 2021_only", "yes / approx / no / 2019_only / 2021_only"),
    "note": Field(str, "说明", "Note"),
    # crawl runs
    "started_at": Field(str, "开始时间（UTC）", "Start (UTC)"),
    "finished_at": Field(str, "结束时间（UTC）", "End (UTC)"),
    "sources": Field(int, "来源数", "Sources crawled"),
    "pages_fetched": Field(int, "抓取页面数", "Pages fetched"),
    "new": Field(int, "新报告数", "New reports"),
    "changed": Field(int, "内容有变化的报告数（新版本）", "Changed reports (new versions)"),
    "unchanged": Field(int, "内容未变的报告数", "Unchanged reports"),
    "not_modified": Field(int, "HTTP 304 未修改数", "HTTP 304 Not Modified"),
    "failures": Field(int, "失败请求数", "Failed requests"),
    "failure_reasons": Field(str, "失败原因及次数（JSON）", "Failure reasons and counts (JSON)"),
    "failed_urls": Field(str, "失败网址（JSON 列表）", "Failed URLs (JSON list)"),
    "ok": Field(int, "是否成功（抓到页面且未被拦截）", "1 if the source answered (pages fetched or 304s) and did not block"),
    # completeness of the lists: what each column says it holds against what the crawl found in it
    "declared": Field(int, "栏目自报的条目总数（recordCount、totalRecord、total、count、分页总数之和）；平台未说明为空（未知）",
                      "Rows the columns declare (recordCount, totalRecord, total, count, pager totals, summed); NULL where the platform declares nothing (unknown)"),
    "found": Field(int, "列表中实际找到的条目数（去重）", "Rows found in the columns' lists (distinct)"),
    "missing": Field(int, "漏抓条目数 = 自报总数 − 找到数（仅计有自报总数的栏目）；大于 0 即 incomplete_list",
                     "Rows missed = declared − found (over the columns that declare); above 0 means incomplete_list"),
    "monitors": Field(str, "监控结果：每个监控 ok 或未通过的原因（JSON）", "Monitors: each one's ok or why it failed (JSON)"),
    "monitors_failed": Field(str, "最近一次运行未通过的监控及原因（JSON）", "Monitors that failed on the last run, with why (JSON)"),
    "column_counts": Field(str, "每个栏目的自报数、找到数、漏抓数（JSON）", "Per column: declared, found, missing (JSON)"),
    # source health
    "last_run_at": Field(str, "最近运行时间", "Last run"),
    "last_success_at": Field(str, "最近成功时间", "Last successful run"),
    "last_new_report_at": Field(str, "最近发现新报告或新版本的时间", "Last time a new report or version was found"),
    "consecutive_failures": Field(int, "连续失败次数", "Consecutive failed runs"),
    "latest_year": Field(int, "最新报告年度", "Latest report year"),
    "due_year": Field(int, "截至计算日已到期的报告年度", "Latest report year already due on the computation date"),
    "missing_reports": Field(int, "应交未交报告数", "Reports expected but missing"),
    "missing_agencies": Field(str, "应交未交的机关（JSON 列表）", "Agencies whose report is missing (JSON list)"),
    "computed_at": Field(str, "计算时间", "Computed at"),
    # totals (section 三's total column, section 四's totals); "refused" = withheld + rejected (db/totals.py)
    "new_received": Field(int, "本年新收申请（总计列）", "New applications received (total column)"),
    "carried_over": Field(int, "上年结转（总计列）", "Carried over from last year (total column)"),
    "results_total": Field(int, "本年度办理结果总计", "Applications answered (results total)"),
    "disclosed": Field(int, "予以公开", "Disclosed"),
    "partially_disclosed": Field(int, "部分公开", "Partially disclosed"),
    "withheld": Field(int, "不予公开合计（8 项）", "Withheld (sum of 8 rows)"),
    "unavailable": Field(int, "无法提供合计（3 项）", "Unavailable (sum of 3 rows)"),
    "rejected": Field(int, "不予处理合计（5 项）", "Rejected, not processed (sum of 5 rows)"),
    "other_handling": Field(int, "其他处理合计", "Other handling (2019 row, or 2021 sum of 3 rows)"),
    "refused": Field(int, "拒绝 = 不予公开 + 不予处理", "Refused = withheld + rejected"),
    "refused_share": Field(float, "拒绝占办理结果总计的比例（0–1）", "Refused as a share of applications answered (0–1)"),
    "carried_forward": Field(int, "结转下年度（总计列）", "Carried forward (total column)"),
    "review_total": Field(int, "行政复议总计", "Administrative reviews, total"),
    "review_corrected": Field(int, "行政复议结果纠正", "Reviews: decision corrected"),
    "litigation_total": Field(int, "行政诉讼总计（直接起诉 + 复议后起诉）", "Lawsuits, total (direct + after review)"),
    "litigation_corrected": Field(int, "行政诉讼结果纠正", "Lawsuits: decision corrected"),
    "new_received_prev": Field(int, "上一年度新收申请（无上年报告为空）", "New applications the year before (NULL without a report then)"),
    "new_received_change": Field(int, "与上一年度相比的变化", "Change from the year before"),
    "next_year_reported": Field(int, "下一年度是否有报告（1/0）", "1 if the agency has a report for the following year"),
    "first_year": Field(int, "最早报告年度", "First report year"),
    "last_year": Field(int, "最新报告年度", "Latest report year"),
    "years": Field(int, "有报告的年度数", "Years with a report"),
    "agencies": Field(int, "机关数", "Agencies"),
    "reports_failing_checks": Field(int, "未通过校验的报告数", "Reports failing checks"),
    # agencies as entities (db/agencies.py, division codes from db/divisions.py)
    "agency_id": Field(str, "机关编号（稳定：由行政区划代码和机关名称得出，重建数据库不变）",
                       "Agency id (stable: from the division code and the body's name, the same after every rebuild)"),
    "names": Field(str, "历年报告中印出的名称（JSON 列表，含错字）", "Names the reports printed over the years (JSON list, misprints included)"),
    "spelled": Field(str, "更正后的写法（错字、简称改为正式名称）", "The name as meant (misprints and abbreviations corrected)"),
    "placed": Field(int, "1 = 已按行政区划代码定位；0 = 名称中找不到行政区划，保留原名待核", "1 = placed by division code; 0 = no division found in the name: kept as printed, to be checked"),
    "division_code": Field(str, "所在最下一级行政区划代码（6 位）", "Code of the lowest division it belongs to (6 digits)"),
    "province_code": Field(str, "省级行政区划代码", "Province division code"),
    "province_name": Field(str, "省份", "Province"),
    "city_code": Field(str, "地级行政区划代码", "Prefecture (city) division code"),
    "city_name": Field(str, "地级市（州、盟）", "Prefecture-level city"),
    "county_code": Field(str, "县级行政区划代码", "County-level division code"),
    "county_name": Field(str, "县（区、县级市）", "County, district or county-level city"),
    "township_name": Field(str, "乡镇街道（名称，代码包不含乡级）", "Township, town or subdistrict (its name: the code package has no township level)"),
    "peer_division": Field(str, "同级比较所用的行政区划：政府取上一级，部门取本级", "Division its peers share: a government's is the one above, a department's its own"),
    # problems of the archive found by a rebuild
    "offset": Field(int, "该记录在 WARC 文件中的字节位置", "Byte offset of the record in the WARC file"),
    "record_index": Field(int, "该记录之前的完整记录数", "Complete records before it in the file"),
    "problem": Field(str, "torn_record 记录被截断 / unreadable_record 无法读取 / unreadable_metadata 元数据无法解析 / "
                          "body_missing 原件缺失 / unreadable_file 文件无法打开",
                     "torn_record / unreadable_record / unreadable_metadata / body_missing / unreadable_file"),
    "message": Field(str, "说明", "What was found"),
    "record_id": Field(str, "WARC 记录编号（如已知）", "WARC-Record-ID, where known"),
}

# Where a table's column means something of its own.
TABLE_FIELDS = {
    "sources": {"id": FIELDS["source_id"]},
    "reports": {
        "id": FIELDS["report_id"],
        "agency": Field(str, "报告机关（取自标题）", "Reporting agency (from the title)"),
        "region": Field(str, "地区（取自来源登记）", "Region (from the source registry)"),
        "level": Field(str, "行政层级（据机关名称推断，推断不了时取来源层级；“市”可能是地级市或县级市）",
                       "Administrative level (inferred from the agency name, else the source's level; 市 may be a prefecture- or county-level city)"),
    },
    "report_values": {"status": Field(str, "number/blank/dash/slash/none_text/unparsed/too_long（数字过长，按文本保留）",
                                      "number/blank/dash/slash/none_text/unparsed/too_long (a number too long to be a count, kept as text)")},
    "failed_checks": {"status": Field(str, "fail 不符 / not_checkable 有空白无法校验", "fail, or not_checkable (a cell was blank)")},
    "codes": {"section": Field(str, "部分", "Section"),
              "template": Field(str, "适用格式：2019、2021 或 both", "Template: 2019, 2021 or both")},
    "crosswalk": {"section": Field(str, "部分", "Section"), "kind": Field(str, "item 行 / measure 列", "item (row) / measure (column)")},
    "crawl_runs": {"blocked": Field(int, "被拦截的来源数", "Sources that blocked the crawler")},
    "crawl_run_sources": {"blocked": Field(int, "被拦截（验证码、WAF、403）次数", "Times blocked (captcha, WAF, 403)"),
                          "status": Field(str, "ok 正常 / blocked 被拦截 / unreachable 无法访问 / incomplete_list 列表不全（找到少于自报）",
                                          "ok / blocked / unreachable / incomplete_list (found fewer rows than a column declares)"),
                          "ok": Field(int, "是否成功（有应答且未被拦截；列表不全也算有应答）",
                                      "1 if the source answered and did not block (an incomplete list answered too)")},
    "source_health": {
        "status": Field(str, "ok / failing 连续失败 / incomplete_list 最近一次列表不全 / missing_reports 有应交未交 / never_run 未运行",
                        "ok / failing / incomplete_list (the last run found fewer rows than declared) / missing_reports / never_run"),
        "declared": Field(int, "最近一次运行：栏目自报条目数；未知为空", "Last run: rows the columns declare; NULL if unknown"),
        "found": Field(int, "最近一次运行：找到的条目数", "Last run: rows found"),
        "missing": Field(int, "最近一次运行：漏抓条目数", "Last run: rows missed"),
        "reports": Field(int, "现有报告数（最新版本）", "Reports held (current versions)"),
    },
    "agency_years": {
        "agency": Field(str, "机关（agencies 表中的名称：同一机关的不同写法合为一个）", "Agency (its name in agencies: one body's spellings count as one)"),
        "reports": Field(int, "该年度报告文件数（同一报告的网页、PDF、Word 各算一份）", "Documents for that year (a report's page, PDF and Word copies each count)"),
        "report_id": Field(int, "计入合计的报告版本（读得最好的一份）", "The report version the figures come from (the best-read copy)"),
    },
    "agency_names": {
        "name": Field(str, "报告中印出的机关名称", "Agency name as a report printed it"),
        "kind": Field(str, "as printed 原样 / misprint 错字（含 OCR 错误）/ variant 简称或异写", "as printed / misprint (OCR errors included) / variant (abbreviation)"),
        "reports": Field(int, "印此名称的报告文件数", "Report documents that print this name"),
    },
    "agencies": {
        "agency": Field(str, "机关名称（最常印出的写法，错字已更正）", "Agency name (its most printed form, misprints corrected)"),
        "level": Field(str, "行政层级", "Administrative level"),
        "region": Field(str, "来源登记的地区", "Region of the source registry"),
        "new_received": Field(int, "历年新收申请合计", "New applications, all years"),
        "results_total": Field(int, "历年办理结果合计", "Applications answered, all years"),
        "refused": Field(int, "历年拒绝合计", "Refused, all years"),
    },
    "year_summary": {"reports": Field(int, "报告数", "Reports")},
}


@dataclass(frozen=True)
class Table:
    zh: str
    en: str
    pk: str | tuple
    fields: tuple           # column names, in the order a reader wants them
    without_rowid: bool = False


TABLES = {
    "sources": Table("爬取来源（门户网站的年报栏目）登记表", "Registry of crawled sources (a portal's annual-report column)",
                     "id", ("id", "name", "region", "level", "platform", "start_urls", "robots", "extra")),
    "reports": Table(
        "每份年报文件一行；网站修改过的年报保留每个版本（is_current=1 为最新版本）",
        "One row per annual-report document; a report the portal edited keeps every version (is_current=1 is the latest)",
        "id",
        # what a reader looks at first comes first; provenance after
        ("id", "agency", "year", "title", "level", "region", "template", "published_date", "archived_original",
         "parse_status", "checks_failed", "checks_passed", "checks_not_checkable", "values_count", "version",
         "is_current", "doc_id", "source_id", "list_title", "publisher", "written_date", "index_no", "url", "page_url",
         "content_type", "http_status", "format", "bytes", "sha256", "warc_file", "warc_record_id", "fetched_at",
         "last_seen_at", "parse_message", "warnings")),
    "report_values": Table(
        "年报三张统计表的每个单元格（长表：报告、部分、行、列）",
        "Every cell of the report's three statistical tables, in long form (report, section, item, measure)",
        ("report_id", "section", "item", "measure"),
        ("report_id", "section", "item", "measure", "value", "raw", "status", "unit", "loc", "positional",
         "confidence", "flag", "suggested"),
        # the rows live in primary-key order: no second b-tree of keys (229 -> ~120 bytes a value)
        without_rowid=True),
    "failed_checks": Table("未通过或无法校验的勾稽关系（规则见模板说明 §5）",
                           "Arithmetic checks that failed or could not be checked (rules: template §5)",
                           "id", ("id", "report_id", "rule", "scope", "expected", "actual", "status", "cells")),
    "codes": Table("代码表：每个代码的官方中文标签和英文名称（来自 pipelines/template.py）",
                   "Code table: each code's official Chinese label and English name (from pipelines/template.py)",
                   ("section", "kind", "code", "template"),
                   ("section", "kind", "code", "template", "label_zh", "name_en", "parent", "role", "sort")),
    "crosswalk": Table("2019 与 2021 格式对照：哪些行和列可跨格式比较（模板说明 §2c）",
                       "2019 ↔ 2021 crosswalk: which rows and columns compare across templates (template §2c)",
                       "id", ("id", "section", "kind", "code_2019", "code_2021", "label_2019", "label_2021",
                              "comparable", "note")),
    "crawl_runs": Table("每次爬取运行的汇总", "One row per crawl run", "run_id",
                        ("run_id", "started_at", "finished_at", "sources", "pages_fetched", "new", "changed",
                         "unchanged", "not_modified", "failures", "blocked")),
    "crawl_run_sources": Table("每次运行中每个来源的结果", "Per-source results of each run", ("run_id", "source_id"),
                               ("run_id", "source_id", "status", "ok", "pages_fetched", "new", "changed", "unchanged",
                                "not_modified", "failures", "failure_reasons", "blocked", "failed_urls",
                                "declared", "found", "missing", "column_counts", "monitors")),
    "source_health": Table(
        "每个来源的健康状况；“应交未交”：某机关有 Y−1 年度报告，而到 Y+1 年 3 月 31 日后仍无 Y 年度报告",
        "Health of each source. Expected but missing: an agency with a report for year Y−1 and none for year Y after 31 March of Y+1",
        "source_id", ("source_id", "name", "status", "last_run_at", "last_success_at", "last_new_report_at",
                      "consecutive_failures", "declared", "found", "missing", "monitors_failed", "reports",
                      "latest_year",
                      "due_year", "missing_reports", "missing_agencies", "computed_at")),
    "report_totals": Table(
        "每份报告的关键合计（由 report_values 预先计算，供排名和图表快速查询）；“拒绝”= 不予公开(三) + 不予处理(五)",
        "Key totals per report (precomputed from report_values for fast rankings and charts); refused = withheld (三) + rejected (五)",
        "report_id", ("report_id", "new_received", "carried_over", "results_total", "disclosed", "partially_disclosed",
                      "withheld", "unavailable", "rejected", "other_handling", "refused", "carried_forward",
                      "review_total", "review_corrected", "litigation_total", "litigation_corrected")),
    "agencies": Table("每个机关一行：稳定编号、历年名称、层级、行政区划（省→市→县→乡）、历年合计",
                      "One row per agency: stable id, names over the years, level, place by division code (province → city → county → township), totals over all years",
                      "agency_id",
                      ("agency_id", "agency", "level", "province_name", "city_name", "county_name", "township_name",
                       "placed", "names", "division_code", "province_code", "city_code", "county_code", "peer_division",
                       "region", "first_year", "last_year", "years", "new_received", "results_total", "refused",
                       "refused_share")),
    "agency_names": Table("报告中印出的每个机关名称及其所指的机关（错字、简称、全称都指向同一机关）",
                          "Every agency name a report printed, and the agency it names (misprints, abbreviations and full forms name the same one)",
                          "name", ("name", "agency_id", "spelled", "kind", "reports")),
    "agency_years": Table(
        "每个机关每年一行的汇总（最新版本，供排名、同比和图表）",
        "One row per agency and year (current versions): for rankings, year-over-year and charts",
        ("agency", "year"), ("agency", "year", "agency_id", "region", "level", "template", "reports", "report_id", "new_received",
                             "results_total", "disclosed", "withheld", "rejected", "refused", "refused_share",
                             "review_total", "litigation_total", "new_received_prev", "new_received_change",
                             "next_year_reported")),
    "year_summary": Table("全国（库中全部机关）逐年合计，供趋势图", "Totals per year over every agency in the database, for trend charts",
                          "year", ("year", "agencies", "reports", "new_received", "results_total", "refused",
                                   "refused_share", "review_total", "litigation_total", "reports_failing_checks")),
    "archive_problems": Table(
        "重建数据库时存档中无法使用的部分（被截断的 WARC 记录等）；其余完整记录照常使用",
        "What a rebuild could not use from the archive (a torn WARC record, ...); every complete record was used",
        "id", ("id", "warc_file", "offset", "record_index", "problem", "message", "record_id")),
}


def columns(table):
    return list(TABLES[table].fields)


def field(table, column):
    """The column's description in that table: its own where it has one, else the shared one."""
    return TABLE_FIELDS.get(table, {}).get(column) or FIELDS[column]
