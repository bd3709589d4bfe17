"""The site's pages: Chinese search on the reports table, the stylesheet, and wide views that skip
their count.

- ?_search= on reports: 1-2 character terms through the bigram index, longer ones through trigram; a
  term found in more than 20,000 reports is counted over its newest 20,000 matches (the page says so).
- An unfiltered wide view is shown without its row count (counting computes the whole view).
"""
import re
from urllib.parse import parse_qsl, urlencode

from datasette import hookimpl
from datasette.filters import FilterArguments

from db import search
from db.datasette import config


@hookimpl
def extra_css_urls():
    return ["/nb-static/site.css"]


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
        cap = int(config(datasette).get("search_cap") or CAP)
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
        async def without_view_count(scope, receive, send):
            if scope.get("type") == "http":
                scope = _skip_view_count(scope)
            return await app(scope, receive, send)
        return without_view_count
    return wrap
