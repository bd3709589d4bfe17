"""No absolute server path in anything the site serves. Datasette's introspection pages /-/databases
(each database's file path) and /-/threads (the Python installation's paths in task descriptions)
answer 404 here; the metadata holds the archive as a relative path (db.serve) and /-/settings holds
none. Nothing of the site needs those two pages."""
from datasette import hookimpl

HIDDEN = {"/-/databases", "/-/databases.json", "/-/threads", "/-/threads.json"}


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def hide(scope, receive, send):
            if scope.get("type") == "http" and scope.get("path") in HIDDEN:
                await send({"type": "http.response.start", "status": 404,
                            "headers": [(b"content-type", b"text/plain; charset=utf-8")]})
                await send({"type": "http.response.body", "body": b"Not found"})
                return
            await app(scope, receive, send)
        return hide
    return wrap
