"""Fault injection for the kill tests: ``PORTAL_FAULT_JOB_DELAY`` seconds per unit of work, 0 (no pause) in
every real deployment. Jobs call ``pause`` at the point where a test wants to kill the worker."""

from __future__ import annotations

import time

from portal.core.config import get_settings


def pause(units: int = 1) -> None:
    """Sleep ``PORTAL_FAULT_JOB_DELAY`` × ``units`` seconds (nothing when the setting is 0)."""
    delay = get_settings().fault_job_delay
    if delay > 0 and units > 0:
        time.sleep(delay * units)
