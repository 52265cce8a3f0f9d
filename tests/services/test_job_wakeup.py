"""The embedded queue's consumer starts a job queued by its own process at once, even when it has been idle long
enough for huey's polling to back off (up to seconds between looks): a user's export or collective change does
not wait for the next poll. A stopped consumer's idle workers end at once too."""

from __future__ import annotations

import threading
import time

from portal.jobs.consumer import InProcessConsumer
from portal.jobs.queue import get_huey

IDLE_POLL = 60.0  # seconds between the idle workers' own looks at the queue in these tests
WITHIN = 10.0  # a job queued here must have run well before the next poll (the test fails after this)


def test_a_job_queued_by_this_process_wakes_the_idle_consumer_at_once() -> None:
    huey = get_huey()
    huey.flush()
    ran = threading.Event()

    @huey.task(name="tests.wakeup_probe")
    def probe() -> None:
        ran.set()

    consumer = InProcessConsumer(
        huey, workers=1, worker_type="thread", periodic=False, initial_delay=IDLE_POLL, max_delay=IDLE_POLL
    )
    consumer.start()
    try:
        time.sleep(0.5)  # the worker has looked once, found nothing and waits IDLE_POLL before its next look
        probe()
        assert ran.wait(WITHIN), "the queued job waited for the consumer's next poll"
    finally:
        started = time.monotonic()
        consumer.stop(graceful=True)
        stopped_after = time.monotonic() - started
    assert stopped_after < WITHIN, "an idle worker slept out its poll interval before stopping"
