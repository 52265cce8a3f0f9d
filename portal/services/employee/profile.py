"""My profile (EE-4): what the employee sees of themself and the few things they set themselves: a private
e-mail address (it counts only once confirmed through a one-time, expiring link; one mail per new or changed
address), the language of their statements (the next statement run follows it) and whether a new document is
mailed. Everything else is the employer's data: shown, never edited here.

The preferences live on the employee's account, not on a person record: each employer holds its own record of
the person, the account is the one thing that is theirs across employers. The first sign-in asks once for the
private address (``needs_private_email_step``; skipping counts as asked).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import update
from sqlmodel import Session, col, func, select

from portal.core import clock
from portal.core.config import get_settings
from portal.core.mail import send_mail
from portal.domain import auth as auth_rules
from portal.domain.profile import (
    CONFIRM_HOURS,
    STATEMENT_LANGUAGES,
    confirmation_expires,
    confirmation_usable,
    mask_national_id,
    statement_language,
)
from portal.domain.roles import FrontEnd, Perm
from portal.i18n import normalise_language, t
from portal.models import EmailConfirmation, Employer, Employment, Person, UserAccount
from portal.services import audit
from portal.services.errors import FieldError
from portal.services.principal import NoAccess, Principal, own_person_ids, require
from portal.services.rate_limits import limit_mail

MAILS_PER_HOUR = 5  # confirmation mails per account in any hour


@dataclass(frozen=True)
class EmployerContact:
    """Who keeps the person's data right: an employer holding a record of them, and its contact."""

    name: str
    contact_name: str
    contact_email: str
    contact_phone: str
    former: bool


@dataclass(frozen=True)
class Profile:
    name: str
    birth_date: date
    national_id_masked: str
    private_email: str  # confirmed ("" when none)
    pending_email: str  # waiting for its confirmation ("" when none)
    statement_language: str  # nl, en: what the next statement is written in
    language_chosen: bool  # False: the employer's record decides (until the employee chooses)
    notify: bool
    employers: tuple[EmployerContact, ...]


def _employee(db: Session, principal: Principal | None) -> tuple[Principal, UserAccount]:
    p = require(principal, Perm.OWN_DATA_VIEW, FrontEnd.EMPLOYEE)
    own_person_ids(db, p)  # NoAccess without a person record
    user = db.get(UserAccount, p.user_id)
    if user is None or user.person_id != p.person_id:
        raise NoAccess("out_of_scope")
    return p, user


def _hash(token: str) -> str:
    return auth_rules.hash_secret(get_settings().secret, f"private_email:{token}")


def _pending(db: Session, user: UserAccount, now: datetime) -> EmailConfirmation | None:
    row = db.exec(
        select(EmailConfirmation).where(EmailConfirmation.user_id == user.id).order_by(col(EmailConfirmation.id).desc())
    ).first()
    if row is None or not confirmation_usable(row.expires_at, row.used_at, row.superseded_at, now):
        return None
    return row


def my_profile(db: Session, principal: Principal | None, now: datetime | None = None) -> Profile:
    """The session's person as their (current) record says, and their own settings."""
    p, user = _employee(db, principal)
    moment = now or clock.now()
    person = db.get(Person, p.person_id)
    assert person is not None
    owned = sorted(own_person_ids(db, p))
    today = moment.date()
    rows = db.exec(
        select(Employer, Employment.end_date)
        .join(Employment, col(Employment.employer_id) == Employer.id)
        .where(col(Employment.person_id).in_(owned))
        .order_by(col(Employer.name))
    ).all()
    current: dict[int, tuple[Employer, bool]] = {}
    for employer, end in rows:
        former = end is not None and end < today
        if employer.id not in current or not former:
            current[employer.id or 0] = (employer, former)
    contacts = tuple(
        EmployerContact(e.name, e.contact_name, e.contact_email, e.contact_phone, former)
        for e, former in sorted(current.values(), key=lambda x: (x[1], x[0].name))
    )
    name = " ".join(x for x in (person.first_name or person.initials, person.name_prefix, person.last_name) if x)
    pending = _pending(db, user, moment)
    audit.record(db, "personal_data.viewed", actor=p, object_type="person", object_id=person.id, what="profile")
    return Profile(
        name=name,
        birth_date=person.birth_date,
        national_id_masked=mask_national_id(person.bsn),
        private_email=user.private_email,
        pending_email=pending.email if pending else "",
        statement_language=statement_language(user.statement_language, person.language),
        language_chosen=user.statement_language in STATEMENT_LANGUAGES,
        notify=user.notify_mail,
        employers=contacts,
    )


def request_private_email(
    db: Session, principal: Principal | None, email: object, now: datetime | None = None, ip: str = ""
) -> str:
    """Ask to set or change the private address: one confirmation mail with a one-time link valid for
    ``CONFIRM_HOURS``; the address counts only once confirmed. Returns ``sent``, or ``already_sent`` when this
    address's link is still waiting (no second mail). FieldError ``private_email`` for a bad or unchanged one."""
    p, user = _employee(db, principal)
    moment = now or clock.now()
    address = auth_rules.normalise_email(email if isinstance(email, str) else "")
    if not auth_rules.email_valid(address) or len(address) > 254:
        raise FieldError("private_email", "email_invalid")
    if address == user.private_email:
        raise FieldError("private_email", "profile.email_unchanged")
    user.private_email_asked_at = user.private_email_asked_at or moment
    pending = _pending(db, user, moment)
    if pending is not None and pending.email == address:
        return "already_sent"
    recent = db.exec(
        select(func.count())
        .select_from(EmailConfirmation)
        .where(EmailConfirmation.user_id == user.id, EmailConfirmation.created_at > moment - timedelta(hours=1))
    ).one()
    if recent >= MAILS_PER_HOUR:  # no mail bombing by switching between addresses
        raise FieldError("private_email", "profile.too_many_mails")
    account = f"user:{user.id}"
    limit_mail(db, "private_email_confirmation", field="private_email", ip=ip, account=account, actor=p, now=moment)
    db.exec(
        update(EmailConfirmation)
        .where(
            col(EmailConfirmation.user_id) == user.id,
            col(EmailConfirmation.used_at).is_(None),
            col(EmailConfirmation.superseded_at).is_(None),
        )
        .values(superseded_at=moment)
    )
    token = secrets.token_urlsafe(32)
    db.add(
        EmailConfirmation(
            user_id=user.id or 0,
            email=address,
            token_hash=_hash(token),
            created_at=moment,
            expires_at=confirmation_expires(moment),
        )
    )
    audit.record(db, "profile.private_email_requested", actor=p, object_type="user", object_id=user.id)
    db.flush()
    lang = normalise_language(user.language)
    url = f"{get_settings().base_url.rstrip('/')}/confirm-email?token={token}"
    body = t("mail.confirm_email.body", lang, url=url, hours=CONFIRM_HOURS)
    try:
        send_mail(address, t("mail.confirm_email.subject", lang), body)
    except Exception:  # nothing recorded: the transaction is rolled back with the error
        raise FieldError("private_email", "profile.mail_failed") from None
    return "sent"


def confirm_private_email(db: Session, token: object, now: datetime | None = None) -> str:
    """The confirmation link (public: it may be opened on another device): the address becomes the account's
    private address. Works once, before it expires and while no newer address was asked for; FieldError
    ``token`` otherwise (audited). Returns the confirmed address."""
    moment = now or clock.now()
    raw = token if isinstance(token, str) else ""
    query = select(EmailConfirmation).where(EmailConfirmation.token_hash == _hash(raw[:100]))
    row = db.exec(query).first() if raw else None
    if row is None or not confirmation_usable(row.expires_at, row.used_at, row.superseded_at, moment):
        reason = "unknown" if row is None else "used" if row.used_at else "expired"
        if row is not None and row.used_at is None and row.superseded_at is not None:
            reason = "superseded"
        audit.record(
            db, "profile.private_email_refused", actor_user_id=row.user_id if row else None, object_type="user",
            object_id=row.user_id if row else "", reason=reason,
        )  # fmt: skip
        raise FieldError("token", "profile.confirm_invalid")
    user = db.get(UserAccount, row.user_id)
    if user is None or user.status != "active":
        raise FieldError("token", "profile.confirm_invalid")
    row.used_at = moment
    old = user.private_email
    user.private_email = row.email
    audit.record(
        db, "profile.private_email_confirmed", actor_user_id=user.id, object_type="user", object_id=user.id,
        changed=bool(old),
    )  # fmt: skip
    db.flush()
    return row.email


def remove_private_email(db: Session, principal: Principal | None) -> None:
    """Forget the private address (and any link still waiting)."""
    p, user = _employee(db, principal)
    moment = clock.now()
    db.exec(
        update(EmailConfirmation)
        .where(col(EmailConfirmation.user_id) == user.id, col(EmailConfirmation.used_at).is_(None))
        .values(superseded_at=moment)
    )
    user.private_email = ""
    audit.record(db, "profile.private_email_removed", actor=p, object_type="user", object_id=user.id)
    db.flush()


def set_statement_language(db: Session, principal: Principal | None, language: object) -> None:
    """NL or EN for the statements from the next run on (only those two are taken)."""
    p, user = _employee(db, principal)
    if not isinstance(language, str) or language not in STATEMENT_LANGUAGES:
        raise FieldError("statement_language", "language_invalid")
    if user.statement_language != language:
        audit.record(
            db, "profile.changed", actor=p, object_type="user", object_id=user.id,
            field="statement_language", old=user.statement_language, new=language,
        )  # fmt: skip
        user.statement_language = language
    db.flush()


def set_notify(db: Session, principal: Principal | None, on: object) -> None:
    """Whether a new document is mailed (yes/no)."""
    p, user = _employee(db, principal)
    if not isinstance(on, bool):
        raise FieldError("notify", "profile.value_invalid")
    if user.notify_mail != on:
        audit.record(db, "profile.changed", actor=p, object_type="user", object_id=user.id, field="notify_mail", new=on)
        user.notify_mail = on
    db.flush()


def needs_private_email_step(db: Session, principal: Principal | None) -> bool:
    """Whether the first-sign-in step asks for the private address: never asked, none set and none waiting."""
    _p, user = _employee(db, principal)
    if user.private_email_asked_at is not None or user.private_email:
        return False
    return _pending(db, user, clock.now()) is None


def skip_private_email_step(db: Session, principal: Principal | None) -> None:
    """The employee skips the question (it is not asked again; the profile still has the field)."""
    _p, user = _employee(db, principal)
    user.private_email_asked_at = user.private_email_asked_at or clock.now()
    db.flush()
