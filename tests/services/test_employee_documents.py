"""My documents (EE-3, DOC-3 employee side): the latest statement per contract, at the current and a former
employer; the archive of earlier ones the employee opened; the view and download links; someone else's statement
refused and audited, by id and by link; a regenerated statement stays in the archive; the statement language of
the profile followed by the next run; a new statement mailed once to every address of the person."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date

import pytest
from sqlmodel import Session, col, select

from portal.demo.seed import SMALL_NAME
from portal.jobs.queue import get_huey
from portal.models import Document, Employer, JobRun, Participation, Person, Scheme, SentMail, UserAccount
from portal.services import background, files
from portal.services.documents import library, notifications, own, statement_runs, statements
from portal.services.documents.statement_pdf import KIND
from portal.services.principal import NoAccess, Principal
from tests.services.employer_fixtures import (
    assert_link_denied,
    audit_of,
    demo_employer,
    participation_of,
    principal_of,
    schemes_of,
)
from tests.smtp import SmtpCapture, body_of

TODAY = date(2026, 11, 1)


@dataclass
class World:
    db: Session
    me: Principal
    hr: Principal
    op: Scheme
    np: Scheme
    part: Participation  # Gijs ter Assob, 100001 in OP
    old_record: Person  # the small employer's record of him
    old_part: Participation


@pytest.fixture
def w(db: Session, demo_data: None) -> Iterator[World]:
    get_huey().flush()
    employer = demo_employer(db)
    schemes = schemes_of(db, employer.id)
    part = participation_of(db, schemes["OP"])
    mine = db.get(Person, part.person_id)
    small = db.exec(select(Employer).where(Employer.name == SMALL_NAME)).one()
    old_record = db.exec(select(Person).where(Person.employer_id == small.id, Person.bsn == mine.bsn)).one()
    old_part = db.exec(
        select(Participation).where(Participation.person_id == old_record.id).order_by(col(Participation.id))
    ).first()
    yield World(
        db,
        principal_of(db, "employee"),
        principal_of(db, "employer.hr"),
        schemes["OP"],
        schemes["NP"],
        part,
        old_record,
        old_part,
    )
    get_huey().flush()
    for leftover in files.folder("documents").iterdir():
        leftover.unlink()


def _former(w: World, year: str = "2020") -> Document:
    """A statement of the former employer (the small one's record of the same person)."""
    return library.add_document(
        w.db, w.old_record.employer_id, w.old_part.scheme_id, "statement", "benefit_statement",
        f"Pensioenoverzicht {year}", year, b"%PDF-1.4\n%%EOF\n",
        participation_id=w.old_part.id, person_id=w.old_record.id, notify=False,
    )  # fmt: skip


def _someone_elses(w: World) -> Document:
    other = w.db.exec(
        select(Participation)
        .where(Participation.scheme_id == w.op.id, Participation.status == "active")
        .where(Participation.start_date <= date(2026, 1, 1), Participation.person_id != w.part.person_id)
        .order_by(col(Participation.id))
    ).first()
    return statements.request_statement(w.db, w.hr, other.id, 2026, today=TODAY)


def test_the_latest_statement_per_contract_at_every_employer(w: World) -> None:
    statements.request_statement(w.db, w.hr, w.part.id, 2025, today=TODAY)
    op_2026 = statements.request_statement(w.db, w.hr, w.part.id, 2026, today=TODAY)
    former = _former(w)
    theirs = _someone_elses(w)
    w.db.commit()
    mine = own.my_documents(w.db, w.me)
    assert [s.id for s in mine.latest] == [op_2026.id, former.id]  # newest year first; 2025 is not the latest
    assert {s.employer_name for s in mine.latest} == {demo_employer(w.db).name, SMALL_NAME}
    assert mine.latest[0].participant_number == "100001" and mine.latest[0].scheme_kind == "OP"
    assert not any(s.opened for s in mine.latest) and mine.archive == ()
    assert theirs.id not in {s.id for s in mine.latest}


def test_opening_signs_a_view_and_a_download_link_and_files_the_statement_in_the_archive(w: World) -> None:
    old = statements.request_statement(w.db, w.hr, w.part.id, 2025, today=TODAY)
    latest = statements.request_statement(w.db, w.hr, w.part.id, 2026, today=TODAY)
    w.db.commit()
    opened = own.open_statement(w.db, w.me, old.id)
    w.db.commit()
    view = files.serve(w.db, w.me, opened.view_link.removeprefix("/files/"))
    download = files.serve(w.db, w.me, opened.download_link.removeprefix("/files/"))
    assert (
        view.inline and not download.inline and view.path == download.path and download.media_type == "application/pdf"
    )
    mine = own.my_documents(w.db, w.me)
    assert [s.id for s in mine.latest] == [latest.id] and [s.id for s in mine.archive] == [old.id]
    assert mine.archive[0].opened and mine.archive[0].year == "2025"
    own.open_statement(w.db, w.me, old.id)  # a second time: still once in the archive
    w.db.commit()
    assert [s.id for s in own.my_documents(w.db, w.me).archive] == [old.id]
    events = audit_of(w.db, "document.opened")
    assert [json.loads(e.detail)["first_time"] for e in events] == [True, False]
    # A regenerated 2025 statement replaces the file; it stays in the archive as the statement he had opened.
    again = statements.request_statement(w.db, w.hr, w.part.id, 2025, today=TODAY)
    w.db.commit()
    assert [s.id for s in own.my_documents(w.db, w.me).archive] == [again.id] and again.id != old.id


@pytest.mark.parametrize("how", ["event", "link"])
def test_someone_elses_statement_is_refused_and_audited(w: World, how: str) -> None:
    theirs = _someone_elses(w)
    w.db.commit()
    if how == "event":
        with pytest.raises(NoAccess) as err:
            own.open_statement(w.db, w.me, str(theirs.id), "10.0.0.9")
        w.db.commit()
        assert err.value.reason == "out_of_scope"
        (event,) = audit_of(w.db, "access.denied")
        assert event.object_id == str(theirs.id) and json.loads(event.detail)["path"] == "/employee/documents"
        assert audit_of(w.db, "document.opened") == []
    else:  # a link signed for the employee with another's id: the file kinds check the person again
        for kind in ("statement", own.DOWNLOAD):
            token = files.link(w.me, kind, theirs.id or 0).removeprefix("/files/")
            assert_link_denied(w.db, w.me, token, "out_of_scope")
    assert own.my_documents(w.db, w.me).archive == ()


def test_bad_ids_and_other_principals_are_refused_and_audited(w: World) -> None:
    mine = statements.request_statement(w.db, w.hr, w.part.id, 2026, today=TODAY)
    invoice = library.add_document(
        w.db, w.part.employer_id, w.op.id, "financial", "invoice", "Factuur", "2026-11", b"%PDF-1.4\n%%EOF\n",
        notify=False,
    )  # fmt: skip
    w.db.commit()
    cases = [
        (w.me, "1; drop table document", "bad_id"),
        (w.me, 10**9, "not_found"),
        (w.me, invoice.id, "not_found"),  # the employer's own documents are not the employee's
        (w.hr, mine.id, "wrong_front_end"),  # the employer has the history on its own pages
        (replace(w.me, person_id=(w.me.person_id or 0) + 1), mine.id, "out_of_scope"),
        (None, mine.id, "not_signed_in"),
    ]
    for principal, document_id, reason in cases:
        with pytest.raises(NoAccess) as err:
            own.open_statement(w.db, principal, document_id)
        w.db.commit()
        assert err.value.reason == reason, (document_id, reason)
    assert len(audit_of(w.db, "access.denied")) == len(cases)
    with pytest.raises(NoAccess):
        own.my_documents(w.db, w.hr)
    token = files.link(w.hr, own.DOWNLOAD, mine.id or 0).removeprefix("/files/")
    assert_link_denied(w.db, w.hr, token, "wrong_front_end")


def test_the_next_run_follows_the_statement_language_of_the_profile(w: World) -> None:
    from portal.services import employee

    statements.request_statement(w.db, w.hr, w.part.id, 2026, today=TODAY)
    w.db.commit()
    assert own.my_documents(w.db, w.me).latest[0].language == "nl"
    employee.set_statement_language(w.db, w.me, "en")
    w.db.commit()
    statement_runs.run_statements(w.op.id, 2026, w.hr.user_id, today=TODAY)
    w.db.expire_all()
    docs = w.db.exec(
        select(Document).where(Document.scheme_id == w.op.id, Document.period == "2026", Document.kind == KIND)
    ).all()
    by_person = {d.person_id: d.language for d in docs}
    assert by_person.pop(w.part.person_id) == "en" and len(by_person) > 5
    records = {p.id: p.language for p in w.db.exec(select(Person).where(col(Person.id).in_(list(by_person))))}
    assert by_person == records  # nobody else follows his choice: each their employer's record
    assert own.my_documents(w.db, w.me).latest[0].language == "en"


def _notify_run(w: World, ids: list[int]) -> JobRun:
    notifications.queue_notifications(w.db, ids)
    w.db.commit()
    return w.db.exec(select(JobRun).where(JobRun.kind == "notify_documents").order_by(col(JobRun.id).desc())).first()


def _addresses(w: World, private: str) -> tuple[UserAccount, Person]:
    account = w.db.exec(select(UserAccount).where(UserAccount.username == "employee")).one()
    account.private_email = private
    person = w.db.get(Person, w.part.person_id)
    w.db.add(account)
    w.db.commit()
    return account, person


def test_a_new_statement_mails_every_address_of_the_person_once(w: World, smtp_server: SmtpCapture) -> None:
    account, person = _addresses(w, "gijs@prive.example")
    doc = statements.request_statement(w.db, w.hr, w.part.id, 2026, today=TODAY)
    former = _former(w)
    w.db.commit()
    run = _notify_run(w, [doc.id, former.id])
    assert background.execute(run.id or 0, "notify_documents", notifications.notification_job) == 3
    expected = {account.email, person.business_email.lower(), "gijs@prive.example"}
    assert len(expected) == 3
    for address in expected:
        (mail,) = smtp_server.messages_to(address)
        body = body_of(mail)
        assert f"/employee/documents?doc={doc.id}" in body and "Assob" not in body and "Gijs" not in body
    assert len(smtp_server.messages) == 3  # the former employer's record has no business address: nothing more
    # The same run again (a retry, or queued again after a kill): no address gets a second mail.
    w.db.expire_all()
    row = w.db.get(JobRun, run.id)
    assert row.status == "done"
    row.status = "queued"
    w.db.add(row)
    w.db.commit()
    assert background.execute(run.id or 0, "notify_documents", notifications.notification_job) == 0
    assert len(smtp_server.messages) == 3
    sent = w.db.exec(select(SentMail).where(SentMail.job_id == run.id)).all()
    assert sorted(r.address for r in sent) == sorted(["", person.business_email.lower(), "gijs@prive.example"])
    assert len({str(m["Message-ID"]) for m in smtp_server.messages}) == 3


def test_no_business_mail_after_leaving_and_none_at_all_when_turned_off(w: World, smtp_server: SmtpCapture) -> None:
    from portal.models import Employment

    account, person = _addresses(w, "")
    job = w.db.get(Employment, w.part.employment_id)
    job.end_date = date(2026, 6, 30)  # he has left the demo employer
    w.db.add(job)
    w.db.commit()
    doc = _former(w, "2021")  # any statement of his
    stmt = library.add_document(
        w.db, w.part.employer_id, w.op.id, "statement", "benefit_statement", "Pensioenoverzicht 2026", "2026",
        b"%PDF-1.4\n%%EOF\n", participation_id=w.part.id, person_id=person.id, notify=False,
    )  # fmt: skip
    w.db.commit()
    run = _notify_run(w, [doc.id, stmt.id])
    assert background.execute(run.id or 0, "notify_documents", notifications.notification_job) == 1
    assert smtp_server.messages_to(person.business_email.lower()) == []
    assert len(smtp_server.messages_to(account.email)) == 1
    account = w.db.get(UserAccount, account.id)
    account.notify_mail = False
    w.db.add(account)
    w.db.commit()
    run = _notify_run(w, [stmt.id])
    assert background.execute(run.id or 0, "notify_documents", notifications.notification_job) == 0


def test_the_business_address_as_the_accounts_own_is_not_mailed_after_leaving(
    w: World, smtp_server: SmtpCapture
) -> None:
    """An invited or eID account is made with the business address: once he has left, that address gets
    nothing (the seed: mails go to the business address "tot hij uit dienst gaat"); the private one still does."""
    from portal.models import Employment

    account, person = _addresses(w, "gijs@prive.example")
    account.email = person.business_email.lower()
    job = w.db.get(Employment, w.part.employment_id)
    job.end_date = date(2026, 6, 30)
    w.db.add_all([account, job])
    w.db.commit()
    stmt = library.add_document(
        w.db, w.part.employer_id, w.op.id, "statement", "benefit_statement", "Pensioenoverzicht 2026", "2026",
        b"%PDF-1.4\n%%EOF\n", participation_id=w.part.id, person_id=person.id, notify=False,
    )  # fmt: skip
    w.db.commit()
    run = _notify_run(w, [stmt.id])
    assert background.execute(run.id or 0, "notify_documents", notifications.notification_job) == 1
    assert smtp_server.messages_to(person.business_email.lower()) == []
    assert len(smtp_server.messages_to("gijs@prive.example")) == 1
