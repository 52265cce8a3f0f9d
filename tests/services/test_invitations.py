"""Invitations to the employee front end (BULK-3): a business e-mail upload, a hire and the new-participants
file invite exactly the persons who should be, each once (the job run twice mails nobody twice, read from a
real SMTP server); the link is single use, expires, is withdrawn by a newer address, and a wrong one reveals
nothing and changes nothing; the employer sees only "sent" and "signed in", and another employer nothing."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from sqlalchemy import func
from sqlmodel import Session, col, select

from portal.core import clock
from portal.jobs.queue import get_huey
from portal.models import AuditEvent, Batch, Invitation, JobRun, Person, RoleGrant, SentMail, UserAccount
from portal.services import accounts, background, collective, invitations
from portal.services import mutations as mut
from portal.services.errors import FieldError
from portal.services.principal import NoAccess
from tests.services.bulk_files import TODAY, World, participation, rows_of, workbook, world
from tests.services.employer_fixtures import audit_of
from tests.services.test_mutations import person_form
from tests.smtp import SmtpCapture, body_of

PASSWORD = "Zonnebloem-Kade-2026!"
LINK = re.compile(r"/activate\?invitation=([A-Za-z0-9_-]+)")


@pytest.fixture(autouse=True)
def _empty_queue() -> Iterator[None]:
    get_huey().flush()  # the runs these tests queue are executed here, not by a consumer of a later test
    yield
    get_huey().flush()


@pytest.fixture
def w(db: Session, demo_data: None) -> World:
    return world(db)


def _person(db: Session, w: World, number: str) -> Person:
    person = db.get(Person, participation(db, w.scheme_id, number).person_id)
    assert person is not None
    return person


def _upload_emails(db: Session, w: World, emails: dict[str, str]) -> None:
    """The BULK-3 file with ``emails`` (participant number → address) filled in, validated, confirmed, applied."""
    _, data = collective.template(db, w.hr, w.scheme_id, "business_email", None, "en", today=TODAY)
    rows = rows_of(data)
    for row in rows[1:]:
        if str(row[0]) in emails:
            row[4] = emails[str(row[0])]
    _apply_file(db, w, "business_email", rows)


def _apply_file(db: Session, w: World, kind: str, rows: list[list[object]]) -> None:
    """A collective file of ``kind`` with ``rows`` uploaded, validated, confirmed and applied."""
    batch = collective.upload(db, w.hr, w.scheme_id, kind, f"{kind}.xlsx", workbook(rows), None, "nl", today=TODAY)
    db.commit()
    collective.run_validation(batch.id or 0, today=TODAY)
    db.expire_all()
    found = db.get(Batch, batch.id)
    assert found is not None and found.status == "ready", found.report if found else None
    collective.confirm(db, w.hr, batch.id)
    db.commit()
    assert collective.run_apply(batch.id or 0, today=TODAY) == "processed"
    db.expire_all()


def _jobs(db: Session) -> list[JobRun]:
    return list(db.exec(select(JobRun).where(JobRun.kind == invitations.KIND).order_by(col(JobRun.id))).all())


def _run_jobs(db: Session) -> int:
    """Execute every invitation job run (also those done already: a second attempt must mail nobody)."""
    sent = 0
    for job in _jobs(db):
        sent += background.execute(job.id or 0, invitations.KIND, invitations.invitation_job) or 0
    db.expire_all()
    return sent


def _token(smtp: SmtpCapture, to: str) -> str:
    msgs = smtp.messages_to(to)
    assert len(msgs) == 1, [m["Subject"] for m in msgs]
    found = LINK.search(body_of(msgs[0]))
    assert found is not None
    return found.group(1)


def _count(db: Session, model: type) -> int:
    return int(db.exec(select(func.count()).select_from(model)).one())


def test_an_upload_invites_exactly_the_right_persons_once(db: Session, w: World, smtp_server: SmtpCapture) -> None:
    active = _person(db, w, "100001")  # the demo employee: has an active account already
    _upload_emails(
        db,
        w,
        {
            "100001": "gijs.werk@noordkade-logistiek.example",
            "100003": "Derde@Noordkade-Logistiek.example",
            "100004": "vierde@noordkade-logistiek.example",
        },
    )
    assert smtp_server.messages == []  # nothing mailed by the apply itself: the job does it after the commit
    jobs = _jobs(db)
    assert len(jobs) == 1 and jobs[0].status == "queued"
    third = _person(db, w, "100003")
    account = db.exec(select(UserAccount).where(UserAccount.person_id == third.id)).one()
    assert (account.status, account.email) == ("invited", "derde@noordkade-logistiek.example")
    assert [g.role for g in db.exec(select(RoleGrant).where(RoleGrant.user_id == account.id)).all()] == ["employee"]
    assert (
        db.exec(select(UserAccount).where(UserAccount.person_id == active.id)).one().email
        != "gijs.werk@noordkade-logistiek.example"
    )

    assert _run_jobs(db) == 2
    assert _run_jobs(db) == 0  # the job again: nobody mailed twice
    again = background.queue(
        db, invitations.KIND, subject="doubled", invitation_ids=[i.id for i in db.exec(select(Invitation)).all()]
    )
    db.commit()
    assert background.execute(again.id or 0, invitations.KIND, invitations.invitation_job) == 0  # another run: neither
    assert sorted(r for m in smtp_server.messages for r in [str(m["To"])]) == [
        "derde@noordkade-logistiek.example",
        "vierde@noordkade-logistiek.example",
    ]
    assert smtp_server.messages_to("gijs.werk@noordkade-logistiek.example") == []
    body = body_of(smtp_server.messages_to("derde@noordkade-logistiek.example")[0])
    assert "14" in body and "/activate?invitation=" in body
    assert _count(db, SentMail) == 2
    # the same file again: same addresses, nothing new
    _upload_emails(
        db, w, {"100003": "derde@noordkade-logistiek.example", "100005": "vijfde@noordkade-logistiek.example"}
    )
    assert len(_jobs(db)) == 3 and _run_jobs(db) == 1  # one new run, for the one new address
    assert [str(m["To"]) for m in smtp_server.messages[2:]] == ["vijfde@noordkade-logistiek.example"]


def test_an_account_invited_before_invitations_existed_gets_its_link(
    db: Session, w: World, smtp_server: SmtpCapture
) -> None:
    waiting = db.exec(
        select(UserAccount).where(UserAccount.status == "invited", col(UserAccount.person_id).is_not(None))
    ).one()
    person = db.get(Person, waiting.person_id)
    assert person is not None
    person.business_email = "Nieuw.Adres@Noordkade-Logistiek.example"
    db.add(person)
    assert len(invitations.invite_persons(db, [person.id or 0])) == 1
    db.commit()
    db.refresh(waiting)
    assert waiting.email == "nieuw.adres@noordkade-logistiek.example"  # the invited account follows the address
    assert _run_jobs(db) == 1 and _token(smtp_server, "nieuw.adres@noordkade-logistiek.example")


def test_the_link_is_single_use_and_activates_without_a_code(db: Session, w: World, smtp_server: SmtpCapture) -> None:
    _upload_emails(db, w, {"100003": "derde@noordkade-logistiek.example"})
    _run_jobs(db)
    token = _token(smtp_server, "derde@noordkade-logistiek.example")
    person = _person(db, w, "100003")
    assert invitations.open_link(db, token).display_name.endswith(person.last_name)
    db.rollback()
    user = invitations.activate_by_link(db, token, "derde.werknemer", PASSWORD)
    db.commit()
    assert user.status == "active" and user.username == "derde.werknemer"
    assert smtp_server.wait_for("derde@noordkade-logistiek.example", "geactiveerd")
    with pytest.raises(FieldError) as used:
        invitations.open_link(db, token)
    assert (used.value.field, used.value.key) == ("invitation", "invitation_invalid")
    with pytest.raises(FieldError):
        invitations.activate_by_link(db, token, "iemand.anders", PASSWORD)
    db.rollback()
    assert [json_reason(e) for e in audit_of(db, "invitation.refused")] == ["used", "used"]
    # the employee signs in: the employer sees "sent" and "signed in"
    part = participation(db, w.scheme_id, "100003")
    status = invitations.invitation_status(db, w.hr, part.id)
    assert status.sent_at is not None and not status.signed_in
    accounts.create_session(db, user.id or 0)
    db.commit()
    assert invitations.invitation_status(db, w.hr, part.id).signed_in


def json_reason(event: AuditEvent) -> str:
    import json

    return str(json.loads(event.detail)["reason"])


def test_a_link_expires(db: Session, w: World, smtp_server: SmtpCapture, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORTAL_INVITATION_DAYS", "3")
    from portal.core.config import get_settings

    get_settings.cache_clear()
    _upload_emails(db, w, {"100003": "derde@noordkade-logistiek.example"})
    _run_jobs(db)
    token = _token(smtp_server, "derde@noordkade-logistiek.example")
    assert "3" in body_of(smtp_server.messages[0])
    later = clock.now() + timedelta(days=3, seconds=1)
    invitations.open_link(db, token, now=clock.now() + timedelta(days=2, hours=23))
    with pytest.raises(FieldError):
        invitations.activate_by_link(db, token, "derde.werknemer", PASSWORD, now=later)
    db.rollback()
    assert json_reason(audit_of(db, "invitation.refused")[-1]) == "expired"
    assert (
        db.exec(select(UserAccount).where(UserAccount.email == "derde@noordkade-logistiek.example")).one().status
        == "invited"
    )


def test_a_wrong_link_reveals_nothing_and_changes_nothing(db: Session, w: World, smtp_server: SmtpCapture) -> None:
    _upload_emails(db, w, {"100003": "derde@noordkade-logistiek.example"})
    _run_jobs(db)
    token = _token(smtp_server, "derde@noordkade-logistiek.example")
    before = (_count(db, UserAccount), _count(db, Invitation), _count(db, SentMail))
    answers = []
    for bad in (token[:-1] + ("A" if token[-1] != "A" else "B"), "", "x" * 5000, None, 42, {"token": token}):
        with pytest.raises(FieldError) as err:
            invitations.activate_by_link(db, bad, "iemand", PASSWORD)
        db.rollback()
        answers.append((err.value.field, err.value.key, str(err.value)))
    assert len(set(answers)) == 1 and answers[0][:2] == ("invitation", "invitation_invalid")  # one answer for all
    assert (_count(db, UserAccount), _count(db, Invitation), _count(db, SentMail)) == before
    assert {json_reason(e) for e in audit_of(db, "invitation.refused")} == {"unknown"}
    assert len(audit_of(db, "invitation.refused")) == 6
    invitations.open_link(db, token)  # the real link still works


def test_a_new_address_of_a_person_still_invited_gets_a_new_link_and_the_old_one_stops(
    db: Session, w: World, smtp_server: SmtpCapture
) -> None:
    _upload_emails(db, w, {"100003": "derde@noordkade-logistiek.example"})
    _run_jobs(db)
    old = _token(smtp_server, "derde@noordkade-logistiek.example")
    _upload_emails(db, w, {"100003": "derde.nieuw@noordkade-logistiek.example"})
    _run_jobs(db)
    new = _token(smtp_server, "derde.nieuw@noordkade-logistiek.example")
    assert len(smtp_server.messages) == 2
    with pytest.raises(FieldError):
        invitations.open_link(db, old)
    db.rollback()
    assert json_reason(audit_of(db, "invitation.refused")[-1]) == "withdrawn"
    assert (
        invitations.activate_by_link(db, new, "derde.werknemer", PASSWORD).email
        == "derde.nieuw@noordkade-logistiek.example"
    )
    db.commit()
    # activated: a later address change invites nobody
    _upload_emails(db, w, {"100003": "derde.later@noordkade-logistiek.example"})
    _run_jobs(db)
    assert smtp_server.messages_to("derde.later@noordkade-logistiek.example") == []


def test_a_hire_with_a_business_email_is_invited(db: Session, w: World, smtp_server: SmtpCapture) -> None:
    form = person_form()
    preview = mut.preview_new_participant(db, w.hr, w.employer_id, w.scheme_id, **form, today=TODAY)
    mut.submit_new_participant(
        db, w.hr, w.employer_id, w.scheme_id, **form, acknowledged=preview.warning_keys, today=TODAY
    )
    assert smtp_server.messages == []
    db.commit()
    assert _run_jobs(db) == 1
    msg = smtp_server.messages_to("eloise@noordkade-logistiek.example")
    assert len(msg) == 1 and "Éloïse" in body_of(msg[0])
    # without a business e-mail: no account, no mail
    other = person_form(bsn="123456782", business_email="", first_name="Piet", last_name="Zonder")
    preview = mut.preview_new_participant(db, w.hr, w.employer_id, w.scheme_id, **other, today=TODAY)
    mut.submit_new_participant(
        db, w.hr, w.employer_id, w.scheme_id, **other, acknowledged=preview.warning_keys, today=TODAY
    )
    db.commit()
    piet = db.exec(select(Person).where(Person.bsn == "123456782")).one()
    assert db.exec(select(UserAccount).where(UserAccount.person_id == piet.id)).first() is None


def test_no_second_account_for_someone_who_has_one_through_another_employer(
    db: Session, w: World, smtp_server: SmtpCapture
) -> None:
    gijs = _person(db, w, "100001")  # the demo employee (active account at the demo employer)
    old_job = db.exec(select(Person).where(Person.bsn == gijs.bsn, Person.id != gijs.id)).one()
    old_job.business_email = "gijs@bakkerij.example"
    db.add(old_job)
    assert invitations.invite_persons(db, [old_job.id or 0]) == []
    db.commit()
    assert db.exec(select(UserAccount).where(UserAccount.person_id == old_job.id)).first() is None


def test_another_employer_cannot_read_the_invitation_status(db: Session, w: World, smtp_server: SmtpCapture) -> None:
    part = participation(db, w.scheme_id, "100003")
    with pytest.raises(NoAccess):
        invitations.invitation_status(db, w.other, part.id)
    for bad in ("1 OR 1=1", None, -1, 10**12):
        with pytest.raises(NoAccess):
            invitations.invitation_status(db, w.hr, bad)
    status = invitations.invitation_status(db, w.hr, part.id)
    assert status.sent_at is None and not status.signed_in


def test_the_new_participants_file_invites_those_with_a_business_email(
    db: Session, w: World, smtp_server: SmtpCapture
) -> None:
    _, data = collective.template(db, w.hr, w.scheme_id, "new_participants", None, "nl", today=TODAY)
    header = rows_of(data)[0]
    rows = [
        header,
        ["123456782", "P.", "Piet", "", "Nieuw", date(1990, 5, 5), "M", date(2026, 8, 1), 45000, 100, ""],
        [
            "111222333",
            "A.",
            "Anna",
            "de",
            "Vries",
            "12-03-1985",
            "V",
            "2026-12-01",
            "38.500,00",
            "80",
            "a.devries@noordkade-logistiek.example",
        ],
    ]
    _apply_file(db, w, "new_participants", rows)
    assert smtp_server.messages == []
    assert _run_jobs(db) == 1
    assert [str(m["To"]) for m in smtp_server.messages] == ["a.devries@noordkade-logistiek.example"]
    assert "Anna de Vries" in body_of(smtp_server.messages[0])
    piet = db.exec(select(Person).where(Person.bsn == "123456782")).one()
    assert db.exec(select(UserAccount).where(UserAccount.person_id == piet.id)).first() is None
