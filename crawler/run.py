"""Run a crawl of some or all registry sources in one Scrapy process; return the run summary.

One Scrapy crawler per source, all in one CrawlerProcess. The process-wide `crawler.runlog.Run` (run
id, parse workers, database, report log, summary) is created here, handed to every spider as its
`run` argument and closed when the crawl is over; each crawler's own archive, crawl state and counts
are its `crawler.resources.CrawlResources` extension. The settings come from one module per
environment (crawler/settings/).
"""
import sys
from importlib import import_module
from pathlib import Path

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings
from scrapy.utils.conf import closest_scrapy_cfg
from scrapy.utils.misc import load_object

from .distributed import worker_settings
from .errors import CrawlError, SettingsError
from .registry import load_sources, select_sources
from .replica import ReplicaDownloadHandler
from .runlog import Run
from .spiders import spiders_by_platform

PRODUCTION = "crawler.settings.production"
REPLICA = "crawler.settings.replica"


def crawl_settings(module=None, data_dir="data", replica=None, db=None, overrides=None):
    """The settings of one crawl: the environment's module (`module`; by default the replica's when a
    replica URL is given, else production's), then the crawl's own choices and `overrides`
    (KEY=VALUE pairs, as `--set` gives them) on top, at command-line priority."""
    name = module or (REPLICA if replica else PRODUCTION)
    project = closest_scrapy_cfg()
    if project and str(Path(project).parent) not in sys.path:  # as for the scrapy command: the project
        sys.path.append(str(Path(project).parent))               # directory is importable (tests.*)
    try:
        settings_module = import_module(name)
    except ImportError as e:
        raise SettingsError(f"settings module {name!r} cannot be imported: {e}") from e
    settings = Settings()
    settings.setmodule(settings_module, priority="project")
    settings.set("NIANBAO_DATA_DIR", str(data_dir), priority="cmdline")
    if db:
        settings.set("NIANBAO_DB", str(db), priority="cmdline")
    if replica:
        settings.set("NIANBAO_REPLICA", replica, priority="cmdline")
    settings.setdict(overrides or {}, priority="cmdline")
    _check_replica(settings, name)
    return settings


def _check_replica(settings, name):
    routed = settings.get("NIANBAO_REPLICA")
    if settings.getbool("NIANBAO_REPLICA_ONLY") and not routed:
        raise SettingsError(f"the settings {name} are for the local replica only (no politeness): "
                            "give the replica's URL (--replica URL)")
    if routed:
        handlers = settings.getdict("DOWNLOAD_HANDLERS")
        for scheme in ("http", "https"):
            handler = handlers.get(scheme)
            try:
                routes = bool(handler) and issubclass(load_object(handler), ReplicaDownloadHandler)
            except (ImportError, NameError, ValueError, TypeError) as e:
                raise SettingsError(f"DOWNLOAD_HANDLERS[{scheme!r}]: cannot load {handler!r}: {e}") from e
            if not routes:
                raise SettingsError(f"--replica needs settings that route {scheme}:// to the replica "
                                    f"(DOWNLOAD_HANDLERS, as in {REPLICA}); {name} does not")


def politeness_slots(sources, scale=1.0):
    """Each source's delay and concurrency, per host (Scrapy download slots are per host)."""
    slots = {}
    for source in sources:
        p = source.get("politeness", {})
        for host in source["allowed_hosts"]:
            slots[host] = {"delay": p.get("download_delay", 1.0) * scale, "concurrency": p.get("concurrency", 2)}
    return slots


def run_crawl(source_ids=None, data_dir="data", replica=None, db=None, overrides=None, generic=False,
              registry=None, settings_module=None, worker=None):
    """Crawl the chosen sources (all when None); `generic` treats every portal as of unknown platform.
    `settings_module` and `overrides`: see crawl_settings. `worker`: (Redis URL, run id, worker number)
    when this process is one of several crawl workers (crawler/workers.py); its summary then goes to
    runs/workers/ for the coordinator to merge."""
    sources = select_sources(load_sources(registry), source_ids)
    overrides = dict(overrides or {})
    run_options = {}
    if worker:
        redis_url, run_id, number = worker
        in_flight = max((s.get("politeness", {}).get("concurrency", 2) for s in sources), default=2)
        overrides = {**worker_settings(redis_url, run_id, number, in_flight), **overrides}
        run_options = {"run_id": f"{run_id}-w{number}", "runs_dir": Path(data_dir) / "runs" / "workers"}
    settings = crawl_settings(settings_module, data_dir, replica, db, overrides)
    settings.set("DOWNLOAD_SLOTS", politeness_slots(sources, settings.getfloat("NIANBAO_POLITENESS_SCALE", 1.0)))
    process = CrawlerProcess(settings)
    spiders = spiders_by_platform()
    with Run(data_dir, db=db, **run_options) as run:  # closed at the end: summary saved, the database finished
        for source in sources:
            run.add_source(source)
            process.crawl(spiders["generic" if generic else source["platform"]], source=source, run=run)
        process.start()
    if run.errors:
        raise CrawlError("; ".join(run.errors))
    return run.summary()
