"""The site's own URLs, defined once: the store writes them into the data, the Datasette plugin serves them."""
from urllib.parse import quote

ORIGINAL_PREFIX = "/-/original/"
ORIGINAL_BY_SHA = r"^/-/original/(?P<sha256>[0-9a-f]{64})$"
ORIGINAL_BY_REPORT = r"^/-/original/report/(?P<report_id>[0-9]{1,12})$"


def original_path(sha256):
    """The archived original of a document, by its content."""
    return f"{ORIGINAL_PREFIX}{sha256}"


def report_original_path(report_id, loc=None):
    """The archived original of one report version, with the cell at loc highlighted."""
    path = f"{ORIGINAL_PREFIX}report/{int(report_id)}"
    return f"{path}?loc={quote(loc)}#nb-cell" if loc else path

REPORT_PREFIX = "/report/"
REPORT_PAGE = r"^/report/(?P<report_id>[0-9]{1,12})$"
REPORT_DATA = r"^/report/(?P<report_id>[0-9]{1,12})\.(?P<format>csv|json)$"


def report_path(report_id, fmt=None):
    """A report's own page (its tables as printed), or its cells as CSV or JSON."""
    return f"{REPORT_PREFIX}{int(report_id)}" + (f".{fmt}" if fmt else "")

RELEASES = "/-/releases"
RELEASES_PAGE = r"^/-/releases/?$"
RELEASE_FILE = r"^/-/releases/(?P<day>\d{4}-\d{2}-\d{2})/(?P<name>[A-Za-z0-9._-]{1,80})$"


def release_file_path(day, name):
    """A file of a dated release (the database, its gzip copy, CHANGES, SHA256SUMS)."""
    return f"{RELEASES}/{day}/{name}"
