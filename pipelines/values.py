"""Cell text to value: numbers with their unit and sign, and the kinds of 'no number' kept apart.

Blank, '/', '—'/'-', '无' all give value None, each with its own status, because NULL != 0 != "—".
"""
import re
import unicodedata
from functools import lru_cache

NUMBER, BLANK, DASH, SLASH, NONE_TEXT, UNPARSED = "number", "blank", "dash", "slash", "none_text", "unparsed"
VALUE_LIKE = {NUMBER, BLANK, DASH, SLASH, NONE_TEXT}

_SPACES = re.compile(r"\s+")
_NUM = re.compile(r"^(?P<sign>[+\-]|减|增|增加|减少)?(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?P<frac>\.\d+)?"
                  r"(?P<unit>万元|元|件|个|条|项|次|人|家)?$")
_DASHES = {"-", "—", "–", "－", "——", "--", "―", "─"}
_SLASHES = {"/", "／", "\\"}


def parse_value(raw):
    """Return (value, status, unit). value is int or float (decimals as written), or None."""
    if raw and raw.isascii() and raw.isdigit():  # most cells: plain digits, no need for the full rules
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
    value = float(digits + m.group("frac")) if m.group("frac") else int(digits)
    if m.group("sign") in ("-", "减", "减少"):
        value = -value
    return value, NUMBER, m.group("unit")


def is_value_like(raw):
    return parse_value(raw)[1] in VALUE_LIKE
