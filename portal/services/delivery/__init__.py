"""Delivery context (INT-5, API-2): sends the insurer outbox — written by the couplings with each mutation — to
the insurers through their adapters (``adapters``: the interface, the JSON-over-HTTP reference adapter, the
insurers' URLs), in order per participation, exactly once in effect (``job``), queued after the commit that wrote
messages and periodically (``trigger``); the adviser's view, retry and cancel (``admin``). Callers use
``delivery.<function>``."""

from __future__ import annotations

from portal.services.delivery.adapters import (
    ADAPTERS,
    Adapter,
    Envelope,
    JsonHttpAdapter,
    NoAddress,
    SendResult,
    adapter_for,
    base_url,
    parse_urls,
)
from portal.services.delivery.admin import FailedMessage, InsurerCounts, Overview, cancel, overview, retry
from portal.services.delivery.job import Report, deliver, lease_seconds, next_due_in
from portal.services.delivery.trigger import after_commit

__all__ = [
    "ADAPTERS",
    "Adapter",
    "Envelope",
    "FailedMessage",
    "InsurerCounts",
    "JsonHttpAdapter",
    "NoAddress",
    "Overview",
    "Report",
    "SendResult",
    "adapter_for",
    "after_commit",
    "base_url",
    "cancel",
    "deliver",
    "lease_seconds",
    "next_due_in",
    "overview",
    "parse_urls",
    "retry",
]
