"""CSV for Excel: every CSV starts with a UTF-8 byte-order mark, without which Excel in Chinese locales
garbles the text; ?_bom=0 leaves it out for scripts."""
import codecs
from urllib.parse import parse_qsl, urlencode

from datasette import hookimpl


def _wants_bom(scope):
    pairs = parse_qsl(scope.get("query_string", b"").decode("utf-8", "replace"), keep_blank_values=True)
    is_csv = scope["path"].endswith(".csv") or ("_format", "csv") in pairs
    keep = dict(pairs).get("_bom", "1").lower() not in ("0", "off", "false", "no")
    if any(k == "_bom" for k, _ in pairs):
        scope = dict(scope, query_string=urlencode([(k, v) for k, v in pairs if k != "_bom"]).encode())
    return is_csv and keep, scope


@hookimpl
def asgi_wrapper():
    def wrap(app):
        async def with_bom(scope, receive, send):
            if scope.get("type") != "http":
                return await app(scope, receive, send)
            bom, scope = _wants_bom(scope)
            if not bom:
                return await app(scope, receive, send)
            state = {"ok": False, "done": False}

            async def send_with_bom(message):
                if message["type"] == "http.response.start":
                    state["ok"] = message["status"] == 200
                    if state["ok"]:  # the body grows by three bytes
                        message = dict(message, headers=[(k, v) for k, v in message.get("headers", [])
                                                         if k.lower() != b"content-length"])
                elif message["type"] == "http.response.body" and state["ok"] and not state["done"]:
                    state["done"] = True
                    message = dict(message, body=codecs.BOM_UTF8 + message.get("body", b""))
                await send(message)

            return await app(scope, receive, send_with_bom)
        return with_bom
    return wrap
