"""What flows from one stage to the next, each shape defined once.

- `CrawledDocument`: a report document as the crawler found it (fetch -> archive -> store). Scrapy
  carries it as an item; the archive keeps its `record()` as JSON beside the response, and a rebuild
  from the archive alone reads it back with `from_record()`.
- `ParseResult`, `Cell`, `Check`: one parsed document (parse -> validate -> store), plain dicts so
  that `nianbao parse --json` prints them as they are and worker processes pass them cheaply.
- `SourceRun` and `source_status()`: what a crawl run did per source (crawl -> store), and when a
  source counts as answered.
"""
from dataclasses import dataclass, field, fields
from typing import NotRequired, TypedDict

_TRANSIENT = {"transient": True}


@dataclass
class CrawledDocument:
    source_id: str
    url: str                                # the document: the detail page itself, or an attachment
    page_url: str | None = None             # the detail page that led to it
    canonical_url: str | None = None        # one name per document (http/https, host and column twins meet)
    canonical_page_url: str | None = None
    role: str = "page"                      # page (the report inline) | attachment
    index_no: str | None = None             # 索引号, as the detail page prints it
    publisher: str | None = None            # 发布机构 / 来源
    written_date: str | None = None         # 成文日期 YYYY-MM-DD
    published_date: str | None = None       # 发布日期 YYYY-MM-DD
    list_title: str | None = None           # the title in the column's list
    page_title: str | None = None           # the detail page's own title
    content_type: str | None = None
    http_status: int | None = None
    warc_file: str | None = None            # where the response is archived
    warc_record_id: str | None = None
    fetched_at: str | None = None           # UTC, ISO 8601
    sha256: str | None = None               # of the body: its name in the blob store
    # in flight only, never archived: the bytes, how to decode them, what the crawl makes of them
    body: bytes = field(default=b"", repr=False, metadata=_TRANSIENT)
    header_charset: str | None = field(default=None, metadata=_TRANSIENT)
    content_key: str | None = field(default=None, metadata=_TRANSIENT)      # what makes two fetches one report
    previous_sha256: str | None = field(default=None, metadata=_TRANSIENT)  # the last run's body hash
    status: str | None = field(default=None, metadata=_TRANSIENT)           # new | changed

    @classmethod
    def archived_fields(cls):
        return [f.name for f in fields(cls) if not f.metadata.get("transient")]

    def record(self):
        """The archived fields, as the WARC metadata record and the run's report log hold them."""
        return {name: getattr(self, name) for name in self.archived_fields()}

    @classmethod
    def from_record(cls, data, body=b""):
        """Back from an archived record; keys an older or newer crawler wrote and this one does not
        know are ignored, missing ones take their defaults."""
        known = set(cls.archived_fields())
        return cls(**{k: v for k, v in data.items() if k in known}, body=body)


class Cell(TypedDict):
    """One value of the three tables, with where it came from."""
    section: str            # proactive | applications | review_litigation
    item: str               # row code (see pipelines.template)
    measure: str            # column code
    value: int | float | None
    raw: str                # the cell's text as printed
    status: str             # number | blank | dash | slash | none_text | unparsed (pipelines.values)
    unit: str | None        # 元, 万元, 件 ... when printed in the cell
    loc: dict               # {"table", "row", "col"} (HTML, DOCX), {"page", ...} (PDF) or {"line"} (text)
    positional: NotRequired[bool]  # placed by its place under a group, not by its own label
    # OCR'd documents only (pipelines/extract/ocr_review.py); absent for documents with a text layer
    confidence: NotRequired[float]  # OCR: the least sure character's probability, 0-1 (1.0: a blank cell)
    flag: NotRequired[str]          # "ocr_uncertain": confidence below the threshold, not a number, or in a failing check
    suggested: NotRequired[int]     # the value the report's own arithmetic gives this one cell; the value is not changed


class Check(TypedDict):
    """One arithmetic relation of the report (勾稽关系): checked, never corrected."""
    rule: str               # A1, A2, A3, L1 (pipelines.checks)
    where: str              # the column, row or group it applies to
    expected: int | float | None
    actual: int | float | None
    status: str             # pass | fail | not_checkable (an operand is null)
    cells: dict             # {"expected": [refs], "actual": [refs]}, refs as "section.item.measure"


class ParseResult(TypedDict, total=False):
    """One document parsed. A document that cannot be read has `error` and `message` instead of values."""
    file: str
    sha256: str
    bytes: int
    format: str             # html, text, pdf, docx, doc, wps, image, ...
    error: str              # needs_ocr, too_large, too_slow, worker_died, not_a_file, unknown_format, ...
    message: str
    status: str             # a readable document whose numbers need a look: tables_not_read, charset_misread, ...
    title: str | None
    agency: str | None
    year: int | None
    template: str           # 2021 | 2019 | mixed | free
    proactive: dict         # {item: {measure: value}}
    applications: dict      # {row: {column: value}}
    review_litigation: dict  # {group: {measure: value}}
    cells: list             # [Cell]
    checks: list            # [Check]
    warnings: list          # [str]
    encoding: str
    text: str               # the document's plain text, on request (full-text search)
    ocr: dict               # OCR'd documents only: {"cells", "uncertain", "threshold", "pages", "model"}


class SourceRun(TypedDict, total=False):
    """One source in one crawl run."""
    pages_fetched: int
    not_modified: int       # HTTP 304 answers
    new: int
    changed: int
    unchanged: int
    duplicates: int
    blocked: int            # requests given up on a challenge page or repeated 429/503
    parse_errors: int
    failures: dict          # reason -> count
    failed_urls: list       # [{"url", "reason"}]
    robots: str
    status: str             # source_status(); the crawler adds incomplete_list (a column short of its size)
    columns: dict           # column -> {declared, found, missing}: each column's own size against its rows
    declared: int | None    # the columns' declared sizes summed; None when no column declares one
    found: int | None       # rows found in the columns
    missing: int | None     # declared - found, over the columns that declare a size
    monitors: dict          # monitor -> "ok" or why it failed (crawler/monitors.py)
    unsettled: int | None   # crawl workers: requests taken and never finished, even after recovery


def source_status(run: SourceRun):
    """ok: the source answered and never blocked us; blocked; unreachable: it answered nothing."""
    if run.get("blocked"):
        return "blocked"
    answered = (run.get("pages_fetched") or 0) + (run.get("not_modified") or 0)
    return "ok" if answered else "unreachable"
