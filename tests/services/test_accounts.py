"""Account use cases against a real database and a real SMTP server (AUTH-1..3, AUTH-5, AUTH-7)."""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pyotp
import pytest
from sqlmodel import Session, select

from portal.core import clock
from portal.core.config import get_settings
from portal.domain.roles import FrontEnd
from portal.models import (
    AuditEvent,
    AuthSession,
    CompanyGroup,
    Employer,
    IntermediaryOffice,
    LoginThrottle,
    RoleGrant,
    UserAccount,
    VerificationCode,
)
from portal.services import accounts
from portal.services.errors import FieldError
from portal.services.principal import NoAccess
from tests.smtp import SmtpCapture, body_of

PASSWORD = "portal-demo-2026"
NOW = clock.now().replace(microsecond=0)


# ---------------------------------------------------------------- helpers


def at(minutes: float) -> datetime:
    return NOW + timedelta(minutes=minutes)


def code_in(msg: Any) -> str:
    match = re.search(r"\b(\d{6})\b", body_of(msg))
    assert match, body_of(msg)
    return match.group(1)


def totp_at(secret: str, when: datetime) -> str:
    return pyotp.TOTP(secret).at(when.replace(tzinfo=UTC))


def refused(db: Session, field: str, key: str, fn: Callable[..., Any], *args: Any, **kw: Any) -> FieldError:
    """Call ``fn`` expecting FieldError(field, key); roll back afterwards as the UI's session_scope does."""
    with pytest.raises(FieldError) as err:
        fn(db, *args, **kw)
    db.rollback()
    assert (err.value.field, err.value.key) == (field, key)
    return err.value


def audit_actions(db: Session, action: str) -> list[AuditEvent]:
    return list(db.exec(select(AuditEvent).where(AuditEvent.action == action)).all())


@pytest.fixture
def org(db: Session) -> dict[str, int]:
    """Two offices; a group of two employers in office 1, a loose employer in office 1, one in office 2."""
    office1, office2 = (
        IntermediaryOffice(name="Adviesburo", kvk_number="12345678"),
        IntermediaryOffice(name="Ander kantoor", kvk_number="87654321"),
    )
    db.add_all([office1, office2])
    db.flush()
    group = CompanyGroup(name="Holding", office_id=office1.id)
    db.add(group)
    db.flush()
    e1 = Employer(name="Alpha BV", kvk_number="11111111", office_id=office1.id, group_id=group.id)
    e2 = Employer(name="Beta BV", kvk_number="22222222", office_id=office1.id, group_id=group.id)
    e3 = Employer(name="Gamma BV", kvk_number="33333333", office_id=office1.id)
    e4 = Employer(name="Delta BV", kvk_number="44444444", office_id=office2.id)
    db.add_all([e1, e2, e3, e4])
    db.commit()
    return {"office1": office1.id, "office2": office2.id, "group": group.id, "e1": e1.id, "e2": e2.id,
            "e3": e3.id, "e4": e4.id}  # fmt: skip


def invite(db: Session, org: dict[str, int], email: str = "anna@example.nl", **kw: Any) -> UserAccount:
    kw.setdefault("roles", [("hr", {"employer_id": org["e1"]})])
    user = accounts.invite_user(db, email, "Anna de Vries", now=NOW, **kw)
    db.commit()
    return user


def activate(
    db: Session,
    smtp: SmtpCapture,
    org: dict[str, int],
    email: str = "anna@example.nl",
    username: str = "anna",
    **kw: Any,
) -> UserAccount:
    """Invite and activate an account through the real flow, reading the code from the mail."""
    invite(db, org, email, **kw)
    accounts.start_activation(db, email, now=NOW)
    db.commit()
    code = code_in(smtp.wait_for(email, "code"))
    user_id = accounts.verify_activation_code(db, email, code, now=at(1))
    user = accounts.complete_activation(db, user_id, username, PASSWORD, now=at(2))
    db.commit()
    return user


def enrol_totp(db: Session, username: str, when: datetime) -> tuple[int, str, list[str]]:
    """First login: password, then set up TOTP; returns (user id, secret, recovery codes)."""
    step = accounts.check_password(db, username, PASSWORD, now=when)
    assert step.needs_totp_setup
    secret, _uri, _qr = accounts.new_totp_setup(username)
    codes = accounts.confirm_totp_setup(db, step.user_id, secret, totp_at(secret, when), now=when)
    db.commit()
    return step.user_id, secret, codes


def signed_in(db: Session, user_id: int, when: datetime) -> str:
    """A redeemed session token for ``user_id``."""
    ticket = accounts.create_session(db, user_id, now=when)
    db.commit()
    redeemed = accounts.redeem_ticket(db, *ticket, now=when)
    db.commit()
    assert redeemed is not None
    return redeemed[0]


def active_user(db: Session, org: dict[str, int], email: str, username: str, roles: list) -> int:
    """An active account created without the mail flow (for session and scope tests)."""
    user = accounts.invite_user(db, email, username, roles, now=NOW)
    user.username, user.status, user.password_hash = username, "active", accounts.hash_password(PASSWORD)
    db.commit()
    assert user.id is not None
    return user.id


# ---------------------------------------------------------------- invitation and activation


def test_full_activation_reading_the_code_from_the_mail(db: Session, smtp_server: SmtpCapture, org: dict) -> None:
    invite(db, org, "Anna@Example.NL", language="en")
    invitation = smtp_server.wait_for("anna@example.nl", "account")
    assert "/activate" in body_of(invitation)
    assert "Anna de Vries" in body_of(invitation)

    accounts.start_activation(db, " ANNA@example.nl ", now=NOW)
    db.commit()
    mail = smtp_server.wait_for("anna@example.nl", "verification code")
    code = code_in(mail)
    assert "15 minutes" in body_of(mail)
    row = db.exec(select(VerificationCode)).one()
    assert code not in row.code_hash and len(row.code_hash) == 64

    user_id = accounts.verify_activation_code(db, "anna@example.nl", code, now=at(5))
    user = accounts.complete_activation(db, user_id, "  Anna.V ", PASSWORD, now=at(6))
    db.commit()
    db.refresh(user)
    assert (user.status, user.username, user.email) == ("active", "anna.v", "anna@example.nl")
    assert user.password_hash.startswith("$argon2id$") and PASSWORD not in user.password_hash
    confirmation = smtp_server.wait_for("anna@example.nl", "activated")
    assert PASSWORD not in body_of(confirmation)
    assert audit_actions(db, "account.activated")
    assert accounts.check_password(db, "ANNA.V", PASSWORD, now=at(7)).user_id == user.id


def test_invitation_mail_is_dutch_by_default(db: Session, smtp_server: SmtpCapture, org: dict) -> None:
    invite(db, org)
    assert "Beste Anna de Vries" in body_of(smtp_server.wait_for("anna@example.nl", "account"))


def test_duplicate_invitation_refused(db: Session, smtp_server: SmtpCapture, org: dict) -> None:
    invite(db, org)
    refused(
        db,
        "email",
        "email_taken",
        accounts.invite_user,
        "ANNA@example.nl",
        "Anna",
        [("hr", {"employer_id": org["e1"]})],
    )
    refused(
        db,
        "email",
        "email_invalid",
        accounts.invite_user,
        "anna",
        "Anna",
        [("hr", {"employer_id": org["e1"]})],
    )
    refused(db, "roles", "roles_invalid", accounts.invite_user, "b@example.nl", "B", [("boss", {})])
    refused(db, "roles", "roles_invalid", accounts.invite_user, "b@example.nl", "B", [("hr", {})])


def test_user_manager_may_only_invite_within_own_employer(db: Session, smtp_server: SmtpCapture, org: dict) -> None:
    manager_id = active_user(db, org, "um@example.nl", "um", [("user_management", {"employer_id": org["e1"]})])
    manager = accounts.resolve_session(db, signed_in(db, manager_id, NOW), now=NOW)
    assert manager is not None
    ok = accounts.invite_user(db, "new@example.nl", "New", [("finance", {"employer_id": org["e1"]})], actor=manager)
    assert ok.id is not None
    for roles in ([("hr", {"employer_id": org["e4"]})], [("adviser", {"office_id": org["office1"]})]):
        with pytest.raises(NoAccess):
            accounts.invite_user(db, "x@example.nl", "X", roles, actor=manager)
    hr_id = active_user(db, org, "hr@example.nl", "hr", [("hr", {"employer_id": org["e1"]})])
    hr = accounts.resolve_session(db, signed_in(db, hr_id, NOW), now=NOW)
    with pytest.raises(NoAccess):
        accounts.invite_user(db, "y@example.nl", "Y", [("hr", {"employer_id": org["e1"]})], actor=hr)


def test_expired_code_refused(db: Session, smtp_server: SmtpCapture, org: dict) -> None:
    invite(db, org)
    accounts.start_activation(db, "anna@example.nl", now=NOW)
    db.commit()
    code = code_in(smtp_server.wait_for("anna@example.nl", "code"))
    refused(db, "code", "code_invalid", accounts.verify_activation_code, "anna@example.nl", code, now=at(16))
    assert accounts.verify_activation_code(db, "anna@example.nl", code, now=at(14))


def test_code_reuse_refused(db: Session, smtp_server: SmtpCapture, org: dict) -> None:
    invite(db, org)
    accounts.start_activation(db, "anna@example.nl", now=NOW)
    db.commit()
    code = code_in(smtp_server.wait_for("anna@example.nl", "code"))
    accounts.verify_activation_code(db, "anna@example.nl", code, now=at(1))
    db.commit()
    refused(db, "code", "code_invalid", accounts.verify_activation_code, "anna@example.nl", code, now=at(2))


def test_new_code_replaces_the_old_one(db: Session, smtp_server: SmtpCapture, org: dict) -> None:
    invite(db, org)
    accounts.start_activation(db, "anna@example.nl", now=NOW)
    db.commit()
    first = code_in(smtp_server.wait_for("anna@example.nl", "code"))
    smtp_server.clear()
    accounts.start_activation(db, "anna@example.nl", now=at(1))
    db.commit()
    second = code_in(smtp_server.wait_for("anna@example.nl", "code"))
    if first != second:
        refused(db, "code", "code_invalid", accounts.verify_activation_code, "anna@example.nl", first, now=at(2))
    assert accounts.verify_activation_code(db, "anna@example.nl", second, now=at(2))


def test_wrong_code_counts_attempts_even_after_rollback(db: Session, smtp_server: SmtpCapture, org: dict) -> None:
    invite(db, org)
    accounts.start_activation(db, "anna@example.nl", now=NOW)
    db.commit()
    code = code_in(smtp_server.wait_for("anna@example.nl", "code"))
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(5):
        refused(db, "code", "code_invalid", accounts.verify_activation_code, "anna@example.nl", wrong, now=at(1))
    # five wrong attempts used up the code: now even the right one is refused
    refused(db, "code", "code_invalid", accounts.verify_activation_code, "anna@example.nl", code, now=at(1))
    assert db.exec(select(VerificationCode)).one().attempts == 5


def test_weak_password_and_bad_username_refused(db: Session, smtp_server: SmtpCapture, org: dict) -> None:
    invite(db, org)
    accounts.start_activation(db, "anna@example.nl", now=NOW)
    db.commit()
    user_id = accounts.verify_activation_code(
        db, "anna@example.nl", code_in(smtp_server.wait_for("anna@example.nl", "code")), now=at(1)
    )
    db.commit()
    refused(
        db,
        "password",
        "password_weak",
        accounts.complete_activation,
        user_id,
        "anna",
        "password123",
        now=at(2),
    )
    refused(db, "password", "password_weak", accounts.complete_activation, user_id, "anna", "anna-1234", now=at(2))
    refused(db, "username", "username_invalid", accounts.complete_activation, user_id, "a b", PASSWORD, now=at(2))
    refused(db, "username", "username_invalid", accounts.complete_activation, user_id, "an", PASSWORD, now=at(2))
    assert db.get(UserAccount, user_id).status == "invited"
    assert accounts.complete_activation(db, user_id, "anna", PASSWORD, now=at(3)).status == "active"


def test_username_taken(db: Session, smtp_server: SmtpCapture, org: dict) -> None:
    activate(db, smtp_server, org, "jan@example.nl", "jan")
    invite(db, org, "piet@example.nl")
    accounts.start_activation(db, "piet@example.nl", now=NOW)
    db.commit()
    user_id = accounts.verify_activation_code(
        db, "piet@example.nl", code_in(smtp_server.wait_for("piet@example.nl", "code")), now=at(1)
    )
    db.commit()
    refused(db, "username", "username_taken", accounts.complete_activation, user_id, "JAN", PASSWORD, now=at(2))


def test_activation_needs_a_verified_code(db: Session, smtp_server: SmtpCapture, org: dict) -> None:
    user = invite(db, org)
    refused(
        db,
        "username",
        "activation_invalid",
        accounts.complete_activation,
        user.id,
        "anna",
        PASSWORD,
        now=at(1),
    )


def test_not_invited_email_gets_same_outcome_and_no_mail(db: Session, smtp_server: SmtpCapture, org: dict) -> None:
    activate(db, smtp_server, org, "anna@example.nl", "anna")
    smtp_server.clear()
    assert accounts.start_activation(db, "nobody@example.nl", now=at(5)) is None
    assert accounts.start_activation(db, "anna@example.nl", now=at(5)) is None  # already active: nothing either
    db.commit()
    assert smtp_server.messages == []
    assert len(db.exec(select(VerificationCode)).all()) == 1
    refused(db, "code", "code_invalid", accounts.verify_activation_code, "nobody@example.nl", "123456")
    refused(db, "email", "email_invalid", accounts.start_activation, "not-an-address")


# ---------------------------------------------------------------- login with password and TOTP


def test_login_with_password_and_totp_and_replay_refused(db: Session, smtp_server: SmtpCapture, org: dict) -> None:
    user = activate(db, smtp_server, org)
    secret, uri, qr = accounts.new_totp_setup("anna")
    assert uri.startswith("otpauth://totp/") and "issuer=Benefits%20portal" in uri and secret in uri
    assert qr.startswith("data:image/svg+xml;base64,")
    assert b"<svg" in base64.b64decode(qr.split(",", 1)[1])

    user_id, secret, codes = enrol_totp(db, "anna", at(3))
    assert user_id == user.id and len(codes) == 10

    step = accounts.check_password(db, "anna", PASSWORD, ip="10.0.0.1", now=at(10))
    assert not step.needs_totp_setup
    refused(db, "code", "totp_invalid", accounts.verify_totp, user_id, "000000" if totp_at(secret, at(10)) != "000000"
            else "111111", now=at(10))  # fmt: skip
    code = totp_at(secret, at(10))
    accounts.verify_totp(db, user_id, code, ip="10.0.0.1", now=at(10))
    db.commit()
    refused(db, "code", "totp_replayed", accounts.verify_totp, user_id, code, now=at(10) + timedelta(seconds=5))
    ticket = accounts.create_session(db, user_id, user_agent="pytest", ip="10.0.0.1", now=at(10))
    db.commit()
    token, home = accounts.redeem_ticket(db, *ticket, now=at(10))
    assert home == "/employer"
    principal = accounts.resolve_session(db, token, now=at(11))
    assert principal is not None and principal.username == "anna" and principal.front_end == FrontEnd.EMPLOYER
    assert principal.employer_ids == {org["e1"]}
    assert audit_actions(db, "login.success") and audit_actions(db, "login.totp_failed")
    stored = db.exec(select(AuthSession)).one()
    assert token not in (stored.token_hash or "") and stored.ticket_hash is None


def test_totp_setup_refuses_a_wrong_code(db: Session, smtp_server: SmtpCapture, org: dict) -> None:
    user = activate(db, smtp_server, org)
    secret, _, _ = accounts.new_totp_setup("anna")
    other = pyotp.random_base32()
    refused(
        db,
        "code",
        "totp_invalid",
        accounts.confirm_totp_setup,
        user.id,
        secret,
        totp_at(other, at(3)),
        now=at(3),
    )
    assert db.get(UserAccount, user.id).totp_secret == ""


def test_five_wrong_passwords_lock_the_account(db: Session, smtp_server: SmtpCapture, org: dict) -> None:
    activate(db, smtp_server, org)
    for _ in range(4):
        refused(db, "password", "login_invalid", accounts.check_password, "anna", "wrong-password-1", now=at(5))
    err = refused(db, "password", "login_locked", accounts.check_password, "anna", "wrong-password-1", now=at(5))
    assert err.params == {"minutes": 15}
    assert len(audit_actions(db, "login.failed")) == 5
    assert len(audit_actions(db, "login.locked")) == 1
    err = refused(db, "username", "login_locked", accounts.check_password, "anna", PASSWORD, now=at(6))
    assert err.params == {"minutes": 14}
    refused(db, "username", "login_locked", accounts.check_password, "anna", PASSWORD, now=at(19.9))
    assert accounts.check_password(db, "anna", PASSWORD, now=at(20)).user_id
    # after the lock is over a single failure does not lock again
    refused(db, "password", "login_invalid", accounts.check_password, "anna", "wrong-password-1", now=at(21))


def test_unknown_username_is_locked_the_same_way(db: Session, smtp_server: SmtpCapture, org: dict) -> None:
    activate(db, smtp_server, org)

    def attempts(username: str) -> list[tuple[str, str, dict]]:
        out = []
        for i in range(7):
            pw = PASSWORD if i == 6 else "wrong-password-1"
            err = refused(db, "password" if i < 5 else "username", "login_locked" if i >= 4 else "login_invalid",
                          accounts.check_password, username, pw, now=at(5))  # fmt: skip
            out.append((err.field, err.key, err.params))
        return out

    assert attempts("anna") == attempts("ghost")
    assert db.get(LoginThrottle, ("ghost", "unknown")).locked_until == at(20)


def test_five_failures_from_one_client_lock_that_client_only(db: Session, smtp_server: SmtpCapture, org: dict) -> None:
    activate(db, smtp_server, org)
    user_id, secret, _ = enrol_totp(db, "anna", at(3))
    for _ in range(4):
        refused(
            db, "password", "login_invalid", accounts.check_password, "anna", "wrong-1", ip="203.0.113.9", now=at(5)
        )
    refused(db, "password", "login_locked", accounts.check_password, "anna", "wrong-1", ip="203.0.113.9", now=at(5))
    refused(db, "username", "login_locked", accounts.check_password, "anna", PASSWORD, ip="203.0.113.9", now=at(6))
    (lock,) = audit_actions(db, "login.locked")
    assert (lock.object_id, lock.ip) == ("anna", "203.0.113.9")
    assert '"scope": "client"' in lock.detail and '"client": "203.0.113.9"' in lock.detail
    # the user in their own browser (another client) still signs in, all the way to a session
    assert accounts.check_password(db, "anna", PASSWORD, ip="10.0.0.1", now=at(6)).user_id == user_id
    accounts.verify_totp(db, user_id, totp_at(secret, at(6)), ip="10.0.0.1", now=at(6))
    accounts.redeem_ticket(db, *accounts.create_session(db, user_id, ip="10.0.0.1", now=at(6)), now=at(6))
    db.commit()
    # a successful login elsewhere does not lift the attacker's lock
    refused(db, "username", "login_locked", accounts.check_password, "anna", PASSWORD, ip="203.0.113.9", now=at(7))


def test_the_ceiling_over_all_clients_locks_everyone(
    db: Session, smtp_server: SmtpCapture, org: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PORTAL_LOCKOUT_ALL_ATTEMPTS", "13")
    get_settings.cache_clear()
    activate(db, smtp_server, org)
    for n in range(3):  # three clients, four failures each: none of them is locked by its own count
        for _ in range(4):
            refused(db, "password", "login_invalid", accounts.check_password, "anna", "wrong-1", ip=f"198.51.100.{n}",
                    now=at(5))  # fmt: skip
    assert audit_actions(db, "login.locked") == []
    refused(db, "password", "login_locked", accounts.check_password, "anna", "wrong-1", ip="198.51.100.7", now=at(5))
    (lock,) = [e for e in audit_actions(db, "login.locked") if '"scope": "all"' in e.detail]
    assert lock.object_id == "anna" and '"client": "*"' in lock.detail and '"failures": 13' in lock.detail
    err = refused(db, "username", "login_locked", accounts.check_password, "anna", PASSWORD, ip="10.0.0.1", now=at(6))
    assert err.params == {"minutes": 14}
    assert accounts.check_password(db, "anna", PASSWORD, ip="10.0.0.1", now=at(20)).user_id


def test_invited_account_cannot_log_in(db: Session, smtp_server: SmtpCapture, org: dict) -> None:
    user = invite(db, org)
    user.username, user.password_hash = "anna", accounts.hash_password(PASSWORD)
    db.commit()
    refused(db, "password", "login_invalid", accounts.check_password, "anna", PASSWORD, now=at(1))


def test_totp_failures_count_toward_the_lock_out(db: Session, smtp_server: SmtpCapture, org: dict) -> None:
    activate(db, smtp_server, org)
    user_id, secret, _ = enrol_totp(db, "anna", at(3))
    good = {totp_at(secret, at(10) + timedelta(seconds=s)) for s in (-30, 0, 30)}
    wrong = next(f"{n:06d}" for n in range(1_000_000) if f"{n:06d}" not in good)
    accounts.check_password(db, "anna", PASSWORD, now=at(10))
    for _ in range(4):
        refused(db, "code", "totp_invalid", accounts.verify_totp, user_id, wrong, now=at(10))
    refused(db, "code", "login_locked", accounts.verify_totp, user_id, wrong, now=at(10))
    refused(db, "code", "login_locked", accounts.verify_totp, user_id, totp_at(secret, at(11)), now=at(11))
    refused(db, "username", "login_locked", accounts.check_password, "anna", PASSWORD, now=at(11))


def test_recovery_code_is_single_use(db: Session, smtp_server: SmtpCapture, org: dict) -> None:
    activate(db, smtp_server, org)
    user_id, _secret, codes = enrol_totp(db, "anna", at(3))
    accounts.check_password(db, "anna", PASSWORD, now=at(10))
    accounts.use_recovery_code(db, user_id, codes[0].upper().replace("-", " "), now=at(10))
    db.commit()
    refused(db, "code", "recovery_invalid", accounts.use_recovery_code, user_id, codes[0], now=at(11))
    refused(db, "code", "recovery_invalid", accounts.use_recovery_code, user_id, "nonsense", now=at(11))
    accounts.use_recovery_code(db, user_id, codes[1], now=at(12))
    assert '"remaining": 8' in audit_actions(db, "login.recovery_used")[-1].detail


# ---------------------------------------------------------------- sessions


def test_ticket_is_single_use_and_expires(db: Session, smtp_server: SmtpCapture, org: dict) -> None:
    user_id = active_user(db, org, "hr@example.nl", "hr", [("hr", {"employer_id": org["e1"]})])
    ticket = accounts.create_session(db, user_id, now=NOW)
    db.commit()
    assert accounts.redeem_ticket(db, *ticket, now=NOW + timedelta(seconds=59)) is not None
    db.commit()
    assert accounts.redeem_ticket(db, *ticket, now=NOW + timedelta(seconds=59)) is None
    late = accounts.create_session(db, user_id, now=NOW)
    db.commit()
    assert accounts.redeem_ticket(db, *late, now=NOW + timedelta(seconds=60)) is None
    db.commit()
    assert accounts.redeem_ticket(db, *late, now=NOW) is None  # the expired ticket is gone for good
    assert accounts.redeem_ticket(db, "made-up", "", now=NOW) is None
    assert accounts.resolve_session(db, "made-up", now=NOW) is None


def test_ticket_opened_in_another_browser_gives_no_session(db: Session, smtp_server: SmtpCapture, org: dict) -> None:
    user_id = active_user(db, org, "hr@example.nl", "hr", [("hr", {"employer_id": org["e1"]})])
    for other_browser in ("", "a-guessed-browser-key", None):
        issued = accounts.create_session(db, user_id, now=NOW)
        db.commit()
        assert accounts.redeem_ticket(db, issued.ticket, other_browser, ip="203.0.113.9", now=NOW) is None
        db.commit()
        # the ticket is spent: not even the browser that finished the login can use it any more
        assert accounts.redeem_ticket(db, *issued, now=NOW) is None
    sessions = db.exec(select(AuthSession)).all()
    assert {(s.end_reason, s.token_hash) for s in sessions} == {("ticket_foreign", None)}
    refusals = audit_actions(db, "login.ticket_refused")
    assert len(refusals) == 3 and {e.ip for e in refusals} == {"203.0.113.9"}
    assert '"reason": "browser_key_missing"' in refusals[0].detail
    assert '"reason": "browser_key_different"' in refusals[1].detail
    issued = accounts.create_session(db, user_id, now=NOW)
    stored = db.exec(select(AuthSession).where(AuthSession.end_reason == "")).one()
    assert issued.browser_key not in (stored.browser_hash or "") and len(stored.browser_hash or "") == 64
    assert accounts.redeem_ticket(db, *issued, now=NOW) is not None


def test_session_ends_after_its_lifetime_even_when_active(
    db: Session, smtp_server: SmtpCapture, org: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    user_id = active_user(db, org, "hr@example.nl", "hr", [("hr", {"employer_id": org["e1"]})])
    token = signed_in(db, user_id, NOW)
    for minute in range(0, 12 * 60, 20):  # active every 20 minutes, all day
        assert accounts.resolve_session(db, token, now=at(minute)) is not None
        db.commit()
    assert accounts.resolve_session(db, token, now=at(12 * 60 - 1)) is not None
    assert accounts.resolve_session(db, token, now=at(12 * 60)) is None
    db.commit()
    session = db.exec(select(AuthSession)).one()
    assert (session.end_reason, session.ended_at) == ("lifetime", at(12 * 60))
    assert accounts.resolve_session(db, token, now=at(12 * 60 - 1)) is None  # ended is ended
    (event,) = audit_actions(db, "session.expired")
    assert '"reason": "lifetime"' in event.detail
    monkeypatch.setenv("PORTAL_SESSION_HOURS", "2")
    get_settings.cache_clear()
    token = signed_in(db, user_id, NOW)
    for minute in (20, 40, 60, 80, 100, 119):
        assert accounts.resolve_session(db, token, now=at(minute)) is not None
    assert accounts.resolve_session(db, token, now=at(120)) is None


def test_idle_session_expires_after_31_minutes(db: Session, smtp_server: SmtpCapture, org: dict) -> None:
    user_id = active_user(db, org, "hr@example.nl", "hr", [("hr", {"employer_id": org["e1"]})])
    token = signed_in(db, user_id, NOW)
    assert accounts.resolve_session(db, token, now=at(10)) is not None
    db.commit()
    session = db.exec(select(AuthSession)).one()
    assert session.last_seen_at == at(10)
    accounts.resolve_session(db, token, now=at(10) + timedelta(seconds=20))
    db.commit()
    db.refresh(session)
    assert session.last_seen_at == at(10)  # not rewritten within 30 s
    assert accounts.resolve_session(db, token, now=at(40)) is not None
    db.commit()
    assert accounts.resolve_session(db, token, now=at(71)) is None
    db.commit()
    db.refresh(session)
    assert (session.end_reason, session.ended_at) == ("idle", at(71))
    assert accounts.resolve_session(db, token, now=at(41)) is None
    assert audit_actions(db, "session.expired")


def test_logout_ends_the_session(db: Session, smtp_server: SmtpCapture, org: dict) -> None:
    user_id = active_user(db, org, "hr@example.nl", "hr", [("hr", {"employer_id": org["e1"]})])
    token = signed_in(db, user_id, NOW)
    accounts.end_session(db, token, now=at(1))
    db.commit()
    assert accounts.resolve_session(db, token, now=at(1)) is None
    assert audit_actions(db, "logout")


def test_a_removed_role_or_a_disabled_account_counts_on_the_next_resolution(
    db: Session, smtp_server: SmtpCapture, org: dict
) -> None:
    """Nothing about a session is remembered between calls: every event sees the current roles and status."""
    user_id = active_user(db, org, "hr@example.nl", "hr", [("hr", {"employer_id": org["e1"]}),
                                                         ("finance", {"employer_id": org["e1"]})])  # fmt: skip
    token = signed_in(db, user_id, NOW)
    p = accounts.resolve_session(db, token, now=at(1))
    assert p is not None and p.roles == {"hr", "finance"} and p.employer_ids == {org["e1"]}
    hr = db.exec(select(RoleGrant).where(RoleGrant.user_id == user_id, RoleGrant.role == "hr")).one()
    db.delete(hr)
    db.commit()
    p = accounts.resolve_session(db, token, now=at(2))
    assert p is not None and p.roles == {"finance"}
    finance = db.exec(select(RoleGrant).where(RoleGrant.user_id == user_id)).one()
    db.delete(finance)
    db.commit()
    assert accounts.resolve_session(db, token, now=at(3)) is None  # no role left: no front end
    db.add(RoleGrant(user_id=user_id, role="hr", employer_id=org["e1"]))
    db.commit()
    assert accounts.resolve_session(db, token, now=at(4)) is not None
    user = db.get(UserAccount, user_id)
    user.status = "disabled"
    db.commit()
    assert accounts.resolve_session(db, token, now=at(5)) is None
    session = db.exec(select(AuthSession).where(AuthSession.user_id == user_id)).one()
    assert session.ended_at is not None and session.end_reason == "disabled"
    assert audit_actions(db, "session.ended")


def test_resolution_touches_last_seen_at_most_every_30_seconds(
    db: Session, smtp_server: SmtpCapture, org: dict
) -> None:
    user_id = active_user(db, org, "hr@example.nl", "hr", [("hr", {"employer_id": org["e1"]})])
    token = signed_in(db, user_id, NOW)
    session = db.exec(select(AuthSession).where(AuthSession.user_id == user_id)).one()
    assert accounts.resolve_session(db, token, now=at(0.25)) is not None
    db.commit()
    db.refresh(session)
    assert session.last_seen_at == NOW
    assert accounts.resolve_session(db, token, now=at(1)) is not None
    db.commit()
    db.refresh(session)
    assert session.last_seen_at == at(1)


def test_employer_scope_for_a_group_grant_and_an_adviser_office(
    db: Session, smtp_server: SmtpCapture, org: dict
) -> None:
    group_user = active_user(db, org, "g@example.nl", "groupie", [("hr", {"group_id": org["group"]}),
                                                                  ("finance", {"employer_id": org["e3"]})])  # fmt: skip
    adviser = active_user(db, org, "a@example.nl", "adviser", [("adviser", {"office_id": org["office1"]})])
    p = accounts.resolve_session(db, signed_in(db, group_user, NOW), now=NOW)
    assert p is not None and p.employer_ids == {org["e1"], org["e2"], org["e3"]} and p.front_end == "employer"
    p = accounts.resolve_session(db, signed_in(db, adviser, NOW), now=NOW)
    assert p is not None and p.employer_ids == {org["e1"], org["e2"], org["e3"]}
    assert p.front_end == FrontEnd.INTERMEDIARY and p.office_id == org["office1"]
    ticket = accounts.create_session(db, adviser, now=NOW)
    assert accounts.redeem_ticket(db, *ticket, now=NOW)[1] == "/intermediary"


# ---------------------------------------------------------------- forgotten password / username, preferences


def test_password_reset_flow(db: Session, smtp_server: SmtpCapture, org: dict) -> None:
    user = activate(db, smtp_server, org)
    token = signed_in(db, user.id, at(3))
    accounts.start_password_reset(db, "ANNA", now=at(5))
    db.commit()
    code = code_in(smtp_server.wait_for("anna@example.nl", "wachtwoord"))
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    new = "Another-strong-pass-9"
    refused(db, "code", "code_invalid", accounts.complete_password_reset, "anna", wrong, new, now=at(6))
    refused(
        db,
        "password",
        "password_weak",
        accounts.complete_password_reset,
        "anna",
        code,
        "qwerty12345",
        now=at(6),
    )
    accounts.complete_password_reset(db, "anna", code, new, now=at(7))
    db.commit()
    smtp_server.wait_for("anna@example.nl", "gewijzigd")
    assert accounts.resolve_session(db, token, now=at(7)) is None  # logged out everywhere
    refused(db, "password", "login_invalid", accounts.check_password, "anna", PASSWORD, now=at(8))
    assert accounts.check_password(db, "anna", new, now=at(8)).user_id == user.id
    refused(
        db,
        "code",
        "code_invalid",
        accounts.complete_password_reset,
        "anna",
        code,
        "Yet-another-pass-77",
        now=at(9),
    )
    assert audit_actions(db, "password.reset")


def test_password_reset_for_unknown_username_looks_the_same(db: Session, smtp_server: SmtpCapture, org: dict) -> None:
    activate(db, smtp_server, org)
    smtp_server.clear()
    assert accounts.start_password_reset(db, "ghost", now=at(5)) is None
    db.commit()
    assert smtp_server.messages == []
    refused(db, "code", "code_invalid", accounts.complete_password_reset, "ghost", "123456", PASSWORD, now=at(6))


def test_username_reminder(db: Session, smtp_server: SmtpCapture, org: dict) -> None:
    activate(db, smtp_server, org, username="anna.devries")
    smtp_server.clear()
    accounts.send_username_reminder(db, "Anna@Example.nl")
    assert "anna.devries" in body_of(smtp_server.wait_for("anna@example.nl", "gebruikersnaam"))
    smtp_server.clear()
    accounts.send_username_reminder(db, "nobody@example.nl")
    assert smtp_server.messages == []
    refused(db, "email", "email_invalid", accounts.send_username_reminder, "nobody")


def test_username_reminder_is_capped_like_the_code_mails(db: Session, smtp_server: SmtpCapture, org: dict) -> None:
    activate(db, smtp_server, org, username="anna.devries")
    smtp_server.clear()
    # from the start of the next fixed window of the mail rate limits (an hour), so that all seven fall in one
    start = NOW.replace(minute=0, second=0) + timedelta(hours=1, seconds=10)
    for n in range(7):  # seven requests in eight seconds: the sixth and seventh are refused, saying so
        if n < accounts.CODES_PER_HOUR:
            accounts.send_username_reminder(db, "anna@example.nl", now=start + timedelta(seconds=n))
        else:
            with pytest.raises(FieldError) as err:
                accounts.send_username_reminder(db, "anna@example.nl", now=start + timedelta(seconds=n))
            assert err.value.key == "mail_rate_limited"
        db.commit()
    assert len(smtp_server.messages_to("anna@example.nl")) == accounts.CODES_PER_HOUR == 5
    # the code mails have their own allowance, and an hour after the first reminder another one goes out
    accounts.start_password_reset(db, "anna.devries", now=start + timedelta(minutes=1))
    db.commit()
    assert len(smtp_server.messages_to("anna@example.nl")) == 6
    accounts.send_username_reminder(db, "anna@example.nl", now=start + timedelta(minutes=60, seconds=1))
    db.commit()
    assert len(smtp_server.messages_to("anna@example.nl")) == 7


def test_set_preferences(db: Session, smtp_server: SmtpCapture, org: dict) -> None:
    user_id = active_user(db, org, "hr@example.nl", "hr", [("hr", {"employer_id": org["e1"]})])
    token = signed_in(db, user_id, NOW)
    principal = accounts.resolve_session(db, token, now=NOW)
    refused(db, "language", "language_invalid", accounts.set_preferences, principal, language="xx")
    refused(db, "theme", "theme_invalid", accounts.set_preferences, principal, theme="blue")
    accounts.set_preferences(db, principal, language="en", theme="dark")
    db.commit()
    principal = accounts.resolve_session(db, token, now=at(1))
    assert (principal.language, principal.theme) == ("en", "dark")


@pytest.mark.usefixtures("demo_data")
def test_background_resolution_does_not_keep_an_idle_session_alive(db) -> None:
    """A live view polling with touch=False must not count as activity (idle expiry still applies)."""
    from datetime import timedelta

    from portal.models import AuthSession
    from portal.services import accounts

    user = db.exec(select(UserAccount).where(UserAccount.username == "employer.hr")).one()
    start = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
    ticket = accounts.create_session(db, user.id, now=start)
    token, _home = accounts.redeem_ticket(db, *ticket, now=start)
    db.commit()
    for minute in (10, 20, 29):
        assert accounts.resolve_session(db, token, now=start + timedelta(minutes=minute), touch=False) is not None
    db.commit()
    assert accounts.resolve_session(db, token, now=start + timedelta(minutes=31), touch=False) is None
    session = db.exec(select(AuthSession).where(AuthSession.user_id == user.id)).one()
    assert session.end_reason == "idle"


# ---------------------------------------------------------------- password hash costs


def test_password_hashes_cost_rfc_9106s_second_recommendation_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    """The test run lowers the costs (tests/conftest.py); a portal without settings hashes with 3 passes over
    64 MiB, argon2id."""
    monkeypatch.delenv("PORTAL_PASSWORD_HASH_TIME_COST", raising=False)
    monkeypatch.delenv("PORTAL_PASSWORD_HASH_MEMORY_KIB", raising=False)
    get_settings.cache_clear()
    try:
        assert (get_settings().password_hash_time_cost, get_settings().password_hash_memory_kib) == (3, 65536)
        assert accounts.hash_password(PASSWORD).startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()


def test_a_hash_of_other_costs_is_made_again_at_the_next_correct_sign_in(
    db: Session, org: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    user_id = active_user(db, org, "kosten@example.nl", "kosten", [("hr", {"employer_id": org["e1"]})])
    old = db.get(UserAccount, user_id).password_hash  # type: ignore[union-attr]
    monkeypatch.setenv("PORTAL_PASSWORD_HASH_TIME_COST", "2")
    monkeypatch.setenv("PORTAL_PASSWORD_HASH_MEMORY_KIB", "2048")
    get_settings.cache_clear()
    try:
        refused(db, "password", "login_invalid", accounts.check_password, "kosten", "Niet-Het-Wachtwoord-1", now=at(1))
        assert db.get(UserAccount, user_id).password_hash == old  # type: ignore[union-attr]  # a wrong one: untouched
        accounts.check_password(db, "kosten", PASSWORD, now=at(2))
        db.commit()
        new = db.get(UserAccount, user_id).password_hash  # type: ignore[union-attr]
        assert new != old and "$m=2048,t=2," in new
        accounts.check_password(db, "kosten", PASSWORD, now=at(3))  # the new hash verifies
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
