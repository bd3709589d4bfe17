"""Crawl workers sharing one crawl through Redis (scrapy-redis), without losing a request when one dies.

scrapy-redis gives the shared queue and duplicate filter. What it does not give is recovery: a request
popped by a worker that is then killed (SIGKILL, the OOM killer) is gone from the queue. So every request
gets a *lease*, an id carried in its meta, from the moment it is queued until its outcome is recorded:

- `LeasedScheduler` (a scrapy_redis Scheduler) keeps each queued request, encoded, in the source's
  `leases` hash, and each dequeued lease id in the worker's `inflight` set;
- a lease is settled (removed from both) when the response's callback output has been consumed and
  every item it yielded has left the item pipelines (archived, or dropped as unchanged), when the
  request failed and the failure was recorded for the next run, or when it was replaced by a follow-up
  request (a redirect, a retry), which gets a lease of its own;
- each worker refreshes a heartbeat key; a worker whose heartbeat expired is dead, and the first idle
  survivor moves its in-flight leases back to the queue (SPOP: each is requeued by exactly one worker);
- a worker with nothing to do stays open while any lease of its source is unsettled (another worker
  may still add requests), and closes when none is left.

The crawl's keys live under `<prefix>:run:<run id>:<source id>:`, so each run starts with an empty queue
and duplicate filter; the crawl state (validators, retry list) is shared across runs (crawler/redis_state.py).
`crawler/workers.py` starts the workers and recovers what a run ends with unsettled.
"""
import logging
import os
import time
import uuid

from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Request
from scrapy_redis.scheduler import Scheduler
from twisted.internet import task

log = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 2
HEARTBEAT_TTL = 10  # a worker silent this long is taken for dead


class RunKeys:
    """The Redis keys of one run (and its workers)."""

    def __init__(self, prefix, run_id):
        self.base = f"{prefix}:run:{run_id}"

    def source(self, source_id, what):  # what: requests (the queue), dupefilter, leases, seen
        return f"{self.base}:{source_id}:{what}"

    def column_found(self, source_id, column):
        return f"{self.base}:{source_id}:found:{column}"

    def columns(self, server, source_id):
        """{column: {declared, found}} as the run's workers recorded them (a killed worker's too)."""
        declared = {k.decode(): int(v) for k, v in server.hgetall(self.source(source_id, "declared")).items()}
        dropped = {c.decode() for c in server.smembers(self.source(source_id, "dropped"))}
        out = {}
        for column in sorted(c.decode() for c in server.smembers(self.source(source_id, "columns"))):
            found = server.scard(self.column_found(source_id, column))
            if column in dropped and not found:
                continue  # an index of columns, counted through its columns (gkmlpt)
            out[column] = {"declared": declared.get(column), "found": found}
        return out

    def inflight(self, source_id, worker):
        return f"{self.base}:{source_id}:inflight:{worker}"

    def workers(self, source_id):
        return f"{self.base}:{source_id}:workers"

    def heartbeat(self, worker):
        return f"{self.base}:heartbeat:{worker}"

    def pattern(self):
        return f"{self.base}:*"


def keys_from_settings(settings):
    return RunKeys(settings.get("NIANBAO_REDIS_PREFIX", "nianbao"), settings["NIANBAO_REDIS_RUN"])


class LeasedScheduler(Scheduler):
    """The scrapy-redis scheduler with leases (see the module's doc). Keys per source, not per spider
    name: several sources share one platform spider."""

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        instance = super().from_crawler(crawler)
        instance.crawler = crawler
        instance.keys = keys_from_settings(settings)
        instance.worker = settings["NIANBAO_REDIS_WORKER"]
        instance.persist = True  # the coordinator removes the run's keys when the run is over
        instance.pending = {}    # lease -> items yielded and not yet through the pipelines
        instance.exhausted = set()
        crawler.leases = instance  # how SettleMiddleware and the spider's errback reach it
        instance.idle_limit = settings.getfloat("NIANBAO_REDIS_IDLE_LIMIT", 120)
        instance._waiting = None  # (unsettled count, since) while idle
        for handler, signal in ((instance.item_done, signals.item_scraped), (instance.item_done, signals.item_dropped),
                                (instance.item_done, signals.item_error), (instance.callback_failed, signals.spider_error),
                                (instance.idle, signals.spider_idle)):
            crawler.signals.connect(handler, signal=signal)
        return instance

    def open(self, spider):
        source_id = spider.source["id"]
        self.source_id = source_id
        self.queue_key = self.keys.source(source_id, "requests")
        self.leases_key = self.keys.source(source_id, "leases")
        self.inflight_key = self.keys.inflight(source_id, self.worker)
        from scrapy_redis.dupefilter import RFPDupeFilter
        self.df = RFPDupeFilter(self.server, key=self.keys.source(source_id, "dupefilter"))
        super().open(spider)
        self.server.sadd(self.keys.workers(source_id), self.worker)
        self._beat()
        self._heart = task.LoopingCall(self._beat)
        self._heart.start(HEARTBEAT_SECONDS, now=False)

    def close(self, reason):
        if getattr(self, "_heart", None) is not None and self._heart.running:
            self._heart.stop()

    def _beat(self):
        self.server.set(self.keys.heartbeat(self.worker), os.getpid(), ex=HEARTBEAT_TTL)

    # -- queue ----------------------------------------------------------------------------------------

    def enqueue_request(self, request):
        if not request.dont_filter and self.df.request_seen(request):
            self.df.log(request, self.spider)
            return False
        previous = request.meta.get("lease")  # a redirect or retry of a leased request: that one is done
        lease = request.meta["lease"] = uuid.uuid4().hex
        self.server.hset(self.leases_key, lease, self.queue._encode_request(request))
        self.queue.push(request)
        if self.stats:
            self.stats.inc_value("scheduler/enqueued/redis")
        if previous:
            self.settle(previous)
        return True

    def next_request(self):
        request = self.queue.pop(self.idle_before_close)
        if request is None:
            return None
        if "lease" in request.meta:
            self.server.sadd(self.inflight_key, request.meta["lease"])
        if self.stats:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request

    # -- what the run has seen, shared by its workers (crawler.pipelines.DeduplicatePipeline) -------------

    def claim(self, keys, url):
        """The URL that first claimed one of these keys in this run, or None after claiming them for `url`
        (HSETNX: of two workers claiming at once, one wins)."""
        fields = ["|".join(map(str, k)) for k in keys]
        seen_key = self.keys.source(self.source_id, "seen")
        first = next((v.decode() for v in self.server.hmget(seen_key, fields) if v is not None), None)
        if first is None:
            for field in fields:
                if not self.server.hsetnx(seen_key, field, url):
                    first = first or self.server.hget(seen_key, field).decode()
        # the shared duplicate filter lets a URL through twice only when a dead worker's request is taken
        # over: the claim was that worker's, and its document may never have reached the archive
        return None if first == url else first

    # -- each column's declared size and rows found, shared by the run's workers (crawler/spiders/base.py) --

    def column_seen(self, column):
        self.server.sadd(self.keys.source(self.source_id, "columns"), column)

    def column_declared(self, column, total):
        self.server.hset(self.keys.source(self.source_id, "declared"), column, total)

    def column_found(self, column, url):
        self.server.sadd(self.keys.column_found(self.source_id, column), url)

    def column_dropped(self, column):
        self.server.sadd(self.keys.source(self.source_id, "dropped"), column)

    # -- settling -------------------------------------------------------------------------------------

    def settle(self, lease):
        if lease:
            self.server.hdel(self.leases_key, lease)
            self.server.srem(self.inflight_key, lease)

    def item_yielded(self, lease):
        self.pending[lease] = self.pending.get(lease, 0) + 1

    def output_consumed(self, lease):
        if self.pending.get(lease):
            self.exhausted.add(lease)  # settled when its last item leaves the pipelines
        else:
            self.settle(lease)

    def item_done(self, item, response=None, spider=None, **kwargs):
        lease = getattr(response, "meta", {}).get("lease") if response is not None else None
        if lease is None or lease not in self.pending:
            return
        self.pending[lease] -= 1
        if self.pending[lease] <= 0:
            del self.pending[lease]
            if lease in self.exhausted:
                self.exhausted.discard(lease)
                self.settle(lease)

    def callback_failed(self, failure, response=None, spider=None):
        """A callback raised (a spider bug, logged by Scrapy): its response is as done as it will get."""
        if response is not None:
            self.pending.pop(response.meta.get("lease"), None)
            self.settle(response.meta.get("lease"))

    # -- idle: recover the dead, wait for the living ----------------------------------------------------

    def idle(self, spider):
        if self.recover_dead():
            self._waiting = None
            raise DontCloseSpider
        unsettled = self.server.hlen(self.leases_key)
        if not unsettled and not self.pending:
            return  # the source is done: close
        # another worker may still add requests, or die and leave us its leases: wait, but not forever
        now = time.monotonic()
        if self._waiting is None or self._waiting[0] != unsettled:
            self._waiting = (unsettled, now)
        if now - self._waiting[1] < self.idle_limit or self._living_inflight():
            raise DontCloseSpider
        log.warning("source %s: %d leases unsettled and no progress for %.0f s: closing (the run reports them)",
                    self.source_id, unsettled, now - self._waiting[1])

    def _living_inflight(self):
        return any(self.server.scard(self.keys.inflight(self.source_id, w.decode()))
                   for w in self.server.smembers(self.keys.workers(self.source_id))
                   if self.server.exists(self.keys.heartbeat(w.decode())))

    def recover_dead(self):
        """Requeue the in-flight leases of workers whose heartbeat expired; how many."""
        moved = 0
        for worker in self.server.smembers(self.keys.workers(self.source_id)):
            worker = worker.decode()
            if worker == self.worker or self.server.exists(self.keys.heartbeat(worker)):
                continue
            inflight = self.keys.inflight(self.source_id, worker)
            while (lease := self.server.spop(inflight)) is not None:
                encoded = self.server.hget(self.leases_key, lease)
                if encoded is not None:
                    self.queue.push(self.queue._decode_request(encoded))
                    moved += 1
            self.server.srem(self.keys.workers(self.source_id), worker)
        if moved:
            log.warning("source %s: %d requests of dead workers requeued", self.source_id, moved)
        return moved


class SettleMiddleware:
    """Spider middleware: a response's lease is settled once its callback output is consumed (and, for
    items, once they leave the pipelines; see LeasedScheduler)."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    async def process_spider_output_async(self, response, result, spider=None):
        leases = getattr(self.crawler, "leases", None)
        lease = response.meta.get("lease")
        async for obj in result:
            if leases is not None and lease and not isinstance(obj, Request):
                leases.item_yielded(lease)
            yield obj
        if leases is not None and lease:
            leases.output_consumed(lease)

    def process_spider_output(self, response, result, spider=None):
        leases = getattr(self.crawler, "leases", None)
        lease = response.meta.get("lease")
        for obj in result:
            if leases is not None and lease and not isinstance(obj, Request):
                leases.item_yielded(lease)
            yield obj
        if leases is not None and lease:
            leases.output_consumed(lease)


def settle_failed(crawler, request):
    """The request failed and the failure is recorded (the next run retries it): its lease is done."""
    leases = getattr(crawler, "leases", None)
    if leases is not None:
        leases.settle(request.meta.get("lease"))


def worker_settings(redis_url, run_id, worker, in_flight=2, prefix="nianbao"):
    """The settings a worker process adds to its environment's. `in_flight`: requests one worker takes
    from the shared queue at a time, per source. Scrapy takes requests while its downloader has room,
    and a request waiting out a host's delay counts as in the downloader: with the usual 16, the first
    worker would hoard a whole column in its own memory while the others sit idle."""
    return {
        "CONCURRENT_REQUESTS": in_flight,
        "SCHEDULER": "crawler.distributed.LeasedScheduler",
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        "REDIS_URL": redis_url,
        "SCHEDULER_PERSIST": True,
        "SPIDER_MIDDLEWARES": {"crawler.distributed.SettleMiddleware": 1},  # outermost: sees the final output
        "NIANBAO_REDIS_URL": redis_url,
        "NIANBAO_REDIS_RUN": run_id,
        "NIANBAO_REDIS_WORKER": str(worker),
        "NIANBAO_REDIS_PREFIX": prefix,
    }
