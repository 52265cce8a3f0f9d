"""Benefit statements (DOC-3): the request (role, scope, year), the job (one PDF per active participant in
their language, read back with pypdf; idempotent; through the real huey consumer), one participant at a
time with clear refusals, the history and the signed download (employer users in scope and the employee
themself only)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from io import BytesIO

import pytest
import time_machine
from pypdf import PdfReader
from sqlmodel import Session, col, select

from portal.domain.premium import age_at, cents, coverage
from portal.domain.roles import Perm
from portal.i18n import formatting as fmt
from portal.jobs.consumer import InProcessConsumer
from portal.jobs.queue import get_huey
from portal.models import Document, EmploymentVersion, Participation, Person, Scheme
from portal.services import files
from portal.services.documents import own, statement_runs, statements
from portal.services.errors import FieldError
from portal.services.participants.detail import scheme_year_params
from portal.services.principal import NoAccess, Principal, acting_for
from tests.services.employer_fixtures import (
    assert_link_denied,
    audit_of,
    demo_employer,
    foreign_tenant,
    participation_of,
    principal_of,
    schemes_of,
)
from tests.smtp import SmtpCapture, body_of

TODAY = date(2026, 11, 1)
YEAR = 2026
JAN1 = date(YEAR, 1, 1)


@dataclass
class Demo:
    db: Session
    employer_id: int
    op: Scheme
    np: Scheme
    hr: Principal
    finance: Principal
    employee: Principal
    part: Participation  # participant 100001 (Gijs ter Assob) in OP


@pytest.fixture
def demo(db: Session, demo_data: None) -> Iterator[Demo]:
    get_huey().flush()
    employer = demo_employer(db)
    schemes = schemes_of(db, employer.id)
    part = participation_of(db, schemes["OP"])
    yield Demo(
        db,
        employer.id or 0,
        schemes["OP"],
        schemes["NP"],
        principal_of(db, "employer.hr"),
        principal_of(db, "employer.finance"),
        principal_of(db, "employee"),
        part,
    )
    get_huey().flush()
    for leftover in files.folder("documents").iterdir():
        leftover.unlink()


def active_on_jan1(d: Demo, scheme: Scheme) -> int:
    """Independent count: participations started by 1 January and active that day (status rule of MUT-2)."""
    rows = d.db.exec(
        select(Participation).where(Participation.scheme_id == scheme.id, Participation.start_date <= JAN1)
    ).all()
    return sum(1 for p in rows if p.status == "active" or (p.end_date is not None and p.end_date >= JAN1))


def docs(d: Demo, **where: object) -> list[Document]:
    d.db.expire_all()
    query = select(Document).where(Document.kind == "benefit_statement")
    for name, value in where.items():
        query = query.where(getattr(Document, name) == value)
    return list(d.db.exec(query.order_by(col(Document.id))).all())


def pdf_text(doc: Document) -> str:
    data = files.stored_path("documents", doc.stored_name).read_bytes()
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)


def set_language(d: Demo, person_id: int, lang: str) -> None:
    person = d.db.get(Person, person_id)
    person.language = lang
    d.db.add(person)
    d.db.commit()


def version_on_jan1(d: Demo, part: Participation) -> EmploymentVersion:
    """The employment terms of ``part`` valid on 1 January (as the statement run reads them)."""
    version = d.db.exec(
        select(EmploymentVersion)
        .where(
            EmploymentVersion.employment_id == part.employment_id,
            col(EmploymentVersion.superseded_at).is_(None),
            EmploymentVersion.valid_from <= JAN1,
        )
        .order_by(col(EmploymentVersion.valid_from).desc())
    ).first()
    assert version is not None
    return version


def expected_coverage(d: Demo, part: Participation):
    person = d.db.get(Person, part.person_id)
    version = version_on_jan1(d, part)
    params = scheme_year_params(d.db, part.scheme_id, YEAR)
    return coverage(version.salary, version.parttime_pct, params, age_at(person.birth_date, JAN1), part.premium_mode)


# --------------------------------------------------------------------------------------------- the request
def test_request_is_audited_and_queued_after_commit(demo: Demo) -> None:
    huey = get_huey()
    before = huey.pending_count()
    total = statement_runs.request_statements(demo.db, demo.hr, str(demo.op.id), "2026", today=TODAY)
    assert total == active_on_jan1(demo, demo.op) > 250
    assert huey.pending_count() == before  # only after the commit
    demo.db.commit()
    assert huey.pending_count() == before + 1
    status = statement_runs.run_status(demo.db, demo.hr, demo.op.id, YEAR)
    assert (status.state, status.total) == ("queued", total)
    (event,) = audit_of(demo.db, "statements.requested")
    assert json.loads(event.detail) == {"year": YEAR, "participants": total}


@pytest.mark.parametrize(
    ("year", "key"),
    [
        ("", "statement.year_invalid"),
        ("twee", "statement.year_invalid"),
        ("1999", "statement.year_invalid"),
        ("2027", "statement.year_invalid"),  # 1 January 2027 has not come yet
        ({"year": 2026}, "statement.year_invalid"),
        ("2023", "statement.no_parameters"),  # the demo schemes have parameters 2024–2026
    ],
)
def test_a_bad_year_is_refused_at_the_field_audited_and_nothing_queued(demo: Demo, year: object, key: str) -> None:
    pending = get_huey().pending_count()
    with pytest.raises(FieldError) as err:
        statement_runs.request_statements(demo.db, demo.hr, demo.op.id, year, today=TODAY)
    demo.db.commit()
    assert (err.value.field, err.value.key) == ("year", key)
    assert get_huey().pending_count() == pending and docs(demo) == []
    (event,) = audit_of(demo.db, "statement.refused")
    assert json.loads(event.detail)["reason"] == key


def test_a_scheme_without_participants_on_1_january_gets_a_clear_message(demo: Demo) -> None:
    _, foreign_scheme, foreign = foreign_tenant(demo.db)
    from portal.models import SchemeYear

    demo.db.add(
        SchemeYear(scheme_id=foreign_scheme.id, year=YEAR, max_salary=Decimal(137800), franchise=Decimal(18475))
    )
    demo.db.commit()
    with pytest.raises(FieldError) as err:
        statement_runs.request_statements(demo.db, foreign, foreign_scheme.id, YEAR, today=TODAY)
    demo.db.commit()
    assert err.value.key == "statement.no_participants" and err.value.params == {"year": YEAR}
    assert len(audit_of(demo.db, "statement.refused")) == 1


def test_other_employer_finance_and_bad_ids_cannot_request(demo: Demo) -> None:
    _, foreign_scheme, foreign = foreign_tenant(demo.db)
    for who, scheme_id, reason in (
        (foreign, demo.op.id, "out_of_scope"),
        (demo.hr, foreign_scheme.id, "out_of_scope"),
        (demo.finance, demo.op.id, "missing_role"),
        (demo.employee, demo.op.id, "missing_role"),
        (replace(demo.hr, perms=frozenset({Perm.PARTICIPANTS_VIEW})), demo.op.id, "missing_role"),
        (None, demo.op.id, "not_signed_in"),
        (demo.hr, "1 OR 1=1", "bad_id"),
    ):
        with pytest.raises(NoAccess) as err:
            statement_runs.request_statements(demo.db, who, scheme_id, YEAR, today=TODAY)
        assert err.value.reason == reason
    demo.db.commit()
    assert audit_of(demo.db, "statements.requested") == []


# ------------------------------------------------------------------------------------------------ the job
def test_the_job_makes_one_pdf_per_active_participant_in_their_language(demo: Demo) -> None:
    set_language(demo, demo.part.person_id, "en")
    result = statement_runs.run_statements(demo.op.id, YEAR, demo.hr.user_id, today=TODAY)
    made = docs(demo, scheme_id=demo.op.id)
    assert result.made == len(made) == active_on_jan1(demo, demo.op) - result.skipped
    assert result.skipped == 0
    assert len({d.participation_id for d in made}) == len(made)
    mine = next(d for d in made if d.participation_id == demo.part.id)
    assert (mine.category, mine.period, mine.language, mine.person_id) == (
        "statement",
        "2026",
        "en",
        demo.part.person_id,
    )
    assert mine.file_name == "benefit-statement-2026-OP-100001.pdf" and mine.title == "Benefit statement 2026"
    assert mine.employer_id == demo.employer_id and mine.created_by == demo.hr.user_id
    cov = expected_coverage(demo, demo.part)
    text = pdf_text(mine)
    assert "Benefit statement 2026" in text and "Dear Gijs ter Assob," in text
    assert "Assob, G., ter" in text and "01/01/2026" in text
    assert fmt.money(cov.yearly_premium, "en") in text  # "€2,870.22"-style
    assert fmt.money(Decimal("52242.28"), "en") == "€52,242.28" and "€52,242.28" in text
    assert fmt.money(cov.pensionable_salary, "en") in text
    # A Dutch participant: Dutch texts, Dutch separators.
    other = next(d for d in made if d.language == "nl")
    text_nl = pdf_text(other)
    part = demo.db.get(Participation, other.participation_id)
    assert "Pensioenoverzicht 2026" in text_nl and "01-01-2026" in text_nl
    assert fmt.money(expected_coverage(demo, part).yearly_premium, "nl") in text_nl
    params = scheme_year_params(demo.db, demo.op.id, YEAR)
    assert fmt.money(params.max_salary, "nl") in text_nl and fmt.money(params.franchise, "nl") in text_nl
    assert fmt.money(Decimal("137800"), "nl") == "€ 137.800,00"
    (event,) = audit_of(demo.db, "statements.generated")
    assert json.loads(event.detail)["made"] == len(made)
    assert statement_runs.run_status(demo.db, demo.hr, demo.op.id, YEAR).state == "done"


def test_gijs_in_dutch_shows_the_amounts_of_the_participant_detail(demo: Demo) -> None:
    statement_runs.run_statements(demo.op.id, YEAR, demo.hr.user_id, today=TODAY)
    (mine,) = docs(demo, participation_id=demo.part.id)
    text = pdf_text(mine)
    assert "Beste Gijs ter Assob," in text and "Assob, G., ter" in text
    assert "€ 52.242,28" in text or "€ 50.476,12" in text  # the salary valid on 1 January 2026
    assert fmt.money(expected_coverage(demo, demo.part).yearly_premium, "nl") in text
    assert "100,000%" in text


def test_a_part_timers_statement_shows_the_pension_base_of_mut7(demo: Demo) -> None:
    """(min(full-time salary, maximum) - franchise) x part-time, written out here, on a part-timer's PDF."""
    statement_runs.run_statements(demo.op.id, YEAR, demo.hr.user_id, today=TODAY)
    params = scheme_year_params(demo.db, demo.op.id, YEAR)
    checked = 0
    for doc in docs(demo, scheme_id=demo.op.id)[:80]:
        part = demo.db.get(Participation, doc.participation_id)
        version = version_on_jan1(demo, part)
        if not 0 < version.parttime_pct < 100 or version.salary <= params.franchise:
            continue
        base = max(Decimal(0), min(version.salary, params.max_salary) - params.franchise) * version.parttime_pct / 100
        assert fmt.money(cents(base), doc.language) in pdf_text(doc), (doc.participation_id, base)
        checked += 1
    assert checked >= 5


def test_running_twice_replaces_and_never_duplicates(demo: Demo) -> None:
    first = statement_runs.run_statements(demo.op.id, YEAR, demo.hr.user_id, today=TODAY)
    before = {d.participation_id: d.stored_name for d in docs(demo)}
    second = statement_runs.run_statements(demo.op.id, YEAR, demo.hr.user_id, today=TODAY)
    after = {d.participation_id: d for d in docs(demo)}
    assert first.made == second.made == len(after) == len(before)
    assert len(docs(demo)) == len(after)  # one per participation
    assert not set(before.values()) & {d.stored_name for d in after.values()}  # every file made anew
    stored = {p.name for p in files.folder("documents").iterdir()}  # also other tests' documents
    assert {d.stored_name for d in after.values()} <= stored
    assert not set(before.values()) & stored  # the replaced statements' files are removed
    # Another year and another scheme are separate statements.
    statement_runs.run_statements(demo.op.id, 2025, demo.hr.user_id, today=TODAY)
    assert len(docs(demo, period="2025")) > 0 and len(docs(demo, period="2026")) == len(after)


def test_the_job_runs_in_the_real_huey_consumer(demo: Demo) -> None:
    consumer = InProcessConsumer(get_huey(), workers=1, worker_type="thread", periodic=False)
    consumer.start()
    try:
        total = statement_runs.request_statements(demo.db, demo.hr, demo.np.id, YEAR, today=TODAY)
        demo.db.commit()
        deadline = time.monotonic() + 120
        status = statement_runs.run_status(demo.db, demo.hr, demo.np.id, YEAR)
        while time.monotonic() < deadline and status.state not in ("done", "failed"):
            time.sleep(0.2)
            status = statement_runs.run_status(demo.db, demo.hr, demo.np.id, YEAR)
    finally:
        consumer.stop(graceful=True)
    assert (status.state, status.made + status.skipped) == ("done", total)
    assert len(docs(demo, scheme_id=demo.np.id)) == status.made > 0


# --------------------------------------------------------------------------------------- one participant
def test_one_participant_at_a_time(demo: Demo) -> None:
    doc = statements.request_statement(demo.db, demo.hr, demo.part.id, "2025", today=TODAY)
    demo.db.commit()
    assert doc.period == "2025" and doc.participation_id == demo.part.id
    again = statements.request_statement(demo.db, demo.hr, demo.part.id, 2025, today=TODAY)
    demo.db.commit()
    assert [d.id for d in docs(demo, participation_id=demo.part.id)] == [again.id]
    assert len(audit_of(demo.db, "statement.generated")) == 2


def test_a_participant_without_terms_or_not_active_gets_a_clear_message_and_no_file(demo: Demo) -> None:
    late = demo.db.exec(
        select(Participation).where(Participation.scheme_id == demo.op.id, Participation.start_date > JAN1)
    ).first()
    assert late is not None
    # No terms: remove the employment's versions of someone active (a participation without salary data).
    part = demo.db.exec(
        select(Participation).where(
            Participation.scheme_id == demo.op.id,
            Participation.status == "active",
            Participation.start_date <= date(2024, 1, 1),
            Participation.id != demo.part.id,
        )
    ).first()
    for v in demo.db.exec(select(EmploymentVersion).where(EmploymentVersion.employment_id == part.employment_id)):
        demo.db.delete(v)
    demo.db.commit()
    existing = set(files.folder("documents").iterdir())  # the demo's own documents
    for who, year, key in (
        (late.id, YEAR, "statement.refused.not_active"),
        (part.id, YEAR, "statement.refused.no_terms"),
        (demo.part.id, 2023, "statement.refused.no_parameters"),
        (demo.part.id, "1850", "statement.year_invalid"),
    ):
        with pytest.raises(FieldError) as err:
            statements.request_statement(demo.db, demo.hr, who, year, today=TODAY)
        demo.db.commit()
        assert err.value.key == key
    assert docs(demo) == [] and set(files.folder("documents").iterdir()) == existing
    assert [json.loads(e.detail)["reason"] for e in audit_of(demo.db, "statement.refused")] == [
        "statement.refused.not_active",
        "statement.refused.no_terms",
        "statement.refused.no_parameters",
        "statement.year_invalid",
    ]
    # The scheme-wide job skips the one without terms and says why.
    result = statement_runs.run_statements(demo.op.id, YEAR, demo.hr.user_id, today=TODAY)
    assert result.reasons == {"no_terms": 1} and docs(demo, participation_id=part.id) == []


def test_one_participant_of_another_employer_is_out_of_scope(demo: Demo) -> None:
    _, _, foreign = foreign_tenant(demo.db)
    for who, ref, reason in (
        (foreign, demo.part.id, "out_of_scope"),
        (demo.finance, demo.part.id, "missing_role"),
        (demo.hr, "abc", "bad_id"),
        (demo.hr, 10**9, "out_of_scope"),
    ):
        with pytest.raises(NoAccess) as err:
            statements.request_statement(demo.db, who, ref, YEAR, today=TODAY)
        assert err.value.reason == reason


# ------------------------------------------------------------------------------------ history, download
def _denied(demo: Demo, principal: Principal | None, token: str, reason: str) -> None:
    assert_link_denied(demo.db, principal, token, reason)


def token(principal: Principal, doc_id: int) -> str:
    return files.link(principal, "statement", doc_id).removeprefix("/files/")


def test_history_per_participant_and_download_by_employer_and_the_employee(demo: Demo) -> None:
    statements.request_statement(demo.db, demo.hr, demo.part.id, 2025, today=TODAY)
    statements.request_statement(demo.db, demo.hr, demo.part.id, 2026, today=TODAY)
    demo.db.commit()
    history = statements.statements_of(demo.db, demo.hr, demo.part.id)
    assert [h.year for h in history] == ["2026", "2025"]
    served = files.serve(demo.db, demo.hr, history[0].link.removeprefix("/files/"))
    assert served.inline and served.media_type == "application/pdf"
    assert served.download_name == "pensioenoverzicht-2026-OP-100001.pdf"
    # The demo employee is Gijs ter Assob: he may open his own statement, and sees the latest.
    assert demo.employee.person_id == demo.part.person_id
    latest = own.my_documents(demo.db, demo.employee).latest
    assert [e.year for e in latest] == ["2026"]
    link = own.open_statement(demo.db, demo.employee, latest[0].id).view_link
    assert files.serve(demo.db, demo.employee, link.removeprefix("/files/")).path.is_file()
    adviser = principal_of(demo.db, "adviser")
    with pytest.raises(NoAccess):  # a link made across the portfolio serves nothing: only while acting (INT-2)
        files.serve(demo.db, adviser, token(adviser, history[0].id))
    acting = acting_for(adviser, demo.employer_id)
    assert files.serve(demo.db, adviser, token(acting, history[0].id)).path.is_file()  # the link names the employer
    demo.db.commit()
    assert len(audit_of(demo.db, "file.downloaded")) == 3 and len(audit_of(demo.db, "access.denied")) == 1
    with pytest.raises(NoAccess):
        statements.statements_of(demo.db, demo.finance, demo.part.id)


def test_others_are_refused_and_audited(demo: Demo) -> None:
    doc = statements.request_statement(demo.db, demo.hr, demo.part.id, YEAR, today=TODAY)
    demo.db.commit()
    _, _, foreign = foreign_tenant(demo.db)
    _denied(demo, foreign, token(foreign, doc.id), "out_of_scope")
    _denied(demo, demo.finance, token(demo.finance, doc.id), "missing_role")
    other_employee = replace(demo.employee, person_id=(demo.employee.person_id or 0) + 1)
    _denied(demo, other_employee, token(other_employee, doc.id), "out_of_scope")
    _denied(demo, demo.employee, token(demo.hr, doc.id), "link_of_other_user")
    good = token(demo.hr, doc.id)
    _denied(demo, demo.hr, good[:-3] + ("AAA" if not good.endswith("AAA") else "BBB"), "link_invalid")
    with time_machine.travel(datetime.now(UTC) - timedelta(minutes=files.LINK_MINUTES + 1), tick=False):
        old = token(demo.hr, doc.id)
    _denied(demo, demo.hr, old, "link_expired")
    _denied(demo, demo.hr, token(demo.hr, 10**9), "not_found")
    assert audit_of(demo.db, "file.downloaded") == []


def test_statement_counts_match_the_database(demo: Demo) -> None:
    statement_runs.run_statements(demo.np.id, YEAR, demo.hr.user_id, today=TODAY)
    assert len(docs(demo, scheme_id=demo.np.id, period="2026")) == active_on_jan1(demo, demo.np)


def test_new_statements_mail_the_employee_through_the_queue(demo: Demo, smtp_server: SmtpCapture) -> None:
    """DOC-4: the job queues the notification job; the employee with an account gets one mail with a deep
    link and without personal data."""
    from sqlmodel import select

    from portal.models import UserAccount

    employee = demo.db.exec(select(UserAccount).where(UserAccount.username == "employee")).one()
    consumer = InProcessConsumer(get_huey(), workers=1, worker_type="thread", periodic=False)
    consumer.start()
    try:
        statement_runs.run_statements(demo.op.id, YEAR, demo.hr.user_id, today=TODAY)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not smtp_server.messages_to(employee.email):
            time.sleep(0.2)
    finally:
        consumer.stop(graceful=True)
    mails = smtp_server.messages_to(employee.email)
    assert len(mails) == 1
    body = body_of(mails[0])
    assert "/employee/documents?doc=" in body
    assert "52.242" not in body and "Assob" not in body  # no amounts, no participant names


def test_the_employee_sees_own_statements_at_every_employer_and_no_one_elses(demo: Demo) -> None:
    """Each employer holds its own record of the demo employee (same BSN): he reaches the statements of both,
    is told about both, and still not another participant's."""
    from portal.demo.seed import SMALL_NAME
    from portal.models import Employer, UserAccount
    from portal.services.documents import library as documents
    from portal.services.documents import notifications

    db = demo.db
    mine = db.get(Person, demo.part.person_id)
    small = db.exec(select(Employer).where(Employer.name == SMALL_NAME)).one()
    old_record = db.exec(select(Person).where(Person.employer_id == small.id, Person.bsn == mine.bsn)).one()
    old_part = db.exec(
        select(Participation).where(Participation.person_id == old_record.id).order_by(col(Participation.id))
    ).first()
    current = statements.request_statement(db, demo.hr, demo.part.id, YEAR, today=TODAY)
    earlier = documents.add_document(
        db, small.id, old_part.scheme_id, "statement", "benefit_statement", "Pensioenoverzicht 2020", "2020",
        b"%PDF-1.4\n%%EOF\n", participation_id=old_part.id, person_id=old_record.id, notify=False,
    )  # fmt: skip
    someone = db.exec(
        select(Participation)
        .where(Participation.scheme_id == demo.op.id, Participation.status == "active")
        .where(Participation.start_date <= JAN1, Participation.person_id != mine.id)
        .order_by(col(Participation.id))
    ).first()
    theirs = statements.request_statement(db, demo.hr, someone.id, YEAR, today=TODAY)
    db.commit()
    latest = own.my_documents(db, demo.employee).latest
    assert sorted(e.id for e in latest) == sorted([current.id, earlier.id])
    for entry in latest:
        link = own.open_statement(db, demo.employee, entry.id).view_link
        assert files.serve(db, demo.employee, link.removeprefix("/files/")).path.is_file()
    _denied(demo, demo.employee, token(demo.employee, theirs.id), "out_of_scope")
    account = db.exec(select(UserAccount).where(UserAccount.username == "employee")).one()
    told = notifications.recipients(db, [current.id, earlier.id, theirs.id])
    assert [i.document_id for i in told[account.id][1]] == [current.id, earlier.id]


def test_a_bsn_another_employer_mistyped_does_not_make_its_record_the_employees(demo: Demo) -> None:
    """Another employer holds a record with the demo employee's BSN but someone else's birth date (a typing
    error in the BSN): that record, and so its statements, are not the employee's."""
    from portal.demo.seed import LARGE_NAME
    from portal.models import Employer
    from portal.services.principal import own_person_ids, require_own_person

    db = demo.db
    mine = db.get(Person, demo.part.person_id)
    large = db.exec(select(Employer).where(Employer.name == LARGE_NAME)).one()
    other = Person(employer_id=large.id, bsn=mine.bsn, last_name="Anders", birth_date=mine.birth_date.replace(day=1)
                   if mine.birth_date.day != 1 else mine.birth_date.replace(day=2))  # fmt: skip
    db.add(other)
    db.flush()
    owned = own_person_ids(db, demo.employee)
    assert mine.id in owned and other.id not in owned
    with pytest.raises(NoAccess):
        require_own_person(db, demo.employee, other.id)
    # nor is the employee told about a statement on that record
    from portal.models import Document
    from portal.services.documents import notifications

    theirs = Document(employer_id=large.id, person_id=other.id, category="statement", kind="benefit_statement")
    db.add(theirs)
    db.flush()
    assert notifications.recipients(db, [theirs.id]) == {}
