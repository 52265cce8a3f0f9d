"""Company page service (EMP-8): my details, my company (only address and contact editable), my adviser."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlmodel import Session, select

from portal.models import Employer, UserAccount
from portal.services.errors import FieldError
from portal.services.organisation import company
from portal.services.principal import NoAccess
from portal.services.validation import errors_of
from tests.services.employer_fixtures import audit_of, demo_employer, foreign_tenant, principal_of
from tests.smtp import SmtpCapture, body_of

GOOD: dict[str, Any] = {
    "postal_street": "Kade",
    "postal_house_number": "12a",
    "postal_code": "3011bd",
    "postal_city": "Rotterdam",
    "postal_country": "NL",
    "contact_name": "Frank Bakker",
    "contact_email": " Frank.Bakker@Noordkade-Logistiek.example ",
    "contact_phone": "+31 10 456 7890",
}


def snapshot(db: Session, employer_id: int) -> dict[str, Any]:
    db.expire_all()
    e = db.get(Employer, employer_id)
    assert e is not None
    return e.model_dump()


@pytest.mark.usefixtures("demo_data")
def test_profile_shows_me_my_company_and_my_adviser(db: Session) -> None:
    profile = company.company_profile(db, principal_of(db, "employer.hr"))
    assert (profile.my_name, profile.my_username) == ("Hanna de Vries", "employer.hr")
    assert profile.my_email == "hanna.devries@noordkade-logistiek.example"
    assert profile.company_name == "Noordkade Logistiek B.V." and profile.kvk_number == "24345678"
    assert (profile.postal_street, profile.postal_house_number, profile.postal_code) == ("Postbus", "1180", "3000 BD")
    assert profile.contact_name == "Hanna de Vries"
    assert profile.adviser_name == "Van Leeuwen Pensioenadvies B.V."
    assert profile.adviser_email and profile.adviser_phone == "030-2345678"
    assert profile.can_edit_company  # HR + user management
    finance = company.company_profile(db, principal_of(db, "employer.finance"))
    assert finance.can_edit_company and finance.my_name == "Frank Bakker"


@pytest.mark.usefixtures("demo_data")
def test_finance_updates_address_and_contact_audited_with_old_and_new(db: Session) -> None:
    employer = demo_employer(db)
    version = employer.data_version
    finance = principal_of(db, "employer.finance")
    assert company.update_company_contact(db, finance, GOOD) is True
    db.commit()
    after = snapshot(db, employer.id)
    assert after["postal_code"] == "3011 BD"  # normalised by python-stdnum
    assert after["contact_email"] == "frank.bakker@noordkade-logistiek.example"
    assert after["postal_street"] == "Kade" and after["postal_house_number"] == "12a"
    assert after["data_version"] == version + 1
    assert after["name"] == employer.name and after["kvk_number"] == employer.kvk_number
    (event,) = audit_of(db, "company.contact_changed")
    assert event.actor_name == "employer.finance" and event.employer_id == employer.id
    detail = json.loads(event.detail)
    assert detail["old"]["postal_code"] == "3000 BD" and detail["new"]["postal_code"] == "3011 BD"
    assert "postal_country" not in detail["new"]  # only what changed
    # The same values again: nothing changes, no audit, no version bump.
    assert company.update_company_contact(db, finance, GOOD) is False
    db.commit()
    assert snapshot(db, employer.id)["data_version"] == version + 1
    assert len(audit_of(db, "company.contact_changed")) == 1


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"postal_code": "3000 SA"}, {"postal_code"}),  # a banned letter combination
        ({"postal_code": "0123 AB"}, {"postal_code"}),
        ({"postal_code": "30001 BD"}, {"postal_code"}),
        ({"postal_code": ""}, {"postal_code"}),
        ({"postal_street": "  ", "postal_city": ""}, {"postal_street", "postal_city"}),
        ({"contact_email": "not-an-address"}, {"contact_email"}),
        ({"contact_name": "", "contact_email": ""}, {"contact_name", "contact_email"}),
        ({"contact_phone": "call me"}, {"contact_phone"}),
        ({"postal_country": "XX"}, {"postal_country"}),
        ({"postal_country": None}, {"postal_country"}),
        ({"postal_street": "x" * 101}, {"postal_street"}),
        ({"postal_city": "Rotter\x00dam"}, {"postal_city"}),
        ({"postal_street": {"$ne": 1}, "postal_house_number": ["1"]}, {"postal_street", "postal_house_number"}),
    ],
)
@pytest.mark.usefixtures("demo_data")
def test_bad_input_is_refused_at_the_field_and_nothing_changes(
    db: Session, changes: dict[str, Any], fields: set[str]
) -> None:
    employer = demo_employer(db)
    before = snapshot(db, employer.id)
    with pytest.raises(FieldError) as refused:
        company.update_company_contact(db, principal_of(db, "employer.finance"), GOOD | changes)
    db.rollback()
    assert {e.field for e in errors_of(refused.value)} == fields
    assert snapshot(db, employer.id) == before
    assert audit_of(db, "company.contact_changed") == []


@pytest.mark.parametrize(
    "extra",
    [
        {"name": "Overgenomen B.V."},
        {"kvk_number": "99999999"},
        {"office_id": 999},
        {"group_id": None, "data_version": 0},
        {"iban": "NL91ABNA0417164300"},  # no such field: refused all the same, never ignored silently
    ],
)
@pytest.mark.usefixtures("demo_data")
def test_finance_may_change_contact_data_only(db: Session, extra: dict[str, Any]) -> None:
    """AUTH-4: Finance edits the company's contact data (postal address, contact person), nothing else, even
    when a forged event sends more fields along with valid contact data."""
    employer = demo_employer(db)
    before = snapshot(db, employer.id)
    finance = principal_of(db, "employer.finance")
    with pytest.raises(NoAccess) as refused:
        company.update_company_contact(db, finance, GOOD | extra)
    assert refused.value.reason == "not_editable"
    db.commit()  # what the state does: the refusal's audit entry stays
    assert snapshot(db, employer.id) == before
    assert audit_of(db, "company.contact_changed") == []
    (event,) = audit_of(db, "company.change_refused")
    assert event.actor_name == "employer.finance" and event.employer_id == employer.id
    assert json.loads(event.detail)["fields"] == sorted(extra)


@pytest.mark.usefixtures("demo_data")
def test_foreign_address_uses_its_own_postcode_rules(db: Session) -> None:
    employer = demo_employer(db)
    finance = principal_of(db, "employer.finance")
    company.update_company_contact(
        db, finance, GOOD | {"postal_country": "be", "postal_code": "1000", "postal_city": "Brussel"}
    )
    db.commit()
    after = snapshot(db, employer.id)
    assert (after["postal_country"], after["postal_code"]) == ("BE", "1000")


@pytest.mark.usefixtures("demo_data")
def test_hr_only_user_may_read_but_not_change_the_company(db: Session) -> None:
    employer = demo_employer(db)
    hr = principal_of(db, "employer.hr")
    hr_only = type(hr)(**{**hr.__dict__, "roles": frozenset({"hr"}), "perms": frozenset()})
    assert company.company_profile(db, hr_only).can_edit_company is False
    with pytest.raises(NoAccess):
        company.update_company_contact(db, hr_only, GOOD)
    assert snapshot(db, employer.id)["postal_code"] == "3000 BD"


@pytest.mark.usefixtures("demo_data")
def test_another_employers_user_cannot_read_or_change_this_company(db: Session) -> None:
    employer = demo_employer(db)
    _foreign, _scheme, foreign_admin = foreign_tenant(db)
    for bad in (employer.id, str(employer.id), "abc", -1):
        with pytest.raises(NoAccess):
            company.company_profile(db, foreign_admin, bad)
        with pytest.raises(NoAccess):
            company.update_company_contact(db, foreign_admin, GOOD, employer_id=bad)
    assert snapshot(db, employer.id)["postal_code"] == "3000 BD"
    with pytest.raises(NoAccess):
        company.company_profile(db, principal_of(db, "employee"))
    with pytest.raises(NoAccess):
        company.update_company_contact(db, None, GOOD)


@pytest.mark.usefixtures("demo_data")
def test_update_my_details_with_notice_to_the_old_address(db: Session, smtp_server: SmtpCapture) -> None:
    finance = principal_of(db, "employer.finance")
    assert company.update_my_details(db, finance, "  Frank Bakker-de Wit ", "Frank@Example.NL") is True
    db.commit()
    user = db.exec(select(UserAccount).where(UserAccount.username == "employer.finance")).one()
    assert (user.display_name, user.email) == ("Frank Bakker-de Wit", "frank@example.nl")
    (event,) = audit_of(db, "account.details_changed")
    detail = json.loads(event.detail)
    assert detail["old"]["email"] == "frank.bakker@noordkade-logistiek.example"
    assert detail["new"] == {"display_name": "Frank Bakker-de Wit", "email": "frank@example.nl"}
    mail = smtp_server.wait_for("frank.bakker@noordkade-logistiek.example", "e-mailadres")
    assert "frank@example.nl" not in body_of(mail)
    assert company.update_my_details(db, finance, "Frank Bakker-de Wit", "frank@example.nl") is False


@pytest.mark.usefixtures("demo_data")
def test_my_details_bad_input_and_a_taken_address(db: Session) -> None:
    finance = principal_of(db, "employer.finance")
    with pytest.raises(FieldError) as refused:
        company.update_my_details(db, finance, "", "nope")
    assert {(e.field, e.key) for e in errors_of(refused.value)} == {
        ("display_name", "common.required"),
        ("email", "email_invalid"),
    }
    with pytest.raises(FieldError) as taken:
        company.update_my_details(db, finance, "Frank", "hanna.devries@noordkade-logistiek.example")
    assert (taken.value.field, taken.value.key) == ("email", "email_taken")
    db.rollback()
    user = db.exec(select(UserAccount).where(UserAccount.username == "employer.finance")).one()
    assert user.email == "frank.bakker@noordkade-logistiek.example" and user.display_name == "Frank Bakker"
    assert audit_of(db, "account.details_changed") == []
    with pytest.raises(NoAccess):
        company.update_my_details(db, None, "X", "x@example.nl")


def test_country_options_start_with_the_netherlands() -> None:
    options = company.country_options("nl")
    assert options[0] == ("NL", "Nederland") and ("BE", "België") in options
    assert len(options) > 200 and all(len(code) == 2 for code, _ in options)
    assert company.country_options("en")[0] == ("NL", "Netherlands")
