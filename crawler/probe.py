"""`nianbao probe URL`: what the crawler would make of a portal's column, for the operator adding it.

One start page is fetched (through the replica when given, the real host name in the request line
as `nianbao crawl --replica` does), its platform named by the fingerprints of platforms.md §0, and
that platform's spider run on it as the crawl would: the rows found against the column's declared
size and the list requests it would go on with (pager or list API). Where the start page lists no
report page itself (gkmlpt, JPaaS, Fujian's API), the first list request is fetched too. One report
page is then read (title, dates, publisher, 索引号, attachments) and parsed (do its tables come out?),
and a ready `sources.yaml` entry is printed. A page on no known platform is described (title, links,
scripts) and the probe fails.
"""
import re
import urllib.request
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.http import HtmlResponse, TextResponse

from pipelines.extract.charset import decode
from pipelines.parse import parse_bytes
from pipelines.records import CrawledDocument

# platforms.md §0, most specific first (a Fujian TRT page also carries TRS markers)
FINGERPRINTS = [
    ("fujian_trt", [r"list2\.trsapi", r"pageChnlInfo\s*=", r"/images/trt_ui_v2\.css", r"SiteInfo\s*=\s*\{[^}]*searchId"]),
    ("gkmlpt", [r"window\._CONFIG\s*=\s*\{[^<]*\bSID\s*:[^<]*\bTREE\s*:", r"/gkmlpt/"]),
    ("jpaas", [r"jpaas-publish-server", r"queryData\s*=\s*\"\{\s*'webId'"]),
    ("hanweb", [r"<datastore>", r"\.jpage\(\{\s*totalRecord", r"dataproxy\.jsp", r"ZJEG_RSS\.content"]),
    ("trs", [r"createPage(?:HTML)?\(", r"var\s+countPage\s*=", r"class=\"TRS_Editor\"", r"/\d{6}/t\d{8}_\d+\.s?html?"]),
    ("zhengzhou", [r"\.jhtml", r"[?&]a=path&(?:amp;)?p=D4", r"page-tile"]),
]


@dataclass
class Fetched:
    url: str
    status: int
    headers: dict
    body: bytes


@dataclass
class Probe:
    url: str
    platform: str | None = None
    evidence: list = field(default_factory=list)
    declared: int | None = None
    found: int = 0
    rows: list = field(default_factory=list)          # report page / file URLs found
    pager: list = field(default_factory=list)         # the list requests the crawl would go on with
    report: dict | None = None                        # one report page, read and parsed
    seen: dict = field(default_factory=dict)          # what the start page is: status, size, title, links


def fetch(url, replica=None, method="GET", body=None, headers=None, timeout=30):
    """One request; with `replica`, plain HTTP through it as a proxy (the real host in the request line)."""
    target = url
    handlers = []
    if replica:
        target = "http://" + url.split("://", 1)[1]
        handlers.append(urllib.request.ProxyHandler({"http": replica}))
    opener = urllib.request.build_opener(*handlers)
    request = urllib.request.Request(target, data=body, method=method, headers={
        "User-Agent": "nianbao-probe (+https://github.com/nianbao)", **(headers or {})})
    try:
        with opener.open(request, timeout=timeout) as resp:
            return Fetched(url, resp.status, dict(resp.headers.items()), resp.read())
    except urllib.error.HTTPError as e:
        return Fetched(url, e.code, dict(e.headers.items()), e.read())


def recognise(url, text):
    """(platform, the fingerprints that matched) or (None, [])."""
    for platform, patterns in FINGERPRINTS:
        hits = [p for p in patterns if re.search(p, url + "\n" + text)]
        if hits:
            return platform, hits
    return None, []


def as_response(fetched, request):
    cls = HtmlResponse if "html" in fetched.headers.get("Content-Type", "text/html") else TextResponse
    return cls(url=fetched.url, status=fetched.status, headers=fetched.headers, body=fetched.body, request=request)


def probe(url, replica=None):
    from .spiders import spiders_by_platform
    start = fetch(url, replica)
    text = decode(start.body, None)[0]
    result = Probe(url)
    result.platform, result.evidence = recognise(url, text)
    result.seen = describe(start, text)
    if result.platform is None:
        return result
    host = urlsplit(url).netloc
    source = {"id": "probe", "name": host, "region": "", "level": "", "platform": result.platform,
              "robots": "obey", "start_urls": [url], "allowed_hosts": [host], "politeness": {}}
    spider = spiders_by_platform()[result.platform](source=source)
    out = list(spider.parse_list(as_response(start, Request(url, meta={"column": url}))))
    lists = [r for r in out if isinstance(r, Request) and r.meta.get("kind") == "list"]
    result.pager = [describe_request(r) for r in lists]
    if not any(isinstance(r, Request) and r.meta.get("kind") in ("page", "document") for r in out) and lists:
        first = lists[0]  # the rows come from a list API: ask it once
        answer = fetch(first.url, replica, first.method, first.body or None, {k.decode(): v[0].decode()
                                                                               for k, v in first.headers.items()})
        out += list(spider.parse_list(as_response(answer, first)))
    counts = spider.column_counts()
    result.declared = next((c["declared"] for c in counts.values() if c["declared"] is not None), None)
    result.found = sum(c["found"] for c in counts.values())
    targets = [r for r in out if isinstance(r, Request) and r.meta.get("kind") in ("page", "document")]
    result.rows = [r.url for r in targets]
    if targets:
        result.report = read_report(spider, targets[0], replica)
    return result


def read_report(spider, request, replica):
    fetched = fetch(request.url, replica)
    response = as_response(fetched, request)
    if request.meta.get("kind") == "document":
        items, attachments = [], [request.url]
        data, name = fetched.body, request.url
    else:
        out = list(spider.parse_page(response))
        items = [o for o in out if isinstance(o, CrawledDocument)]
        attachments = [o.url for o in out if isinstance(o, Request)]
        data, name = fetched.body, request.url
    item = items[0] if items else None
    parsed = parse_bytes(data, name, fetched.headers.get("Content-Type", ""))
    values = sum(1 for section in ("proactive", "applications", "review_litigation") for _ in _cells(parsed.get(section)))
    return {"url": request.url, "status": fetched.status,
            "title": item.page_title if item else request.meta.get("list_title"),
            "published_date": item.published_date if item else None,
            "written_date": item.written_date if item else None,
            "publisher": item.publisher if item else None, "index_no": item.index_no if item else None,
            "attachments": attachments, "template": parsed.get("template"), "values": values,
            "tables_parse": bool(values) and parsed.get("template") not in (None, "free") and "error" not in parsed,
            "parse_error": parsed.get("error")}


def _cells(section):
    if isinstance(section, dict):
        for v in section.values():
            yield from _cells(v) if isinstance(v, dict) else ([v] if v is not None else [])


def describe(fetched, text):
    title = re.search(r"<title[^>]*>(.*?)</title>", text, re.S | re.I)
    return {"status": fetched.status, "bytes": len(fetched.body), "title": re.sub(r"\s+", " ", title.group(1)).strip()
            if title else None, "links": len(re.findall(r"<a\s[^>]*href", text, re.I)),
            "scripts": re.findall(r"<script[^>]+src=['\"]([^'\"]+)", text, re.I)[:8]}


def describe_request(request):
    text = f"{request.method} {request.url}"
    if request.method == "POST" and request.body:
        text += f"  form: {request.body.decode('utf-8', 'replace')}"
    return text


def registry_entry(result):
    host = urlsplit(result.url).hostname or "portal"
    source_id = re.sub(r"^www\.|\.gov\.cn$", "", host).replace(".", "-")
    name = (result.seen.get("title") or "").split("_")[-1].split("-")[-1].strip()
    return (f"  - id: {source_id}\n    name: {name or '# the portal name'}\n"
            f"    region: # 省/市/县\n    level: # province|city|county|district|township|department\n"
            f"    platform: {result.platform}\n    robots: obey\n    start_urls:\n      - {result.url}\n"
            f"    politeness: {{download_delay: 1.0}}\n")


def render(result):
    lines = [f"probe {result.url}"]
    if result.platform is None:
        s = result.seen
        lines += ["platform: not recognised (no fingerprint of a known platform)",
                  f"saw: HTTP {s['status']}, {s['bytes']} bytes, title {s['title']!r}, {s['links']} links, "
                  f"scripts {', '.join(s['scripts']) or 'none'}"]
        return "\n".join(lines)
    declared = "unknown" if result.declared is None else result.declared
    lines += [f"platform: {result.platform} (matched: {', '.join(result.evidence)})",
              f"rows: declared {declared}, found {result.found} so far"]
    lines += [f"pager: {p}" for p in result.pager[:5]] or ["pager: none (one page)"]
    if len(result.pager) > 5:
        lines.append(f"pager: … {len(result.pager)} list requests in all")
    r = result.report
    if r:
        lines += [f"report page: {r['url']} (HTTP {r['status']})", f"  title: {r['title']}",
                  f"  published: {r['published_date']}  written: {r['written_date']}",
                  f"  publisher: {r['publisher']}", f"  索引号: {r['index_no']}",
                  f"  attachments: {', '.join(r['attachments']) or 'none'}",
                  f"  tables parse: {'yes' if r['tables_parse'] else 'no'} (template {r['template']}, "
                  f"{r['values']} values{', ' + r['parse_error'] if r['parse_error'] else ''})"]
    else:
        lines.append("report page: none found")
    lines += ["sources.yaml entry:", registry_entry(result)]
    return "\n".join(lines)
