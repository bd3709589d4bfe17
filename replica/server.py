"""The replica: one HTTP server on 127.0.0.1 serving every replica site, chosen by the Host header.

    replica = Replica(port=0).start()      # in a thread; port 0 = ephemeral
    replica.base_url                       # http://127.0.0.1:<port>
    replica.catalog                        # ground truth (replica/catalog.py)
    replica.add_report(host, column=None)  # a new newest report at the top of a column -> ReportEntry
    replica.request_log / clear_log()      # every request served (control requests excepted)
    replica.reset()                        # obstacle counters back to zero, log cleared
    replica.stop()

A crawler reaches a real host by sending its request to base_url with the real host in the Host header
(or by using the replica as an HTTP proxy: absolute-URI request lines are understood). https:// and
http:// URLs of a host are the same here: the replica serves plain HTTP only.

The control host `replica.local` (also 127.0.0.1 / localhost) offers the same over HTTP:
    GET /catalog.json   GET /log[?clear=1]   GET|POST /clear   GET|POST /add?host=&column=   GET|POST /reset

Obstacles (catalog.obstacles) that need the server: rate_429, burst_503, slow, reset_once, reset_always,
challenge_412. Their counters count every matching request, from any client, since start or reset().
"""
import hashlib
import socket
import struct
import sys
import threading
import time
import traceback
from email.utils import parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from replica.catalog import Catalog
from replica.sites import build_sites
from replica.sites.common import Request, Response, http_date, json_response, not_found

CONTROL_HOSTS = {"replica.local", "127.0.0.1", "localhost", ""}

# 瑞数 (RiverSecurity) style challenge: the server sets <base>S, page JS must compute <base>T.
RS_COOKIE = "FSSBBIl1UgzbN7N80"
RS_S_VALUE = "60" + hashlib.sha1(b"replica-rs-s").hexdigest()[:30]


def solve_challenge(s_value):
    """The T cookie the replica accepts for a given S cookie: the stand-in for running the challenge JS.
    Only tests that want to see content behind the challenge use this; a crawler cannot know it."""
    return "0" + hashlib.sha256(f"nianbao-replica|{s_value}".encode()).hexdigest()[:40]


CHALLENGE_PAGE = (
    '<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
    '<meta id="9DhefwqGPrzGxEp9hPaoag" content="{token}" r="m">'
    "<script r='m'>$_ts=window['$_ts'];if(!$_ts)$_ts={{}};$_ts.nsd=84528;$_ts.cd=\"qhsrrDAlqaWxcGAlEkA"
    "rqGQlrAk7crq3ErAgEcqFHqAPcqq3HGQLhqA1EkARWrQqhqqr0qA7rGAPhGVZhra7rGVxuGQlqrqqcqlWHqAqqIqQLHal1Ea3HkaGqqa\";"
    "</script><script type=\"text/javascript\" charset=\"utf-8\" src=\"/4QbVtADbnLVI/c.FxJzG50F.dfe1675.js\" r='m'>"
    "</script></head><body><script type=\"text/javascript\" r='m'>_$Dn();</script></body></html>")


class Obstacle:
    """A server-side behaviour on one URL (or path prefix) of one host, made from a catalog obstacle."""

    def __init__(self, spec, options):
        self.spec = spec
        self.kind = spec["kind"]
        self.host = spec["host"]
        self.prefix = spec.get("prefix")
        parts = urlsplit(spec["url"])
        self.path = parts.path
        self.query = sorted(parse_qsl(parts.query, keep_blank_values=True))
        self.times = spec.get("times")
        self.options = options
        self.count = 0
        self.lock = threading.Lock()

    def matches(self, req):
        if self.prefix:
            return req.path.startswith(self.prefix)
        # parameter order does not matter for the query-string views
        return req.path == self.path and sorted(parse_qsl(req.raw_query, keep_blank_values=True)) == self.query

    def take(self):
        """Count this request; True while the obstacle is still in force."""
        with self.lock:
            self.count += 1
            return self.times is None or self.count <= self.times

    def before(self, req):
        """A response that replaces the page, or None."""
        if self.kind == "challenge_412":
            cookies = req.cookies
            if cookies.get(RS_COOKIE + "S") == RS_S_VALUE and cookies.get(RS_COOKIE + "T") == solve_challenge(RS_S_VALUE):
                return None
            token = hashlib.sha1(f"{req.target}|{time.time()}".encode()).hexdigest()
            body = CHALLENGE_PAGE.format(token=token).encode("utf-8")
            return Response(412, body, "text/html; charset=utf-8", headers=[
                ("Set-Cookie", f"{RS_COOKIE}S={RS_S_VALUE}; Path=/; expires=Sun, 20 Jun 2027 00:00:00 GMT; HttpOnly"),
                ("Cache-Control", "no-cache, no-store")])
        if self.kind == "rate_429" and self.take():
            return Response(429, b"<html><body>Too Many Requests</body></html>", "text/html",
                            headers=[("Retry-After", str(self.spec.get("retry_after", 1)))])
        if self.kind == "burst_503" and self.take():
            return Response(503, b"<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>", "text/html")
        return None

    def after(self, resp):
        if self.kind == "slow":
            resp.delay = self.options["slow_delay"]
        elif self.kind in ("reset_once", "reset_always") and self.take():
            resp.reset_after = max(1, len(resp.body) // 2)
        return resp


ACTIVE = {"challenge_412", "rate_429", "burst_503", "slow", "reset_once", "reset_always"}


class Replica:
    def __init__(self, port=0, slow_delay=5.0, variations=True, verbose=False):
        """Served on 127.0.0.1 only, never another interface (port 0 = ephemeral). slow_delay: seconds the
        slow page waits. variations: render inline reports with per-report presentation quirks (plain/Word
        markup, <br> in headers, half-width ordinals, ...); False gives every inline report the official layout."""
        self.bind = ("127.0.0.1", port)
        self.options = {"slow_delay": slow_delay}
        self.verbose = verbose
        self.catalog = Catalog(render_variations=variations)
        self.sites = build_sites(self.catalog)
        self.obstacles = {}
        for spec in self.catalog.obstacles:
            if spec["kind"] == "slow":
                spec["delay"] = slow_delay
            if spec["kind"] in ACTIVE:
                self.obstacles.setdefault(spec["host"], []).append(Obstacle(spec, self.options))
        self._log = []
        self._log_lock = threading.Lock()
        self._server = None
        self._thread = None

    # -- lifecycle --

    def start(self):
        self._server = _Server(self.bind, _Handler)
        self._server.replica = self
        self._thread = threading.Thread(target=self._server.serve_forever, name="replica", daemon=True)
        self._thread.start()
        return self

    def serve_forever(self):
        self._server = _Server(self.bind, _Handler)
        self._server.replica = self
        self._server.serve_forever()

    def stop(self):
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def warm(self):
        """Render every document now (the .docx/.doc/scanned PDFs take up to a second or two each), so
        that no first request waits for rendering: call before timing a crawl."""
        for site in self.sites.values():
            for doc in list(site.docs.values()):
                doc.body

    @property
    def port(self):
        return self._server.server_address[1]

    @property
    def base_url(self):
        return f"http://127.0.0.1:{self.port}"

    @property
    def hosts(self):
        return sorted(self.sites)

    # -- controls --

    @property
    def request_log(self):
        with self._log_lock:
            return list(self._log)

    def clear_log(self):
        with self._log_lock:
            self._log.clear()

    def reset(self):
        for obstacles in self.obstacles.values():
            for o in obstacles:
                o.count = 0
        self.clear_log()

    def add_report(self, host, column=None):
        site = self.sites[host]
        return site.add_report(column) if column else site.add_report()

    # -- serving --

    def respond(self, req):
        if req.host in CONTROL_HOSTS:
            return self.control(req), False
        site = self.sites.get(req.host)
        if site is None:
            return Response(404, f"unknown host {req.host!r}".encode(), "text/plain; charset=utf-8"), True
        matching = [o for o in self.obstacles.get(req.host, ()) if o.matches(req)]
        for o in matching:
            resp = o.before(req)
            if resp is not None:
                return resp, True
        if req.path == "/robots.txt":
            resp = Response(200, site.robots.encode(), "text/plain") if site.robots else not_found()
        else:
            resp = site.handle(req) or not_found()
        for o in matching:
            resp = o.after(resp)
        return resp, True

    def control(self, req):
        q = req.query
        if req.path == "/catalog.json":
            return json_response(self.catalog.to_json())
        if req.path == "/log":
            log = self.request_log
            if q.get("clear"):
                self.clear_log()
            return json_response(log)
        if req.path == "/clear":
            self.clear_log()
            return json_response({"ok": True})
        if req.path == "/reset":
            self.reset()
            return json_response({"ok": True})
        if req.path == "/add":
            try:
                entry = self.add_report(q.get("host", ""), q.get("column") or None)
            except (KeyError, ValueError, NotImplementedError) as e:
                return json_response({"error": str(e)}, 400)
            return json_response(entry.to_dict())
        if req.path == "/":
            text = ("nianbao replica\nhosts:\n" + "".join(f"  {h}\n" for h in self.hosts) +
                    "control: /catalog.json /log[?clear=1] /clear /add?host=&column= /reset\n")
            return Response(200, text.encode("utf-8"), "text/plain; charset=utf-8")
        return not_found()

    def record(self, entry):
        with self._log_lock:
            self._log.append(entry)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def handle_error(self, request, client_address):
        # A client that gave up (timeout on the slow page, closed keep-alive) is normal here.
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"      # keep-alive, as crawlers use it
    def version_string(self):
        return "nginx"

    def log_message(self, fmt, *args):
        if self.server.replica.verbose:
            sys.stderr.write("replica: " + fmt % args + "\n")

    def do_GET(self):
        self.dispatch()

    do_HEAD = do_POST = do_GET

    def dispatch(self):
        replica = self.server.replica
        target = self.path
        host = (self.headers.get("Host") or "").strip().lower()
        if target.startswith(("http://", "https://")):       # proxy-style request line
            parts = urlsplit(target)
            host = parts.netloc.lower()
            target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        host = host.rsplit(":", 1)[0] if ":" in host and not host.endswith("]") else host
        path, _, query = target.partition("?")
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        req = Request(self.command, host, path, query, self.headers, body)
        try:
            resp, logged = replica.respond(req)
        except Exception:
            traceback.print_exc()
            resp, logged = Response(500, b"internal error", "text/plain"), True
        conditional = bool(self.headers.get("If-None-Match") or self.headers.get("If-Modified-Since"))
        if resp.status == 200 and not_modified(self.headers, resp):
            resp = Response(304, b"", None, etag=resp.etag, last_modified=resp.last_modified)
        if logged:
            # Logged before the response is written, so a client that has its answer finds it in the log.
            sent = 0 if self.command == "HEAD" or resp.status == 304 else (
                resp.reset_after if resp.reset_after is not None else len(resp.body))
            replica.record({"host": host, "path": target, "method": self.command, "status": resp.status,
                            "bytes": sent, "conditional": conditional, "reset": resp.reset_after is not None,
                            "time": time.time()})
        self.send(resp)

    def send(self, resp):
        """Write the response (after resp.delay; a reset response stops halfway and aborts the connection)."""
        if resp.delay:
            time.sleep(resp.delay)
        self.send_response(resp.status)
        if resp.content_type and resp.status != 304:
            self.send_header("Content-Type", resp.content_type)
        if resp.etag:
            self.send_header("ETag", resp.etag)
        if resp.last_modified:
            self.send_header("Last-Modified", http_date(resp.last_modified))
        for name, value in resp.headers:
            self.send_header(name, value)
        if resp.status != 304:
            self.send_header("Content-Length", str(len(resp.body)))
        self.end_headers()
        if self.command == "HEAD" or resp.status == 304:
            return
        if resp.reset_after is not None:
            self.wfile.write(resp.body[:resp.reset_after])
            self.wfile.flush()
            # RST instead of FIN: SO_LINGER with a zero timeout makes close() abort the connection.
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
            return
        self.wfile.write(resp.body)


def not_modified(headers, resp):
    """RFC 9110 §13.1: If-None-Match wins over If-Modified-Since."""
    inm = headers.get("If-None-Match")
    if inm and resp.etag:
        tags = [t.strip().removeprefix("W/") for t in inm.split(",")]
        return "*" in tags or resp.etag in tags
    ims = headers.get("If-Modified-Since")
    if ims and resp.last_modified and not inm:
        try:
            since = parsedate_to_datetime(ims)
        except (TypeError, ValueError):
            return False
        return resp.last_modified.replace(microsecond=0) <= since
    return False
