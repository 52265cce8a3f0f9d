"""My profile (EE-4): the person's details as the employer's record has them (national id masked), the private
e-mail address confirmed through a one-time, expiring link (one mail per new or changed address, read from a
real SMTP server), the statement language and the notification preference, the first-sign-in step asked once;
every change audited; nobody but the employee themself."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from datetime import timedelta

import pytest
from sqlmodel import Session, select

from portal.core import clock
from portal.demo.seed import DEMO_EMPLOYER_NAME, SMALL_NAME
from portal.domain.profile import CONFIRM_HOURS
from portal.models import EmailConfirmation, Person, UserAccount
from portal.services import employee
from portal.services.errors import FieldError
from portal.services.principal import NoAccess, Principal
from tests.services.employer_fixtures import audit_of, principal_of
from tests.smtp import SmtpCapture, body_of

LINK = re.compile(r"/confirm-email\?token=([A-Za-z0-9_-]+)")


@dataclass
class World:
    db: Session
    me: Principal
    smtp: SmtpCapture

    def account(self) -> UserAccount:
        self.db.expire_all()
        return self.db.exec(select(UserAccount).where(UserAccount.username == "employee")).one()


@pytest.fixture
def w(db: Session, demo_data: None, smtp_server: SmtpCapture) -> World:
    return World(db, principal_of(db, "employee"), smtp_server)


def _token(w: World, address: str, n: int = 1) -> str:
    mails = w.smtp.messages_to(address)
    assert len(mails) == n
    found = LINK.search(body_of(mails[-1]))
    assert found is not None
    return found.group(1)


def test_the_profile_shows_the_employers_data_with_the_national_id_masked(w: World) -> None:
    p = employee.my_profile(w.db, w.me)
    person = w.db.get(Person, w.me.person_id)
    assert p.name == "Gijs ter Assob" and p.birth_date == person.birth_date
    assert p.national_id_masked.endswith(person.bsn[-3:]) and person.bsn[:-3] not in p.national_id_masked
    assert set(p.national_id_masked[:-3]) == {"•"}
    assert (p.private_email, p.pending_email, p.statement_language, p.notify) == ("", "", "nl", True)
    assert [(e.name, e.former) for e in p.employers] == [(DEMO_EMPLOYER_NAME, False), (SMALL_NAME, True)]
    assert p.employers[0].contact_email  # whom to ask to put the data right
    w.db.commit()
    assert len(audit_of(w.db, "personal_data.viewed")) == 1


def test_a_private_address_counts_only_once_confirmed_by_its_link(w: World) -> None:
    assert employee.request_private_email(w.db, w.me, " Gijs@Prive.Example ") == "sent"
    w.db.commit()
    assert w.account().private_email == ""  # not yet
    assert employee.my_profile(w.db, w.me).pending_email == "gijs@prive.example"
    token = _token(w, "gijs@prive.example")
    body = body_of(w.smtp.messages_to("gijs@prive.example")[0])
    assert "Assob" not in body and "Gijs ter" not in body
    assert employee.confirm_private_email(w.db, token) == "gijs@prive.example"
    w.db.commit()
    assert w.account().private_email == "gijs@prive.example"
    with pytest.raises(FieldError) as err:  # single use
        employee.confirm_private_email(w.db, token)
    w.db.commit()
    assert err.value.key == "profile.confirm_invalid"
    assert [json.loads(e.detail)["reason"] for e in audit_of(w.db, "profile.private_email_refused")] == ["used"]
    assert len(audit_of(w.db, "profile.private_email_confirmed")) == 1
    assert len(audit_of(w.db, "profile.private_email_requested")) == 1


def test_one_mail_per_new_or_changed_address(w: World) -> None:
    assert employee.request_private_email(w.db, w.me, "a@prive.example") == "sent"
    assert employee.request_private_email(w.db, w.me, "A@prive.example") == "already_sent"  # no second mail
    w.db.commit()
    first = _token(w, "a@prive.example")
    assert employee.request_private_email(w.db, w.me, "b@prive.example") == "sent"  # changed: one mail to it
    w.db.commit()
    second = _token(w, "b@prive.example")
    assert len(w.smtp.messages) == 2
    with pytest.raises(FieldError):  # the first link was superseded by the change
        employee.confirm_private_email(w.db, first)
    w.db.commit()
    employee.confirm_private_email(w.db, second)
    w.db.commit()
    with pytest.raises(FieldError) as err:
        employee.request_private_email(w.db, w.me, "b@prive.example")
    assert err.value.key == "profile.email_unchanged"
    for bad in ("", "no-at-sign", "a@b", None, 42):
        with pytest.raises(FieldError):
            employee.request_private_email(w.db, w.me, bad)
    assert len(w.smtp.messages) == 2


def test_at_most_a_few_confirmation_mails_an_hour(w: World) -> None:
    start = clock.now()
    for n in range(employee.profile.MAILS_PER_HOUR):
        employee.request_private_email(w.db, w.me, f"x{n}@prive.example", now=start + timedelta(minutes=n))
    with pytest.raises(FieldError) as err:
        employee.request_private_email(w.db, w.me, "one-more@prive.example", now=start + timedelta(minutes=10))
    assert err.value.key == "profile.too_many_mails"
    assert len(w.smtp.messages) == employee.profile.MAILS_PER_HOUR
    employee.request_private_email(w.db, w.me, "later@prive.example", now=start + timedelta(minutes=61))
    assert len(w.smtp.messages) == employee.profile.MAILS_PER_HOUR + 1


def test_the_link_expires(w: World) -> None:
    sent_at = clock.now()
    employee.request_private_email(w.db, w.me, "late@prive.example", now=sent_at)
    w.db.commit()
    token = _token(w, "late@prive.example")
    with pytest.raises(FieldError):
        employee.confirm_private_email(w.db, token, now=sent_at + timedelta(hours=CONFIRM_HOURS))
    w.db.commit()
    assert w.account().private_email == ""
    assert [json.loads(e.detail)["reason"] for e in audit_of(w.db, "profile.private_email_refused")] == ["expired"]
    # just before expiry it would have worked (a fresh request: a new link, one more mail)
    row = w.db.exec(select(EmailConfirmation)).one()
    assert row.expires_at - row.created_at == timedelta(hours=CONFIRM_HOURS)
    for junk in ("", "x" * 500, None, token[:-1]):
        with pytest.raises(FieldError):
            employee.confirm_private_email(w.db, junk)


def test_language_notifications_and_removal_are_the_employees_own_and_audited(w: World) -> None:
    employee.set_statement_language(w.db, w.me, "en")
    employee.set_notify(w.db, w.me, False)
    w.db.commit()
    p = employee.my_profile(w.db, w.me)
    assert (p.statement_language, p.language_chosen, p.notify) == ("en", True, False)
    assert w.db.get(Person, w.me.person_id).language == "nl"  # the employer's record is untouched
    for bad in ("de", "", None, ["en"]):
        with pytest.raises(FieldError):
            employee.set_statement_language(w.db, w.me, bad)
    with pytest.raises(FieldError):
        employee.set_notify(w.db, w.me, "yes")
    changes = [json.loads(e.detail)["field"] for e in audit_of(w.db, "profile.changed")]
    assert changes == ["statement_language", "notify_mail"]
    account = w.account()
    account.private_email = "old@prive.example"
    w.db.add(account)
    w.db.commit()
    employee.remove_private_email(w.db, w.me)
    w.db.commit()
    assert w.account().private_email == "" and len(audit_of(w.db, "profile.private_email_removed")) == 1


def test_the_first_sign_in_step_asks_once(w: World) -> None:
    account = w.account()
    account.private_email_asked_at = None  # the demo employee has been asked already
    w.db.add(account)
    w.db.commit()
    assert employee.needs_private_email_step(w.db, w.me)
    employee.skip_private_email_step(w.db, w.me)
    w.db.commit()
    assert not employee.needs_private_email_step(w.db, w.me)
    account = w.account()
    account.private_email_asked_at = None
    w.db.add(account)
    w.db.commit()
    employee.request_private_email(w.db, w.me, "c@prive.example")  # answering counts as asked too
    w.db.commit()
    assert not employee.needs_private_email_step(w.db, w.me)


@pytest.mark.parametrize(
    "use",
    [
        lambda db, p: employee.my_profile(db, p),
        lambda db, p: employee.request_private_email(db, p, "x@prive.example"),
        lambda db, p: employee.set_statement_language(db, p, "en"),
        lambda db, p: employee.set_notify(db, p, False),
        lambda db, p: employee.remove_private_email(db, p),
        lambda db, p: employee.needs_private_email_step(db, p),
        lambda db, p: employee.skip_private_email_step(db, p),
    ],
)
def test_nobody_but_the_employee(w: World, use) -> None:
    others = [
        None,
        principal_of(w.db, "employer.hr"),
        principal_of(w.db, "adviser"),
        replace(w.me, person_id=(w.me.person_id or 0) + 1),  # a session claiming another person record
        replace(w.me, person_id=None),
    ]
    for other in others:
        with pytest.raises(NoAccess):
            use(w.db, other)
    w.db.rollback()
    account = w.account()
    assert (account.private_email, account.statement_language, account.notify_mail) == ("", "", True)
    assert w.smtp.messages == []
