"""Running the queue: inside the app process (embedded default) or as a ``portal worker`` process.

The in-process consumer runs huey's worker threads next to the web server; it must not take over the
process's signal handlers (the app server owns them). At every start, the job runs that a stopped or killed
consumer left behind are queued again (``tasks.recover``); a run is claimed by one attempt at a time, and the
jobs make sure their work is carried out once, however often it is queued.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import AsyncIterator

from huey.consumer import Consumer, Worker

from portal.jobs.queue import QUEUED, embedded, get_huey

log = logging.getLogger("portal.jobs")
_lock = threading.Lock()
_consumer: Consumer | None = None


MAX_IDLE_POLL = 2.0  # seconds: the longest an idle embedded worker waits before looking at the queue itself


class PromptWorker(Worker):
    """A worker of the embedded queue: when idle it waits for a job queued by this process (``QUEUED``) and looks
    at once, instead of sleeping out huey's backed-off polling interval (up to ``max_delay``) while a user waits
    for an export or a collective change to start. A job queued by another process (``portal`` commands, a
    second app process) is still found by polling, at most ``max_delay`` later."""

    def sleep(self) -> None:
        self.delay = min(self.delay, self.max_delay)
        if QUEUED.wait(self.delay):
            QUEUED.clear()  # cleared before the next dequeue, so a job queued after this is not missed
            self.delay = self.default_delay
        else:
            self.delay *= self.backoff


class InProcessConsumer(Consumer):
    """A huey consumer whose threads live inside another program (no signal handlers of its own), with workers
    woken by the jobs this process queues."""

    worker_class = PromptWorker

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("max_delay", MAX_IDLE_POLL)
        super().__init__(*args, **kwargs)

    def _set_signal_handlers(self) -> None:  # the host process handles its signals
        return None

    def stop(self, graceful: bool = False) -> None:
        self.stop_flag.set()
        QUEUED.set()  # idle workers see the stop flag now, not after their wait
        super().stop(graceful=graceful)


def start_in_process(workers: int = 2) -> Consumer | None:
    """Start the embedded consumer once per process (no-op when scaled out on Redis, or when started)."""
    global _consumer
    if not embedded():
        return None
    with _lock:
        if _consumer is None:
            from portal.jobs import tasks

            _consumer = InProcessConsumer(get_huey(), workers=workers, worker_type="thread", periodic=True)
            _consumer.start()
            tasks.recover_now()
            log.info("in-process job consumer started with %s threads", workers)
        return _consumer


def stop_in_process() -> None:
    """Stop the embedded consumer, letting running tasks finish (up to huey's shutdown timeout)."""
    global _consumer
    with _lock:
        consumer, _consumer = _consumer, None
    if consumer is not None:
        consumer.stop(graceful=True)


@contextlib.asynccontextmanager
async def lifespan() -> AsyncIterator[None]:
    """Reflex lifespan task: the embedded consumer lives as long as the app."""
    start_in_process()
    try:
        yield
    finally:
        stop_in_process()


def run_worker(workers: int = 2) -> None:
    """``portal worker``: a separate consumer process (Redis when scaled out; also works on the SQLite queue)."""
    from portal.jobs import tasks

    # On the SQLite queue an idle worker polls at most every MAX_IDLE_POLL seconds (huey's default backs off to
    # 10 s: a job queued by the app would wait that long); on Redis it blocks on the queue instead of polling.
    consumer = get_huey().create_consumer(workers=workers, worker_type="thread", periodic=True, max_delay=MAX_IDLE_POLL)
    tasks.recover_now()
    consumer.run()
