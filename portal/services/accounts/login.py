"""Sign-in: the password step, TOTP set-up and check, recovery codes (AUTH-2, AUTH-7)."""

from __future__ import annotations

import base64
import io
import logging
from datetime import datetime

import pyotp
import segno
from sqlmodel import Session, col, select, update

from portal.core import totp_secrets
from portal.domain import auth as rules
from portal.models import (
    RecoveryCode,
    UserAccount,
)
from portal.services.accounts._common import (
    TOTP_ISSUER,
    LoginStep,
    _audit,
    _dummy_hash,
    _hash,
    _hasher,
    _moment,
    _user_by_username,
    _verify_password,
    hash_password,
)
from portal.services.accounts.throttle import _fail, _refuse_if_locked, _throttle_key
from portal.services.errors import FieldError

log = logging.getLogger("portal.accounts")


def check_password(db: Session, username: str, password: str, ip: str = "", now: datetime | None = None) -> LoginStep:
    """First login step. Same message, timing and lock-out for unknown users, invited users and wrong passwords."""
    now = _moment(now)
    key = _throttle_key(username)
    _refuse_if_locked(db, key, "username", now, ip)
    user = _user_by_username(db, key)
    if user is not None and user.status == "active" and user.password_hash:
        ok = _verify_password(user.password_hash, password or "")
    else:
        _verify_password(_dummy_hash(), password or "")
        ok = False
    if not ok or user is None:
        _fail(db, key, "password", "login_invalid", now, ip, "login.failed", user.id if user else None)
    assert user is not None and user.id is not None
    if _hasher().check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return LoginStep(user_id=user.id, needs_totp_setup=not user.totp_secret)


def new_totp_setup(username: str) -> tuple[str, str, str]:
    """A fresh TOTP secret, its otpauth:// URI and the QR code as an SVG data URI (made locally by segno)."""
    secret = pyotp.random_base32()
    uri = pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=TOTP_ISSUER)
    buf = io.BytesIO()
    segno.make(uri, error="m").save(buf, kind="svg", scale=5, border=2, dark="#000", light="#fff", xmldecl=False)
    return secret, uri, "data:image/svg+xml;base64," + base64.b64encode(buf.getvalue()).decode()


def _new_recovery_codes(db: Session, user_id: int) -> list[str]:
    for old in db.exec(select(RecoveryCode).where(RecoveryCode.user_id == user_id)).all():
        db.delete(old)
    codes = rules.generate_recovery_codes()
    for code in codes:
        db.add(RecoveryCode(user_id=user_id, code_hash=_hash(f"recovery:{user_id}:{code}")))
    return codes


def confirm_totp_setup(db: Session, user_id: int, secret: str, code: str, now: datetime | None = None) -> list[str]:
    """Store the new TOTP secret once a code from the app matches; return 10 recovery codes (shown once)."""
    now = _moment(now)
    user = db.get(UserAccount, user_id)
    if user is None or user.status != "active" or user.totp_secret or not rules.totp_secret_valid(secret or ""):
        raise FieldError("code", "totp_invalid")
    result, step = rules.match_totp(secret, code, now, last_step=0)
    if result != "ok" or step is None:
        raise FieldError("code", "totp_invalid")
    user.totp_secret, user.totp_last_step = totp_secrets.seal(secret), step
    codes = _new_recovery_codes(db, user_id)
    _audit(db, "totp.enabled", now, actor_user_id=user_id, object_type="user_account", object_id=user_id)
    db.flush()
    return codes


def set_known_totp(db: Session, user_id: int, secret: str) -> None:
    """Give an account a known TOTP secret (demo seeder only: demo users can log in with a known app secret)."""
    user = db.get(UserAccount, user_id)
    if user is None or not rules.totp_secret_valid(secret):
        raise ValueError("unknown user or invalid base32 secret")
    user.totp_secret, user.totp_last_step = totp_secrets.seal(secret), 0
    db.flush()


def _second_factor_user(db: Session, user_id: int, now: datetime, ip: str) -> tuple[UserAccount, str]:
    user = db.get(UserAccount, user_id)
    if user is None or user.status != "active" or not user.username or not user.totp_secret:
        raise FieldError("code", "totp_invalid")
    key = _throttle_key(user.username)
    _refuse_if_locked(db, key, "code", now, ip)
    return user, key


def _secret_of(db: Session, user: UserAccount, now: datetime, ip: str) -> str:
    """The account's TOTP secret, decrypted. A key that cannot decrypt it (a wrong or missing
    ``PORTAL_TOTP_KEY``) refuses this sign-in with a clear message, audited and logged (without the secret);
    the server keeps running and every other sign-in keeps working."""
    try:
        return totp_secrets.unseal(user.totp_secret)
    except totp_secrets.TotpKeyError as err:
        log.error("TOTP check impossible for account %s: %s", user.id, err)
        _audit(db, "login.totp_key_error", now, actor_user_id=user.id, ip=ip, object_type="user_account",
               object_id=user.id)  # fmt: skip
        db.commit()
        raise FieldError("code", "totp_unavailable") from None


def reencrypt_totp_secrets(db: Session, keys: list[str] | None = None) -> int:
    """Encrypt every stored TOTP secret again under the newest key (key rotation: ``keys`` newest first, the
    configured ones by default; each must be able to decrypt what it encrypted). All or nothing: in the
    caller's transaction; ``TotpKeyError`` when a secret cannot be decrypted (then nothing is changed).
    Returns how many secrets were re-encrypted."""
    users = db.exec(select(UserAccount).where(UserAccount.totp_secret != "")).all()
    for user in users:
        user.totp_secret = totp_secrets.reseal(user.totp_secret, keys)
    _audit(db, "totp.keys_rotated", _moment(None), object_type="user_account", object_id="*", secrets=len(users))
    db.flush()
    return len(users)


def totp_secrets_not_under(db: Session, newest: str) -> int:
    """How many stored TOTP secrets the key ``newest`` alone cannot decrypt (0: older keys may go)."""
    stored = db.exec(select(UserAccount.totp_secret).where(UserAccount.totp_secret != "")).all()
    return sum(1 for value in stored if not totp_secrets.opens_with(value, [newest]))


def verify_totp(db: Session, user_id: int, code: str, ip: str = "", now: datetime | None = None) -> None:
    """Second login step with the authenticator app. A code of an already accepted time step is refused."""
    now = _moment(now)
    user, key = _second_factor_user(db, user_id, now, ip)
    result, step = rules.match_totp(_secret_of(db, user, now, ip), code, now, user.totp_last_step)
    if result == "ok" and step is not None:
        claimed = db.exec(
            update(UserAccount)
            .where(col(UserAccount.id) == user_id, col(UserAccount.totp_last_step) < step)
            .values(totp_last_step=step)
        )
        if claimed.rowcount == 1:  # the conditional update makes a concurrent replay lose
            db.refresh(user)
            return
        result = "replayed"
    msg = "totp_replayed" if result == "replayed" else "totp_invalid"
    _fail(db, key, "code", msg, now, ip, "login.totp_failed", user.id)


def use_recovery_code(db: Session, user_id: int, code: str, ip: str = "", now: datetime | None = None) -> None:
    """Second login step with a one-time recovery code instead of the app."""
    now = _moment(now)
    user, key = _second_factor_user(db, user_id, now, ip)
    clean = rules.normalise_recovery_code(code)
    if clean is not None:
        claimed = db.exec(
            update(RecoveryCode)
            .where(
                col(RecoveryCode.user_id) == user_id,
                col(RecoveryCode.code_hash) == _hash(f"recovery:{user_id}:{clean}"),
                col(RecoveryCode.used_at).is_(None),
            )
            .values(used_at=now)
        )
        if claimed.rowcount == 1:
            left = db.exec(
                select(RecoveryCode).where(RecoveryCode.user_id == user_id, col(RecoveryCode.used_at).is_(None))
            ).all()
            _audit(
                db,
                "login.recovery_used",
                now,
                actor_user_id=user_id,
                ip=ip,
                object_type="user_account",
                object_id=user_id,
                remaining=len(left),
            )
            return
    _fail(db, key, "code", "recovery_invalid", now, ip, "login.recovery_failed", user.id)
