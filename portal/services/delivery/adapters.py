"""Insurer adapters (API-2): how one message reaches an insurer, and how the insurer's own participant list is read.

An adapter has ``send(message) -> SendResult`` and ``fetch_records(scheme) -> list[dict[str, str]]``. It is chosen
by the insurer's ``code`` (``ADAPTERS``; every code without an adapter of its own gets the reference adapter), and
the insurer's base URL comes from ``PORTAL_INSURER_URLS``. The reference adapter, ``JsonHttpAdapter``, posts the
message as JSON to ``<base>/messages`` with its idempotency key in an ``Idempotency-Key`` header over one
keep-alive connection pool (connect and read timeouts from the settings), and reads ``<base>/records``.

The answer of a 2xx must echo the message's idempotency key: an answer that belongs to another message (a
duplicated answer left on a reused connection) counts as an error, so the message is sent again rather than
taken as delivered, and the adapter takes a fresh connection pool (the old one, whose connection is out of step,
is closed with the adapter; requests still running on it finish).
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from typing import Any, Protocol

import httpx

from portal.core.config import get_settings
from portal.domain import delivery as rules

ANSWER_CHARS = 2000
RETRYABLE_4XX = frozenset({408, 409, 425, 429})  # "try again later" answers: not a refusal


@dataclass(frozen=True)
class Envelope:
    """What is sent for one outbox message (built from its row by the delivery job)."""

    id: int
    idempotency_key: str
    kind: str
    insurer_code: str
    employer_id: int
    scheme_id: int
    participation_id: int
    payload: str  # JSON text

    def body(self) -> dict[str, Any]:
        return {
            "message_id": self.id,
            "idempotency_key": self.idempotency_key,
            "kind": self.kind,
            "employer": self.employer_id,
            "scheme": self.scheme_id,
            "participation": self.participation_id,
            "payload": json.loads(self.payload or "{}"),
        }


@dataclass(frozen=True)
class SendResult:
    """The insurer's answer to one attempt: ``outcome`` sent/error/timeout/refused, the HTTP status (None when
    there was no answer), the insurer's reference (when sent) and its answer or the error (cut short)."""

    outcome: str
    http_status: int | None = None
    reference: str = ""
    answer: str = ""
    duration_ms: int = 0


class Adapter(Protocol):
    def send(self, message: Envelope) -> SendResult: ...

    def fetch_records(self, scheme: str) -> list[dict[str, str]]: ...

    def close(self) -> None: ...


class NoAddress(LookupError):
    """No base URL is configured for an insurer."""


def parse_urls(text: str) -> dict[str, str]:
    """``"asr=http://a,http://b"`` → {"asr": "http://a", "*": "http://b"} (codes lower-case, no trailing /)."""
    urls: dict[str, str] = {}
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        code, sep, url = part.partition("=")
        if not sep or "://" in code:
            code, url = "*", part
        urls[code.strip().lower() or "*"] = url.strip().rstrip("/")
    return urls


def base_url(code: str) -> str | None:
    """The base URL of insurer ``code`` (its own, else the default), or None."""
    urls = parse_urls(get_settings().insurer_urls)
    return urls.get(code.lower()) or urls.get("*")


def _cut(text: str) -> str:
    return text if len(text) <= ANSWER_CHARS else text[: ANSWER_CHARS - 1] + "…"


def _message_of(response: httpx.Response) -> str:
    """The insurer's message in an answer (a JSON ``message``/``detail``/``title``, else the text)."""
    try:
        data = response.json()
    except ValueError:
        return _cut(response.text.strip())
    if isinstance(data, dict):
        for name in ("message", "detail", "title", "error"):
            if isinstance(data.get(name), str) and data[name]:
                return _cut(data[name])
    return _cut(response.text.strip())


class JsonHttpAdapter:
    """The reference adapter: JSON over HTTP (see the module docstring). Thread-safe; one per insurer."""

    def __init__(self, base: str, pool: int = 8) -> None:
        settings = get_settings()
        self.base = base.rstrip("/")
        self._timeout = httpx.Timeout(settings.insurer_read_timeout, connect=settings.insurer_connect_timeout)
        self._limits = httpx.Limits(max_connections=pool, max_keepalive_connections=pool, keepalive_expiry=30)
        self._lock = threading.Lock()
        self._retired: list[httpx.Client] = []
        self.client = self._new_client()

    def _new_client(self) -> httpx.Client:
        return httpx.Client(timeout=self._timeout, limits=self._limits, headers={"User-Agent": "benefits-portal/1"})

    def _out_of_step(self, client: httpx.Client) -> None:
        """A connection of ``client`` gave another request's answer: new requests go over a fresh pool."""
        with self._lock:
            if self.client is client:
                self._retired.append(client)
                self.client = self._new_client()

    def send(self, message: Envelope) -> SendResult:
        started = time.monotonic()

        def ms() -> int:
            return int((time.monotonic() - started) * 1000)

        client = self.client
        try:
            response = client.post(
                f"{self.base}/messages",
                json=message.body(),
                headers={"Idempotency-Key": message.idempotency_key},
            )
        except httpx.TimeoutException as e:
            return SendResult(rules.TIMEOUT, None, "", _cut(f"no answer in time ({type(e).__name__})"), ms())
        except httpx.HTTPError as e:
            return SendResult(rules.ERROR, None, "", _cut(f"{type(e).__name__}: {e}"), ms())
        status = response.status_code
        if 200 <= status < 300:
            try:
                data = response.json()
            except ValueError:
                data = None
            if not isinstance(data, dict) or data.get("idempotency_key") != message.idempotency_key:
                self._out_of_step(client)
                return SendResult(rules.ERROR, status, "", _cut("answer for another message: " + response.text), ms())
            return SendResult(rules.SENT, status, str(data.get("reference") or "")[:64], _cut(response.text), ms())
        if 400 <= status < 500 and status not in RETRYABLE_4XX:
            return SendResult(rules.REFUSED, status, "", _message_of(response), ms())
        return SendResult(rules.ERROR, status, "", _message_of(response), ms())

    def fetch_records(self, scheme: str) -> list[dict[str, str]]:
        """The insurer's participant/premium list of ``scheme`` as rows of column → text."""
        response = self.client.get(f"{self.base}/records", params={"scheme": scheme})
        response.raise_for_status()
        data = response.json()
        rows = data.get("records", []) if isinstance(data, dict) else data
        return [{str(k): "" if v is None else str(v) for k, v in row.items()} for row in rows if isinstance(row, dict)]

    def close(self) -> None:
        with self._lock:
            clients, self._retired = [self.client, *self._retired], []
        for client in clients:
            client.close()


ADAPTERS: dict[str, type[JsonHttpAdapter]] = {}  # insurer code → adapter class (default: JsonHttpAdapter)


def adapter_for(code: str, pool: int = 8) -> Adapter:
    """A new adapter for insurer ``code`` (the caller closes it); NoAddress when no URL is configured."""
    base = base_url(code)
    if not base:
        raise NoAddress(code)
    return ADAPTERS.get(code.lower(), JsonHttpAdapter)(base, pool)
