"""TOTP secrets encrypted at rest (issue 16, ASVS 2.9.1 / 6.2 / 6.4): the column never holds a base32 secret,
sign-in with the app still works, the keys rotate (``portal rotate-totp-key``) after which the old key is not
needed, a wrong key gives a clear refusal (audited) rather than a crash, and migration 0025 encrypts existing
secrets (its downgrade decrypts them)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyotp
import pytest
import sqlalchemy as sa
from sqlmodel import Session, select
from typer.testing import CliRunner

from portal.cli import app
from portal.core import migrate, totp_secrets
from portal.core.config import get_settings
from portal.core.db import get_engine
from portal.demo.seed import DEMO_ACCOUNTS
from portal.i18n import t
from portal.models import AuditEvent, UserAccount
from portal.services import accounts
from portal.services.errors import FieldError

DEMO = {a.username: a.totp_secret for a in DEMO_ACCOUNTS}
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
NOW = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)


def stored(db: Session, user_id: int) -> str:
    """The column's value as the database holds it (not through the model)."""
    query = sa.text("SELECT totp_secret FROM user_account WHERE id = :id")
    return db.connection().execute(query, {"id": user_id}).scalar_one()


def code(secret: str, at: datetime) -> str:
    return pyotp.TOTP(secret).at(at)


@pytest.fixture
def keys(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., None]]:
    """``keys(newest, older…)``: the TOTP keys the portal uses from now on (``PORTAL_TOTP_KEY``)."""

    def use(*given: str) -> None:
        monkeypatch.setenv("PORTAL_TOTP_KEY", ",".join(given))
        get_settings.cache_clear()

    yield use
    monkeypatch.undo()
    get_settings.cache_clear()


def user_with_secret(db: Session, secret: str = SECRET) -> int:
    user = UserAccount(username="anna", email="anna@example.nl", status="active", password_hash="x")
    db.add(user)
    db.flush()
    accounts.set_known_totp(db, user.id or 0, secret)
    db.commit()
    return user.id or 0


def test_the_column_never_holds_a_plain_secret(db: Session, demo_data: None) -> None:
    rows = db.connection().execute(sa.text("SELECT username, totp_secret FROM user_account WHERE totp_secret <> ''"))
    seen = 0
    for username, value in rows.all():
        assert totp_secrets.is_sealed(value) and DEMO[username] not in value
        assert totp_secrets.unseal(value) == DEMO[username]  # README's demo secrets keep working
        seen += 1
    assert seen == len(DEMO)
    # a secret set up at the first sign-in is stored encrypted as well
    user = UserAccount(username="new.user", email="new@example.nl", status="active", password_hash="x")
    db.add(user)
    db.flush()
    accounts.confirm_totp_setup(db, user.id or 0, SECRET, code(SECRET, NOW), now=NOW)
    db.commit()
    value = stored(db, user.id or 0)
    assert totp_secrets.is_sealed(value) and SECRET not in value and SECRET.lower() not in value.lower()


def test_sign_in_with_the_app_works_on_the_encrypted_secret(db: Session, demo_data: None) -> None:
    step = accounts.check_password(db, "employer.hr", "portal-demo-2026", now=NOW)
    assert not step.needs_totp_setup
    accounts.verify_totp(db, step.user_id, code(DEMO["employer.hr"], NOW), now=NOW)
    with pytest.raises(FieldError) as err:  # a replay is still refused
        accounts.verify_totp(db, step.user_id, code(DEMO["employer.hr"], NOW), now=NOW)
    assert err.value.key == "totp_replayed"


def test_rotation_re_encrypts_and_the_old_key_is_not_needed_after(db: Session, keys: Callable[..., None]) -> None:
    old, new = totp_secrets.new_key(), totp_secrets.new_key()
    keys(old)
    user_id = user_with_secret(db)
    before = stored(db, user_id)
    keys(new, old)  # the new key first, the old one still readable
    assert accounts.reencrypt_totp_secrets(db) == 1
    db.commit()
    after = stored(db, user_id)
    assert after != before and totp_secrets.is_sealed(after)
    keys(new)  # the old key gone
    accounts.verify_totp(db, user_id, code(SECRET, NOW), now=NOW)
    keys(old)
    with pytest.raises(totp_secrets.TotpKeyError):
        totp_secrets.unseal(after)
    assert db.exec(select(AuditEvent).where(AuditEvent.action == "totp.keys_rotated")).one()


def test_rotation_that_cannot_decrypt_changes_nothing(db: Session, keys: Callable[..., None]) -> None:
    old, new = totp_secrets.new_key(), totp_secrets.new_key()
    keys(old)
    user_id = user_with_secret(db)
    before = stored(db, user_id)
    keys(new)  # the old key was left out
    with pytest.raises(totp_secrets.TotpKeyError, match="does not hold the key"):
        accounts.reencrypt_totp_secrets(db)
    db.rollback()
    assert stored(db, user_id) == before


def test_a_wrong_key_refuses_the_sign_in_clearly_and_keeps_running(db: Session, keys: Callable[..., None]) -> None:
    keys(totp_secrets.new_key())
    user_id = user_with_secret(db)
    keys(totp_secrets.new_key())  # e.g. a deployment with another PORTAL_TOTP_KEY
    for n in range(2):
        with pytest.raises(FieldError) as err:
            accounts.verify_totp(db, user_id, code(SECRET, NOW), ip="10.0.0.1", now=NOW + timedelta(seconds=n))
        assert (err.value.field, err.value.key) == ("code", "totp_unavailable")
        db.rollback()
    assert "fault on our side" in t("totp_unavailable", "en")
    events = db.exec(select(AuditEvent).where(AuditEvent.action == "login.totp_key_error")).all()
    assert [(e.actor_user_id, e.ip) for e in events] == [(user_id, "10.0.0.1")] * 2
    assert db.get(UserAccount, user_id).totp_last_step == 0  # nothing accepted


def test_a_malformed_key_is_named_in_the_error(keys: Callable[..., None]) -> None:
    keys("not-a-fernet-key")
    with pytest.raises(totp_secrets.TotpKeyError, match="malformed"):
        totp_secrets.seal(SECRET)


def test_a_plain_secret_left_in_the_column_is_refused_not_used(db: Session) -> None:
    user = UserAccount(username="anna", email="anna@example.nl", status="active", password_hash="x", totp_secret=SECRET)
    db.add(user)
    db.commit()
    with pytest.raises(FieldError) as err:
        accounts.verify_totp(db, user.id or 0, code(SECRET, NOW), now=NOW)
    assert err.value.key == "totp_unavailable"


# ------------------------------------------------------------------------------------------ the command
def test_rotate_command_with_the_local_key_file(db: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PORTAL_TOTP_KEY", raising=False)
    monkeypatch.setenv("PORTAL_VAR_DIR", str(tmp_path))  # a key file of this test's own (the engine stays)
    get_settings.cache_clear()
    try:
        user_id = user_with_secret(db)
        [old] = totp_secrets.configured_keys()
        before = stored(db, user_id)
        result = CliRunner().invoke(app, ["rotate-totp-key"])
        assert result.exit_code == 0, result.output
        assert "1 TOTP secrets re-encrypted" in result.output
        [new] = (tmp_path / totp_secrets.KEY_FILE).read_text().split()  # only the new key is kept
        assert new != old and (tmp_path / totp_secrets.KEY_FILE).stat().st_mode & 0o077 == 0
        db.expire_all()
        after = stored(db, user_id)
        assert after != before
        accounts.verify_totp(db, user_id, code(SECRET, NOW), now=NOW)  # with the new key alone
        totp_secrets.write_key_file([old])
        with pytest.raises(totp_secrets.TotpKeyError):
            totp_secrets.unseal(after)
        # with a key file that decrypts nothing: a clear error, exit 1, the file and the secrets as they were
        failed = CliRunner().invoke(app, ["rotate-totp-key"])
        assert failed.exit_code == 1 and "nothing changed" in failed.output
        assert (tmp_path / totp_secrets.KEY_FILE).read_text().split() == [old]
        db.expire_all()
        assert stored(db, user_id) == after
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()


def test_rotate_command_with_keys_in_the_setting(db: Session, keys: Callable[..., None]) -> None:
    old = totp_secrets.new_key()
    keys(old)
    user_id = user_with_secret(db)
    printed = CliRunner().invoke(app, ["rotate-totp-key", "--print-new-key"])
    new = printed.output.strip()
    keys(new, old)
    result = CliRunner().invoke(app, ["rotate-totp-key"])
    assert result.exit_code == 0 and "Remove the older keys" in result.output
    keys(new)
    db.expire_all()
    accounts.verify_totp(db, user_id, code(SECRET, NOW), now=NOW)
    keys(totp_secrets.new_key())  # a key that decrypts nothing: a clear error, exit 1, nothing changed
    before = stored(db, user_id)
    db.commit()
    failed = CliRunner().invoke(app, ["rotate-totp-key"])
    assert failed.exit_code == 1 and "nothing changed" in failed.output
    assert stored(db, user_id) == before


# ------------------------------------------------------------------------------------------ migration 0025
def test_migration_encrypts_plain_secrets_and_the_downgrade_decrypts(database: str) -> None:
    migrate.downgrade("0023")
    users = sa.table(
        "user_account",
        sa.column("email", sa.String()), sa.column("display_name", sa.String()), sa.column("status", sa.String()),
        sa.column("password_hash", sa.String()), sa.column("totp_secret", sa.String()),
        sa.column("totp_last_step", sa.Integer()), sa.column("language", sa.String()), sa.column("theme", sa.String()),
        sa.column("notify_mail", sa.Boolean()), sa.column("notify_tasks", sa.Boolean()),
        sa.column("private_email", sa.String()), sa.column("statement_language", sa.String()),
        sa.column("created_at", sa.DateTime()),
    )  # fmt: skip
    common = {
        "display_name": "", "status": "active", "password_hash": "", "totp_last_step": 0, "language": "nl",
        "theme": "light", "notify_mail": True, "notify_tasks": True, "private_email": "", "statement_language": "",
        "created_at": NOW,
    }  # fmt: skip
    query = sa.select(users.c.email, users.c.totp_secret).order_by(users.c.email)
    with get_engine().begin() as conn:
        rows = [{**common, "email": "a@example.nl", "totp_secret": SECRET}, {**common, "email": "b@example.nl"}]
        rows[1]["totp_secret"] = ""
        conn.execute(sa.insert(users), rows)
    migrate.upgrade()
    with get_engine().connect() as conn:
        (_, sealed), (_, empty) = conn.execute(query).all()
    assert totp_secrets.is_sealed(sealed) and totp_secrets.unseal(sealed) == SECRET and empty == ""
    migrate.downgrade("0023")
    with get_engine().connect() as conn:
        assert conn.execute(query).all() == [("a@example.nl", SECRET), ("b@example.nl", "")]
    migrate.upgrade()
