"""Our Datasette plugin: archived originals, Chinese search, CSV for Excel, links to the originals.

- /-/original/{sha256} and /-/original/report/{id}: the archived document. HTML and text are served
  sanitized (scripts, frames, objects, event handlers and javascript: links removed) under a
  Content-Security-Policy that forbids scripts and every outside request, so a scraped page can never
  run code in a reader's browser. PDF, DOCX and other files are served as downloads only.
- ?_search= on reports: 1-2 character terms through the bigram index, longer ones through trigram; a
  term found in more than 20,000 reports is counted over its newest 20,000 matches (the page says so).
- CSV starts with a UTF-8 byte-order mark, without which Excel in Chinese locales garbles the text;
  ?_bom=0 leaves it out for scripts.
- archived_original cells and report_values.loc cells become links to the original.
- An unfiltered wide view is shown without its row count (counting computes the whole view).
"""
import codecs
import html
import json
import re
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlencode

from datasette import hookimpl
from datasette.filters import FilterArguments
from datasette.utils.asgi import Response
from markupsafe import Markup

from db import originals, search

CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; base-uri 'none'; "
       "frame-ancestors 'none'; sandbox allow-popups allow-popups-to-escape-sandbox")
SAFE_HEADERS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff",
                "Referrer-Policy": "no-referrer", "Cache-Control": "public, max-age=86400"}
ORIGINAL_PREFIX = "/-/original/"


def _config(datasette):
    return datasette.plugin_config("nianbao") or {}


def _database(datasette):
    name = _config(datasette).get("database")
    return datasette.get_database(name) if name in datasette.databases else datasette.get_database()


# --- archived originals ---------------------------------------------------------------------------

async def _report_for(datasette, where, params):
    rows = await _database(datasette).execute(
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
    archive_dir = _config(datasette).get("archive_dir")
    blob = Path(archive_dir or "") / "blobs" / report["sha256"][:2] / report["sha256"]
    if not archive_dir or not blob.is_file():
        return _error(404, "存档文件不在此服务器上 · The archive file is not on this server")
    body = blob.read_bytes()
    loc = _loc(request.args.get("loc"))
    back = f"{datasette.urls.table(_database(datasette).name, 'reports')}/{report['id']}"
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
    return [
        (r"^/-/original/(?P<sha256>[0-9a-f]{64})$", original_by_sha),
        (r"^/-/original/report/(?P<report_id>[0-9]{1,12})$", original_by_report),
    ]


@hookimpl
def extra_css_urls():
    return ["/nb-static/site.css"]


# --- links to the originals -----------------------------------------------------------------------

@hookimpl
def render_cell(row, value, column, table):
    if column == "archived_original" and isinstance(value, str) and value.startswith(ORIGINAL_PREFIX):
        return Markup(f'<a href="{html.escape(value)}">存档原件 original</a>')
    if table == "report_values" and column == "loc" and value:
        report_id = row["report_id"]
        if isinstance(report_id, dict):  # expanded foreign key: {"value": id, "label": title}
            report_id = report_id["value"]
        href = f"{ORIGINAL_PREFIX}report/{int(report_id)}?loc={quote(value)}#nb-cell"
        return Markup(f'<a href="{html.escape(href)}" title="在存档原件中查看 · see it in the archived original">'
                      f'{html.escape(str(value))}</a>')
    return None


# --- Chinese search on the reports table ----------------------------------------------------------

# A term found in more reports than this (公开, 不予公开: template labels are in every report) has its
# count and facets computed over its newest CAP matches, and the page says so: otherwise the count and
# each facet would go over a million matches (seconds) for a term that tells nothing apart.
CAP = 20000


@hookimpl(trylast=True)  # last, so that our supports_search wins over Datasette's own (no FTS found)
def filters_from_request(request, table, database, datasette):
    if table != "reports":
        return None
    query = request.args.get("_search", "")

    async def inner():
        context = {"supports_search": True, "search": query}
        groups = search.match_groups(query)
        if not groups:
            return FilterArguments([], {}, [], context)
        db = datasette.get_database(database)
        cap = int(_config(datasette).get("search_cap") or CAP)
        common = []
        for table_name, expression in groups:
            found = await db.execute(f"select count(*) from (select rowid from {table_name} where {table_name} "
                                     f"match ? limit {cap + 1})", [expression])
            common.append(found.single_value() > cap)
        where, params = [], {}
        human = [f'全文包含 search matches "{query}"']
        for i, ((table_name, expression), is_common) in enumerate(zip(groups, common)):
            key = f"nb_match_{i}"
            params[key] = expression
            if all(common):
                where.append(search.in_clause(table_name, key, cap=cap))
            elif is_common:
                where.append(search.exists_clause(table_name, key))
            else:
                where.append(search.in_clause(table_name, key))
        if all(common):
            human.append(f"超过 {cap:,} 份报告包含此词：计数和分面只统计最新的 {cap:,} 份 · more than {cap:,} "
                         f"reports match: the count and facets cover the newest {cap:,}")
        return FilterArguments(where, params, human, context)

    return inner


# --- CSV with a byte-order mark -------------------------------------------------------------------

def _wants_bom(scope):
    pairs = parse_qsl(scope.get("query_string", b"").decode("utf-8", "replace"), keep_blank_values=True)
    is_csv = scope["path"].endswith(".csv") or ("_format", "csv") in pairs
    keep = dict(pairs).get("_bom", "1").lower() not in ("0", "off", "false", "no")
    if any(k == "_bom" for k, _ in pairs):
        scope = dict(scope, query_string=urlencode([(k, v) for k, v in pairs if k != "_bom"]).encode())
    return is_csv and keep, scope


_WIDE_VIEW = re.compile(r"^/[^/]+/(proactive|applications|review_litigation)_wide(\.json|\.csv)?$")


def _skip_view_count(scope):
    """An unfiltered wide view has a row per report and table row: counting them computes the whole
    view (seconds on a million reports), so such a page is shown without its count."""
    if not _WIDE_VIEW.match(scope["path"]):
        return scope
    pairs = parse_qsl(scope.get("query_string", b"").decode("utf-8", "replace"), keep_blank_values=True)
    if any(not k.startswith("_") for k, _ in pairs) or any(k == "_nocount" for k, _ in pairs):
        return scope
    return dict(scope, query_string=urlencode(pairs + [("_nocount", "1")]).encode())


@hookimpl
def asgi_wrapper():
    def wrap(app):
        async def with_bom(scope, receive, send):
            if scope.get("type") != "http":
                return await app(scope, receive, send)
            scope = _skip_view_count(scope)
            bom, scope = _wants_bom(scope)
            if not bom:
                return await app(scope, receive, send)
            state = {"ok": False, "done": False}

            async def send_with_bom(message):
                if message["type"] == "http.response.start":
                    state["ok"] = message["status"] == 200
                    if state["ok"]:  # the body grows by three bytes
                        message = dict(message, headers=[(k, v) for k, v in message.get("headers", [])
                                                         if k.lower() != b"content-length"])
                elif message["type"] == "http.response.body" and state["ok"] and not state["done"]:
                    state["done"] = True
                    message = dict(message, body=codecs.BOM_UTF8 + message.get("body", b""))
                await send(message)

            return await app(scope, receive, send_with_bom)
        return with_bom
    return wrap
