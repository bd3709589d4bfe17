"""Archived originals: every report and every value links back to the document it came from.

- /-/original/{sha256} and /-/original/report/{id}: the archived document. HTML and text are served
  sanitized (db.originals) under a Content-Security-Policy that forbids scripts and every outside
  request, so a scraped page can never run code in a reader's browser. PDF, DOCX and other files are
  served as downloads only.
- archived_original cells and report_values.loc cells become links to the original (the cell
  highlighted).
"""
import html
import json

from datasette import hookimpl
from datasette.utils.asgi import Response
from markupsafe import Markup

from db import originals, routes
from db.datasette import archive_dir, database
from pipelines.archive import blob_path

CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; base-uri 'none'; "
       "frame-ancestors 'none'; sandbox allow-popups allow-popups-to-escape-sandbox")
SAFE_HEADERS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff",
                "Referrer-Policy": "no-referrer", "Cache-Control": "public, max-age=86400"}


async def _report_for(datasette, where, params):
    rows = await database(datasette).execute(
        f"select id, sha256, url, content_type, format, fetched_at, agency, year, title from reports "
        f"where {where} order by id desc limit 1", params)
    return dict(rows.first()) if rows.first() else None


async def original_by_sha(request, datasette):
    report = await _report_for(datasette, "sha256 = ?", [request.url_vars["sha256"]])
    return await _serve(datasette, report, request)


async def original_by_report(request, datasette):
    report = await _report_for(datasette, "id = ?", [int(request.url_vars["report_id"])])
    return await _serve(datasette, report, request)


async def _serve(datasette, report, request):
    if report is None:
        return _error(404, "没有这份存档原件 · No such archived original in this database")
    archive = archive_dir(datasette)
    blob = blob_path(archive, report["sha256"]) if archive else None
    if blob is None or not blob.is_file():
        return _error(404, "存档文件不在此服务器上 · The archive file is not on this server")
    body = blob.read_bytes()
    loc = _loc(request.args.get("loc"))
    back = routes.report_path(report["id"])  # back to the report as printed
    fmt = report["format"] or ""
    if fmt == "html":
        page = originals.sanitized_html(body, report, loc, back)
    elif fmt == "text":
        page = originals.text_page(body, report, loc, back)
    else:
        return Response(body, status=200, content_type="application/octet-stream", headers={
            **SAFE_HEADERS, "Content-Disposition": f'attachment; filename="{originals.download_name(report)}"'})
    return Response(page.encode("utf-8"), status=200, content_type="text/html; charset=utf-8",
                    headers=SAFE_HEADERS)


def _loc(value):
    try:
        loc = json.loads(value) if value else None
    except ValueError:
        return None
    return loc if isinstance(loc, dict) else None


def _error(status, message):
    return Response(f"<!doctype html><meta charset='utf-8'><p>{html.escape(message)}</p>".encode(),
                    status=status, content_type="text/html; charset=utf-8", headers=SAFE_HEADERS)


@hookimpl
def register_routes():
    return [(routes.ORIGINAL_BY_SHA, original_by_sha), (routes.ORIGINAL_BY_REPORT, original_by_report)]


@hookimpl
def render_cell(row, value, column, table):
    if column == "archived_original" and isinstance(value, str) and value.startswith(routes.ORIGINAL_PREFIX):
        return Markup(f'<a href="{html.escape(value)}">存档原件 original</a>')
    if table == "report_values" and column == "loc" and value:
        report_id = row["report_id"]
        if isinstance(report_id, dict):  # expanded foreign key: {"value": id, "label": title}
            report_id = report_id["value"]
        href = routes.report_original_path(report_id, value)
        return Markup(f'<a href="{html.escape(href)}" title="在存档原件中查看 · see it in the archived original">'
                      f'{html.escape(str(value))}</a>')
    return None
