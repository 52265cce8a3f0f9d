"""A real SMTP server for tests (aiosmtpd on 127.0.0.1) that collects the parsed messages it receives.

A test can make it refuse recipients (``refused``: answered 550 at RCPT), hold every RCPT until a second one
for the same address has arrived (``pair_rcpts``: two senders racing for one mailbox both get past RCPT before
either sends its message), and run a function when a message's data arrives (``on_data``)."""

from __future__ import annotations

import asyncio
import email
import email.policy
import threading
import time
from collections import Counter
from collections.abc import Callable
from email.message import EmailMessage
from typing import Self

from aiosmtpd.controller import Controller

from tests.harness import free_port


class _Collector:
    """aiosmtpd handler: keeps (recipients, parsed message) of every mail received."""

    def __init__(self, owner: SmtpCapture) -> None:
        self.owner = owner

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:
        owner = self.owner
        if address.lower() in owner.refused:
            return "550 5.1.1 Mailbox unavailable"
        if owner.pair_rcpts > 0:
            owner._rcpts[address.lower()] += 1
            deadline = time.monotonic() + owner.pair_rcpts
            while owner._rcpts[address.lower()] % 2 and time.monotonic() < deadline:
                await asyncio.sleep(0.01)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:
        msg = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
        if self.owner.on_data is not None:
            await asyncio.to_thread(self.owner.on_data, msg)
        with self.owner._cond:
            self.owner._received.append(([r.lower() for r in envelope.rcpt_tos], msg))
            self.owner._cond.notify_all()
        return "250 Message accepted for delivery"


class SmtpCapture:
    """Start with ``start()`` (or as a context manager); ``url`` is the ``PORTAL_SMTP_URL`` to use."""

    def __init__(self, host: str = "127.0.0.1", port: int | None = None) -> None:
        self.host, self.port = host, port or free_port()
        self._received: list[tuple[list[str], EmailMessage]] = []
        self.refused: set[str] = set()  # lower-case addresses refused at RCPT
        self.pair_rcpts = 0.0  # > 0: hold an RCPT up to this many seconds until its address has a second one
        self._rcpts: Counter[str] = Counter()
        self.on_data: Callable[[EmailMessage], None] | None = None  # called with each message as it arrives
        self._cond = threading.Condition()
        self._controller = Controller(_Collector(self), hostname=self.host, port=self.port)

    @property
    def url(self) -> str:
        return f"smtp://{self.host}:{self.port}"

    def start(self) -> Self:
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def messages(self) -> list[EmailMessage]:
        """Every message received so far, oldest first."""
        with self._cond:
            return [msg for _, msg in self._received]

    def messages_to(self, to: str) -> list[EmailMessage]:
        """Messages whose envelope recipients include ``to``."""
        with self._cond:
            return [msg for rcpts, msg in self._received if to.lower() in rcpts]

    def clear(self) -> None:
        with self._cond:
            self._received.clear()

    def wait_for(self, to: str, subject_contains: str = "", timeout: float = 10.0) -> EmailMessage:
        """The latest message to ``to`` whose subject contains ``subject_contains`` (waits up to ``timeout`` s)."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for rcpts, msg in reversed(self._received):
                    if to.lower() in rcpts and subject_contains.lower() in str(msg["Subject"] or "").lower():
                        return msg
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"no mail to {to} with subject containing {subject_contains!r}")
                self._cond.wait(left)


def body_of(msg: EmailMessage) -> str:
    """The plain-text body of ``msg``."""
    part = msg.get_body(preferencelist=("plain",))
    return part.get_content() if part is not None else ""
