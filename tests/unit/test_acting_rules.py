"""The route rules of acting for an employer (INT-2): where an employer's pages live for an adviser, which
employer an address names, the acting menu, and the narrowing of the principal to that employer."""

from __future__ import annotations

import pytest

from portal.domain.roles import (
    Access,
    FrontEnd,
    Perm,
    Role,
    acting_address,
    acting_base,
    acting_employer,
    acting_menu,
    acting_route,
    may_open,
    menu_for,
    permissions_for,
)
from portal.pages.routes import ACCESS, ACTED
from portal.services.principal import OUT_OF_PORTFOLIO, NoAccess, Principal, acting_for

ADVISER = permissions_for([Role.ADVISER], acting=True)  # while acting for one employer
PORTFOLIO_ONLY = permissions_for([Role.ADVISER])  # across the portfolio, not narrowed


def _principal(role: Role, front_end: FrontEnd, employers: set[int]) -> Principal:
    return Principal(1, "u", "U", front_end, frozenset({role.value}), frozenset(employers), office_id=3)


def test_an_employer_route_has_its_acting_twin() -> None:
    assert acting_route("/employer/participants") == "/intermediary/employers/[employer_id]/participants"
    assert acting_route("/employer/participants/[number]") == (
        "/intermediary/employers/[employer_id]/participants/[number]"
    )
    assert acting_route("/employer") == "/intermediary/employers/[employer_id]"
    for not_employer in ("/employee", "/employers/x", "/intermediary", "/employerx/participants"):
        with pytest.raises(ValueError):
            acting_route(not_employer)


@pytest.mark.parametrize(
    ("path", "employer"),
    [
        ("/intermediary/employers/12/participants", "12"),
        ("/intermediary/employers/12", "12"),
        ("/intermediary/employers/12/participants/100001?scheme=3", "12"),
        ("/intermediary/employers/abc/documents", "abc"),  # untrusted text: checked by ``acting_for``
        ("intermediary/employers/7/", "7"),
        ("/intermediary/employers", None),
        ("/intermediary/employers/", None),
        ("/intermediary", None),
        ("/intermediary/tasks", None),
        ("/employer/participants", None),
        ("/x/intermediary/employers/12", None),
        ("/intermediary/employer/12/participants", None),
    ],
)
def test_the_employer_an_address_names(path: str, employer: str | None) -> None:
    assert acting_employer(path) == employer


def test_every_acted_employer_page_is_in_the_table_for_advisers_only() -> None:
    assert acting_base(12) == "/intermediary/employers/12"
    for route in ACTED:
        path = acting_route(route).replace("[employer_id]", "12").replace("[number]", "100001")
        assert may_open(ACCESS, path, FrontEnd.INTERMEDIARY, ADVISER), path
        for other in (FrontEnd.EMPLOYER, FrontEnd.EMPLOYEE):
            assert not may_open(ACCESS, path, other, permissions_for(list(Role))), path
    assert not may_open(ACCESS, "/intermediary/employers/12/users", FrontEnd.INTERMEDIARY, ADVISER)
    assert not may_open(ACCESS, "/intermediary/employers/12/nothing", FrontEnd.INTERMEDIARY, ADVISER)


def test_an_adviser_holds_the_employers_permissions_only_while_acting_for_one_employer() -> None:
    assert frozenset({Perm.PORTFOLIO_VIEW, Perm.ACT_FOR_EMPLOYER}) == PORTFOLIO_ONLY
    employer_side = permissions_for([Role.USER_MANAGEMENT]) - {Perm.USERS_MANAGE}
    assert employer_side <= ADVISER and Perm.USERS_MANAGE not in ADVISER
    assert permissions_for([Role.HR], acting=True) == permissions_for([Role.HR])  # no one else gains anything
    for route in ACTED:
        path = acting_route(route).replace("[employer_id]", "12").replace("[number]", "100001")
        rule = next(r for r in ACCESS if r.route == acting_route(route))
        assert may_open(ACCESS, path, FrontEnd.INTERMEDIARY, PORTFOLIO_ONLY) == (rule.perm is None), path


def test_the_acting_menu_holds_the_employers_pages_and_the_top_menu_none_of_them() -> None:
    menu = acting_menu(ACCESS, 12, ADVISER)
    routes = [route for route, _key in menu]
    assert routes[0] == "/intermediary/employers/12"
    assert "/intermediary/employers/12/participants" in routes and "/intermediary/employers/12/documents" in routes
    assert all(route.startswith("/intermediary/employers/12") and "[" not in route for route in routes)
    top = menu_for(ACCESS, FrontEnd.INTERMEDIARY, ADVISER)
    assert top and not any("/employers/" in route for route, _key in top)


def test_the_acting_menu_follows_the_permissions_and_the_front_end() -> None:
    rules = [
        Access("/intermediary/employers/[employer_id]", FrontEnd.INTERMEDIARY, None, "home"),
        Access("/intermediary/employers/[employer_id]/a", FrontEnd.INTERMEDIARY, Perm.EXPORT, "a"),
        Access("/intermediary/employers/[employer_id]/b", FrontEnd.INTERMEDIARY, Perm.USERS_MANAGE, "b"),
        Access("/intermediary/employers/[employer_id]/c", FrontEnd.INTERMEDIARY, None, None),
        Access("/intermediary/employers/[employer_id]x/d", FrontEnd.INTERMEDIARY, None, "d"),
        Access("/employer/e", FrontEnd.EMPLOYER, None, "e"),
        Access("/intermediary/f", FrontEnd.INTERMEDIARY, None, "f"),
    ]
    assert acting_menu(rules, 5, ADVISER) == [
        ("/intermediary/employers/5", "home"),
        ("/intermediary/employers/5/a", "a"),
    ]
    assert menu_for(rules, FrontEnd.INTERMEDIARY, ADVISER) == [("/intermediary/f", "f")]


def test_acting_narrows_an_adviser_to_one_employer_of_the_portfolio() -> None:
    adviser = _principal(Role.ADVISER, FrontEnd.INTERMEDIARY, {7, 8})
    narrowed = acting_for(adviser, "7")
    assert narrowed.employer_ids == frozenset({7}) and narrowed.user_id == adviser.user_id
    assert narrowed.office_id == 3 and narrowed.roles == adviser.roles
    assert not adviser.can(Perm.PARTICIPANTS_VIEW) and not adviser.can(Perm.MUTATIONS_SUBMIT)
    assert narrowed.perms == ADVISER and narrowed.can(Perm.MUTATIONS_SUBMIT)


@pytest.mark.parametrize("raw", ["9", 9, "0", "-7", "7.0", "", " ", "abc", None, True, 2**40, ["7"]])
def test_acting_outside_the_portfolio_or_with_a_bad_id_is_out_of_portfolio(raw: object) -> None:
    with pytest.raises(NoAccess) as refused:
        acting_for(_principal(Role.ADVISER, FrontEnd.INTERMEDIARY, {7, 8}), raw)
    assert refused.value.reason == OUT_OF_PORTFOLIO


@pytest.mark.parametrize(
    ("role", "front_end", "reason"),
    [(Role.HR, FrontEnd.EMPLOYER, "wrong_front_end"), (Role.EMPLOYEE, FrontEnd.EMPLOYEE, "wrong_front_end")],
)
def test_only_an_adviser_acts_for_an_employer(role: Role, front_end: FrontEnd, reason: str) -> None:
    with pytest.raises(NoAccess) as refused:
        acting_for(_principal(role, front_end, {7}), "7")
    assert refused.value.reason == reason
    with pytest.raises(NoAccess) as nobody:
        acting_for(None, "7")
    assert nobody.value.reason == "not_signed_in"


@pytest.mark.parametrize(
    ("path", "address"),
    [
        ("/employer", "/intermediary/employers/12"),
        ("/employer/company#me", "/intermediary/employers/12/company#me"),
        ("/employer/scheme?scheme=3", "/intermediary/employers/12/scheme?scheme=3"),
        ("/employer/participants/100001", "/intermediary/employers/12/participants/100001"),
        ("/employerx/participants", "/employerx/participants"),
        ("statement:7", "statement:7"),
        ("/intermediary/changes", "/intermediary/changes"),
    ],
)
def test_an_employer_address_as_the_adviser_acting_for_it_opens_it(path: str, address: str) -> None:
    assert acting_address(path, 12) == address
