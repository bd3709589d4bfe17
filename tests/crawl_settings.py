"""Scrapy settings for the test suite's and the benchmark's crawls of the in-process replica
(tests/crawl_harness.py, bench/crawl.py): the replica's, with warnings logged and more requests in flight."""
from crawler.settings.replica import *  # noqa: F401,F403

LOG_LEVEL = "WARNING"
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
