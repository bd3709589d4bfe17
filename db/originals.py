"""Archived originals made safe to show: scraped pages never run anything in a reader's browser.

The sanitizer removes every element that can run code or load another document, every event
handler and every javascript:/vbscript:/data: link; the Content-Security-Policy the plugin sends
(no scripts, no outside requests, sandboxed) is the second line of defence. A banner says what the
page is, and the cell a value came from is highlighted (id "nb-cell").
"""
import html
import json
import re
from urllib.parse import urljoin

import lxml.html
from lxml import etree

from pipelines.extract.charset import decode
from pipelines.extract.html import own_rows, page_tables, parse_markup, parse_page, row_cells, table_rows

DROP = {"script", "noscript", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "link",
        "meta", "template", "portal", "param", "audio", "video", "source", "track"}
URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "background", "poster", "data", "cite",
             "longdesc", "lowsrc", "dynsrc", "usemap", "codebase", "manifest", "srcset", "ping"}
_BAD_SCHEME = re.compile(r"^\s*(javascript|vbscript|data|file|blob):", re.I)
HIGHLIGHT = "outline:3px solid #d00;background:#fff3a0"
EXTENSIONS = {"pdf": "pdf", "docx": "docx", "doc": "doc", "wps": "wps", "xls": "xls", "xlsx": "xlsx",
              "image": "bin", "zip": "zip"}


def banner(report, loc, back):
    where = f" · 单元格位置 cell {html.escape(json.dumps(loc))}" if loc else ""
    return (f'<div style="font:14px/1.5 sans-serif;background:#fffbe6;border:1px solid #e0c000;padding:8px 12px;'
            f'margin:0 0 12px">存档原件（已移除脚本）· Archived original, scripts removed · '
            f'<a href="{html.escape(report["url"] or "")}" rel="noopener noreferrer">原网址 source URL</a> · '
            f'抓取 fetched {html.escape(report["fetched_at"] or "")} · SHA-256 {report["sha256"][:16]}…{where} · '
            f'<a href="{html.escape(back)}">返回报告 back to the report</a></div>')


def sanitize(root, base_url):
    """Remove in place everything that can run code or fetch another document."""
    for el in list(root.iter(etree.Comment, etree.ProcessingInstruction)):
        el.drop_tree() if el.getparent() is not None else None
    for el in list(root.iter()):
        if not isinstance(el.tag, str):
            continue
        if el.tag.lower().split("}")[-1] in DROP:
            el.drop_tree()
            continue
        for name in list(el.attrib):
            value = el.attrib[name]
            lower = name.lower()
            if lower.startswith("on") or lower in ("srcdoc", "formaction", "action", "ping", "srcset"):
                del el.attrib[name]
            elif _BAD_SCHEME.match(value) and not (el.tag == "img" and value.startswith("data:image/")):
                del el.attrib[name]  # whatever the attribute: even a misspelt one never keeps a script URL
            elif lower in URL_ATTRS:
                if el.tag == "a" and lower == "href" and base_url:
                    el.attrib[name] = urljoin(base_url, value)
            elif lower == "style" and ("expression" in value.lower() or "url(" in value.lower()):
                del el.attrib[name]
    return root


def highlight(text, loc):
    """The page with the cell at loc {table, row, col} marked, found on the tree the extractor numbered
    its cells on (same parser, same numbering)."""
    if not loc or "table" not in loc:
        return text
    tree = parse_page(text)
    try:
        t, r = int(loc["table"]), int(loc["row"])
        table = page_tables(tree)[t]
        own = [c for c in table_rows(table, t)[r] if not c.spanned]
        k = next(i for i, c in enumerate(own) if c.loc["col"] == int(loc["col"]))
        td = list(row_cells(list(own_rows(table))[r]))[k]
    except (IndexError, KeyError, ValueError, TypeError, StopIteration):
        return text
    td.attrs["id"] = "nb-cell"
    td.attrs["style"] = HIGHLIGHT
    return tree.html


def sanitized_html(body, report, loc, back):
    text, _encoding = decode(body)
    root = parse_markup(highlight(text, loc))  # marked before sanitizing, where the extractor counted
    sanitize(root, report["url"])
    body_el = root.find("body")
    if body_el is None:
        body_el = root
    head = root.find("head")
    if head is None:
        head = etree.Element("head")
        root.insert(0, head)
    head.insert(0, lxml.html.fragment_fromstring('<meta charset="utf-8">'))
    body_el.insert(0, lxml.html.fragment_fromstring(banner(report, loc, back)))
    return "<!doctype html>\n" + lxml.html.tostring(root, encoding="unicode")


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
