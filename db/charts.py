"""Charts that show without a click: datasette-dashboards pages (/-/dashboards/<slug>) defined here as
Vega-Lite specifications over the summary tables, with Chinese and English titles. db.metadata writes
them into the plugin's configuration. The plugin serves vega, vega-lite and vega-embed from its own
package (no CDN), so the charts draw offline.

Each query gives a default where the filter is empty, so a page opened bare still draws a chart.
"""

# the agency whose history is shown when none is chosen: the one with the most years, then requests
DEFAULT_AGENCY = "(select agency from agencies order by years desc, new_received desc limit 1)"
# the year shown when none is chosen: the one most agencies reported figures for (the latest year may
# hold the first few reports only), the later on a tie
BUSIEST_YEAR = ("(select year from year_summary where results_total is not null "
                "order by agencies desc, year desc limit 1)")
# an agency's province by division code (db/agencies.py); bodies no division places are counted apart
REGION = "coalesce(g.province_name, '未定位 unplaced')"


def _axis(zh, en):
    return f"{zh} {en}"


def _line(x, y, y_zh, y_en, y_format=None, color=None):
    y_enc = {"field": y, "type": "quantitative", "title": _axis(y_zh, y_en)}
    if y_format:
        y_enc["axis"] = {"format": y_format}
    encoding = {"x": {"field": x, "type": "ordinal", "title": "年度 Year"}, "y": y_enc,
                "tooltip": [{"field": x, "type": "ordinal"}, {"field": y, "type": "quantitative"}]}
    if color:
        encoding["color"] = {"field": color, "type": "nominal", "title": None}
    return {"mark": {"type": "line", "point": True, "tooltip": True}, "encoding": encoding}


def _bar(x, x_zh, x_en, y, y_zh, y_en, y_format=None):
    y_enc = {"field": y, "type": "quantitative", "title": _axis(y_zh, y_en)}
    if y_format:
        y_enc["axis"] = {"format": y_format}
    return {"mark": {"type": "bar", "tooltip": True},
            "encoding": {"x": {"field": x, "type": "nominal", "sort": "-y", "title": _axis(x_zh, x_en)}, "y": y_enc}}


def dashboards(database):
    """The plugin's configuration: {slug: dashboard}; database: the name the site serves the file under."""
    def chart(title_zh, title_en, sql, display):
        return {"title": f"{title_zh} · {title_en}", "db": database, "query": sql, "library": "vega-lite",
                "display": display}

    return {
        "national-trend": {
            "title": "全国逐年趋势 · National trend by year",
            "description": "库中全部机关逐年合计（每个机关每年计一份报告）。Totals per year over every agency in the database "
                           "(each agency's report counts once a year).",
            "layout": [["requests", "refused-share"], ["reviews", "reports"]],
            "charts": {
                "requests": chart("收到和办结的申请", "Applications received and answered",
                                  "select year, '新收 received' as measure, new_received as value from year_summary "
                                  "union all select year, '办结 answered', results_total from year_summary order by year",
                                  _line("year", "value", "件数", "count", color="measure")),
                "refused-share": chart("拒绝比例", "Share refused",
                                       "select year, refused_share from year_summary where refused_share is not null "
                                       "order by year", _line("year", "refused_share", "拒绝比例", "share refused", ".0%")),
                "reviews": chart("行政复议和行政诉讼", "Reviews and lawsuits",
                                 "select year, '行政复议 reviews' as measure, review_total as value from year_summary "
                                 "union all select year, '行政诉讼 lawsuits', litigation_total from year_summary order by year",
                                 _line("year", "value", "件数", "count", color="measure")),
                "reports": chart("报告数和未通过校验的报告", "Reports, and reports failing checks",
                                 "select year, '报告 reports' as measure, reports as value from year_summary union all "
                                 "select year, '未通过校验 failing checks', reports_failing_checks from year_summary order by year",
                                 _line("year", "value", "份数", "reports", color="measure")),
            },
        },
        "agency": {
            "title": "一个机关的历史 · An agency's history",
            "description": "选择一个机关（留空为报告年度最多的机关）。Choose an agency (empty: the one with the most years).",
            "layout": [["requests", "refused-share"], ["reviews", "reviews"]],
            "filters": {"agency": {"name": "机关 Agency", "type": "select", "db": database,
                                   "query": "select agency from agencies order by agency"}},
            "charts": {
                "requests": chart("新收申请", "Applications received",
                                  f"select year, new_received from agency_years where agency = "
                                  f"coalesce(nullif(:agency, ''), {DEFAULT_AGENCY}) order by year",
                                  _line("year", "new_received", "新收申请", "received")),
                "refused-share": chart("拒绝比例", "Share refused",
                                       f"select year, refused_share from agency_years where agency = "
                                       f"coalesce(nullif(:agency, ''), {DEFAULT_AGENCY}) and refused_share is not null "
                                       f"order by year", _line("year", "refused_share", "拒绝比例", "share refused", ".0%")),
                "reviews": chart("行政复议和行政诉讼", "Reviews and lawsuits",
                                 f"select year, '行政复议 reviews' as measure, review_total as value from agency_years "
                                 f"where agency = coalesce(nullif(:agency, ''), {DEFAULT_AGENCY}) union all "
                                 f"select year, '行政诉讼 lawsuits', litigation_total from agency_years "
                                 f"where agency = coalesce(nullif(:agency, ''), {DEFAULT_AGENCY}) order by year",
                                 _line("year", "value", "件数", "count", color="measure")),
            },
        },
        "refusals": {
            "title": "按层级和地区的拒绝比例 · Share refused by level and region",
            "description": "拒绝 = 不予公开 + 不予处理，比例 = 拒绝 ÷ 办理结果总计；年度留空为报告机关最多的年度。Refused = withheld + "
                           "not processed, as a share of applications answered; empty year: the year most agencies reported.",
            "layout": [["by-level", "by-region"]],
            "filters": {"year": {"name": "年度 Year", "type": "select", "db": database,
                                 "query": "select year from year_summary order by year desc"}},
            "charts": {
                "by-level": chart("按行政层级", "By administrative level",
                                  f"select level, sum(refused) * 1.0 / nullif(sum(results_total), 0) as refused_share "
                                  f"from agency_years where year = coalesce(nullif(:year, ''), {BUSIEST_YEAR}) + 0 "
                                  f"and results_total > 0 group by level",
                                  _bar("level", "行政层级", "level", "refused_share", "拒绝比例", "share refused", ".0%")),
                "by-region": chart("按省份", "By province",
                                   f"select {REGION} as region, sum(a.refused) * 1.0 / nullif(sum(a.results_total), 0) "
                                   f"as refused_share from agency_years a left join agencies g on g.agency_id = a.agency_id "
                                   f"where a.year = coalesce(nullif(:year, ''), {BUSIEST_YEAR}) + 0 "
                                   f"and a.results_total > 0 group by 1",
                                   _bar("region", "省份", "province", "refused_share", "拒绝比例", "share refused", ".0%")),
            },
        },
    }
