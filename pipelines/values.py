"""Cell text to value: numbers with their unit and sign, and the kinds of 'no number' kept apart.

Blank, '/', '—'/'-', '无' all give value None, each with its own status, because NULL != 0 != "—".
A number longer than any count (over MAX_DIGITS digits) is kept as its text with status too_long:
SQLite cannot hold it as an integer, a float would change it, and Python refuses to convert past 4,300
digits; it must cost that cell, never the document.
"""
import re
import unicodedata
from functools import lru_cache

NUMBER, BLANK, DASH, SLASH, NONE_TEXT, UNPARSED = "number", "blank", "dash", "slash", "none_text", "unparsed"
TOO_LONG = "too_long"
VALUE_LIKE = {NUMBER, BLANK, DASH, SLASH, NONE_TEXT, TOO_LONG}
MAX_DIGITS = 15  # no count in a report comes near; a double holds 15 digits exactly

_SPACES = re.compile(r"\s+")
_NUM = re.compile(r"^(?P<sign>[+\-]|减|增|增加|减少)?(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?P<frac>\.\d+)?"
                  r"(?P<unit>万元|元|件|个|条|项|次|人|家)?$")
_DASHES = {"-", "—", "–", "－", "——", "--", "―", "─"}
_SLASHES = {"/", "／", "\\"}


def parse_value(raw):
    """Return (value, status, unit). value is int or float (decimals as written), or None."""
    if raw and raw.isascii() and raw.isdigit() and len(raw) <= MAX_DIGITS:  # most cells: plain digits
        return int(raw), NUMBER, None
    return _parse_text(raw or "")


@lru_cache(maxsize=8192)  # labels and the few non-digit values recur from report to report
def _parse_text(raw):
    text = _SPACES.sub("", unicodedata.normalize("NFKC", raw))
    if not text:
        return None, BLANK, None
    if text in _DASHES:
        return None, DASH, None
    if text in _SLASHES:
        return None, SLASH, None
    if text in ("无", "没有"):
        return None, NONE_TEXT, None
    m = _NUM.match(text)
    if not m:
        return None, UNPARSED, None
    digits = m.group("int").replace(",", "")
    if len(digits) + len((m.group("frac") or ".")[1:]) > MAX_DIGITS:
        return None, TOO_LONG, m.group("unit")
    value = float(digits + m.group("frac")) if m.group("frac") else int(digits)
    if m.group("sign") in ("-", "减", "减少"):
        value = -value
    return value, NUMBER, m.group("unit")


def is_value_like(raw):
    return parse_value(raw)[1] in VALUE_LIKE
