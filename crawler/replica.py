"""One setting routes the real host names to the local replica (NIANBAO_REPLICA).

A download handler, below every middleware: spiders, robots.txt, the archive and the run summary all see
the real https:// URL; only the socket goes to the replica, as plain HTTP through it as a proxy, so
the replica still gets the real host in the request line and the Host header.
"""
from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler


class ReplicaDownloadHandler(HTTP11DownloadHandler):
    def __init__(self, crawler):
        super().__init__(crawler)
        self._replica = crawler.settings.get("NIANBAO_REPLICA")

    async def download_request(self, request):
        if not self._replica:
            return await super().download_request(request)
        plain = "http://" + request.url.split("://", 1)[1]
        routed = request.replace(url=plain, meta={**request.meta, "proxy": self._replica})
        response = await super().download_request(routed)
        return response.replace(url=request.url)
