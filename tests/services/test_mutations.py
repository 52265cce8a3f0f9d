"""Individual mutations on the demo data (EMP-4, EMP-6, MUT-1..6): each use case, each bad input of issue 3
(a clear FieldError and nothing written), scope and roles, optimistic locking, effective dating and review.
The demo data describes the world as of 2026-11-01, so ``today`` is passed explicitly."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func
from sqlmodel import Session, col, select

from portal.core.db import get_engine
from portal.demo.seed import DEMO_EMPLOYER_NAME, SMALL_NAME
from portal.domain.roles import FrontEnd
from portal.models import (
    AuditEvent,
    Employer,
    Employment,
    EmploymentVersion,
    Mutation,
    ParticipantListRow,
    Participation,
    Person,
    Relation,
    RoleGrant,
    Scheme,
    UserAccount,
)
from portal.services import mutations as mut
from portal.services.errors import FieldError
from portal.services.principal import NoAccess, Principal, acting_for

TODAY = date(2026, 11, 1)


@dataclass
class Demo:
    employer_id: int
    small_id: int
    hr: Principal
    finance: Principal
    adviser: Principal
    other_hr: Principal  # an HR user of another employer
    employee: Principal
    part: Participation  # the demo employee's OP participation (100001), active since 2021-03-01


def _principal(db: Session, username: str, front_end: FrontEnd, employer_ids: frozenset[int], **kw: Any) -> Principal:
    user = db.exec(select(UserAccount).where(UserAccount.username == username)).one()
    roles = frozenset(db.exec(select(RoleGrant.role).where(RoleGrant.user_id == user.id)).all())
    return Principal(
        user_id=user.id or 0,
        username=username,
        display_name=user.display_name,
        front_end=front_end,
        roles=roles,
        employer_ids=employer_ids,
        **kw,
    )


@pytest.fixture
def demo(db: Session, demo_data: None) -> Demo:
    employers = {e.name: e.id for e in db.exec(select(Employer)).all()}
    eid, small = employers[DEMO_EMPLOYER_NAME], employers[SMALL_NAME]
    part = db.exec(
        select(Participation)
        .join(Scheme, col(Scheme.id) == Participation.scheme_id)
        .where(Participation.employer_id == eid, Participation.participant_number == "100001", Scheme.kind == "OP")
    ).one()
    hr = _principal(db, "employer.hr", FrontEnd.EMPLOYER, frozenset({eid}))
    adviser = _principal(db, "adviser", FrontEnd.INTERMEDIARY, frozenset(employers.values()), office_id=1)
    return Demo(
        employer_id=eid,
        small_id=small,
        hr=hr,
        finance=_principal(db, "employer.finance", FrontEnd.EMPLOYER, frozenset({eid})),
        adviser=adviser,
        other_hr=Principal(
            user_id=hr.user_id,
            username="other.hr",
            display_name="Other HR",
            front_end=FrontEnd.EMPLOYER,
            roles=frozenset({"hr"}),
            employer_ids=frozenset({small}),
        ),
        employee=_principal(db, "employee", FrontEnd.EMPLOYEE, frozenset(), person_id=part.person_id),
        part=part,
    )


def snapshot(db: Session) -> dict[str, object]:
    """Everything a mutation could write (autoflush makes pending objects count too)."""
    counts = {
        m.__name__: db.exec(select(func.count()).select_from(m)).one()
        for m in (Mutation, EmploymentVersion, Relation, Person, Employment, Participation, AuditEvent)
    }
    counts["superseded"] = db.exec(
        select(func.count()).select_from(EmploymentVersion).where(col(EmploymentVersion.superseded_at).is_not(None))
    ).one()
    counts["versions"] = db.exec(select(func.sum(Participation.version))).one()
    counts["data_versions"] = tuple(db.exec(select(Employer.data_version).order_by(col(Employer.id))).all())
    counts["dormant"] = db.exec(
        select(func.count()).select_from(Participation).where(Participation.status == "dormant")
    ).one()
    counts["ended"] = db.exec(
        select(func.count()).select_from(Employment).where(col(Employment.end_date).is_not(None))
    ).one()
    return counts


def terms(db: Session, employment_id: int, day: date) -> tuple[Decimal, Decimal]:
    """Salary and part-time as of ``day`` (the storage invariant's query)."""
    rows = db.exec(
        select(EmploymentVersion).where(
            EmploymentVersion.employment_id == employment_id,
            col(EmploymentVersion.superseded_at).is_(None),
            EmploymentVersion.valid_from <= day,
            (col(EmploymentVersion.valid_to).is_(None)) | (col(EmploymentVersion.valid_to) > day),
        )
    ).all()
    assert len(rows) == 1, rows
    return rows[0].salary, rows[0].parttime_pct


def siblings(db: Session, part: Participation) -> list[Participation]:
    return list(db.exec(select(Participation).where(Participation.employment_id == part.employment_id)).all())


def refused(db: Session, exc: type[Exception], fn: Any, *args: Any, **kwargs: Any) -> Exception:
    """Call ``fn``; it must raise ``exc`` and leave the database exactly as it was."""
    before = snapshot(db)
    with pytest.raises(exc) as err:
        fn(db, *args, **kwargs)
    assert snapshot(db) == before
    db.rollback()
    return err.value


def salary(demo: Demo, **kw: Any) -> dict[str, Any]:
    args = {"effective": "2026-12-01", "salary": "55.000,00", "parttime": None, "expected_version": demo.part.version}
    return {**args, "today": TODAY, **kw}


def person_form(**kw: Any) -> dict[str, Any]:
    form = {
        "bsn": "111222333",
        "initials": "É.",
        "first_name": "Éloïse",
        "name_prefix": "van der",
        "last_name": "<script>alert('x')</script> Ångström-d'Hondt",
        "birth_date": "14-02-1990",
        "gender": "F",
        "nationality": "NL",
        "street": "Kerkstraat",
        "house_number": "1a",
        "postcode": "1234ab",
        "city": "Utrecht",
        "country": "NL",
        "business_email": "Eloise@Noordkade-Logistiek.example",
        "private_email": "",
        "language": "nl",
        "start_date": "2026-11-01",
        "salary": "48.000",
        "parttime": "80",
    }
    return {**form, **kw}


def op_scheme(db: Session, employer_id: int) -> Scheme:
    return db.exec(select(Scheme).where(Scheme.employer_id == employer_id, Scheme.kind == "OP")).one()


def active_without_partner(db: Session, employer_id: int) -> Participation:
    partnered = select(Relation.person_id).where(Relation.kind == "partner")
    return db.exec(
        select(Participation)
        .where(Participation.employer_id == employer_id, Participation.status == "active")
        .where(col(Participation.person_id).not_in(partnered), col(Participation.end_date).is_(None))
        .order_by(col(Participation.id))
    ).first()


# ------------------------------------------------------------------------------------- salary / part-time
def test_salary_change_creates_versions_for_the_employment_and_is_audited(db: Session, demo: Demo) -> None:
    part = demo.part
    before_versions = {p.id: p.version for p in siblings(db, part)}
    assert len(before_versions) == 2  # OP and NP share the employment
    data_version = db.get(Employer, demo.employer_id).data_version
    m = mut.submit_salary_parttime(db, demo.hr, part.id, **salary(demo, effective="2027-02-01"))  # +3 months
    db.commit()
    assert m.status == "processed" and m.kind == "salary_parttime"
    assert m.old_values == '{"salary": "52242.28"}' and m.new_values == '{"salary": "55000.00"}'
    assert m.requested_by_name == "Hanna de Vries" and m.on_behalf_of == ""
    assert terms(db, part.employment_id, date(2027, 1, 31)) == (Decimal("52242.28"), Decimal("100.000"))
    assert terms(db, part.employment_id, date(2027, 2, 1)) == (Decimal("55000.00"), Decimal("100.000"))
    assert terms(db, part.employment_id, date(2021, 3, 1)) == (Decimal("47850.00"), Decimal("100.000"))
    superseded = db.exec(select(EmploymentVersion).where(col(EmploymentVersion.superseded_at).is_not(None))).all()
    assert [(v.valid_from, v.salary) for v in superseded] == [(date(2026, 1, 1), Decimal("52242.28"))]
    for p in siblings(db, part):
        db.refresh(p)
        assert p.version == before_versions[p.id] + 1
    assert db.get(Employer, demo.employer_id).data_version == data_version + 1
    event = db.exec(select(AuditEvent).where(AuditEvent.action == "mutation.submitted")).one()
    assert event.object_id == str(m.id) and event.employer_id == demo.employer_id
    assert event.actor_user_id == demo.hr.user_id


def test_parttime_only_change(db: Session, demo: Demo) -> None:
    m = mut.submit_salary_parttime(db, demo.hr, demo.part.id, **salary(demo, salary="", parttime="87,125"))
    assert m.status == "processed" and m.new_values == '{"parttime": "87.125"}'
    assert terms(db, demo.part.employment_id, date(2026, 12, 1)) == (Decimal("52242.28"), Decimal("87.125"))


def test_retroactive_change_is_slotted_and_later_changes_reapplied(db: Session, demo: Demo) -> None:
    for scheme in db.exec(select(Scheme).where(Scheme.employer_id == demo.employer_id)).all():
        scheme.retro_review_months = 24
    db.commit()
    # The employee's history: 2021-03-01 47,850; 2024-01-01 50,476.12; 2026-01-01 52,242.28 (all 100 %).
    m = mut.submit_salary_parttime(
        db, demo.hr, demo.part.id, **salary(demo, effective="01-06-2025", salary="50.000", parttime="80")
    )
    db.commit()
    assert m.status == "processed" and m.effective_date == date(2025, 6, 1)
    emp = demo.part.employment_id
    assert terms(db, emp, date(2025, 5, 31)) == (Decimal("50476.12"), Decimal("100.000"))
    assert terms(db, emp, date(2025, 6, 1)) == (Decimal("50000.00"), Decimal("80.000"))
    # 2026-01-01 changed the salary itself: that stands; the part-time of the retroactive change carries on.
    assert terms(db, emp, date(2026, 1, 1)) == (Decimal("52242.28"), Decimal("80.000"))
    assert terms(db, emp, date(2026, 11, 1)) == (Decimal("52242.28"), Decimal("80.000"))
    row = list_row(db, demo.part.id)  # the overview shows the terms as of today at once
    assert (row.salary, row.parttime) == (Decimal("52242.28"), Decimal("80.000"))


def test_change_far_back_needs_review_and_is_applied_on_approval(db: Session, demo: Demo) -> None:
    preview = mut.preview_salary_parttime(db, demo.hr, demo.part.id, "2026-04-30", "53000", None, today=TODAY)
    assert preview.needs_review and preview.review_reasons == ["retroactive"]  # scheme: 6 months
    assert (
        mut.preview_salary_parttime(db, demo.hr, demo.part.id, "2026-05-01", "53000", today=TODAY).needs_review is False
    )
    m = mut.submit_salary_parttime(db, demo.hr, demo.part.id, **salary(demo, effective="2026-04-30", salary="53000"))
    db.commit()
    emp = demo.part.employment_id
    assert m.status == "needs_review"
    assert terms(db, emp, date(2026, 6, 1))[0] == Decimal("52242.28")  # not applied yet
    with pytest.raises(NoAccess):
        mut.review(db, demo.hr, m.id, True, "", today=TODAY)  # employers do not review their own changes
    with pytest.raises(FieldError) as err:
        mut.review(db, demo.adviser, m.id, "yes", today=TODAY)
    assert err.value.key == "decision_invalid"
    reviewed = mut.review(db, demo.adviser, m.id, True, "Checked with payroll", today=TODAY)
    db.commit()
    assert reviewed.status == "processed" and reviewed.reviewed_by_name == "Anouk van Leeuwen"
    assert reviewed.review_reason == "Checked with payroll" and reviewed.reviewed_at is not None
    assert terms(db, emp, date(2026, 4, 29))[0] == Decimal("52242.28")
    assert terms(db, emp, date(2026, 4, 30))[0] == Decimal("53000.00")
    with pytest.raises(FieldError) as err:
        mut.review(db, demo.adviser, m.id, False, "again", today=TODAY)
    assert err.value.key == "not_reviewable"
    assert db.exec(select(AuditEvent).where(AuditEvent.action == "mutation.reviewed")).one().on_behalf_of == (
        f"employer:{demo.employer_id}"
    )


def test_rejected_change_changes_nothing_and_needs_a_reason(db: Session, demo: Demo) -> None:
    m = mut.submit_salary_parttime(db, demo.hr, demo.part.id, **salary(demo, effective="2025-01-01", salary="51000"))
    db.commit()
    err = refused(db, FieldError, mut.review, demo.adviser, m.id, False, "  ", today=TODAY)
    assert err.key == "reason_required"
    versions_before = db.exec(select(func.count()).select_from(EmploymentVersion)).one()
    rejected = mut.review(db, demo.adviser, m.id, False, "Salary not in the payroll file", today=TODAY)
    db.commit()
    assert rejected.status == "rejected" and rejected.review_reason == "Salary not in the payroll file"
    assert db.exec(select(func.count()).select_from(EmploymentVersion)).one() == versions_before
    assert terms(db, demo.part.employment_id, date(2025, 6, 1))[0] == Decimal("50476.12")


def test_plausibility_warnings_must_be_acknowledged_and_flag_review(db: Session, demo: Demo) -> None:
    preview = mut.preview_salary_parttime(db, demo.hr, demo.part.id, "2026-12-01", "90000", "0", today=TODAY)
    assert preview.warning_keys == ["salary_increase_large", "parttime_zero"]
    assert preview.old_values == {"salary": "52242.28", "parttime": "100.000"}
    assert preview.new_values == {"salary": "90000.00", "parttime": "0.000"}
    args = salary(demo, salary="90000", parttime="0")
    err = refused(db, FieldError, mut.submit_salary_parttime, demo.hr, demo.part.id, **args)
    assert (err.field, err.key) == ("acknowledge", "warnings_unacknowledged")
    assert err.params["keys"] == ["salary_increase_large", "parttime_zero"]
    err = refused(
        db, FieldError, mut.submit_salary_parttime, demo.hr, demo.part.id, **args, acknowledged=["parttime_zero"]
    )
    assert err.params["keys"] == ["salary_increase_large"]
    m = mut.submit_salary_parttime(
        db, demo.hr, demo.part.id, **args, acknowledged=["salary_increase_large", "parttime_zero"]
    )
    assert m.status == "needs_review" and "salary_increase_large" in m.warnings


BAD_SALARY_INPUT = [
    ({"effective": "2027-02-02"}, "effective", "date_too_far_ahead"),  # one day beyond three months
    ({"effective": "2027-13-01"}, "effective", "date_invalid"),
    ({"effective": ""}, "effective", "date_required"),
    ({"effective": "2021-02-28"}, "effective", "date_before_start"),  # before the date of hire
    ({"salary": None, "parttime": "100,5"}, "parttime", "parttime_range"),
    ({"salary": None, "parttime": "87,1255"}, "parttime", "parttime_decimals"),
    ({"salary": "-52.242,28"}, "salary", "salary_not_positive"),
    ({"salary": "0"}, "salary", "salary_not_positive"),
    ({"salary": "", "parttime": ""}, "salary", "change_required"),
    ({"salary": "52.242,28"}, "salary", "no_change"),
    ({"salary": "veel"}, "salary", "salary_invalid"),
    ({"expected_version": 99}, "version", "changed_elsewhere"),
    ({"expected_version": "x"}, "version", "changed_elsewhere"),
    ({"expected_version": None}, "version", "changed_elsewhere"),
    ({"expected_version": True}, "version", "changed_elsewhere"),
]


def test_bad_salary_input_is_refused_at_the_field(db: Session, demo: Demo) -> None:
    for changes, field, key in BAD_SALARY_INPUT:
        err = refused(db, FieldError, mut.submit_salary_parttime, demo.hr, demo.part.id, **salary(demo, **changes))
        assert (err.field, err.key) == (field, key), changes


def test_no_change_on_a_dormant_participant(db: Session, demo: Demo) -> None:
    dormant = db.exec(
        select(Participation).where(Participation.employer_id == demo.employer_id, Participation.status == "dormant")
    ).first()
    for fn, args in (
        (mut.submit_salary_parttime, ("2026-12-01", "40000", None, dormant.version)),
        (mut.submit_exit, ("2026-12-01", dormant.version)),
    ):
        err = refused(db, FieldError, fn, demo.hr, dormant.id, *args, today=TODAY)
        assert (err.field, err.key) == ("form", "participant_dormant")
    err = refused(
        db, FieldError, mut.submit_relation, demo.hr, dormant.id, kind="child", bsn="123456782", last_name="X",
        birth_date="2020-01-01", expected_version=dormant.version, today=TODAY,
    )  # fmt: skip
    assert err.key == "participant_dormant"


def test_collective_lock_refuses_individual_changes(db: Session, demo: Demo) -> None:
    scheme = op_scheme(db, demo.employer_id)
    scheme.collective_lock_batch = 7
    db.commit()
    assert mut.scheme_locked(db, demo.hr, scheme.id) is True
    err = refused(db, FieldError, mut.submit_salary_parttime, demo.hr, demo.part.id, **salary(demo))
    assert err.key == "scheme_collective_lock"
    # via the NP participation of the same employment too: the change would reach the locked OP scheme
    np_part = next(p for p in siblings(db, demo.part) if p.id != demo.part.id)
    err = refused(
        db,
        FieldError,
        mut.submit_salary_parttime,
        demo.hr,
        np_part.id,
        **salary(demo, expected_version=np_part.version),
    )
    assert err.key == "scheme_collective_lock"
    err = refused(
        db, FieldError, mut.submit_new_participant, demo.hr, demo.employer_id, scheme.id, **person_form(), today=TODAY
    )
    assert err.key == "scheme_collective_lock"


# ------------------------------------------------------------------------------------------ optimistic lock
def test_two_changes_with_the_same_version_the_second_is_refused(db: Session, demo: Demo) -> None:
    version = demo.part.version
    mut.submit_salary_parttime(db, demo.hr, demo.part.id, **salary(demo, expected_version=version))
    db.commit()
    err = refused(db, FieldError, mut.submit_exit, demo.hr, demo.part.id, "2026-12-31", version, today=TODAY)
    assert (err.field, err.key) == ("version", "changed_elsewhere")


def test_a_concurrent_session_loses_the_race(db: Session, demo: Demo) -> None:
    """Session B read the participation before A committed; B's stale version is refused by the UPDATE."""
    with Session(get_engine(), expire_on_commit=False) as other:
        stale = other.get(Participation, demo.part.id)
        version = stale.version
        mut.submit_salary_parttime(db, demo.hr, demo.part.id, **salary(demo, expected_version=version))
        db.commit()
        assert other.get(Participation, demo.part.id).version == version  # B still sees the old one
        with pytest.raises(FieldError) as err:
            mut.submit_salary_parttime(
                other, demo.hr, demo.part.id, **salary(demo, salary="56000", expected_version=version)
            )
        assert err.value.key == "changed_elsewhere"
        other.rollback()
    assert db.exec(select(func.count()).select_from(Mutation)).one() == 1


# --------------------------------------------------------------------------------------------- scope
def test_another_employer_and_finance_and_employees_are_refused(db: Session, demo: Demo) -> None:
    for principal in (demo.other_hr, demo.finance, demo.employee, None):
        refused(db, NoAccess, mut.submit_salary_parttime, principal, demo.part.id, **salary(demo))
        refused(db, NoAccess, mut.submit_exit, principal, demo.part.id, "2026-12-01", demo.part.version, today=TODAY)
        refused(
            db, NoAccess, mut.submit_relation, principal, demo.part.id, kind="child", bsn="123456782",
            last_name="X", birth_date="2020-01-01", expected_version=demo.part.version, today=TODAY,
        )  # fmt: skip
        refused(
            db,
            NoAccess,
            mut.submit_new_participant,
            principal,
            demo.employer_id,
            op_scheme(db, demo.employer_id).id,
            **person_form(),
            today=TODAY,
        )
        refused(db, NoAccess, mut.preview_salary_parttime, principal, demo.part.id, "2026-12-01", "1", today=TODAY)
        refused(db, NoAccess, mut.participation_for, principal, demo.employer_id, "100001")
        refused(db, NoAccess, mut.history, principal, demo.part.id)
        refused(db, NoAccess, mut.latest_changes, principal, demo.employer_id)
    # an id of another employer's scheme, or garbage ids, sent by a tampered browser
    refused(
        db,
        NoAccess,
        mut.submit_new_participant,
        demo.hr,
        demo.employer_id,
        op_scheme(db, demo.small_id).id,
        **person_form(),
        today=TODAY,
    )
    for bad in ("1 OR 1=1", None, True, {"id": 1}, -1, 10**12):
        refused(db, NoAccess, mut.submit_salary_parttime, demo.hr, bad, **salary(demo))
    refused(db, NoAccess, mut.participation_for, demo.hr, demo.small_id, "100007")


def test_participation_for_resolves_the_number_within_scope(db: Session, demo: Demo) -> None:
    assert mut.participation_for(db, demo.hr, demo.employer_id, "100001").id == demo.part.id
    np_scheme = db.exec(select(Scheme).where(Scheme.employer_id == demo.employer_id, Scheme.kind == "NP")).one()
    np_part = mut.participation_for(db, demo.hr, str(demo.employer_id), " 100001 ", np_scheme.id)
    assert np_part.scheme_id == np_scheme.id and np_part.employment_id == demo.part.employment_id
    with pytest.raises(NoAccess):
        mut.participation_for(db, demo.hr, demo.employer_id, "999999")


def test_an_adviser_acts_on_behalf_of_the_employer(db: Session, demo: Demo) -> None:
    with pytest.raises(NoAccess):  # only while acting for the employer, never across the portfolio (INT-2)
        mut.submit_salary_parttime(db, demo.adviser, demo.part.id, **salary(demo))
    m = mut.submit_salary_parttime(db, acting_for(demo.adviser, demo.employer_id), demo.part.id, **salary(demo))
    db.commit()
    assert m.on_behalf_of == "office:1" and m.requested_by_name == "Anouk van Leeuwen"
    event = db.exec(select(AuditEvent).where(AuditEvent.action == "mutation.submitted")).one()
    assert event.on_behalf_of == f"employer:{demo.employer_id}" and event.actor_name == "adviser"


# ---------------------------------------------------------------------------------------------------- exit
def list_row(db: Session, participation_id: int) -> ParticipantListRow:
    row = db.get(ParticipantListRow, participation_id)
    db.refresh(row)
    return row


def test_exit_in_the_future_leaves_the_participant_active_until_the_last_day(db: Session, demo: Demo) -> None:
    data_version = db.get(Employer, demo.employer_id).data_version
    m = mut.submit_exit(db, demo.hr, demo.part.id, "31-01-2027", demo.part.version, today=TODAY)
    db.commit()
    assert m.status == "processed" and m.kind == "exit" and m.effective_date == date(2027, 1, 31)
    assert db.get(Employment, demo.part.employment_id).end_date == date(2027, 1, 31)
    for p in siblings(db, demo.part):
        db.refresh(p)
        assert (p.status, p.end_date) == ("dormant", date(2027, 1, 31))
        row = list_row(db, p.id)  # the overview's row: active until and including the last day
        assert (row.status, row.fresh_until) == ("active", date(2027, 2, 1))
    assert db.get(Employer, demo.employer_id).data_version == data_version + 1
    err = refused(
        db, FieldError, mut.submit_salary_parttime, demo.hr, demo.part.id, **salary(demo, effective="2027-02-01")
    )
    assert (err.field, err.key) == ("effective", "date_after_exit")
    # up to the last day in service the participant can still be changed
    mut.submit_salary_parttime(db, demo.hr, demo.part.id, **salary(demo, effective="2027-01-01"))
    db.commit()
    err = refused(db, FieldError, mut.submit_exit, demo.hr, demo.part.id, "2027-01-15", demo.part.version, today=TODAY)
    assert err.key == "exit_exists"
    # after the last day: dormant, no more changes
    late = date(2027, 2, 1)
    err = refused(db, FieldError, mut.submit_salary_parttime, demo.hr, demo.part.id, **salary(demo, today=late))
    assert err.key == "participant_dormant"


def test_exit_in_the_past_makes_the_participant_dormant_at_once(db: Session, demo: Demo) -> None:
    m = mut.submit_exit(db, demo.hr, demo.part.id, "2026-10-01", demo.part.version, today=TODAY)
    db.commit()
    assert m.status == "processed" and json_of(m.old_values) == {"end_date": "", "status": "active"}
    assert {(p.status, p.end_date) for p in siblings(db, demo.part)} == {("dormant", date(2026, 10, 1))}
    assert list_row(db, demo.part.id).status == "dormant"
    err = refused(db, FieldError, mut.submit_salary_parttime, demo.hr, demo.part.id, **salary(demo))
    assert err.key == "participant_dormant"


def test_exit_far_back_warns_and_needs_review(db: Session, demo: Demo) -> None:
    preview = mut.preview_exit(db, demo.hr, demo.part.id, "2026-04-30", today=TODAY)
    assert preview.warning_keys == ["exit_far_back"] and preview.needs_review
    m = mut.submit_exit(db, demo.hr, demo.part.id, "2026-04-30", demo.part.version, ["exit_far_back"], TODAY)
    db.commit()
    assert m.status == "needs_review"
    assert db.get(Employment, demo.part.employment_id).end_date is None  # applied on approval only
    err = refused(db, FieldError, mut.submit_exit, demo.hr, demo.part.id, "2026-10-01", demo.part.version, today=TODAY)
    assert err.key == "exit_pending"
    mut.review(db, demo.adviser, m.id, True, "", today=TODAY)
    db.commit()
    assert {p.status for p in siblings(db, demo.part)} == {"dormant"}


def test_bad_exit_dates(db: Session, demo: Demo) -> None:
    for exit_date, key in (
        ("2021-03-01", "exit_before_hire"),  # the day of hire itself
        ("2020-01-01", "exit_before_hire"),
        ("2027-02-02", "date_too_far_ahead"),
        ("31-02-2026", "date_invalid"),
    ):
        err = refused(db, FieldError, mut.submit_exit, demo.hr, demo.part.id, exit_date, demo.part.version, today=TODAY)
        assert (err.field, err.key) == ("exit_date", key)


# ---------------------------------------------------------------------------------------- partner / child
def test_add_a_child_and_a_partner_stored_exactly_as_typed(db: Session, demo: Demo) -> None:
    m = mut.submit_relation(
        db, demo.hr, demo.part.id, kind="child", bsn="123456782", initials="Z.", first_name="Zoë",
        name_prefix="ter", last_name="Assob", birth_date="2026-10-15", gender="F",
        expected_version=demo.part.version, today=TODAY,
    )  # fmt: skip
    db.commit()
    child = db.exec(select(Relation).where(Relation.bsn == "123456782")).one()
    assert (child.kind, child.first_name, child.start_date, child.partner_type) == (
        "child",
        "Zoë",
        date(2026, 10, 15),
        "",
    )
    assert m.kind == "child" and m.status == "processed" and m.effective_date == date(2026, 10, 15)

    single = active_without_partner(db, demo.employer_id)
    name = "<b>Ñúñez</b> & d'Ávila"
    mut.submit_relation(
        db, demo.hr, single.id, kind="partner", bsn="111222333", first_name="<script>x</script>",
        name_prefix="de la", last_name=name, birth_date="1980-05-05", gender="m", partner_type="registered",
        start_date="2020-02-02", expected_version=single.version, today=TODAY,
    )  # fmt: skip
    db.commit()
    partner = db.exec(select(Relation).where(Relation.bsn == "111222333")).one()
    assert (partner.last_name, partner.first_name, partner.name_prefix) == (name, "<script>x</script>", "de la")
    assert (partner.partner_type, partner.start_date, partner.gender) == ("registered", date(2020, 2, 2), "M")


def relation(demo: Demo, part: Participation | None = None, **kw: Any) -> dict[str, Any]:
    part = part or demo.part
    args = {
        "kind": "partner",
        "bsn": "111222333",
        "last_name": "Jansen",
        "birth_date": "1985-01-01",
        "partner_type": "married",
        "start_date": "2020-01-01",
        "expected_version": part.version,
        "today": TODAY,
    }
    return {**args, **kw}


def test_bad_relation_input(db: Session, demo: Demo) -> None:
    single = active_without_partner(db, demo.employer_id)
    cases = [
        (demo.part, {}, "partner_type", "partner_exists"),  # the demo employee is married
        (single, {"start_date": ""}, "start_date", "relation_start_required"),
        (single, {"partner_type": "cohabiting", "start_date": None}, "start_date", "relation_start_required"),
        (single, {"partner_type": "friends"}, "partner_type", "partner_type_invalid"),
        (single, {"bsn": "123456789"}, "bsn", "bsn_invalid"),
        (single, {"bsn": ""}, "bsn", "bsn_required"),
        (single, {"last_name": " "}, "last_name", "last_name_required"),
        (single, {"kind": "child", "birth_date": "2026-11-02"}, "birth_date", "birth_date_future"),
        (single, {"kind": "pet"}, "kind", "relation_kind_invalid"),
        (single, {"start_date": "2027-02-02"}, "start_date", "date_too_far_ahead"),
    ]
    for part, changes, field, key in cases:
        err = refused(db, FieldError, mut.submit_relation, demo.hr, part.id, **relation(demo, part, **changes))
        assert (err.field, err.key) == (field, key), (changes, err.field, err.key)
    person = db.get(Person, single.person_id)
    err = refused(db, FieldError, mut.submit_relation, demo.hr, single.id, **relation(demo, single, bsn=person.bsn))
    assert err.key == "relation_bsn_own"


# --------------------------------------------------------------------------------------------- new participant
def test_new_participant_is_enrolled_in_every_scheme_of_the_contract(db: Session, demo: Demo) -> None:
    scheme = op_scheme(db, demo.employer_id)
    highest = max(
        int(n)
        for n in db.exec(
            select(Participation.participant_number).where(Participation.employer_id == demo.employer_id)
        ).all()
    )
    data_version = db.get(Employer, demo.employer_id).data_version
    preview = mut.preview_new_participant(db, demo.hr, demo.employer_id, scheme.id, **person_form(), today=TODAY)
    assert not preview.needs_review and preview.warnings == []
    m = mut.submit_new_participant(db, demo.hr, demo.employer_id, scheme.id, **person_form(), today=TODAY)
    db.commit()
    assert m.status == "processed" and m.kind == "new_participant" and m.scheme_id == scheme.id
    part = db.get(Participation, m.participation_id)
    person = db.get(Person, part.person_id)
    assert person.last_name == "<script>alert('x')</script> Ångström-d'Hondt"
    assert (person.first_name, person.initials, person.name_prefix) == ("Éloïse", "É.", "van der")
    assert (person.postcode, person.business_email, person.birth_date) == (
        "1234 AB",
        "eloise@noordkade-logistiek.example",
        date(1990, 2, 14),
    )
    parts = siblings(db, part)
    assert {p.participant_number for p in parts} == {str(highest + 1)}
    assert len(parts) == 2 and {db.get(Scheme, p.scheme_id).kind for p in parts} == {"OP", "NP"}
    assert all(p.status == "active" and p.start_date == date(2026, 11, 1) for p in parts)
    assert terms(db, part.employment_id, date(2026, 11, 1)) == (Decimal("48000.00"), Decimal("80.000"))
    assert db.get(Employer, demo.employer_id).data_version == data_version + 1
    assert db.exec(select(AuditEvent).where(AuditEvent.action == "mutation.submitted")).one().object_id == str(m.id)
    err = refused(
        db, FieldError, mut.submit_new_participant, demo.hr, demo.employer_id, scheme.id, **person_form(), today=TODAY
    )
    assert (err.field, err.key) == ("bsn", "bsn_already_participant")


def test_someone_coming_back_reuses_the_person(db: Session, demo: Demo) -> None:
    dormant = db.exec(
        select(Participation).where(
            Participation.employer_id == demo.employer_id,
            Participation.status == "dormant",
            col(Participation.end_date) < date(2026, 10, 1),
        )
    ).first()
    person = db.get(Person, dormant.person_id)
    form = person_form(bsn=person.bsn, birth_date=person.birth_date.isoformat(), last_name=person.last_name)
    scheme = op_scheme(db, demo.employer_id)
    persons = db.exec(select(func.count()).select_from(Person)).one()
    m = mut.submit_new_participant(db, demo.hr, demo.employer_id, scheme.id, **form, today=TODAY)
    db.commit()
    assert db.exec(select(func.count()).select_from(Person)).one() == persons
    part = db.get(Participation, m.participation_id)
    assert part.person_id == person.id and part.participant_number != dormant.participant_number
    assert part.employment_id != dormant.employment_id
    err = refused(
        db,
        FieldError,
        mut.submit_new_participant,
        demo.hr,
        demo.employer_id,
        scheme.id,
        **form | {"birth_date": "1950-01-01"},
        today=TODAY,
    )
    assert err.key == "bsn_person_mismatch"


BAD_NEW_PARTICIPANT_INPUT = [
    ({"bsn": "123456789"}, "bsn", "bsn_invalid"),
    ({"bsn": ""}, "bsn", "bsn_required"),
    ({"start_date": "2027-02-02"}, "start_date", "date_too_far_ahead"),
    ({"start_date": "2015-01-01"}, "start_date", "date_before_contract"),
    ({"salary": ""}, "salary", "salary_required"),
    ({"salary": "-1"}, "salary", "salary_not_positive"),
    ({"parttime": "101"}, "parttime", "parttime_range"),
    ({"parttime": "50,1234"}, "parttime", "parttime_decimals"),
    ({"last_name": ""}, "last_name", "last_name_required"),
    ({"birth_date": "2027-01-01"}, "birth_date", "birth_date_future"),
    ({"birth_date": "2015-01-01"}, "birth_date", "participant_too_young"),
    ({"gender": "Q"}, "gender", "gender_invalid"),
    ({"business_email": "eloise@"}, "business_email", "email_invalid"),
    ({"postcode": "12"}, "postcode", "postcode_invalid"),
    ({"last_name": "A\x00B"}, "last_name", "text_invalid"),
]


def test_bad_new_participant_input(db: Session, demo: Demo) -> None:
    scheme = op_scheme(db, demo.employer_id)
    for changes, field, key in BAD_NEW_PARTICIPANT_INPUT:
        form = person_form(**changes)
        err = refused(
            db, FieldError, mut.submit_new_participant, demo.hr, demo.employer_id, scheme.id, **form, today=TODAY
        )
        assert (err.field, err.key) == (field, key), changes


def test_new_participant_far_back_waits_for_review_and_appears_on_approval(db: Session, demo: Demo) -> None:
    scheme = op_scheme(db, demo.employer_id)
    form = person_form(start_date="2026-09-01", takes_over_previous_contract=True)
    preview = mut.preview_new_participant(db, demo.hr, demo.employer_id, scheme.id, **form, today=TODAY)
    assert preview.warning_keys == ["start_far_back", "previous_employer_contract"]
    parts = db.exec(select(func.count()).select_from(Participation)).one()
    m = mut.submit_new_participant(
        db, demo.hr, demo.employer_id, scheme.id, **form, acknowledged=preview.warning_keys, today=TODAY
    )
    db.commit()
    assert m.status == "needs_review" and m.participation_id is None
    assert db.exec(select(func.count()).select_from(Participation)).one() == parts
    page = mut.latest_changes(db, demo.hr, demo.employer_id, status="needs_review")
    assert [(r.mutation_id, r.participant_number, r.name) for r in page.rows] == [
        (m.id, "", "<script>alert('x')</script> Ångström-d'Hondt, É., van der")
    ]
    approved = mut.review(db, demo.adviser, m.id, True, "", today=TODAY)
    db.commit()
    assert approved.participation_id is not None and approved.status == "processed"
    assert db.exec(select(func.count()).select_from(Participation)).one() == parts + 2


# -------------------------------------------------------------------------------------- submitted changes
def json_of(text: str) -> dict[str, Any]:
    import json

    return json.loads(text)


def test_latest_change_per_participant_is_by_effective_date(db: Session, demo: Demo) -> None:
    """The seed's example: a retroactive change requested last is not the latest by effective date."""
    for scheme in db.exec(select(Scheme).where(Scheme.employer_id == demo.employer_id)).all():
        scheme.retro_review_months = 12
    db.commit()
    part = demo.part
    first = mut.submit_relation(
        db,
        demo.hr,
        part.id,
        **relation(demo, kind="child", bsn="123456782", birth_date="2026-08-01", partner_type="", start_date=None),
    )
    db.commit()
    later = mut.submit_salary_parttime(
        db, demo.hr, part.id, **salary(demo, effective="2026-12-01", expected_version=part.version)
    )
    db.commit()
    retro = mut.submit_salary_parttime(
        db, demo.hr, part.id, **salary(demo, effective="2026-06-01", salary="53000", expected_version=part.version)
    )
    db.commit()
    other = active_without_partner(db, demo.employer_id)
    mut.submit_exit(db, demo.hr, other.id, "2026-12-31", other.version, today=TODAY)
    db.commit()

    page = mut.latest_changes(db, demo.hr, demo.employer_id)
    assert page.total == 2
    mine = next(r for r in page.rows if r.participation_id == part.id)
    assert mine.mutation_id == later.id and mine.kind == "salary_parttime" and mine.status == "processed"
    assert mine.participant_number == "100001" and mine.name == "Assob, G., ter"
    # 2026-12-01 is still 55,000: the retroactive 53,000 from 2026-06-01 ends where the later change starts
    assert terms(db, part.employment_id, date(2026, 6, 1))[0] == Decimal("53000.00")
    assert terms(db, part.employment_id, date(2026, 12, 1))[0] == Decimal("55000.00")

    rows = mut.history(db, demo.hr, part.id)
    assert [r.mutation_id for r in rows] == [later.id, first.id, retro.id]  # by effective date, latest first
    retro_row = next(r for r in rows if r.mutation_id == retro.id)
    assert retro_row.changes == [("salary", "52242.28", "53000.00")] and retro_row.requested_by == "Hanna de Vries"
    # the NP participation of the same employment has the same history
    np_part = next(p for p in siblings(db, part) if p.id != part.id)
    assert [r.mutation_id for r in mut.history(db, demo.hr, np_part.id)] == [r.mutation_id for r in rows]

    assert mut.latest_changes(db, demo.hr, demo.employer_id, status="rejected").total == 0
    small = mut.latest_changes(db, demo.hr, demo.employer_id, page="2", page_size=1)
    assert (small.total, small.pages, small.page, len(small.rows)) == (2, 2, 2, 1)
    assert mut.latest_changes(db, demo.hr, demo.employer_id, page="x", page_size=10**6).page_size == 100
    with pytest.raises(FieldError):
        mut.latest_changes(db, demo.hr, demo.employer_id, status="'; DROP TABLE mutation; --")
    assert mut.latest_changes(db, acting_for(demo.adviser, demo.small_id), demo.small_id).total == 0
    submitted = db.exec(select(AuditEvent.object_id).where(AuditEvent.action == "mutation.submitted")).all()
    assert sorted(submitted) == sorted(str(m.id) for m in db.exec(select(Mutation)).all())  # one event per change


def test_review_queue_lists_the_portfolios_changes_needing_review(db: Session, demo: Demo) -> None:
    """MUT-6 / INT-1: the adviser sees what waits for review in the portfolio; nobody else gets the queue."""
    assert mut.review_queue(db, demo.adviser) == []
    m = mut.submit_salary_parttime(db, demo.hr, demo.part.id, **salary(demo, effective="2026-04-30", salary="53000"))
    db.commit()
    queue = mut.review_queue(db, demo.adviser)
    assert [(r.mutation_id, r.participant_number, r.kind) for r in queue] == [(m.id, "100001", "salary_parttime")]
    assert ("salary", "52242.28", "53000.00") in queue[0].changes
    assert queue[0].employer_name == DEMO_EMPLOYER_NAME
    for who in (demo.hr, demo.other_hr, demo.employee):
        with pytest.raises(NoAccess):
            mut.review_queue(db, who)
    outside = Principal(**{**vars(demo.adviser), "employer_ids": frozenset({demo.small_id}), "perms": frozenset()})
    assert mut.review_queue(db, outside) == []  # another portfolio sees nothing of it
    mut.review(db, demo.adviser, m.id, False, "Salaris klopt niet met de loonstrook", today=TODAY)
    db.commit()
    assert mut.review_queue(db, demo.adviser) == []
