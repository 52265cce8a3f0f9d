"""Outgoing e-mail: SMTP when ``PORTAL_SMTP_URL`` is set, else ``.eml`` files in the local mailbox folder."""

from __future__ import annotations

import email
import email.policy
import os
import secrets
import smtplib
import ssl
from collections.abc import Callable
from email.message import EmailMessage, Message
from email.utils import formatdate, make_msgid, parseaddr
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from portal.core import clock
from portal.core.config import get_settings

SMTP_TIMEOUT = 20


def build_message(to: str | list[str], subject: str, body: str, message_id: str = "") -> EmailMessage:
    """A plain-text UTF-8 message from ``settings.mail_from`` (``message_id``: a fixed ``Message-ID``)."""
    recipients = [to] if isinstance(to, str) else list(to)
    sender = get_settings().mail_from
    domain = parseaddr(sender)[1].rpartition("@")[2] or "portal.example"
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = ", ".join(recipients)
    msg["Subject"] = subject
    msg["Date"] = formatdate(localtime=False, usegmt=True)
    msg["Message-ID"] = message_id or make_msgid(domain=domain)
    msg.set_content(body)
    return msg


def send_mail(
    to: str | list[str],
    subject: str,
    body: str,
    message_id: str = "",
    before_data: Callable[[], None] | None = None,
) -> None:
    """Send a plain-text mail to ``to`` (one address or several).

    ``before_data`` is called at the last moment before the message leaves: over SMTP once the server has
    accepted sender and recipients, right before the message itself is transmitted (a server keeps nothing
    of a transaction whose data never ended); in the mailbox folder right before the file is written. A job
    records there that it is sending, so that the moment it cannot know about (handed over, answer not yet
    recorded) is as short as it can be. If it raises, nothing is sent."""
    msg = build_message(to, subject, body, message_id)
    settings = get_settings()
    if settings.smtp_url:
        _send_smtp(settings.smtp_url, msg, before_data)
    else:
        if before_data is not None:
            before_data()
        _write_eml(settings.mailbox, msg)


def _send_smtp(url: str, msg: EmailMessage, before_data: Callable[[], None] | None = None) -> None:
    """Deliver via ``smtp://[user:pass@]host:port[?starttls=1]`` (or ``smtps://`` for implicit TLS)."""
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    host = parts.hostname or "localhost"
    if parts.scheme == "smtps":
        client: smtplib.SMTP = smtplib.SMTP_SSL(
            host, parts.port or 465, timeout=SMTP_TIMEOUT, context=ssl.create_default_context()
        )
    else:
        client = smtplib.SMTP(host, parts.port or 25, timeout=SMTP_TIMEOUT)
    with client:
        if query.get("starttls", ["0"])[0] in ("1", "true", "yes"):
            client.starttls(context=ssl.create_default_context())
        if parts.username:
            client.login(unquote(parts.username), unquote(parts.password or ""))
        if before_data is not None:
            client.data = _after(before_data, client.data)  # type: ignore[method-assign]
        client.send_message(msg)


def _after(first: Callable[[], None], data: Callable[..., tuple[int, bytes]]) -> Callable[..., tuple[int, bytes]]:
    """``smtplib``'s DATA step, preceded by ``first`` (``send_message`` has done MAIL and RCPT by then)."""

    def guarded(msg: bytes | str) -> tuple[int, bytes]:
        first()
        return data(msg)

    return guarded


def _write_eml(folder: Path, msg: EmailMessage) -> Path:
    """Write ``msg`` as a uniquely named ``.eml`` file (atomically: readers never see half a mail)."""
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{clock.now():%Y%m%dT%H%M%S%f}-{secrets.token_hex(4)}.eml"
    tmp = folder / f".{name}.tmp"
    tmp.write_bytes(msg.as_bytes())
    os.replace(tmp, folder / name)
    return folder / name


def read_mailbox(folder: Path | str | None = None) -> list[Message]:
    """All mails in the mailbox folder (default: the configured one), oldest first. For developers and tests."""
    path = Path(folder) if folder is not None else get_settings().mailbox
    if not path.is_dir():
        return []
    return [email.message_from_bytes(f.read_bytes(), policy=email.policy.default) for f in sorted(path.glob("*.eml"))]
