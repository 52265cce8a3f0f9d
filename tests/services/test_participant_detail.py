"""The participant detail (EMP-3): content, coverage from the domain maths, history order (MUT-3), scope,
and an audit event for every view (PLT-1)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import update
from sqlmodel import select

from portal.domain.premium import SchemeYearParams, age_at, coverage
from portal.models import AuditEvent, Mutation, Participation, Person, PremiumBand, SchemeYear
from portal.services import participants
from portal.services.errors import FieldError
from portal.services.principal import NoAccess, acting_for
from tests.services.participants_world import ASSOB_BSN, ASSOB_NUMBER, TODAY, World, w, world

__all__ = ["w", "world"]  # fixtures


def _params(w: World, scheme_id: int, year: int) -> SchemeYearParams:
    row = w.db.exec(select(SchemeYear).where(SchemeYear.scheme_id == scheme_id, SchemeYear.year == year)).one()
    bands = w.db.exec(select(PremiumBand).where(PremiumBand.scheme_year_id == row.id)).all()
    return SchemeYearParams(
        row.year,
        row.max_salary,
        row.franchise,
        tuple(sorted((b.age_from, b.age_to, b.percentage) for b in bands)),
        row.flat_percentage,
        row.accrual_percentage,
    )


def _viewed(w: World) -> list[AuditEvent]:
    return list(w.db.exec(select(AuditEvent).where(AuditEvent.action == "participant.viewed")).all())


def test_detail_by_number_shows_personal_and_employment_data(w: World) -> None:
    d = participants.participant_detail(w.db, w.hr_a, ASSOB_NUMBER, scheme_id=str(w.a_op))
    assert (d.participation_id, d.participant_number, d.employer_name, d.as_of) == (
        w.assob_op,
        ASSOB_NUMBER,
        "Groot B.V.",
        TODAY,
    )
    p = d.person
    assert (p.name, p.last_name, p.name_prefix, p.initials, p.bsn) == (
        "Assob, G., ter",
        "Assob",
        "ter",
        "G.",
        ASSOB_BSN,
    )
    assert (p.birth_date, p.age, p.city, p.business_email) == (date(1981, 4, 17), 45, "Utrecht", "gijs@example.com")
    e = d.employment
    assert (e.start_date, e.end_date, e.salary, e.parttime, e.terms_valid_from) == (
        date(2019, 8, 1),
        None,
        Decimal("52242.28"),
        Decimal("100.000"),
        date(2026, 1, 1),
    )


def test_detail_lists_both_schemes_with_coverage_from_the_domain_maths(w: World) -> None:
    d = participants.participant_detail(w.db, w.hr_a, ASSOB_NUMBER)
    assert [(x.scheme_kind, x.participation_id) for x in d.participations] == [("OP", w.assob_op), ("NP", w.assob_np)]
    for item in d.participations:
        expected = coverage(Decimal("52242.28"), Decimal("100.000"), _params(w, item.scheme_id, 2026), 45, "staffel")
        assert item.coverage == expected and item.coverage_note == ""
        assert item.status == "active" and item.premium_mode == "staffel" and item.version == 1
    op, np_ = (x.coverage for x in d.participations)
    assert op is not None and np_ is not None
    # 2026: franchise 18,945 -> pensionable 33,297.28; OP 45-49 band 11.7 %; NP accrual 1.225 %
    assert op.pensionable_salary == Decimal("33297.28") and op.yearly_premium == Decimal("3895.78")
    assert (np_.amount_kind, np_.amount) == ("accrual", Decimal("407.89"))
    assert all(isinstance(v, Decimal) for v in (op.yearly_premium, op.monthly_premium, np_.amount))


def test_detail_as_of_an_earlier_day_uses_that_years_parameters(w: World) -> None:
    d = participants.participant_detail(w.db, w.hr_a, w.assob_op, as_of=date(2025, 3, 1))
    assert (d.employment.salary, d.employment.parttime, d.person.age) == (Decimal("50000.00"), Decimal("80.000"), 43)
    op = d.participations[0]
    assert op.coverage == coverage(Decimal("50000.00"), Decimal("80.000"), _params(w, w.a_op, 2025), 43, "staffel")
    assert op.coverage is not None and op.coverage.year == 2025


def test_detail_of_a_part_timer_applies_the_franchise_before_the_part_time_factor(w: World) -> None:
    # 2025: full-time 50,000.00 at 80 %, franchise 18,475 -> (50,000 - 18,475) x 80 % = 25,220.00 (MUT-7);
    # age 43: OP band 40-44 9.6 % -> 2,421.12 a year, 201.76 a month; NP accrual 1.225 % -> 308.945
    d = participants.participant_detail(w.db, w.hr_a, w.assob_op, as_of=date(2025, 3, 1))
    assert (_params(w, w.a_op, 2025).franchise, d.employment.parttime) == (Decimal("18475.00"), Decimal("80.000"))
    op, np_ = (x.coverage for x in d.participations)
    assert op is not None and np_ is not None
    assert (op.pensionable_salary, op.yearly_premium, op.monthly_premium) == (
        Decimal("25220.00"),
        Decimal("2421.12"),
        Decimal("201.76"),
    )
    assert (np_.pensionable_salary, np_.amount) == (Decimal("25220.00"), Decimal("308.95"))


def test_flat_premium_participant_uses_the_flat_percentage(w: World) -> None:
    flat = w.db.exec(
        select(Participation).where(Participation.scheme_id == w.a_op, Participation.premium_mode == "flat")
    ).first()
    assert flat is not None
    d = participants.participant_detail(w.db, w.hr_a, flat.id)
    op = next(x for x in d.participations if x.scheme_kind == "OP")
    assert op.coverage is not None and op.coverage.premium_percentage == _params(w, w.a_op, 2026).flat_percentage
    person = w.db.get(Person, flat.person_id)
    assert person is not None and op.coverage.age == age_at(person.birth_date, TODAY)


def test_a_dormant_participant_has_no_premium(w: World) -> None:
    dormant = w.db.exec(
        select(Participation).where(Participation.scheme_id == w.a_op, Participation.status == "dormant")
    ).first()
    assert dormant is not None
    d = participants.participant_detail(w.db, w.hr_a, dormant.id)
    assert all(x.coverage is None and x.coverage_note == "not_active" for x in d.participations)
    assert d.employment.salary is not None  # the last known terms


def test_relations_are_the_current_partner_and_children(w: World) -> None:
    d = participants.participant_detail(w.db, w.hr_a, ASSOB_NUMBER)
    assert [(r.kind, r.first_name, r.partner_type) for r in d.relations] == [
        ("partner", "Eva", "married"),
        ("child", "Noor", ""),
        ("child", "Sem", ""),
    ]
    assert d.relations[0].name == "Assob, E., ter" and d.relations[0].start_date == date(2015, 6, 12)
    earlier = participants.participant_detail(w.db, w.hr_a, ASSOB_NUMBER, as_of=date(2010, 1, 1))
    assert [r.first_name for r in earlier.relations] == ["Old"]


def test_history_is_ordered_by_effective_date_then_request_time(w: World) -> None:
    """The seed's example (MUT-3): a retroactive salary change slots in before the intermediary change."""
    person_id = w.db.get(Participation, w.assob_op).person_id  # type: ignore[union-attr]

    def at(y: int, m: int, d: int) -> datetime:
        return datetime(y, m, d, 9, 0, tzinfo=UTC)

    rows = [
        ("salary_parttime", date(2023, 6, 1), at(2023, 10, 10), "needs_review"),
        ("intermediary", date(2023, 8, 1), at(2023, 8, 2), "processed"),
        ("new_participant", date(2023, 1, 1), at(2023, 1, 4), "processed"),
        ("partner", date(2023, 6, 1), at(2023, 6, 20), "submitted"),
    ]
    for kind, effective, requested, status in rows:
        w.db.add(
            Mutation(
                employer_id=w.a,
                scheme_id=w.a_op,
                participation_id=w.assob_op,
                person_id=person_id,
                kind=kind,
                effective_date=effective,
                requested_at=requested,
                requested_by_name="Hanna de Vries",
                status=status,
            )
        )
    other = w.db.exec(select(Participation).where(Participation.employer_id == w.b)).first()
    assert other is not None
    w.db.add(
        Mutation(
            employer_id=w.b, participation_id=other.id, person_id=other.person_id, kind="exit", effective_date=TODAY
        )
    )
    w.db.flush()
    history = participants.participant_detail(w.db, w.hr_a, ASSOB_NUMBER).history
    assert [h.kind for h in history] == ["new_participant", "partner", "salary_parttime", "intermediary"]
    assert history[-1].requested_at.date() == date(2023, 8, 2) and history[2].status == "needs_review"
    assert all(h.requested_by_name == "Hanna de Vries" for h in history)


def test_every_view_is_audited(w: World) -> None:
    before = len(_viewed(w))
    participants.participant_detail(w.db, w.hr_a, ASSOB_NUMBER, scheme_id=w.a_op)
    participants.participant_detail(w.db, acting_for(w.adviser, w.a), w.assob_np)
    w.db.flush()
    events = _viewed(w)[before:]
    assert [(e.object_id, e.employer_id, e.actor_user_id) for e in events] == [
        (str(w.assob_op), w.a, 7),
        (str(w.assob_np), w.a, 7),
    ]
    assert events[0].on_behalf_of == "" and events[1].on_behalf_of == f"employer:{w.a}"
    assert json.loads(events[0].detail)["as_of"] == TODAY.isoformat()


def test_another_employers_participant_is_refused_also_when_guessed(w: World) -> None:
    other = w.db.exec(select(Participation).where(Participation.employer_id == w.b)).first()
    assert other is not None
    before = len(_viewed(w))
    for ref, scheme in ((other.id, None), (other.participant_number, w.b_op), (ASSOB_NUMBER, w.b_op)):
        with pytest.raises(NoAccess):
            participants.participant_detail(w.db, w.hr_a, ref, scheme_id=scheme)
    for who in (w.hr_b, w.finance_a, None):
        with pytest.raises(NoAccess):
            participants.participant_detail(w.db, who, ASSOB_NUMBER)
    w.db.flush()
    assert len(_viewed(w)) == before


@pytest.mark.parametrize("ref", [None, 1.5, [1], {"id": 1}, "", "   ", "x" * 40, b"2001681", True, "999999999"])
def test_garbage_references_are_refused(w: World, ref: Any) -> None:
    with pytest.raises(NoAccess):
        participants.participant_detail(w.db, w.hr_a, ref)


def test_a_number_used_at_two_employers_of_a_group_needs_the_scheme(w: World) -> None:
    with pytest.raises(NoAccess) as err:
        participants.participant_detail(w.db, w.group_hr, "100001")
    assert err.value.reason == "ambiguous"
    at_b = participants.participant_detail(w.db, w.group_hr, "100001", scheme_id=w.b_op)
    assert at_b.employer_id == w.b
    assert participants.participant_detail(w.db, w.hr_a, "100001").employer_id == w.a


def test_names_are_shown_as_typed(w: World) -> None:
    person_id = w.db.get(Participation, w.assob_op).person_id  # type: ignore[union-attr]
    typed = {"last_name": "<b>Çelik-Boër</b>", "name_prefix": "van 't", "first_name": "Zoë & Co"}
    w.db.execute(update(Person).where(Person.id == person_id).values(**typed))  # type: ignore[arg-type]
    w.db.expire_all()
    p = participants.participant_detail(w.db, w.hr_a, ASSOB_NUMBER).person
    assert (p.last_name, p.name_prefix, p.first_name) == tuple(typed.values())
    assert p.name == "<b>Çelik-Boër</b>, G., van 't"


def test_as_of_may_be_iso_text_and_garbage_is_a_field_error(w: World) -> None:
    d = participants.participant_detail(w.db, w.hr_a, ASSOB_NUMBER, as_of="2025-03-01")
    assert d.as_of == date(2025, 3, 1) and d.employment.salary == Decimal("50000.00")
    for bad in ("morgen", 20250301, datetime(2025, 3, 1, tzinfo=UTC)):
        with pytest.raises(FieldError):
            participants.participant_detail(w.db, w.hr_a, ASSOB_NUMBER, as_of=bad)
