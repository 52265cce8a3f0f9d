"""Roles and permissions (AUTH-4), route guard table and the principal's scope checks (AUTH-5)."""

from __future__ import annotations

import pytest

from portal.domain.roles import (
    Access,
    FrontEnd,
    Perm,
    Role,
    access_for,
    front_end_for,
    home_path,
    may_open,
    menu_for,
    permissions_for,
)
from portal.pages.routes import ACCESS
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
    routes = [r for r, _ in menu_for(ACCESS, FrontEnd.EMPLOYER, permissions_for([Role.FINANCE]))]
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
    routes = [r for r, _ in menu_for(ACCESS, FrontEnd.EMPLOYER, permissions_for([Role.HR]))]
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
        ("/intermediary/employers/3", FrontEnd.INTERMEDIARY, None),
        ("/employee/faq", FrontEnd.EMPLOYEE, None),
        ("/employee/calculators", FrontEnd.EMPLOYEE, None),
    ],
)
def test_route_rule(path: str, front_end: FrontEnd, perm: Perm | None) -> None:
    rule = access_for(ACCESS, path)
    assert rule is not None and (rule.front_end, rule.perm) == (front_end, perm)


@pytest.mark.parametrize(
    "path",
    [
        "/employer/something-later",  # under a front end, but no page: no longer let through by prefix
        "/employer/participants/100001/more",
        "/employeeish",
        "/login",  # public pages have no rule: the guard does not run there
        "/",
    ],
)
def test_a_path_without_a_page_in_the_table_has_no_rule(path: str) -> None:
    assert access_for(ACCESS, path) is None
    assert not may_open(ACCESS, path, FrontEnd.EMPLOYER, frozenset(Perm))


def test_a_fixed_route_wins_over_a_bracketed_one_whatever_the_order() -> None:
    detail = Access("/e/p/[n]", FrontEnd.EMPLOYER, Perm.PARTICIPANTS_VIEW)
    new = Access("/e/p/new", FrontEnd.EMPLOYER, Perm.MUTATIONS_SUBMIT)
    for rules in ([detail, new], [new, detail]):
        assert access_for(rules, "/e/p/new") == new
        assert access_for(rules, "/e/p/7/") == detail
        assert access_for(rules, "/e/p/") is None


def test_of_two_bracketed_routes_the_one_with_fewer_brackets_wins_whatever_the_order() -> None:
    detail = Access("/i/e/[id]/p/[n]", FrontEnd.INTERMEDIARY, Perm.PARTICIPANTS_VIEW)
    new = Access("/i/e/[id]/p/new", FrontEnd.INTERMEDIARY, Perm.MUTATIONS_SUBMIT)
    for rules in ([detail, new], [new, detail]):
        assert access_for(rules, "/i/e/7/p/new") == new
        assert access_for(rules, "/i/e/7/p/100001") == detail


def test_a_bracketed_segment_stands_for_one_segment_that_is_not_empty() -> None:
    rule = Access("/e/[id]/p", FrontEnd.EMPLOYER)
    assert rule.matches("/e/7/p") and rule.matches("/e/AX/p/")
    assert not rule.matches("/e//p")  # an empty segment is no id
    assert not rule.matches("/e/7")
    assert Access("/e/[n]", FrontEnd.EMPLOYER).matches("/e/X")  # only slashes are trimmed from a path's ends


def test_the_query_starts_at_the_first_question_mark() -> None:
    rule = Access("/e/x", FrontEnd.EMPLOYER)
    assert rule.matches("/e/x?a=1?b=2")
    assert Access("/", FrontEnd.EMPLOYER).matches("/?next=/e") and not Access("/", FrontEnd.EMPLOYER).matches("/e")


def test_an_unknown_role_adds_nothing_and_takes_nothing_away() -> None:
    assert permissions_for(["no-such-role", Role.HR]) == permissions_for([Role.HR])
    assert permissions_for(["no-such-role"]) == frozenset()


def test_may_open_needs_the_front_end_and_the_permission() -> None:
    rules = [Access("/e", FrontEnd.EMPLOYER), Access("/e/x", FrontEnd.EMPLOYER, Perm.EXPORT)]
    assert may_open(rules, "/e", "employer", frozenset())
    assert not may_open(rules, "/e", FrontEnd.EMPLOYEE, frozenset(Perm))
    assert not may_open(rules, "/e/x", FrontEnd.EMPLOYER, frozenset({Perm.SCHEME_VIEW}))
    assert may_open(rules, "/e/x?tab=1", FrontEnd.EMPLOYER, frozenset({Perm.EXPORT}))


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
