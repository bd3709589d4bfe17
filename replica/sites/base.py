"""The shape every replica site has: columns of list items, documents by path, and the catalog link."""
import threading
from dataclasses import dataclass, field

from replica.catalog import ColumnInfo, ReportEntry
from replica.sites.common import (FILE_EXT, FILE_TYPES, content_disposition, published_at, report_file,
                                        truth_of, variation_for)


@dataclass
class Item:
    """One line of a list page."""
    title: str
    href: str                 # as written in the list (absolute, root-relative or ./relative)
    date: str                 # YYYY-MM-DD
    entry: ReportEntry | None = None
    dept: str | None = None   # D42Y department id
    sort_key: tuple = ()      # newest first


@dataclass
class Column:
    code: str
    name: str
    kind: str = "report"      # "report" | "non-report"
    items: list = field(default_factory=list)

    def sort(self):
        # A new list, swapped in at once: a list page rendered meanwhile never sees a half-sorted list.
        self.items = sorted(self.items, key=lambda i: i.sort_key, reverse=True)

    def add(self, item):
        """Insert in date order, newest first; readers see the old list or the new one, never a mix."""
        self.items = sorted([*self.items, item], key=lambda i: i.sort_key, reverse=True)


class Site:
    platform = ""
    robots = None             # robots.txt text; None = 404
    addable = ()              # columns add_report() can grow

    def __init__(self, host, catalog):
        self.host = host
        self.catalog = catalog
        self.columns = {}
        self.docs = {}        # path -> Resource
        self.lock = threading.Lock()

    def handle(self, request):
        raise NotImplementedError

    def add_report(self, column):
        raise NotImplementedError(f"{self.host} cannot add reports")

    def column_info(self, code, start_url, per_page):
        col = self.columns[code]
        n = len(col.items)
        return ColumnInfo(self.host, code, self.platform, start_url, col.kind,
                          pages=max(1, -(-n // per_page)), items=n)

    def attachment(self, path, report, fmt, day, filename, disposition="utf8", content_type=None):
        """Register an attachment document at `path` and return it."""
        from replica.sites.common import Resource
        resource = Resource(lambda: report_file(report, fmt, day), content_type or FILE_TYPES[fmt],
                            published_at(day, 9, 0),
                            [("Content-Disposition", content_disposition(filename, disposition))])
        self.docs[path] = resource
        return resource


def new_entry(*, key, url, host, column, platform, formats, report, page_meta, published, source="generated",
              dept_id=None, charset="utf-8", quirks=None, varied=False):
    """A catalog entry for a report whose content is `report`, served in `formats` (html first if inline)."""
    content = "html" if "html" in formats else formats[0]
    needs_ocr = content == "image-pdf"
    meta = report["meta"]
    entry = ReportEntry(key=key, url=url, host=host, column=column, platform=platform, format=content,
                        formats=list(formats), agency=meta["agency"], year=meta["year"],
                        template=meta["template"], title=meta["title"],
                        truth=None if needs_ocr else truth_of(report), needs_ocr=needs_ocr,
                        urls=[url], page_meta=page_meta, published=published, dept_id=dept_id,
                        charset=charset, source=source, quirks=list(quirks or []),
                        render=variation_for(report) if varied and "html" in formats else {})
    return entry


def attachment_name(title, fmt):
    return f"{title}.{FILE_EXT[fmt]}"
