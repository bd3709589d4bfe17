"""Bytes to text for pages and text files in any charset a Chinese portal uses.

Order: a BOM; strict UTF-8 (Chinese text in GBK almost never forms valid UTF-8, so this also catches
UTF-8 pages that declare gbk); UTF-8 with a few bad bytes (a flipped bit, a cut character: see
mostly_utf8); the declared charset, with gb2312/gbk widened to gb18030 because pages declared gb2312
carry GBK-only characters such as 瀍; finally BeautifulSoup's UnicodeDammit.

A whole-document guess is the last resort for a reason: gb18030 decodes almost any bytes, so a UTF-8
report with one flipped byte read as gb18030 comes out as fluent nonsense and loses every value.
`decode_checked` also says what was lost: replacement characters, or a charset that was only guessed.
"""
import codecs
import re
from dataclasses import dataclass, field

_BOMS = [(codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")]
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_WIDER = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030", "cp936": "gb18030"}


def widen(charset):
    charset = (charset or "").strip().lower()
    return _WIDER.get(charset, charset) or None


def declared_charset(data, header_charset=None):
    if header_charset:
        return widen(header_charset)
    m = _META_CHARSET.search(data[:4096])
    return widen(m.group(1).decode("ascii", "ignore")) if m else None


@dataclass
class Decoded:
    text: str
    encoding: str
    warnings: list = field(default_factory=list)
    lossy: bool = False     # characters replaced, or the charset only guessed: values may be lost
    guessed: bool = False   # the charset is a whole-document guess (UnicodeDammit)


def decode(data, header_charset=None):
    """Return (text, encoding used)."""
    decoded = decode_checked(data, header_charset)
    return decoded.text, decoded.encoding


def decode_checked(data, header_charset=None):
    """The text, its encoding, and warnings when the reading lost something (a Decoded)."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return _replaced(data[len(bom):].decode(enc, errors="replace"), enc)
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    if mostly_utf8(data):
        return _replaced(data.decode("utf-8", errors="replace"), "utf-8")
    declared = declared_charset(data, header_charset)
    if declared:
        try:
            return Decoded(data.decode(declared), declared)
        except (UnicodeDecodeError, LookupError):
            pass
    from bs4 import UnicodeDammit  # imported here: it is the last resort and slow to import

    dammit = UnicodeDammit(data, ["gb18030"], is_html=True)
    if dammit.unicode_markup is not None:
        decoded = _replaced(dammit.unicode_markup, dammit.original_encoding or "unknown")
    else:
        decoded = _replaced(data.decode("gb18030", errors="replace"), "gb18030")
    decoded.lossy = decoded.guessed = True  # right for most GBK text files; parse.py says so when no value is read
    return decoded


def mostly_utf8(data, share=0.02):
    """UTF-8 with a few bad bytes: at least 20 good multi-byte characters, and at most `share` of them
    (or 4, for a short text) broken. GBK or Big5 text read as UTF-8 breaks at nearly every Chinese
    character, so it never passes."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.decode("utf-8", errors="ignore").count("\ufffd")  # a real U+FFFD is fine
    good = sum(1 for ch in text if ord(ch) > 0x7F) - text.count("\ufffd")
    return good >= 20 and bad <= max(4, share * good)


def _replaced(text, encoding):
    """A Decoded that warns about the replacement characters in text (bytes that did not decode)."""
    n = text.count("\ufffd")
    if not n:
        return Decoded(text, encoding)
    return Decoded(text, encoding, [f"{n} byte sequence(s) not valid {encoding}: shown as \ufffd, a value there "
                                    f"may be lost"], lossy=True)
