"""Ground truth of the replica: every report it serves, where, in which form, with which values.

Tests compare what a crawl found against this. URLs are given in the https:// form of the real host
(the form a spider's registry holds); `Catalog.find` also accepts http:// and host-relative forms.

    replica.catalog.reports      -> [ReportEntry]   every report the replica serves (one entry per report,
                                                    duplicates listed in entry.urls, not as extra entries)
    replica.catalog.non_reports  -> {url}           detail pages of non-report columns (must not be crawled as reports)
    replica.catalog.dead_links   -> {url}           list links to pages that do not exist (soft 404)
    replica.catalog.obstacles    -> [dict]          each obstacle: kind, host, url(s), behaviour
    replica.catalog.columns      -> [ColumnInfo]    every list the replica serves, with its pages
"""
import threading
from dataclasses import asdict, dataclass, field
from urllib.parse import urlsplit


def canonical(url):
    """https://host/path?query, the one spelling of a URL the catalog uses."""
    parts = urlsplit(url)
    path = parts.path or "/"
    return f"https://{parts.hostname}{path}" + (f"?{parts.query}" if parts.query else "")


@dataclass
class ReportEntry:
    key: str                 # stable id, e.g. "public.zhengzhou.gov.cn/D41X/4700123"
    url: str                 # canonical URL: the detail page (https form)
    host: str
    column: str              # column code: D41X, D42Y, 02MC, col14251, zfxxgknb, ...
    platform: str            # zhengzhou | hanweb | trs | pingtan
    format: str              # the report content as served: html | pdf | docx | doc | image-pdf
    formats: list            # every form in which the content is served, e.g. ["html", "pdf", "docx"]
    agency: str
    year: int
    template: str            # "2021" | "2019" | "free"
    title: str
    truth: dict | None       # truth-file shape + meta; None when the only form needs OCR
    needs_ocr: bool = False
    urls: list = field(default_factory=list)         # every detail-page URL serving it (canonical first)
    attachments: list = field(default_factory=list)  # attachment URLs as linked from the detail page
    attachment_files: list = field(default_factory=list)  # where attachments end up (after the Hanweb 302)
    page_meta: dict = field(default_factory=dict)    # 索引号, 发布机构, 成文日期, 发布日期, title (as on the page)
    published: str = ""      # YYYY-MM-DD
    dept_id: str | None = None   # the d= of D42Y lists
    charset: str = "utf-8"   # encoding of the page bytes
    obstacle: str | None = None  # an obstacle on this report's page: see Catalog.obstacles
    reachable: bool = True   # False when no client can get it without solving a challenge/through a permanent error
    source: str = "generated"    # generated | seed:NNN | corpus:YYYY
    added: bool = False      # True for reports inserted by add_report()
    quirks: list = field(default_factory=list)  # page/content oddities: broken, spam, no-written-date, ...
    render: dict = field(default_factory=dict)  # render.Variation fields the inline HTML was rendered with

    def to_dict(self):
        return asdict(self)


@dataclass
class ColumnInfo:
    host: str
    column: str
    platform: str
    start_url: str           # first list page
    kind: str                # "report" | "non-report"
    pages: int = 1           # number of list pages at build time
    items: int = 0           # number of items listed

    def to_dict(self):
        return asdict(self)


class Catalog:
    def __init__(self, render_variations=True):
        self.render_variations = render_variations   # vary the inline report markup (see sites.common.variation_for)
        self.reports = []
        self.non_reports = set()
        self.dead_links = set()
        self.obstacles = []
        self.columns = []
        self._by_url = {}
        self._lock = threading.Lock()

    # -- building ---------------------------------------------------------------------------------

    def add(self, entry):
        with self._lock:
            self.reports.append(entry)
            for url in [entry.url, *entry.urls, *entry.attachments, *entry.attachment_files]:
                self._by_url[canonical(url)] = entry
        return entry

    def add_url(self, entry, url):
        """Another URL serving the same report (a duplicate)."""
        with self._lock:
            if url not in entry.urls:
                entry.urls.append(url)
            self._by_url[canonical(url)] = entry

    def obstacle(self, kind, host, **info):
        item = {"kind": kind, "host": host, **info}
        self.obstacles.append(item)
        return item

    # -- reading ----------------------------------------------------------------------------------

    def find(self, url, host=None):
        """The entry served at `url` (any scheme; a host-relative path needs `host`), else None."""
        if url.startswith("/") and host:
            url = f"https://{host}{url}"
        return self._by_url.get(canonical(url))

    def reachable(self):
        """Reports a crawler is expected to get (no challenge to solve, no permanent error)."""
        return [e for e in self.reports if e.reachable]

    def by_host(self, host):
        return [e for e in self.reports if e.host == host or any(urlsplit(u).hostname == host for u in e.urls)]

    def obstacles_of(self, kind):
        return [o for o in self.obstacles if o["kind"] == kind]

    def to_json(self):
        return {"reports": [e.to_dict() for e in self.reports],
                "non_reports": sorted(self.non_reports),
                "dead_links": sorted(self.dead_links),
                "obstacles": self.obstacles,
                "columns": [c.to_dict() for c in self.columns]}
