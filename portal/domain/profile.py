"""The employee's profile rules (EE-4): the national id shown masked, the private e-mail address that counts only
once confirmed through a one-time link, and the language a person's next statement is written in."""

from __future__ import annotations

from datetime import datetime, timedelta

STATEMENT_LANGUAGES = ("nl", "en")
CONFIRM_HOURS = 24  # a confirmation link works this long, once
SHOWN_DIGITS = 3
MASK = "•"


def mask_national_id(value: str) -> str:
    """Every digit or letter but the last three replaced by ``•``; separators kept (``123.456.789`` →
    ``•••.•••.789``). A value of three characters or fewer is masked whole (nothing of it is shown)."""
    chars = list(value or "")
    positions = [i for i, c in enumerate(chars) if c.isalnum()]
    keep = set(positions[-SHOWN_DIGITS:]) if len(positions) > SHOWN_DIGITS else set()
    return "".join(c if (i in keep or not c.isalnum()) else MASK for i, c in enumerate(chars))


def confirmation_expires(sent_at: datetime) -> datetime:
    """When a confirmation link sent at ``sent_at`` stops working."""
    return sent_at + timedelta(hours=CONFIRM_HOURS)


def confirmation_usable(
    expires_at: datetime, used_at: datetime | None, superseded_at: datetime | None, now: datetime
) -> bool:
    """A link confirms only once, before it expires, and only while no newer address was asked for."""
    return used_at is None and superseded_at is None and now < expires_at


def statement_language(preferred: str, record_language: str) -> str:
    """The employee's own choice (NL/EN) when made, else the language the employer's record holds (NL when
    that is none of ours)."""
    if preferred in STATEMENT_LANGUAGES:
        return preferred
    return record_language if record_language in STATEMENT_LANGUAGES else "nl"


def mail_addresses(*addresses: str) -> list[str]:
    """The distinct addresses to mail (lower-case, empties left out), in the order given: one mail each."""
    out: list[str] = []
    for raw in addresses:
        address = (raw or "").strip().lower()
        if address and address not in out:
            out.append(address)
    return out
