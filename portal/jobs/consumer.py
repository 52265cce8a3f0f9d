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

from huey.consumer import Consumer

from portal.jobs.queue import embedded, get_huey

log = logging.getLogger("portal.jobs")
_lock = threading.Lock()
_consumer: Consumer | None = None


class InProcessConsumer(Consumer):
    """A huey consumer whose threads live inside another program (no signal handlers of its own)."""

    def _set_signal_handlers(self) -> None:  # the host process handles its signals
        return None


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

    consumer = get_huey().create_consumer(workers=workers, worker_type="thread", periodic=True)
    tasks.recover_now()
    consumer.run()
