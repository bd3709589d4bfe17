"""Scrapy settings for the real portals (`nianbao crawl`, `nianbao nightly`; scrapy.cfg's default).
Politeness first: these are public servers we depend on."""
BOT_NAME = "nianbao"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# An honest User-Agent with a contact URL; portals can tell who we are and reach us.
USER_AGENT = "nianbao/0.1 (+https://github.com/nianbao/nianbao; archive of 政府信息公开工作年度报告)"

# robots.txt is read for every source; a source whose registry entry says robots: ignore sets
# dont_obey_robotstxt on its requests (the decision is logged at the start of each crawl).
ROBOTSTXT_OBEY = True

CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 0.5
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 64 * 1024 * 1024

# Bodies must be the bytes the server sent (they are archived verbatim).
DEFAULT_REQUEST_HEADERS = {
    "Accept": "text/html,application/xhtml+xml,application/pdf,*/*;q=0.8",
    "Accept-Language": "zh-CN,zh;q=0.9",
    "Accept-Encoding": "identity",
}

RETRY_ENABLED = True
RETRY_TIMES = 3
# 429, 503 and challenge pages are retried by BackoffMiddleware with growing delays instead.
RETRY_HTTP_CODES = [500, 502, 504, 522, 524, 408]

COOKIES_ENABLED = True
HTTPERROR_ALLOWED_CODES = [304]
REDIRECT_ENABLED = True

DOWNLOADER_MIDDLEWARES = {
    "crawler.scope.ScopeMiddleware": 40,  # first: nothing out of scope is even asked for its robots.txt
    "crawler.middlewares.ConditionalGetMiddleware": 580,
    "crawler.middlewares.BackoffMiddleware": 560,
    "crawler.middlewares.ArchiveMiddleware": 950,  # next to the downloader: sees every raw response
}
# next to the spider: a page that linked its documents is done with when its callback ends
SPIDER_MIDDLEWARES = {"crawler.middlewares.CommitPageMiddleware": 950}
ITEM_PIPELINES = {
    "spidermon.contrib.scrapy.pipelines.ItemValidationPipeline": 50,  # items against crawler.monitors.ITEM_SCHEMA
    "crawler.pipelines.DeduplicatePipeline": 100,
    "crawler.pipelines.ArchiveReportPipeline": 200,
    "crawler.pipelines.ParseStorePipeline": 300,
}
EXTENSIONS = {"crawler.resources.CrawlResources": 500,  # archive, crawl state, record of the run
              # the monitors (crawler/monitors.py): before CrawlResources, whose spider_closed reads their results
              "spidermon.contrib.scrapy.extensions.Spidermon": 400}
SPIDERMON_ENABLED = True
SPIDERMON_SPIDER_CLOSE_MONITORS = ("crawler.monitors.CloseSuite",)
SPIDERMON_VALIDATION_SCHEMAS = ["crawler.monitors.ITEM_SCHEMA"]
SPIDERMON_MAX_ITEM_VALIDATION_ERRORS = 0
NIANBAO_MAX_ERROR_RATE = 0.2  # failed requests / requests answered or failed, per source

# Where things go (nianbao crawl sets these from its options).
NIANBAO_DATA_DIR = "data"
NIANBAO_DB = None  # a SQLite database to store parsed reports in (--db)
# e.g. "http://127.0.0.1:8800": route every real host name to the local replica (--replica); needs the
# replica's download handlers (crawler.settings.replica)
NIANBAO_REPLICA = None
NIANBAO_REPLICA_ONLY = False  # True: settings unfit for real portals, refused without NIANBAO_REPLICA
NIANBAO_POLITENESS_SCALE = 1.0  # multiplies the registry's per-source delays; 0 for the local replica
# networks the crawl may reach although not public (crawler/scope.py): none for real portals
NIANBAO_ALLOWED_NETWORKS = []
BACKOFF_MAX_TRIES = 4
BACKOFF_BASE_DELAY = 1.0

LOG_LEVEL = "INFO"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
