"""What every extractor produces: a document as rows of cells, whatever its format.

A row is one table row (after rowspan expansion) or one line of text. Mapping onto the template
works on these rows only, so HTML, text, PDF and Word share one parser.
"""
from dataclasses import dataclass, field


@dataclass(slots=True)
class Cell:
    text: str
    loc: dict  # where it was found: {"table", "row", "col"} or {"page", "table", "row", "col"} or {"line"}
    colspan: int = 1
    spanned: bool = False  # a copy standing in for a rowspan cell that started in a row above
    confidence: float | None = None  # OCR only: the least sure character's probability (1.0: no ink); None: not OCR'd


@dataclass
class Document:
    format: str  # html, text, pdf, docx, doc, wps
    rows: list = field(default_factory=list)  # list[list[Cell]], in document order
    text: str = ""  # the document's plain text, for metadata and prose
    meta: dict = field(default_factory=dict)  # what the format itself says: <meta> tags, <title>, ...
    warnings: list = field(default_factory=list)


class ExtractError(Exception):
    """A document that cannot be read. `reason` is a stable code (needs_ocr, needs_conversion, ...)."""

    def __init__(self, reason, message):
        super().__init__(message)
        self.reason = reason
        self.message = message
