"""Bytes to text for pages and text files in any charset a Chinese portal uses.

Order: a BOM; strict UTF-8 (Chinese text in GBK almost never forms valid UTF-8, so this also catches
UTF-8 pages that declare gbk); the declared charset, with gb2312/gbk widened to gb18030 because pages
declared gb2312 carry GBK-only characters such as 瀍; finally BeautifulSoup's UnicodeDammit.
"""
import codecs
import re

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


def decode(data, header_charset=None):
    """Return (text, encoding used)."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(enc, errors="replace"), enc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    declared = declared_charset(data, header_charset)
    if declared:
        try:
            return data.decode(declared), declared
        except (UnicodeDecodeError, LookupError):
            pass
    from bs4 import UnicodeDammit  # imported here: it is the last resort and slow to import

    dammit = UnicodeDammit(data, ["gb18030"], is_html=True)
    if dammit.unicode_markup is not None:
        return dammit.unicode_markup, dammit.original_encoding or "unknown"
    return data.decode("gb18030", errors="replace"), "gb18030"
