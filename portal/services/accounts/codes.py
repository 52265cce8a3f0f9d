"""One-time codes sent by e-mail (activation, password reset), capped per account and purpose an hour."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlmodel import Session, col, func, select, update

from portal.core.config import get_settings
from portal.domain import auth as rules
from portal.models import (
    UserAccount,
    VerificationCode,
)
from portal.services.accounts._common import CODES_PER_HOUR, _hash
from portal.services.accounts.mail_texts import send_account_mail
from portal.services.errors import FieldError


def _mail_allowed(db: Session, user: UserAccount, purpose: str, now: datetime) -> bool:
    """Whether another mail of ``purpose`` may go to ``user``: at most CODES_PER_HOUR per account and
    purpose in any hour (no mail bombing). Every mail sent leaves a ``VerificationCode`` row that counts."""
    recent = db.exec(
        select(func.count())
        .select_from(VerificationCode)
        .where(
            VerificationCode.user_id == user.id,
            VerificationCode.purpose == purpose,
            VerificationCode.created_at > now - timedelta(hours=1),
        )
    ).one()
    return recent < CODES_PER_HOUR


def _issue_code(db: Session, user: UserAccount, purpose: str, now: datetime) -> str | None:
    """Expire older codes of ``purpose`` and create a new one; None when the hourly limit is reached."""
    if not _mail_allowed(db, user, purpose, now):
        return None
    db.exec(
        update(VerificationCode)
        .where(
            col(VerificationCode.user_id) == user.id,
            col(VerificationCode.purpose) == purpose,
            col(VerificationCode.used_at).is_(None),
            col(VerificationCode.expires_at) > now,
        )
        .values(expires_at=now)
    )
    code = rules.generate_code()
    expires = now + timedelta(minutes=get_settings().code_minutes)
    db.add(
        VerificationCode(
            user_id=user.id,
            purpose=purpose,
            code_hash=_hash(f"{purpose}:{user.id}:{code}"),
            created_at=now,
            expires_at=expires,
        )
    )
    db.flush()
    return code


def _check_code(db: Session, user: UserAccount | None, purpose: str, code: str, now: datetime) -> VerificationCode:
    """The latest usable code of ``purpose`` if ``code`` matches it; else count the attempt and raise."""
    row = None
    if user is not None:
        row = db.exec(
            select(VerificationCode)
            .where(VerificationCode.user_id == user.id, VerificationCode.purpose == purpose)
            .where(col(VerificationCode.used_at).is_(None))
            .order_by(col(VerificationCode.id).desc())
        ).first()
    if row is None or not rules.code_usable(row.expires_at, row.used_at, row.attempts, now):
        raise FieldError("code", "code_invalid")
    given = "".join((code or "").split())
    if not secrets.compare_digest(_hash(f"{purpose}:{row.user_id}:{given}"), row.code_hash):
        row.attempts += 1
        db.commit()
        raise FieldError("code", "code_invalid")
    return row


def _mail_code(db: Session, user: UserAccount, purpose: str, mail_kind: str, now: datetime) -> None:
    """Issue a code for ``purpose`` and mail it (``mail_kind``) to the account, unless its hourly cap is spent."""
    code = _issue_code(db, user, purpose, now)
    if code is not None:
        send_account_mail(
            user.email, mail_kind, user.language, name=user.display_name, code=code, minutes=get_settings().code_minutes
        )
