"""Recognise anti-bot challenge pages (portals.md §3), which must never be stored or parsed as reports."""
import re

_MARKERS = [
    (re.compile(rb"\$_ts\s*=|\$_ts\.nsd|r=['\"]m['\"]"), "ruishu"),           # 瑞数 RS: 412 / 202
    (re.compile(rb"wzwschallenge|wzwsquestion|dynamicurl\s*=\s*['\"]?/WZWS", re.I), "wzws"),
    (re.compile(rb"__jsl_clearance|__jsluid"), "jiasule"),                    # 加速乐: 521
    (re.compile(rb"TWAF_AR\s*="), "twaf"),
    ("请开启JavaScript并刷新该页".encode("utf-8"), "wzws"),
]


def challenge_kind(status, headers, body):
    """Return the challenge family ('ruishu', 'wzws', ...) or None for an ordinary response."""
    head = body[:20000] if body else b""
    cookies = b" ".join(headers.getlist(b"Set-Cookie")) if headers else b""
    if status in (412, 202, 521) or len(head) < 20000:
        for marker, kind in _MARKERS:
            found = marker.search(head) if hasattr(marker, "search") else marker in head
            if found:
                return kind
    if status == 412 and re.search(rb"[A-Za-z0-9]{10,}80S=", cookies):
        return "ruishu"
    return None
