"""Run a crawl of some or all registry sources in one Scrapy process; return the run summary."""
from scrapy.crawler import CrawlerProcess
from scrapy.utils.project import get_project_settings

from .errors import CrawlError
from .registry import load_sources
from .runlog import Run
from .spiders.generic import GenericSpider
from .spiders.hanweb import HanwebSpider
from .spiders.trs import TrsSpider
from .spiders.zhengzhou import ZhengzhouSpider

SPIDERS = {"zhengzhou": ZhengzhouSpider, "hanweb": HanwebSpider, "trs": TrsSpider, "generic": GenericSpider}
REPLICA_HANDLERS = {"http": "crawler.replica.ReplicaDownloadHandler",
                    "https": "crawler.replica.ReplicaDownloadHandler"}


def crawl_settings(data_dir="data", replica=None, db=None, overrides=None):
    settings = get_project_settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.set("NIANBAO_DATA_DIR", str(data_dir))
    if db:
        settings.set("NIANBAO_DB", str(db))
    if replica:
        settings.set("NIANBAO_REPLICA", replica)
        settings.set("DOWNLOAD_HANDLERS", REPLICA_HANDLERS)
    for key, value in (overrides or {}).items():
        settings.set(key, value)
    return settings


def politeness_slots(sources, scale=1.0):
    """Each source's delay and concurrency, per host (Scrapy download slots are per host)."""
    slots = {}
    for source in sources:
        p = source.get("politeness", {})
        for host in source["allowed_hosts"]:
            slots[host] = {"delay": p.get("download_delay", 1.0) * scale, "concurrency": p.get("concurrency", 2)}
    return slots


def run_crawl(source_ids=None, data_dir="data", replica=None, db=None, overrides=None, generic=False,
              registry=None):
    """Crawl the chosen sources (all when None); `generic` treats every portal as of unknown platform."""
    sources = load_sources(registry) if registry else load_sources()
    if source_ids:
        unknown = set(source_ids) - {s["id"] for s in sources}
        if unknown:
            raise SystemExit(f"unknown source ids: {', '.join(sorted(unknown))}")
        sources = [s for s in sources if s["id"] in source_ids]
    settings = crawl_settings(data_dir, replica, db, overrides)
    settings.set("DOWNLOAD_SLOTS", politeness_slots(sources, settings.getfloat("NIANBAO_POLITENESS_SCALE", 1.0)))
    process = CrawlerProcess(settings)
    with Run(data_dir, db=db) as run:  # closed at the end: summary saved, the database finished
        for source in sources:
            run.add_source(source)
            spider = GenericSpider if generic else SPIDERS[source["platform"]]
            process.crawl(spider, source=source, run=run)
        process.start()
    if run.errors:
        raise CrawlError("; ".join(run.errors))
    return run.summary()
