"""Scrapy settings for the local replica of the portals (replica/; `nianbao demo`;
`nianbao crawl --replica URL`). The replica is local: politeness off, and a timeout its slow page
exceeds. Without politeness these settings must never reach a real portal: a crawl with them needs a
replica URL (NIANBAO_REPLICA, from --replica).
"""
from .production import *  # noqa: F401,F403

NIANBAO_REPLICA_ONLY = True
# below every middleware: spiders, robots.txt, the archive and the run summary see the real https://
# URLs; only the socket goes to the replica (crawler/replica.py)
DOWNLOAD_HANDLERS = {"http": "crawler.replica.ReplicaDownloadHandler",
                     "https": "crawler.replica.ReplicaDownloadHandler"}
NIANBAO_POLITENESS_SCALE = 0
NIANBAO_ALLOWED_NETWORKS = ["127.0.0.0/8", "::1/128"]  # the replica is local
AUTOTHROTTLE_ENABLED = False
DOWNLOAD_TIMEOUT = 3  # the replica's slow page answers after 5 s: it must time out
BACKOFF_BASE_DELAY = 0.2
RETRY_TIMES = 2
LOG_LEVEL = "ERROR"
