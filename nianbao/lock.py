"""One nightly run at a time: an exclusive lock on a file in the data directory.

flock() is released by the kernel when the holder exits, however it exits (kill -9 included), so a crashed
run never leaves a stale lock behind; the file only says who holds it, for the message."""
import fcntl
import os
from contextlib import contextmanager
from datetime import datetime, timezone


class Locked(Exception):
    """Another process holds the lock; str() says who."""


@contextmanager
def exclusive(path):
    f = open(path, "a+", encoding="utf-8")
    try:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            f.seek(0)
            raise Locked(f.read().strip() or "another process") from None
        f.seek(0)
        f.truncate()
        f.write(f"pid {os.getpid()}, since {datetime.now(timezone.utc):%Y-%m-%dT%H:%M:%SZ}\n")
        f.flush()
        yield
    finally:
        f.close()  # closing the file releases the lock
