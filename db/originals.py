"""Archived originals made safe to show: scraped pages never run anything in a reader's browser.

The page goes through nh3 (Ammonia, an allow-list HTML sanitizer built on html5ever, the browsers'
parsing algorithm): only the tags and attributes a report needs are kept (tables, text, links and
images), every URL must be http(s), mailto or relative, inline styles keep only layout and colour
properties, and whatever is not on the list goes, with the content of script/style/title. Parsing as
a browser does is what defeats the mutation tricks (<svg><style><img onerror>, <math> forms) a
hand-written block-list missed. The Content-Security-Policy the plugin sends (no scripts, no outside
requests, sandboxed) stays as the second wall. A banner says what the page is, and the cell a value
came from is highlighted (id "nb-cell", the only id kept).
"""
import html
import json
import re
from urllib.parse import urljoin

import nh3

from pipelines.extract.charset import decode
from pipelines.extract.html import own_rows, page_tables, parse_page, row_cells, table_rows

HIGHLIGHT = "outline:3px solid #d00;background-color:#fff3a0"
MARK = "nb-cell"
EXTENSIONS = {"pdf": "pdf", "docx": "docx", "doc": "doc", "wps": "wps", "xls": "xls", "xlsx": "xlsx",
              "image": "bin", "zip": "zip"}

TAGS = nh3.ALLOWED_TAGS | {"font", "tfoot"}
_CELL = {"align", "valign", "width", "height", "bgcolor", "nowrap", "style"}
ATTRIBUTES = {**{tag: set(names) for tag, names in nh3.ALLOWED_ATTRIBUTES.items()},
              "*": {"style", "title", "lang", "dir"},
              "td": set(nh3.ALLOWED_ATTRIBUTES["td"]) | _CELL | {"id"},
              "th": set(nh3.ALLOWED_ATTRIBUTES["th"]) | _CELL | {"id"},
              "table": set(nh3.ALLOWED_ATTRIBUTES["table"]) | {"border", "cellpadding", "cellspacing", "width",
                                                                 "bgcolor", "style"},
              "font": {"color", "size", "face"}}
URL_SCHEMES = {"http", "https", "mailto"}
_STYLE_CODE = re.compile(r"url\s*\(|expression|image-set|\\|@import|javascript:|behavior", re.I)
# no shorthand that takes a url() (background, list-style, border-image): nothing is fetched
STYLE_PROPERTIES = {"color", "background-color", "text-align", "vertical-align", "font-weight",
                    "font-style", "font-size", "font-family", "text-decoration", "width", "height", "border",
                    "border-collapse", "border-width", "border-style", "border-color", "padding", "margin",
                    "line-height", "white-space", "outline"}


def banner(report, loc, back):
    where = f" · 单元格位置 cell {html.escape(json.dumps(loc))}" if loc else ""
    return (f'<div style="font:14px/1.5 sans-serif;background:#fffbe6;border:1px solid #e0c000;padding:8px 12px;'
            f'margin:0 0 12px">存档原件（已移除脚本）· Archived original, scripts removed · '
            f'<a href="{html.escape(report["url"] or "")}" rel="noopener noreferrer">原网址 source URL</a> · '
            f'抓取 fetched {html.escape(report["fetched_at"] or "")} · SHA-256 {report["sha256"][:16]}…{where} · '
            f'<a href="{html.escape(back)}">返回报告 back to the report</a></div>')


def sanitize(markup, base_url=None):
    """Markup (a page or a fragment) to the body content that is safe to show."""
    def keep(tag, attribute, value):
        if attribute == "id":  # our highlight only: page ids could clobber or confuse
            return value if value == MARK else None
        if attribute == "style" and _STYLE_CODE.search(value):  # IE's expression(), url(), CSS escapes
            return None
        if attribute == "src":  # the CSP lets no image load from anywhere: no request is even tried
            return None
        if base_url and attribute == "href":
            joined = urljoin(base_url, value)  # links lead to the portal, not into this site
            return joined if joined.split(":", 1)[0].lower() in URL_SCHEMES else None
        return value

    return nh3.clean(markup, tags=TAGS, clean_content_tags={"script", "style", "title", "noscript", "template",
                                                            "textarea", "select", "iframe", "object", "svg",
                                                            "math"},
                     attributes=ATTRIBUTES, attribute_filter=keep, url_schemes=URL_SCHEMES,
                     filter_style_properties=STYLE_PROPERTIES, strip_comments=True,
                     link_rel="noopener noreferrer nofollow")


def highlight(tree, loc):
    """Mark the cell at loc {table, row, col} on the lexbor tree the extractor numbered its cells on
    (same parser, same numbering); True when it was found."""
    if not loc or "table" not in loc:
        return False
    try:
        t, r = int(loc["table"]), int(loc["row"])
        table = page_tables(tree)[t]
        own = [c for c in table_rows(table, t)[r] if not c.spanned]
        k = next(i for i, c in enumerate(own) if c.loc["col"] == int(loc["col"]))
        td = list(row_cells(list(own_rows(table))[r]))[k]
    except (IndexError, KeyError, ValueError, TypeError, StopIteration):
        return False
    td.attrs["id"] = MARK
    td.attrs["style"] = HIGHLIGHT
    return True


def sanitized_html(body, report, loc, back):
    text, _encoding = decode(body)
    tree = parse_page(text)
    highlight(tree, loc)  # marked before sanitizing, where the extractor counted
    title_node = tree.css_first("title")
    title = html.escape(title_node.text(strip=True) if title_node else report.get("title") or report["url"] or "")
    content = sanitize(tree.body.html if tree.body is not None else tree.html, report["url"])
    return (f'<!doctype html>\n<html><head><meta charset="utf-8"><title>{title}</title></head><body>'
            f"{banner(report, loc, back)}{content}</body></html>")


def text_page(body, report, loc, back):
    text, _encoding = decode(body)
    line = int(loc["line"]) if loc and str(loc.get("line", "")).isdigit() else None
    out = []
    for n, content in enumerate(text.split("\n"), 1):
        content = html.escape(content)
        if n == line:
            content = f'<span id="nb-cell" style="{HIGHLIGHT}">{content}</span>'
        out.append(f'<span id="L{n}">{content}</span>')
    title = html.escape(report.get("title") or report["url"] or "")
    return (f'<!doctype html><html><head><meta charset="utf-8"><title>{title}</title></head><body>'
            f'{banner(report, loc, back)}<pre style="white-space:pre-wrap">' + "\n".join(out) + "</pre></body></html>")


def download_name(report):
    ext = EXTENSIONS.get(report.get("format") or "", "bin")
    return f"{report['sha256'][:16]}.{ext}"
