"""Scope on every request the crawler makes, redirects and retries included (a downloader middleware).

Spiders check the links they extract; this checks what actually goes to the network: a redirect's
target, a retry, a page listed in the crawl state's retry list. A request is refused unless
- its host is one of its source's `allowed_hosts` (the registry's, exactly: no subdomains), and
- the addresses its host names are public: loopback, link-local (169.254.0.0/16, cloud metadata),
  private, reserved, multicast or unspecified addresses are refused, except the networks the settings
  allow (NIANBAO_ALLOWED_NETWORKS: the replica's and the tests' settings allow loopback).
Under the replica (NIANBAO_REPLICA) host names are not resolved (every name goes to the replica), but
an address written as the host is still checked.

Why not Scrapy's own OffsiteMiddleware (downloader-level since 2.11.2): it lets every request with
`dont_filter` or `allow_offsite` through (our backoff retries and full re-fetches are `dont_filter`,
and a redirect keeps the flag), accepts subdomains, and knows nothing of addresses.

Known limit: the name is resolved here and again when connecting, so a DNS answer that changes in
between (rebinding) is not caught; the resolved address is not pinned.
"""
import asyncio
import ipaddress
import socket
from urllib.parse import urlsplit

from scrapy.exceptions import IgnoreRequest

from .resources import UsesResources

# in order: the first property an address has names the refusal (`refused_address_<kind>`)
REFUSED_KINDS = ("loopback", "link_local", "private", "reserved", "multicast", "unspecified")


class Refused(IgnoreRequest):
    """A request out of scope, never sent: the reason goes to the run summary (not the retry list)."""

    def __init__(self, reason, url):
        super().__init__(f"{reason}: {url}")
        self.reason = reason


def refused_kind(address, allowed_networks=()):
    """The kind of a non-public address ('loopback', 'link_local', ...), None for a public or allowed one."""
    ip = ipaddress.ip_address(address.split("%")[0])  # fe80::1%eth0: the zone is not part of it
    if getattr(ip, "ipv4_mapped", None):
        ip = ip.ipv4_mapped
    if any(ip in network for network in allowed_networks):
        return None
    return next((kind for kind in REFUSED_KINDS if getattr(ip, f"is_{kind}")), None)


def literal_address(host):
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


class ScopeMiddleware(UsesResources):
    def __init__(self, crawler):
        super().__init__(crawler)
        settings = crawler.settings
        self.routed = bool(settings.get("NIANBAO_REPLICA"))
        self.allowed_networks = [ipaddress.ip_network(n) for n in settings.getlist("NIANBAO_ALLOWED_NETWORKS")]
        self._addresses = {}  # host -> its addresses, resolved once per crawl

    async def process_request(self, request, spider=None):
        parts = urlsplit(request.url)
        host, allowed = (parts.hostname or "").lower(), self.crawler.spider.source["allowed_hosts"]
        if host not in allowed and parts.netloc.lower() not in allowed:  # the registry's are host[:port]
            raise Refused("refused_offsite", request.url)
        for address in await self._resolve(host, parts.port):
            kind = refused_kind(address, self.allowed_networks)
            if kind:
                raise Refused(f"refused_address_{kind}", request.url)
        return None

    async def _resolve(self, host, port):
        literal = literal_address(host)
        if literal is not None:
            return [str(literal)]
        if self.routed:
            return []
        if host not in self._addresses:
            try:
                infos = await asyncio.get_running_loop().getaddrinfo(host, port or 443, type=socket.SOCK_STREAM)
            except OSError:
                infos = []  # unresolvable: the download fails and says so (dns)
            self._addresses[host] = sorted({info[4][0] for info in infos})
        return self._addresses[host]
