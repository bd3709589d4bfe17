"""Scrapy settings, one module per environment:

- `crawler.settings.production`: the real portals. Polite: an honest User-Agent, robots.txt, the
  registry's per-source delays, AutoThrottle, backoff. scrapy.cfg's default and `nianbao crawl`'s.
- `crawler.settings.replica`: the local replica of the portals (replica/, `nianbao demo`):
  politeness off, short timeouts, every host routed to the replica. Implied by `--replica URL`, and
  refused without one.
- `tests/crawl_settings.py` (module `tests.crawl_settings`): the test suite's and the benchmark's
  crawls of the in-process replica.

`nianbao crawl --settings MODULE` chooses one (any importable module; as for the `scrapy` command, the
directory of the closest scrapy.cfg is importable); `--set KEY=VALUE` overrides single settings.
An environment of your own is a module that starts with `from crawler.settings.production import *`.
"""
