"""Downloader middlewares: archive every response, conditional GET, back off from 429/503/challenges."""
import asyncio
import hashlib

from scrapy.exceptions import IgnoreRequest

from pipelines.archive import blob_path
from pipelines.records import CrawledDocument

from .canonical import canonical_url
from .challenge import challenge_kind
from .resources import UsesResources


class Blocked(IgnoreRequest):
    """A request given up after backing off: the reason goes to the run summary and the retry list."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


def _pairs(headers):
    return [(k.decode("latin-1"), v.decode("latin-1")) for k, vs in headers.items() for v in vs]


class ArchiveMiddleware(UsesResources):
    """Every raw response (lists, pages, attachments, redirects, errors) into the WARC, verbatim."""

    def process_response(self, request, response, spider=None):
        req_headers = [("Host", request.url.split("/")[2])] + _pairs(request.headers)
        record_id = self.res.archive.write_exchange(
            request.url, request.method, req_headers, response.status, _pairs(response.headers),
            response.body, protocol=getattr(response, "protocol", None) or "HTTP/1.1")
        request.meta["warc_record_id"] = record_id
        request.meta["warc_file"] = self.res.archive.name
        self.res.count("pages_fetched")
        return response

    def process_exception(self, request, exception, spider=None):
        # nothing came back to archive; the attempt itself is recorded, so the archive tells all
        self.res.archive.write_metadata(request.url, None, {
            "kind": "fetch_error", "url": request.url, "error": type(exception).__name__,
            "message": str(exception)[:500], "source_id": self.res.source_id})
        return None


class ConditionalGetMiddleware(UsesResources):
    """If-None-Match / If-Modified-Since from the last fetch, for pages and documents marked conditional,
    when that fetch was done with (its report archived: crawler/state.py). A full answer's validators
    wait for the item pipelines (`res.expect`, then `res.commit`); a 304 for a URL whose answer is not
    kept is fetched again in full."""

    def process_request(self, request, spider=None):
        if not request.meta.get("conditional") or request.meta.get("unconditional"):
            return None
        url = canonical_url(request.url)
        if not self._kept(url):
            return None
        etag, modified = self.res.state.validators(url)
        if etag:
            request.headers.setdefault("If-None-Match", etag)
        if modified:
            request.headers.setdefault("If-Modified-Since", modified)
        return None

    def process_response(self, request, response, spider=None):
        url = canonical_url(request.url)
        if request.meta.get("conditional") and response.status == 200:
            request.meta["previous_sha256"] = self.res.state.previous_sha256(url) if self._kept(url) else None
            self.res.expect(url, _header(response, b"ETag"), _header(response, b"Last-Modified"),
                            hashlib.sha256(response.body).hexdigest(), response.status)
        if response.status == 304:
            if not self._kept(url):  # nothing of this URL is archived: "not modified" would lose it
                self.res.count("refetched_in_full")
                headers = {k: v for k, v in request.headers.items()
                           if k.lower() not in (b"if-none-match", b"if-modified-since")}
                return request.replace(headers=headers, dont_filter=True, meta={**request.meta, "unconditional": True})
            self.res.count("not_modified")
        return response

    def _kept(self, url):
        """The URL's last answer was done with, and a report it gave is still in the archive."""
        committed = self.res.state.committed(url)
        if committed is None:
            return False
        kind, sha256 = committed
        return kind != "report" or blob_path(self.res.archive_dir, sha256).exists()


class CommitPageMiddleware(UsesResources):
    """Spider middleware: a page that gave no report of its own (it links its documents) is done with
    once its callback has run to the end, i.e. its links are in the crawl state: commit its validators.
    A page that gave a report is committed by the item pipelines, once the report is stored."""

    def process_spider_output(self, response, result, spider=None):
        gave_report = False
        for output in result:
            gave_report = gave_report or isinstance(output, CrawledDocument)
            yield output
        self._done(response, gave_report)

    async def process_spider_output_async(self, response, result, spider=None):
        gave_report = False
        async for output in result:
            gave_report = gave_report or isinstance(output, CrawledDocument)
            yield output
        self._done(response, gave_report)

    def _done(self, response, gave_report):
        if not gave_report and response.status == 200 and response.meta.get("conditional"):
            self.res.commit(canonical_url(response.url), "links")


def _header(response, name):
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


class BackoffMiddleware(UsesResources):
    """429 (honouring Retry-After), 503 and challenge pages: wait, retry a few times, then give up
    with a reason. A challenge page never reaches a spider, so it is never stored or parsed."""

    def __init__(self, crawler):
        super().__init__(crawler)
        self.max_tries = crawler.settings.getint("BACKOFF_MAX_TRIES", 4)
        self.base = crawler.settings.getfloat("BACKOFF_BASE_DELAY", 1.0)

    async def process_response(self, request, response, spider=None):
        kind = challenge_kind(response.status, response.headers, response.body)
        if kind:
            reason = f"blocked_challenge_{kind}"
        elif response.status in (429, 503):
            reason = f"http_{response.status}"
        else:
            return response
        tries = request.meta.get("backoff_tries", 0) + 1
        if tries >= self.max_tries:
            raise Blocked(reason if reason.startswith("blocked") else f"blocked_{reason}")
        delay = min(_retry_after(response) or self.base * 2 ** (tries - 1), 60.0)
        await asyncio.sleep(delay)
        retry = request.replace(dont_filter=True, meta={**request.meta, "backoff_tries": tries})
        return retry


def _retry_after(response):
    value = response.headers.get(b"Retry-After")
    try:
        return float(value.decode()) if value else None
    except ValueError:
        return None
