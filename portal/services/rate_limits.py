"""Rate limits on every action that sends mail (no mail bombing, ASVS 11.1.4 / 2.5): fixed windows
(``portal.domain.rate``, the payroll API's rule) counted in ``rate_window``, in the action's transaction.

Three counts, each per window of ``PORTAL_MAIL_RATE_WINDOW_SECONDS``:

- ``mail.account``: mails about one account, or about the address or username a public page was given, known
  or not (so that the refusal tells nothing about who has an account): ``PORTAL_MAIL_RATE_PER_ACCOUNT``;
- ``mail.sender``: actions of one signed-in user that mail other people (an account invited, a form sent):
  ``PORTAL_MAIL_RATE_PER_SENDER``;
- ``mail.ip``: every mail-sending action from one client address: ``PORTAL_MAIL_RATE_PER_IP``.

Over a limit the action is refused before it changes anything: the count and an audit entry
(``mail.rate_limited``) are committed, and a FieldError at the form's field says how many minutes to wait.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import case, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session

from portal.core import clock
from portal.core.config import get_settings
from portal.domain import auth as auth_rules
from portal.domain import rate as rules
from portal.models import RateWindow
from portal.services import audit
from portal.services.errors import FieldError
from portal.services.principal import Principal

ACCOUNT, SENDER, IP = "mail.account", "mail.sender", "mail.ip"
REFUSED = "mail_rate_limited"  # the message key: "too many mails; try again in {minutes} minutes"


def count(db: Session, scope: str, subject: str, now_epoch: float, window_seconds: int) -> rules.Window:
    """One more request of ``subject`` under ``scope`` in the current window; the window after it. Concurrent
    requests each count (the row is locked by the UPDATE on PostgreSQL; SQLite writes one at a time)."""
    table = RateWindow.__table__  # type: ignore[attr-defined]
    start = rules.window_start(now_epoch, window_seconds)
    subject = subject[:128]
    conn = db.connection()
    maker = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
    conn.execute(
        maker(table).values(scope=scope, subject=subject, window_start=start, count=0).on_conflict_do_nothing()
    )
    here = (table.c.scope == scope) & (table.c.subject == subject)
    conn.execute(
        update(table)
        .where(here)
        .values(count=case((table.c.window_start == start, table.c.count + 1), else_=1), window_start=start)
    )
    return rules.Window(start, conn.execute(select(table.c.count).where(here)).scalar_one())


def limit_mail(
    db: Session,
    action: str,
    *,
    field: str,
    ip: str = "",
    account: str = "",
    sender: Principal | None = None,
    actor: Principal | None = None,
    now: datetime | None = None,
) -> None:
    """Count one mail-sending ``action`` against the limits that apply: ``account`` (``user:<id>``, or what a
    public page was asked for, e.g. ``email:<address>``), the signed-in ``sender`` who mails others, and the
    client ``ip`` ('' for a trusted caller such as the CLI: no per-address count). ``actor``: who asked, for the
    audit entry (the sender by default; None on a public page). Over any of them: audited,
    committed and refused with ``FieldError(field, "mail_rate_limited", {"minutes": …})``; nothing else done."""
    settings = get_settings()
    window = settings.mail_rate_window_seconds
    moment = (now or clock.now()).timestamp()
    checks: list[tuple[str, str, int]] = []
    if account:
        checks.append((ACCOUNT, account, settings.mail_rate_per_account))
    if sender is not None:
        checks.append((SENDER, f"user:{sender.user_id}", settings.mail_rate_per_sender))
    if ip:
        checks.append((IP, auth_rules.throttle_client(ip), settings.mail_rate_per_ip))
    waits: list[tuple[int, str, str]] = []
    for scope, subject, limit in checks:
        wait = rules.retry_after(count(db, scope, subject, moment, window), limit, moment, window)
        if wait is not None:
            waits.append((wait, scope, subject))
    if not waits:
        return
    wait, scope, subject = max(waits)
    who = actor or sender
    audit.record(
        db,
        "mail.rate_limited",
        actor=who,
        object_type="mail_action",
        object_id=action,
        employer_id=min(who.employer_ids) if who is not None and len(who.employer_ids) == 1 else None,
        ip=ip,
        scope=scope,
        subject=subject,
        retry_after=wait,
    )
    db.commit()
    raise FieldError(field, REFUSED, {"minutes": rules.minutes_to_wait(wait)})
