"""Scheme page service (EMP-7): the employer's schemes, yearly parameters from the database, scope (AUTH-5)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import Session, func, select

from portal.domain.roles import FrontEnd
from portal.models import AuditEvent, Participation, Scheme, SchemeYear
from portal.services import couplings
from portal.services.errors import FieldError
from portal.services.organisation import schemes
from portal.services.principal import NoAccess, Principal, acting_for
from tests.services.employer_fixtures import demo_employer, foreign_tenant, principal_of

TODAY = date(2026, 11, 22)


@pytest.mark.usefixtures("demo_data")
def test_lists_the_employers_schemes_and_shows_the_first(db: Session) -> None:
    hr = principal_of(db, "employer.hr")
    view = schemes.scheme_overview(db, hr, today=TODAY)
    employer = demo_employer(db)
    assert [c.kind for c in view.choices] == ["OP", "NP"]
    assert {c.employer_name for c in view.choices} == {employer.name}
    assert view.id == view.choices[0].id
    assert view.kind == "OP" and view.scheme_number == "01"
    assert view.contract_number and view.choices[0].number == f"{view.contract_number}-01"
    assert view.insurer == "a.s.r. Levensverzekering N.V."
    assert view.start_date == date(2016, 1, 1)
    active = db.exec(
        select(func.count()).where(Participation.scheme_id == view.id, Participation.status == "active")
    ).one()
    assert view.participants is not None and view.participants["active"] == active


@pytest.mark.usefixtures("demo_data")
def test_yearly_parameters_current_year_first_from_the_database(db: Session) -> None:
    view = schemes.scheme_overview(db, principal_of(db, "employer.finance"), today=TODAY)
    assert [y.year for y in view.years] == [2026, 2025, 2024]
    y2026, y2025, _ = view.years
    assert y2026.max_salary == Decimal("137800.00") and y2025.max_salary == Decimal("137800.00")
    assert y2025.franchise == Decimal("18475.00")
    # The demo employer's OP scheme offers age bands and, for some participants, a flat percentage.
    assert y2026.premium_mode == "staffel_or_flat" and y2026.flat_percentage == Decimal("24.500")
    assert y2026.bands[0].age_from == 15 and y2026.bands[-1].age_to == 67
    assert all(b.percentage > 0 for b in y2026.bands)
    # Figures are scheme parameters, never constants: change one and the page follows.
    row = db.exec(select(SchemeYear).where(SchemeYear.scheme_id == view.id, SchemeYear.year == 2026)).one()
    row.max_salary = Decimal("140000.00")
    db.commit()
    again = schemes.scheme_overview(db, principal_of(db, "employer.finance"), today=TODAY)
    assert again.years[0].max_salary == Decimal("140000.00")


@pytest.mark.usefixtures("demo_data")
def test_years_after_today_are_not_shown(db: Session) -> None:
    view = schemes.scheme_overview(db, principal_of(db, "employer.hr"), today=date(2025, 3, 1))
    assert [y.year for y in view.years] == [2025, 2024]


@pytest.mark.usefixtures("demo_data")
def test_choosing_the_partner_pension_scheme(db: Session) -> None:
    hr = principal_of(db, "employer.hr")
    first = schemes.scheme_overview(db, hr, today=TODAY)
    np_id = next(c.id for c in first.choices if c.kind == "NP")
    for raw in (np_id, str(np_id), f" {np_id} "):
        view = schemes.scheme_overview(db, hr, raw, today=TODAY)
        assert view.id == np_id and view.kind == "NP"
    assert view.years[0].premium_mode == "staffel"
    assert view.years[0].accrual_percentage == Decimal("1.225")


@pytest.mark.usefixtures("demo_data")
def test_a_scheme_of_another_employer_is_refused(db: Session) -> None:
    _employer, foreign_scheme, foreign_admin = foreign_tenant(db)
    hr = principal_of(db, "employer.hr")
    with pytest.raises(NoAccess) as refused:
        schemes.scheme_overview(db, hr, foreign_scheme.id, today=TODAY)
    assert refused.value.reason == "out_of_scope"
    # ... also a scheme of the other employer in the same office, and the other way round.
    other = db.exec(select(Scheme).where(Scheme.employer_id != demo_employer(db).id)).first()
    assert other is not None
    with pytest.raises(NoAccess):
        schemes.scheme_overview(db, hr, other.id, today=TODAY)
    own = schemes.scheme_overview(db, hr, today=TODAY).id
    with pytest.raises(NoAccess):
        schemes.scheme_overview(db, foreign_admin, own, today=TODAY)
    assert [c.name for c in schemes.scheme_overview(db, foreign_admin, today=TODAY).choices] == ["Elders OP"]


@pytest.mark.parametrize("garbage", ["abc", "1 OR 1=1", "-1", "0", 1.5j, {"id": 1}, [1], True, "99999999"])
@pytest.mark.usefixtures("demo_data")
def test_garbage_scheme_ids_are_refused(db: Session, garbage: object) -> None:
    with pytest.raises(NoAccess):
        schemes.scheme_overview(db, principal_of(db, "employer.hr"), garbage, today=TODAY)


@pytest.mark.usefixtures("demo_data")
def test_roles_and_front_ends(db: Session) -> None:
    with pytest.raises(NoAccess):
        schemes.scheme_overview(db, None)
    with pytest.raises(NoAccess):
        schemes.scheme_overview(db, principal_of(db, "employee"))
    nobody = Principal(
        user_id=5, username="x", display_name="X", front_end=FrontEnd.EMPLOYER, roles=frozenset({"finance"})
    )
    with pytest.raises(NoAccess):
        schemes.scheme_overview(db, nobody)  # a role without any employer in scope sees nothing


@pytest.mark.usefixtures("demo_data")
def test_a_scheme_without_parameters(db: Session) -> None:
    _employer, scheme, admin = foreign_tenant(db)
    view = schemes.scheme_overview(db, admin, scheme.id, today=TODAY)
    assert view.years == () and view.participants == {}


@pytest.mark.usefixtures("demo_data")
def test_only_an_adviser_switches_auto_enrolment_of_a_scheme_of_the_employer_acted_for(db: Session) -> None:
    """The scheme page's one setting (a coupling prerequisite): the employer's own users see it, may not change it
    (EMP-7); the adviser acting for the employer changes it for that employer's schemes only, audited."""
    employer = demo_employer(db)
    hr = principal_of(db, "employer.hr")
    view = schemes.scheme_overview(db, hr, today=TODAY)
    assert view.auto_enrol is False and view.may_change_settings is False
    with pytest.raises(NoAccess):
        couplings.set_auto_enrol(db, hr, view.id, True)
    db.rollback()

    acting = acting_for(principal_of(db, "adviser"), employer.id)
    mine = schemes.scheme_overview(db, acting, view.id, today=TODAY)
    assert mine.may_change_settings is True and mine.auto_enrol is False
    other = db.exec(select(Scheme).where(Scheme.employer_id != employer.id, Scheme.kind == "OP")).first()
    assert other is not None and other.employer_id in principal_of(db, "adviser").employer_ids
    with pytest.raises(NoAccess):  # in the portfolio, but not the employer acted for
        couplings.set_auto_enrol(db, acting, other.id, True)
    db.rollback()
    with pytest.raises(FieldError):
        couplings.set_auto_enrol(db, acting, view.id, "yes")  # not a bool from the browser
    db.rollback()
    assert not db.exec(select(AuditEvent).where(AuditEvent.action == "scheme.auto_enrol")).all()

    couplings.set_auto_enrol(db, acting, view.id, True)
    db.commit()
    assert schemes.scheme_overview(db, hr, today=TODAY).auto_enrol is True
    [event] = db.exec(select(AuditEvent).where(AuditEvent.action == "scheme.auto_enrol")).all()
    assert event.actor_name == "adviser" and event.employer_id == employer.id and event.object_id == str(view.id)
    assert json.loads(event.detail)["enabled"] is True
    db.expire_all()
    assert db.get(Scheme, other.id).auto_enrol == other.auto_enrol  # type: ignore[union-attr]
