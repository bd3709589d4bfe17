"""A report's own page, /report/<id>: its three tables as printed, every number a link to its cell in the
archived original, failing checks at their cells, last year's figures, peers, versions; /report/<id>.csv
and .json give its cells. Every report id the site shows (tables, search results, canned queries) links
here (render_cell).
"""
import csv
import html
import io
from urllib.parse import urlencode

from datasette import hookimpl
from datasette.utils.asgi import NotFound, Response
from markupsafe import Markup

from db import report, routes
from db.datasette import database

# columns that hold a report version's id, wherever they appear
REPORT_ID_COLUMNS = {"report_id", "last_report_id"}


async def _load(datasette, report_id):
    page = await database(datasette).execute_fn(lambda conn: report.load(conn, report_id))
    if page is None:
        raise NotFound(f"没有这份报告 · No report {report_id}")
    return page


def _links(datasette, page):
    db = database(datasette).name
    r, entity = page["report"], page["agency"] or {}
    agency = entity.get("agency") or r["agency"] or ""
    place = entity.get("county_name") or entity.get("city_name") or entity.get("province_name")
    return {
        "agency": f"{datasette.urls.database(db)}/agency_history?{urlencode({'agency': agency})}",
        "entity": f"{datasette.urls.table(db, 'agencies')}/{entity['agency_id']}" if entity else None,
        "chart": f"/-/dashboards/agency?{urlencode({'agency': agency})}",
        "place": f"{datasette.urls.database(db)}/agencies_in?{urlencode({'place': place})}" if place else None,
        "row": f"{datasette.urls.table(db, 'reports')}/{r['id']}",
        "original": routes.report_original_path(r["id"]),
        "csv": routes.report_path(r["id"], "csv"), "json": routes.report_path(r["id"], "json"),
        "peers": f"{datasette.urls.database(db)}/peers?{urlencode({'report_id': r['id']})}",
    }


async def report_page(request, datasette):
    page = await _load(datasette, int(request.url_vars["report_id"]))
    context = dict(page, links=_links(datasette, page), report_path=routes.report_path)
    return Response.html(await datasette.render_template("report.html", context, request=request))


async def report_data(request, datasette):
    page = await _load(datasette, int(request.url_vars["report_id"]))
    rows = report.cell_rows(page)
    if request.url_vars["format"] == "json":
        checks = [{k: v for k, v in c.items() if k != "cells"} | {"cells": [".".join(k) for k in c["cells"]]}
                  for c in page["checks"]]
        return Response.json({"report": page["report"], "layout": page["layout"], "previous": page["previous"],
                              "cells": rows, "checks": checks, "versions": page["versions"],
                              "copies": page["copies"]}, default=str)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=report.CELL_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    # the BOM for Excel is added by csv_bom, as for every CSV of the site
    return Response(out.getvalue(), status=200, content_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="report-{page["report"]["id"]}.csv"'})


@hookimpl
def register_routes():
    return [(routes.REPORT_PAGE, report_page), (routes.REPORT_DATA, report_data)]


def _report_link(report_id, text):
    href = routes.report_path(report_id)
    return Markup(f'<a class="nb-report" href="{html.escape(href)}" title="报告页 · the report as printed">'
                  f'{html.escape(str(text))}</a>')


def _id(value):
    if isinstance(value, dict):  # an expanded foreign key: {"value": id, "label": title}
        value = value.get("value")
    return value if isinstance(value, int) else None


@hookimpl
def render_cell(row, value, column, table):
    if column in REPORT_ID_COLUMNS and _id(value) is not None:
        label = value.get("label") if isinstance(value, dict) else None
        return _report_link(_id(value), label or value)
    if table == "reports" and column == "title" and value and _id(row["id"]) is not None:
        return _report_link(_id(row["id"]), value)
    return None
