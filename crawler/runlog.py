"""The run summary, per source: pages fetched; new, changed, unchanged reports; failures by reason;
blocked; the failed URLs (also kept in the crawl state so the next run retries them)."""
import json
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

from scrapy import signals


def _now():
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class RunSummary:
    COUNTS = ("pages_fetched", "not_modified", "new", "changed", "unchanged", "duplicates", "blocked",
              "parse_errors")

    def __init__(self, runs_dir):
        self.dir = Path(runs_dir)
        self.started_at = _now()
        self.run_id = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S")
        self.sources = {}
        self.finished_at = None

    def source(self, source_id):
        if source_id not in self.sources:
            self.sources[source_id] = {**{k: 0 for k in self.COUNTS}, "failures": Counter(),
                                       "failed_urls": [], "robots": None}
        return self.sources[source_id]

    def count(self, source_id, key, n=1):
        self.source(source_id)[key] += n

    def fail(self, source_id, url, reason):
        s = self.source(source_id)
        s["failures"][reason] += 1
        s["failed_urls"].append({"url": url, "reason": reason})
        if reason.startswith("blocked"):
            s["blocked"] += 1

    def as_dict(self):
        return {"run_id": self.run_id, "started_at": self.started_at, "finished_at": self.finished_at,
                "sources": {k: {**v, "failures": dict(v["failures"])} for k, v in self.sources.items()}}

    def save(self):
        self.finished_at = _now()
        self.dir.mkdir(parents=True, exist_ok=True)
        path = self.dir / f"{self.run_id}.json"
        path.write_text(json.dumps(self.as_dict(), ensure_ascii=False, indent=1), encoding="utf-8")
        return path


class RunLog:
    """Scrapy extension: saves the summary whenever a spider closes (the last close has it all)."""

    def __init__(self, crawler):
        self.crawler = crawler
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def spider_closed(self, spider, reason):
        from .resources import shared
        run = shared(self.crawler.settings).run
        source = run.source(spider.source["id"])
        source["elapsed_seconds"] = self.crawler.stats.get_value("elapsed_time_seconds")
        source["finish_reason"] = reason
        run.save()
