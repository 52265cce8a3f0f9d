"""Roles and permissions (AUTH-4), route guard table and the principal's scope checks (AUTH-5)."""

from __future__ import annotations

import pytest

from portal.domain.roles import (
    MENU_OF_FRONT_END,
    FrontEnd,
    Perm,
    Role,
    front_end_for,
    home_path,
    menu_for,
    permissions_for,
    route_permission,
)
from portal.services.principal import NoAccess, Principal, id_of, require, require_employer, require_person


def test_finance_has_financial_documents_but_no_mutations_or_participants() -> None:
    perms = permissions_for([Role.FINANCE])
    assert Perm.DOCUMENTS_FINANCIAL in perms
    assert Perm.COMPANY_EDIT_CONTACT in perms
    for missing in (
        Perm.MUTATIONS_SUBMIT,
        Perm.PARTICIPANTS_VIEW,
        Perm.EXPORT,
        Perm.USERS_MANAGE,
        Perm.DOCUMENTS_LEGAL,
    ):
        assert missing not in perms


def test_hr_may_mutate_and_export_but_sees_no_financial_documents() -> None:
    perms = permissions_for([Role.HR])
    assert {Perm.MUTATIONS_SUBMIT, Perm.EXPORT, Perm.PARTICIPANTS_VIEW, Perm.DOCUMENTS_LEGAL} <= perms
    assert Perm.DOCUMENTS_FINANCIAL not in perms
    assert Perm.USERS_MANAGE not in perms


def test_user_management_has_everything_of_the_employer_side() -> None:
    um = permissions_for([Role.USER_MANAGEMENT])
    assert permissions_for([Role.HR]) | permissions_for([Role.FINANCE]) <= um
    assert Perm.USERS_MANAGE in um


def test_roles_combine() -> None:
    assert permissions_for([Role.HR, Role.FINANCE]) == permissions_for([Role.HR]) | permissions_for([Role.FINANCE])


def test_front_end_of_roles() -> None:
    assert front_end_for([Role.FINANCE]) == FrontEnd.EMPLOYER
    assert front_end_for([Role.ADVISER]) == FrontEnd.INTERMEDIARY
    assert front_end_for([Role.EMPLOYEE]) == FrontEnd.EMPLOYEE
    assert front_end_for(["nonsense"]) is None
    assert home_path(FrontEnd.EMPLOYEE) == "/employee"
    assert home_path(None) == "/login"


def test_finance_menu_has_no_hr_entries() -> None:
    routes = [r for r, _ in menu_for(FrontEnd.EMPLOYER, permissions_for([Role.FINANCE]))]
    assert "/employer/documents" in routes and "/employer/scheme" in routes
    for hidden in (
        "/employer/participants",
        "/employer/participants/new",
        "/employer/collective",
        "/employer/export",
        "/employer/users",
    ):
        assert hidden not in routes


def test_hr_menu_without_user_management_has_no_accounts_page() -> None:
    routes = [r for r, _ in menu_for(FrontEnd.EMPLOYER, permissions_for([Role.HR]))]
    assert "/employer/participants" in routes
    assert "/employer/users" not in routes


@pytest.mark.parametrize(
    ("path", "front_end", "perm"),
    [
        ("/employer", FrontEnd.EMPLOYER, None),
        ("/employer/", FrontEnd.EMPLOYER, None),
        ("/employer/participants/100001", FrontEnd.EMPLOYER, Perm.PARTICIPANTS_VIEW),
        ("/employer/participants/new", FrontEnd.EMPLOYER, Perm.MUTATIONS_SUBMIT),
        ("/employer/users", FrontEnd.EMPLOYER, Perm.USERS_MANAGE),
        ("/employer/something-later", FrontEnd.EMPLOYER, None),
        ("/intermediary/employers/3", FrontEnd.INTERMEDIARY, None),
        ("/employee/faq", FrontEnd.EMPLOYEE, None),
        ("/employeeish", None, None),
    ],
)
def test_route_permission(path: str, front_end: FrontEnd | None, perm: Perm | None) -> None:
    assert route_permission(path) == (front_end, perm)


def _principal(**kw) -> Principal:
    base = {
        "user_id": 1,
        "username": "u",
        "display_name": "U",
        "front_end": FrontEnd.EMPLOYER,
        "roles": frozenset({"hr"}),
        "employer_ids": frozenset({2, 3}),
    }
    base.update(kw)
    return Principal(**base)


def test_require_checks_sign_in_front_end_and_permission() -> None:
    p = _principal()
    assert require(p, Perm.MUTATIONS_SUBMIT, FrontEnd.EMPLOYER) is p
    with pytest.raises(NoAccess, match="not_signed_in"):
        require(None)
    with pytest.raises(NoAccess, match="wrong_front_end"):
        require(p, front_end=FrontEnd.EMPLOYEE)
    with pytest.raises(NoAccess, match="missing_role"):
        require(p, Perm.DOCUMENTS_FINANCIAL)


@pytest.mark.parametrize("untrusted", [2, "3"])
def test_require_employer_accepts_ids_in_scope(untrusted: object) -> None:
    assert require_employer(_principal(), untrusted) == int(untrusted)


@pytest.mark.parametrize("untrusted", [1, "1", "abc", None, {"id": 2}, [2], 2.5e9])
def test_require_employer_refuses_everything_else(untrusted: object) -> None:
    with pytest.raises(NoAccess):
        require_employer(_principal(), untrusted)


def test_employee_reaches_only_own_person() -> None:
    p = _principal(front_end=FrontEnd.EMPLOYEE, roles=frozenset({"employee"}), employer_ids=frozenset(), person_id=7)
    assert require_person(p, "7") == 7
    with pytest.raises(NoAccess):
        require_person(p, 8)
    with pytest.raises(NoAccess):
        require_person(_principal(), 7)  # an employer user is not an employee


@pytest.mark.parametrize(
    "raw", [True, False, 1.0, None, "", "abc", "0", "-1", "+5", "1e3", "²", "١٢", "2147483648", "99999999999", [1]]
)
def test_an_untrusted_id_that_is_not_a_plain_positive_int_is_refused(raw: object) -> None:
    with pytest.raises(NoAccess) as err:
        id_of(raw)
    assert err.value.reason == "bad_id"


@pytest.mark.parametrize(("raw", "value"), [(1, 1), ("42", 42), (" 7 ", 7), ("2147483647", 2**31 - 1)])
def test_an_untrusted_id_as_int(raw: object, value: int) -> None:
    assert id_of(raw) == value


def test_unknown_roles_carry_no_permission_and_no_front_end() -> None:
    assert permissions_for(["auditor"]) == frozenset()
    assert permissions_for(["auditor", Role.FINANCE]) == permissions_for([Role.FINANCE])
    assert front_end_for(["auditor"]) is None


def test_a_path_that_only_starts_with_a_routes_text_is_not_under_it() -> None:
    assert route_permission("/employerX") == (None, None)
    assert route_permission("/employer/usersX") == (FrontEnd.EMPLOYER, None)
    assert route_permission("employer/users/") == (FrontEnd.EMPLOYER, Perm.USERS_MANAGE)


def test_every_front_end_has_a_menu_and_a_home() -> None:
    assert set(MENU_OF_FRONT_END) == set(FrontEnd)
    for end in FrontEnd:
        assert menu_for(end.value, frozenset(Perm))[0] == (home_path(end), MENU_OF_FRONT_END[end][0][1])
    with pytest.raises(ValueError):
        menu_for("insurer", frozenset(Perm))
