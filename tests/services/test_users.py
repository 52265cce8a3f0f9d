"""Portal accounts service (EMP-9, AUTH-4): list, invite with combinable roles, change roles, disable."""

from __future__ import annotations

import json

import pytest
from sqlmodel import Session, col, select

from portal.models import AuthSession, RoleGrant, UserAccount
from portal.services import accounts
from portal.services.accounts import users
from portal.services.errors import FieldError
from portal.services.principal import NoAccess
from portal.services.validation import errors_of
from tests.services.employer_fixtures import audit_of, demo_employer, foreign_tenant, principal_of
from tests.smtp import SmtpCapture, body_of


def account(db: Session, email: str) -> UserAccount:
    db.expire_all()
    return db.exec(select(UserAccount).where(UserAccount.email == email)).one()


def roles_of(db: Session, user_id: int) -> set[tuple[str, int | None]]:
    return {(g.role, g.employer_id) for g in db.exec(select(RoleGrant).where(RoleGrant.user_id == user_id)).all()}


@pytest.mark.usefixtures("demo_data")
def test_lists_the_companys_accounts_with_roles_and_status(db: Session) -> None:
    hr = principal_of(db, "employer.hr")
    rows = users.list_accounts(db, hr)
    by_email = {r.email: r for r in rows}
    me = by_email["hanna.devries@noordkade-logistiek.example"]
    assert me.is_self and me.status == "active" and me.username == "employer.hr"
    assert me.roles == ("user_management", "hr")
    assert by_email["frank.bakker@noordkade-logistiek.example"].roles == ("finance",)
    invited = by_email["new.hr@noordkade-logistiek.example"]
    assert invited.status == "invited" and invited.username == ""
    # Only this company's employer accounts: no adviser, no employee, nobody of the sister company.
    assert not any("vanleeuwen" in e or "ziggo" in e for e in by_email)
    assert len(audit_of(db, "accounts.viewed")) == 1


@pytest.mark.usefixtures("demo_data")
def test_create_account_with_combined_roles_sends_the_invitation(db: Session, smtp_server: SmtpCapture) -> None:
    hr = principal_of(db, "employer.hr")
    eid = demo_employer(db).id
    new_id = users.create_account(db, hr, " Sanne Kok ", "Sanne.Kok@Noordkade-Logistiek.example", ["finance", "hr"])
    db.commit()
    user = account(db, "sanne.kok@noordkade-logistiek.example")
    assert user.id == new_id and user.status == "invited" and user.display_name == "Sanne Kok"
    assert roles_of(db, new_id) == {("hr", eid), ("finance", eid)}
    mail = smtp_server.wait_for("sanne.kok@noordkade-logistiek.example", "account")
    assert "/activate" in body_of(mail)
    (event,) = audit_of(db, "account.invited")[-1:]
    assert event.actor_name == "employer.hr" and json.loads(event.detail)["roles"] == ["hr", "finance"]
    row = next(r for r in users.list_accounts(db, hr) if r.id == new_id)
    assert row.roles == ("hr", "finance") and row.status == "invited"


@pytest.mark.parametrize(
    ("name", "email", "roles", "fields"),
    [
        ("", "a@b.nl", ["hr"], {"display_name"}),
        ("Anna", "not-mail", ["hr"], {"email"}),
        ("Anna", "a@b.nl", [], {"roles"}),
        ("Anna", "a@b.nl", ["adviser"], {"roles"}),  # not an employer role
        ("Anna", "a@b.nl", "hr", {"roles"}),  # not a list
        ("", "", None, {"display_name", "email", "roles"}),
    ],
)
@pytest.mark.usefixtures("demo_data")
def test_bad_new_account_is_refused_at_the_fields_and_nothing_created(
    db: Session, smtp_server: SmtpCapture, name: str, email: str, roles: object, fields: set[str]
) -> None:
    count = len(db.exec(select(UserAccount)).all())
    with pytest.raises(FieldError) as refused:
        users.create_account(db, principal_of(db, "employer.hr"), name, email, roles)
    db.rollback()
    assert {e.field for e in errors_of(refused.value)} == fields
    assert len(db.exec(select(UserAccount)).all()) == count
    assert smtp_server.messages == []


@pytest.mark.usefixtures("demo_data")
def test_an_address_in_use_is_refused(db: Session, smtp_server: SmtpCapture) -> None:
    with pytest.raises(FieldError) as refused:
        users.create_account(
            db, principal_of(db, "employer.hr"), "Frank", "frank.bakker@noordkade-logistiek.example", ["hr"]
        )
    assert (refused.value.field, refused.value.key) == ("email", "email_taken")


@pytest.mark.usefixtures("demo_data")
def test_finance_cannot_manage_users(db: Session) -> None:
    finance = principal_of(db, "employer.finance")
    hr = principal_of(db, "employer.hr")
    target = next(r for r in users.list_accounts(db, hr) if r.status == "invited")
    with pytest.raises(NoAccess):
        users.list_accounts(db, finance)
    with pytest.raises(NoAccess):
        users.create_account(db, finance, "X", "x@example.nl", ["hr"])
    with pytest.raises(NoAccess):
        users.change_roles(db, finance, target.id, ["user_management"])
    with pytest.raises(NoAccess):
        users.set_disabled(db, finance, hr.user_id, True)
    with pytest.raises(NoAccess):
        users.list_accounts(db, None)


@pytest.mark.usefixtures("demo_data")
def test_change_roles_of_a_colleague(db: Session) -> None:
    hr = principal_of(db, "employer.hr")
    eid = demo_employer(db).id
    finance_id = principal_of(db, "employer.finance").user_id
    assert users.change_roles(db, hr, str(finance_id), ["hr", "finance"]) is True
    db.commit()
    assert roles_of(db, finance_id) == {("hr", eid), ("finance", eid)}
    (event,) = audit_of(db, "account.roles_changed")
    assert json.loads(event.detail) == {"old": ["finance"], "new": ["hr", "finance"]}
    assert users.change_roles(db, hr, finance_id, ["finance", "hr"]) is False  # unchanged
    assert users.change_roles(db, hr, finance_id, ["finance"]) is True
    db.commit()
    assert roles_of(db, finance_id) == {("finance", eid)}
    # The colleague's next request sees the new roles.
    assert principal_of(db, "employer.finance").roles == frozenset({"finance"})
    with pytest.raises(FieldError) as refused:
        users.change_roles(db, hr, finance_id, [])
    assert refused.value.key == "users.roles_required"


@pytest.mark.usefixtures("demo_data")
def test_not_yourself(db: Session) -> None:
    hr = principal_of(db, "employer.hr")
    for call in (
        lambda: users.change_roles(db, hr, hr.user_id, ["hr"]),
        lambda: users.set_disabled(db, hr, hr.user_id, True),
    ):
        with pytest.raises(FieldError) as refused:
            call()
        assert refused.value.key == "users.not_yourself"
    db.rollback()
    assert principal_of(db, "employer.hr").roles == frozenset({"hr", "user_management"})


@pytest.mark.usefixtures("demo_data")
def test_accounts_of_another_company_and_garbage_ids_are_refused(db: Session) -> None:
    hr = principal_of(db, "employer.hr")
    _employer, _scheme, foreign_admin = foreign_tenant(db)
    adviser_id = principal_of(db, "adviser").user_id
    finance_id = principal_of(db, "employer.finance").user_id
    for target in (adviser_id, 10**9, "abc", "1; drop table", None, -3, True, {"id": 1}):
        with pytest.raises(NoAccess):
            users.change_roles(db, hr, target, ["hr"])
        with pytest.raises(NoAccess):
            users.set_disabled(db, hr, target, True)
    # A user manager of another company cannot touch this company's accounts nor list them.
    with pytest.raises(NoAccess):
        users.change_roles(db, foreign_admin, finance_id, ["user_management"])
    with pytest.raises(NoAccess):
        users.set_disabled(db, foreign_admin, finance_id, True)
    with pytest.raises(NoAccess):
        users.list_accounts(db, foreign_admin, demo_employer(db).id)
    assert users.list_accounts(db, foreign_admin) == []
    db.rollback()
    assert principal_of(db, "employer.finance").roles == frozenset({"finance"})


@pytest.mark.usefixtures("demo_data")
def test_disable_ends_sessions_and_enable_restores(db: Session) -> None:
    hr = principal_of(db, "employer.hr")
    finance = principal_of(db, "employer.finance")  # has a live session now
    assert users.set_disabled(db, hr, finance.user_id, True) is True
    db.commit()
    assert account(db, "frank.bakker@noordkade-logistiek.example").status == "disabled"
    live = db.exec(
        select(AuthSession).where(AuthSession.user_id == finance.user_id, col(AuthSession.ended_at).is_(None))
    ).all()
    assert live == []
    with pytest.raises(NoAccess):
        accounts.create_session(db, finance.user_id)
    assert users.set_disabled(db, hr, finance.user_id, True) is False
    assert users.set_disabled(db, hr, finance.user_id, False) is True
    db.commit()
    assert account(db, "frank.bakker@noordkade-logistiek.example").status == "active"
    assert [json.loads(e.detail)["new"]["status"] for e in audit_of(db, "account.disabled")] == ["disabled"]
    assert [json.loads(e.detail)["new"]["status"] for e in audit_of(db, "account.enabled")] == ["active"]


@pytest.mark.usefixtures("demo_data")
def test_disabled_invitation_cannot_be_activated_and_comes_back_invited(db: Session, smtp_server: SmtpCapture) -> None:
    hr = principal_of(db, "employer.hr")
    invited = next(r for r in users.list_accounts(db, hr) if r.status == "invited")
    users.set_disabled(db, hr, invited.id, True)
    db.commit()
    accounts.start_activation(db, invited.email)
    assert smtp_server.messages == []  # no code for a disabled invitation
    users.set_disabled(db, hr, invited.id, False)
    db.commit()
    assert account(db, invited.email).status == "invited"


@pytest.mark.usefixtures("demo_data")
def test_an_account_shared_with_another_company_cannot_be_disabled_here(db: Session) -> None:
    hr = principal_of(db, "employer.hr")
    foreign, _scheme, _admin = foreign_tenant(db)
    finance_id = principal_of(db, "employer.finance").user_id
    db.add(RoleGrant(user_id=finance_id, role="finance", employer_id=foreign.id))
    db.commit()
    with pytest.raises(FieldError) as refused:
        users.set_disabled(db, hr, finance_id, True)
    assert refused.value.key == "users.shared_account"
    db.rollback()
    assert account(db, "frank.bakker@noordkade-logistiek.example").status == "active"
    # Its roles for this company can still be changed, and the other company's grant stays.
    users.change_roles(db, hr, finance_id, ["hr"])
    db.commit()
    assert ("finance", foreign.id) in roles_of(db, finance_id)
