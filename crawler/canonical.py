"""One name per document: the canonical URL, so http/https and host/column duplicates meet."""
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

_DROP_PARAMS = {"uid", "pagenum", "from", "spm", "_t", "t"}


def canonical_url(url):
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    query = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                   if k.lower() not in _DROP_PARAMS)
    path = parts.path or "/"
    return urlunsplit(("https", host, path, urlencode(query), ""))
