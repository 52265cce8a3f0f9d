"""Insurer adapters (API-2): how one message reaches an insurer, and how the insurer's own participant list is read.

An adapter has ``send(message) -> SendResult`` and ``fetch_records(scheme) -> list[dict[str, str]]``. It is chosen
by the insurer's ``code`` (``ADAPTERS``; every code without an adapter of its own gets the reference adapter), and
the insurer's base URL comes from ``PORTAL_INSURER_URLS``. The reference adapter, ``JsonHttpAdapter``, posts the
message as JSON to ``<base>/messages`` with its idempotency key in an ``Idempotency-Key`` header over keep-alive
connections (one per sending thread; connect and read timeouts from the settings), and reads ``<base>/records``.

The answer of a 2xx must echo the message's idempotency key: an answer that belongs to another message (a
duplicated answer left on a reused connection) counts as an error, so the message is sent again rather than
taken as delivered, and that connection, out of step, is closed.
"""

from __future__ import annotations

import http.client
import json
import threading
import time
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urlencode, urlsplit

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


def _message_of(text: str) -> str:
    """The insurer's message in an answer (a JSON ``message``/``detail``/``title``, else the text)."""
    try:
        data = json.loads(text)
    except ValueError:
        return _cut(text.strip())
    if isinstance(data, dict):
        for name in ("message", "detail", "title", "error"):
            if isinstance(data.get(name), str) and data[name]:
                return _cut(data[name])
    return _cut(text.strip())


class JsonHttpAdapter:
    """The reference adapter: JSON over HTTP (see the module docstring). Thread-safe: each thread that sends
    keeps one keep-alive connection (``http.client``, the lightest client at hand: a send costs a tenth of a
    millisecond of CPU), opened within the connect timeout, each answer awaited within the read timeout."""

    def __init__(self, base: str, pool: int = 8) -> None:
        settings = get_settings()
        self.base = base.rstrip("/")
        parts = urlsplit(self.base)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise NoAddress(base)
        self._https = parts.scheme == "https"
        self._host = parts.hostname
        self._port = parts.port or (443 if self._https else 80)
        self._prefix = parts.path.rstrip("/")
        self._connect_timeout = settings.insurer_connect_timeout
        self._read_timeout = settings.insurer_read_timeout
        self._local = threading.local()
        self._lock = threading.Lock()
        self._all: list[http.client.HTTPConnection] = []

    def _connection(self) -> http.client.HTTPConnection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            kind = http.client.HTTPSConnection if self._https else http.client.HTTPConnection
            conn = kind(self._host, self._port, timeout=self._connect_timeout)
            self._local.conn = conn
            with self._lock:
                self._all.append(conn)
        if conn.sock is None:
            conn.connect()  # within the connect timeout; the answers within the read timeout
            conn.sock.settimeout(self._read_timeout)
        return conn

    def _drop(self) -> None:
        """Close this thread's connection (after an error, a timeout, or an answer out of step)."""
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()

    def _exchange(self, method: str, path: str, body: bytes | None, headers: dict[str, str]) -> tuple[int, bytes]:
        """One request over this thread's connection; a connection the insurer closed while idle is opened
        again once (nothing was sent on it)."""
        for again in (False, True):
            conn = self._connection()
            fresh = conn.sock is not None and getattr(self._local, "used", 0) == 0
            try:
                conn.request(method, self._prefix + path, body=body, headers=headers)
                response = conn.getresponse()
                data = response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self._drop()
                self._local.used = 0
                if again or fresh:
                    raise
                continue
            except BaseException:
                self._drop()
                self._local.used = 0
                raise
            self._local.used = getattr(self._local, "used", 0) + 1
            if response.will_close:
                self._drop()
                self._local.used = 0
            return response.status, data
        raise AssertionError("unreachable")  # pragma: no cover

    def send(self, message: Envelope) -> SendResult:
        started = time.monotonic()

        def ms() -> int:
            return int((time.monotonic() - started) * 1000)

        raw = json.dumps(message.body(), separators=(",", ":")).encode()
        headers = {
            "Content-Type": "application/json",
            "Accept": "application/json",
            "Idempotency-Key": message.idempotency_key,
            "User-Agent": "benefits-portal/1",
        }
        try:
            status, data = self._exchange("POST", "/messages", raw, headers)
        except TimeoutError as e:
            return SendResult(rules.TIMEOUT, None, "", _cut(f"no answer in time ({type(e).__name__})"), ms())
        except (OSError, http.client.HTTPException) as e:
            return SendResult(rules.ERROR, None, "", _cut(f"{type(e).__name__}: {e}"), ms())
        text = data.decode("utf-8", "replace")
        if 200 <= status < 300:
            try:
                answer = json.loads(text)
            except ValueError:
                answer = None
            if not isinstance(answer, dict) or answer.get("idempotency_key") != message.idempotency_key:
                self._drop()  # the connection is out of step (an answer left over): never reuse it
                return SendResult(rules.ERROR, status, "", _cut("answer for another message: " + text), ms())
            return SendResult(rules.SENT, status, str(answer.get("reference") or "")[:64], _cut(text), ms())
        if 400 <= status < 500 and status not in RETRYABLE_4XX:
            return SendResult(rules.REFUSED, status, "", _message_of(text), ms())
        return SendResult(rules.ERROR, status, "", _message_of(text), ms())

    def fetch_records(self, scheme: str) -> list[dict[str, str]]:
        """The insurer's participant/premium list of ``scheme`` as rows of column → text. OSError when the
        insurer cannot be reached or answers other than 200 (``_message_of`` its answer), ValueError when its
        answer is not a JSON list of records (bare, or as ``records``)."""
        status, data = self._exchange(
            "GET", "/records?" + urlencode({"scheme": scheme}), None, {"Accept": "application/json"}
        )
        if status != 200:
            raise OSError(f"HTTP {status}: {_message_of(data.decode('utf-8', 'replace'))}")
        parsed = json.loads(data)
        rows = parsed.get("records") if isinstance(parsed, dict) else parsed
        if not isinstance(rows, list):
            raise ValueError("the insurer's answer holds no list of records")
        return [{str(k): "" if v is None else str(v) for k, v in row.items()} for row in rows if isinstance(row, dict)]

    def close(self) -> None:
        with self._lock:
            conns, self._all = self._all, []
        for conn in conns:
            conn.close()


ADAPTERS: dict[str, type[JsonHttpAdapter]] = {}  # insurer code → adapter class (default: JsonHttpAdapter)


def adapter_for(code: str, pool: int = 8) -> Adapter:
    """A new adapter for insurer ``code`` (the caller closes it); NoAddress when no URL is configured."""
    base = base_url(code)
    if not base:
        raise NoAddress(code)
    return ADAPTERS.get(code.lower(), JsonHttpAdapter)(base, pool)
