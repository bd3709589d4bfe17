"""Parsing with bounds: every document in a worker process, with a time and a memory limit of its own.

One hostile or broken document (a PDF with a wrong /Length and thousands of pages, a DOCX of a million
tiny paragraphs, HTML with huge rowspans) must cost that document, never the run. Each worker caps its
own address space (RLIMIT_AS), so an allocation past the limit fails inside the worker with a
MemoryError (recorded `too_large`) instead of waking the kernel's OOM killer; a document still running
at the time limit has its worker killed (recorded `too_slow`); a worker that dies for any other reason
(a crash in a C library, SIGKILL from the OOM killer or an operator) is recorded `worker_died`. pebble's
pool replaces a worker that died or was killed and goes on with the next document, where the standard
library's ProcessPoolExecutor is broken for good by one dead worker.

The crawl (crawler/runlog.py), the rebuild (db/build.py) and `nianbao parse` use the same pool and the
same limits (LIMITS below, or the CLI's --time-limit/--memory-limit).
"""
import resource
import signal
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from multiprocessing import get_context

import pebble

from .parse import error_result, parse_bytes, result_head


@dataclass(frozen=True)
class Limits:
    # measured: a seed report's 2-page scan read by OCR takes 10-14 s on this 2-core machine under load
    seconds: float = 120.0
    # address space of one worker; the seed reports as PDF, DOCX and an OCR'd scan all parse within
    # 1.5 GiB, while the hostile DOCX took 4.7 GB and the rowspan HTML 1.95 GB
    memory: int = 2 << 30


LIMITS = Limits()


def _limit_memory(memory):
    """Worker initializer: load the parser, then cap the address space, so that a runaway allocation
    fails in here, not the machine. Loaded first because the libraries' own start-up (thread pools,
    buffers) is not a document's cost, and a worker that cannot even start would break the pool.
    OCR (onnxruntime) is loaded under the limit when a scan needs it: it fits in 1.5 GiB."""
    from .extract import docx, html, pdf, text  # noqa: F401
    if memory:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))


def _parse(data, filename, content_type, header_charset, with_text, sha256):
    return parse_bytes(data, filename=filename, content_type=content_type, header_charset=header_charset,
                       with_text=with_text, sha256=sha256)


class BoundedParser:
    """`submit(...)` gives a Future whose result is always a parse result (pipelines.parse), never an
    exception: a document over a limit, or whose worker died, is a result with its `error` reason."""

    def __init__(self, workers=1, limits=LIMITS):
        self.limits, self.workers = limits, max(1, workers)
        self._pool = self._start()

    def _start(self):
        return pebble.ProcessPool(max_workers=self.workers, initializer=_limit_memory,
                                  initargs=(self.limits.memory,), context=get_context("spawn"))

    def submit(self, data, filename="", content_type="", header_charset=None, with_text=False, sha256=None):
        head = result_head(data, filename, content_type, sha256)
        outcome = Future()
        args = (data, filename, content_type or "", header_charset, with_text, head["sha256"])
        try:
            task = self._pool.schedule(_parse, args=args, timeout=self.limits.seconds)
        except RuntimeError:  # pebble gave up on its pool (its workers kept dying at start): a new one
            self._pool.stop()
            self._pool = self._start()
            task = self._pool.schedule(_parse, args=args, timeout=self.limits.seconds)
        task.add_done_callback(lambda done: outcome.set_result(self._result(done, head)))
        return outcome

    def parse(self, data, filename="", content_type="", header_charset=None, with_text=False, sha256=None):
        return self.submit(data, filename, content_type, header_charset, with_text, sha256).result()

    def _result(self, task, head):
        try:
            return task.result()
        except FutureTimeout:
            return error_result(head, "too_slow", f"parsing took over the {self.limits.seconds:g}-second limit "
                                                  f"for one document; the worker was stopped")
        except pebble.ProcessExpired as e:
            return error_result(head, "worker_died", _death(e.exitcode))
        except BrokenProcessPool as e:  # the pool lost its workers under this document
            return error_result(head, "worker_died", f"the parsing processes died ({e}); the next document "
                                                     f"gets new ones")
        except Exception as e:  # noqa: BLE001 - e.g. a result that cannot be sent back: this document only
            return error_result(head, "parser_error", f"{type(e).__name__}: {e}")

    def close(self):
        self._pool.close()
        self._pool.join()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _death(exitcode):
    if exitcode is not None and exitcode < 0:
        name = signal.Signals(-exitcode).name if -exitcode in signal.valid_signals() else str(-exitcode)
        why = " (as the kernel's out-of-memory killer does)" if -exitcode == signal.SIGKILL else ""
        return f"the parsing process was killed by {name}{why}; the other documents were parsed"
    return f"the parsing process died (exit status {exitcode}); the other documents were parsed"
