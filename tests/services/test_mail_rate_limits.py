"""Rate limits on every action that sends mail (issue 16, ASVS 2.5.x / 11.1.4): per account (or per address or
username a public page was given, known or not), per signed-in sender who mails others, and per client address.
Over a limit: a clear message at the field with the minutes to wait, nothing done, no mail, an audit entry."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import reflex as rx
from sqlmodel import Session, col, func, select

from portal.core import clock
from portal.core.config import get_settings
from portal.i18n import t
from portal.models import AuditEvent, EmailConfirmation, Form, Participation, UserAccount
from portal.services import accounts, employee, forms
from portal.services.accounts import users
from portal.services.errors import FieldError
from portal.services.organisation import company
from portal.services.rate_limits import ACCOUNT, IP, SENDER
from portal.state.forgot import ForgotState
from tests.services.employer_fixtures import demo_employer, principal_of, schemes_of
from tests.smtp import SmtpCapture

# ten minutes into a fixed window of an hour: every call of a test falls in the same window
T0 = datetime(2026, 3, 2, 9, 10, tzinfo=UTC)
DC = "deferred_compensation"


@pytest.fixture(autouse=True)
def low_limits(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Two mails per account, two actions per sender, three per client address, per hour."""
    monkeypatch.setenv("PORTAL_MAIL_RATE_PER_ACCOUNT", "2")
    monkeypatch.setenv("PORTAL_MAIL_RATE_PER_SENDER", "2")
    monkeypatch.setenv("PORTAL_MAIL_RATE_PER_IP", "3")
    get_settings.cache_clear()
    with clock.frozen(T0):
        yield
    monkeypatch.undo()
    get_settings.cache_clear()


def refused(db: Session, field: str, fn: Callable[..., Any], *args: Any, **kw: Any) -> FieldError:
    """Call ``fn`` expecting the mail-rate refusal at ``field``; its message says how long to wait."""
    with pytest.raises(FieldError) as err:
        fn(db, *args, **kw)
    db.rollback()
    assert (err.value.field, err.value.key) == (field, "mail_rate_limited")
    assert 1 <= err.value.params["minutes"] <= 60
    assert "50 minutes" in t(err.value.key, "en", **err.value.params)  # T0 is 50 minutes before the window ends
    return err.value


def limited(db: Session, action: str) -> list[dict]:
    """The audit entries of refused ``action``s (committed by the refusal)."""
    db.expire_all()
    rows = db.exec(
        select(AuditEvent).where(AuditEvent.action == "mail.rate_limited", AuditEvent.object_id == action)
    ).all()
    return [json.loads(r.detail) | {"ip": r.ip, "actor": r.actor_user_id} for r in rows]


def invited(db: Session, email: str) -> UserAccount:
    user = UserAccount(email=email, display_name="Invited", status="invited")
    db.add(user)
    db.commit()
    return user


def active(db: Session, username: str, email: str) -> UserAccount:
    user = UserAccount(username=username, email=email, display_name="Active", status="active", password_hash="x")
    db.add(user)
    db.commit()
    return user


# ------------------------------------------------------------------------------------------ public pages
def test_activation_codes_per_address_asked_for_known_or_not(db: Session, smtp_server: SmtpCapture) -> None:
    invited(db, "anna@example.nl")
    for _ in range(2):
        accounts.start_activation(db, "anna@example.nl", ip="10.0.0.1")
        accounts.start_activation(db, "nobody@example.nl", ip="10.0.0.2")  # unknown: counted all the same
        db.commit()
    refused(db, "email", accounts.start_activation, "anna@example.nl", ip="10.0.0.3")
    refused(db, "email", accounts.start_activation, "nobody@example.nl", ip="10.0.0.3")  # the same answer
    assert len(smtp_server.messages_to("anna@example.nl")) == 2
    entries = limited(db, "activation_code")
    assert [(e["scope"], e["subject"], e["ip"]) for e in entries] == [
        (ACCOUNT, "email:anna@example.nl", "10.0.0.3"),
        (ACCOUNT, "email:nobody@example.nl", "10.0.0.3"),
    ]


def test_activation_codes_per_client_address(db: Session, smtp_server: SmtpCapture) -> None:
    for n in range(3):
        accounts.start_activation(db, f"guess{n}@example.nl", ip="10.0.0.7")
        db.commit()
    refused(db, "email", accounts.start_activation, "guess3@example.nl", ip="10.0.0.7")
    accounts.start_activation(db, "guess3@example.nl", ip="10.0.0.8")  # another client is not held up
    assert [e["scope"] for e in limited(db, "activation_code")] == [IP]


def test_password_reset_codes(db: Session, smtp_server: SmtpCapture) -> None:
    active(db, "anna", "anna@example.nl")
    for _ in range(2):
        accounts.start_password_reset(db, "Anna", ip="10.0.0.1")  # the username as typed: counted normalised
        db.commit()
    refused(db, "username", accounts.start_password_reset, "anna", ip="10.0.0.2")
    for n in range(2):  # the third and fourth request from .2 (the refused one counts too)
        accounts.start_password_reset(db, f"someone{n}", ip="10.0.0.2")
        db.commit()
    refused(db, "username", accounts.start_password_reset, "someone.else", ip="10.0.0.2")
    assert len(smtp_server.messages_to("anna@example.nl")) == 2
    assert [(e["scope"], e["subject"]) for e in limited(db, "reset_code")] == [
        (ACCOUNT, "username:anna"),
        (IP, "10.0.0.2"),
    ]


def test_username_reminders(db: Session, smtp_server: SmtpCapture) -> None:
    active(db, "anna", "anna@example.nl")
    for _ in range(2):
        accounts.send_username_reminder(db, "anna@example.nl", ip="10.0.0.1")
        db.commit()
    refused(db, "email", accounts.send_username_reminder, "anna@example.nl", ip="10.0.0.1")
    assert len(smtp_server.messages_to("anna@example.nl")) == 2
    assert [e["scope"] for e in limited(db, "username_reminder")] == [ACCOUNT]


def test_the_limits_are_settings_and_a_new_window_starts_afresh(
    db: Session, smtp_server: SmtpCapture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PORTAL_MAIL_RATE_PER_ACCOUNT", "1")
    get_settings.cache_clear()
    active(db, "anna", "anna@example.nl")
    accounts.send_username_reminder(db, "anna@example.nl")
    db.commit()
    refused(db, "email", accounts.send_username_reminder, "anna@example.nl")
    with clock.frozen(T0 + timedelta(minutes=50)):  # the next window
        accounts.send_username_reminder(db, "anna@example.nl")
    assert len(smtp_server.messages_to("anna@example.nl")) == 2


# ------------------------------------------------------------------------------------------ signed in
def test_account_invitations_per_sender(db: Session, demo_data: None, smtp_server: SmtpCapture) -> None:
    hr = principal_of(db, "employer.hr")
    before = db.exec(select(func.count()).select_from(UserAccount)).one()
    for n in range(2):
        users.create_account(db, hr, f"New {n}", f"new{n}@example.nl", ["hr"], None, "10.1.0.1")
        db.commit()
    refused(db, "email", users.create_account, hr, "New 2", "new2@example.nl", ["hr"], None, "10.1.0.1")
    assert db.exec(select(func.count()).select_from(UserAccount)).one() == before + 2  # the third was not made
    assert not smtp_server.messages_to("new2@example.nl")
    [entry] = limited(db, "invitation")
    assert (entry["scope"], entry["subject"], entry["actor"]) == (SENDER, f"user:{hr.user_id}", hr.user_id)


def test_private_address_confirmations(db: Session, demo_data: None, smtp_server: SmtpCapture) -> None:
    me = principal_of(db, "employee")
    for n in range(2):
        employee.request_private_email(db, me, f"mine{n}@prive.example", ip="10.2.0.1")
        db.commit()
    refused(db, "private_email", employee.request_private_email, me, "mine2@prive.example", ip="10.2.0.1")
    assert not smtp_server.messages_to("mine2@prive.example")
    assert db.exec(select(EmailConfirmation).where(EmailConfirmation.email == "mine2@prive.example")).first() is None
    [entry] = limited(db, "private_email_confirmation")
    assert (entry["scope"], entry["actor"]) == (ACCOUNT, me.user_id)


def test_notices_of_a_changed_address(db: Session, demo_data: None, smtp_server: SmtpCapture) -> None:
    hr = principal_of(db, "employer.hr")
    name = db.get(UserAccount, hr.user_id).display_name
    for n in range(2):
        company.update_my_details(db, hr, name, f"hr{n}@example.nl", "10.3.0.1")
        db.commit()
    refused(db, "email", company.update_my_details, hr, name, "hr2@example.nl", "10.3.0.1")
    db.expire_all()
    assert db.get(UserAccount, hr.user_id).email == "hr1@example.nl"  # nothing changed
    assert not smtp_server.messages_to("hr1@example.nl")
    company.update_my_details(db, hr, "Another Name", "hr1@example.nl", "10.3.0.1")  # no mail: not counted


def test_forms_sent_to_employees_per_sender(db: Session, demo_data: None) -> None:
    employer = demo_employer(db)
    op = schemes_of(db, employer.id)["OP"]
    # four participants (one open form of a kind per participant: a second one would be refused for that)
    a, b, c, d = db.exec(
        select(Participation.id)
        .where(Participation.scheme_id == op.id, Participation.status == "active")
        .order_by(col(Participation.id))
        .limit(4)
    ).all()
    hr = principal_of(db, "employer.hr")
    forms.prepare(db, hr, employer.id, DC, [a], {"amount": "150"}, ip="10.4.0.1")  # sends: one
    [draft] = forms.prepare(db, hr, employer.id, DC, [b], {"amount": "100"}, send=False, ip="10.4.0.1").form_ids
    forms.send(db, hr, draft, ip="10.4.0.1")  # two
    made = db.exec(select(func.count()).select_from(Form)).one()
    refused(db, "form", forms.prepare, hr, employer.id, DC, [c], {"amount": "150"}, ip="10.4.0.1")
    assert db.exec(select(func.count()).select_from(Form)).one() == made  # nothing prepared
    [again] = forms.prepare(db, hr, employer.id, DC, [d], {"amount": "50"}, send=False, ip="10.4.0.2").form_ids
    refused(db, "form", forms.send, hr, again, ip="10.4.0.2")
    assert db.get(Form, again).status == "prepared"  # not sent
    assert [e["scope"] for e in limited(db, "form_sent")] == [SENDER, SENDER]


# ------------------------------------------------------------------------------------------ the pages
async def test_the_forgot_page_shows_the_refusal_at_the_field(db: Session, smtp_server: SmtpCapture) -> None:
    active(db, "anna", "anna@example.nl")
    root = rx.State(_reflex_internal_init=True)
    page = await root.get_state(ForgotState)
    for _ in range(2):
        page.start()
        await page.request_reset({"username": "anna"})
        assert (page.step, page.errors) == ("reset", {})
    page.start()
    await page.request_reset({"username": "anna"})
    assert page.step == "ask"
    assert page.errors == {"username": "Er zijn te veel e-mails gevraagd. Probeer het over 50 minuten opnieuw."}
    assert len(smtp_server.messages_to("anna@example.nl")) == 2
