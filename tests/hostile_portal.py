"""A small portal whose report links redirect where a crawler must not go: another host, and the
link-local cloud metadata address (169.254.169.254). It answers as any host (as the replica does: the
crawl's replica routing sends every host's requests here as a proxy would) and logs every request,
so a test can tell that nothing was ever asked of the hosts out of scope.

Hosts: www.scope-one.gov.cn and www.scope-two.gov.cn (the registry's, REGISTRY below); evil.example.com
and 169.254.169.254 answer with a secret that must never reach the archive or the database.
"""
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

ONE, TWO = "www.scope-one.gov.cn", "www.scope-two.gov.cn"
METADATA = "169.254.169.254"
OUT_OF_SCOPE = ("evil.example.com", METADATA)
SECRET = b"%PDF-1.4 secret that must never be archived"
REPORT = b"%PDF-1.4 not really a report, but in scope: "  # + its path: each document its own bytes

REGISTRY = f"""sources:
  - id: scope-one
    name: redirects out of scope
    region: test
    level: city
    platform: generic
    robots: ignore
    start_urls: [https://{ONE}/nb/]
  - id: scope-two
    name: a registry entry that lists the metadata address as a host
    region: test
    level: city
    platform: generic
    robots: ignore
    start_urls: [https://{TWO}/nb/]
    allowed_hosts: [{TWO}, "{METADATA}"]
"""

LISTS = {
    ONE: [("2023.pdf", 2023), ("2022.pdf", 2022), ("2021.pdf", 2021), ("2020.pdf", 2020)],
    TWO: [("2021.pdf", 2021)],
}
REDIRECTS = {  # (host, path) -> where it redirects
    (ONE, "/nb/2022.pdf"): "https://evil.example.com/nb/2022.pdf",
    (ONE, "/nb/2021.pdf"): f"http://{METADATA}/latest/meta-data/2021.pdf",
    (ONE, "/nb/2020.pdf"): f"https://{ONE}/files/2020.pdf",  # in scope: followed
    (TWO, "/nb/2021.pdf"): f"http://{METADATA}/latest/meta-data/iam.pdf",
}
IN_SCOPE_DOCUMENTS = (f"https://{ONE}/nb/2023.pdf", f"https://{ONE}/files/2020.pdf")


def list_page(host):
    links = "".join(f'<li><a href="{name}">{year}年政府信息公开工作年度报告</a></li>' for name, year in LISTS[host])
    return f"<html><head><meta charset='utf-8'><title>年度报告</title></head><body><ul>{links}</ul></body></html>"


class HostilePortal:
    def __init__(self):
        self.log = []  # (host, path) of every request received
        portal = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                parts = urlsplit(self.path)
                host = (parts.hostname or self.headers.get("Host", "")).split(":")[0]
                path = parts.path if parts.scheme else self.path
                portal.log.append((host, path))
                if host in OUT_OF_SCOPE:
                    return self.answer(200, SECRET, "application/pdf")
                if path == "/nb/" and host in LISTS:
                    return self.answer(200, list_page(host).encode("utf-8"), "text/html; charset=utf-8")
                if (host, path) in REDIRECTS:
                    self.send_response(302)
                    self.send_header("Location", REDIRECTS[host, path])
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return None
                if f"https://{host}{path}" in IN_SCOPE_DOCUMENTS:
                    return self.answer(200, REPORT + path.encode(), "application/pdf")
                return self.answer(404, b"not found", "text/plain")

            def answer(self, status, body, content_type):
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.port = self.server.server_address[1]
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def hosts_asked(self):
        return {host for host, _ in self.log}
