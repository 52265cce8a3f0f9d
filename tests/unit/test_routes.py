"""The route table (``portal.pages.routes``) drives both the pages the app registers and the guard's rules and
menus: every registered page comes from it, every guarded page runs the guard first, every menu entry is a
registered page, and a route that is not in the table is refused by the guard."""

from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import replace

import pytest
import reflex as rx

import portal.state.auth as auth
from portal.domain.roles import EMPLOYER_ROLES, FrontEnd, Perm, Role, access_for, menu_for, permissions_for
from portal.pages.routes import ACCESS, ROUTES
from portal.portal import app
from portal.services.principal import Principal
from portal.state.auth import SessionState
from portal.state.binding import _PAGE_STATES

ALL_PERMS = frozenset(Perm)


def _sample(route: str) -> str:
    """A browser path that opens ``route`` (a value for each bracketed segment)."""
    return re.sub(r"\[[^/]+\]", "42", route)


def _key(route: str) -> str:
    """Reflex's key of a registered route."""
    return route.strip("/") or "index"


def test_the_app_registers_exactly_the_pages_of_the_table() -> None:
    assert set(app._unevaluated_pages) == {_key(p.route) for p in ROUTES}
    assert len({p.route for p in ROUTES}) == len(ROUTES), "a route is declared once"


@pytest.mark.parametrize("page", ROUTES, ids=lambda p: p.route)
def test_every_page_loads_as_the_table_says(page) -> None:
    loads = app.get_load_events(_sample(page.route))
    assert [h.fn for h in loads] == [h.fn for h in page.load_events]
    guarded = page.front_end is not None
    assert (loads[0].fn is SessionState.guard.fn) == guarded, "a front end's page runs the guard first"
    assert sum(h.fn is SessionState.guard.fn for h in loads) == (1 if guarded else 0)
    for state in (*page.shows, *(h.state for h in page.load_events)):
        assert state.get_full_name() in _PAGE_STATES[page.route.strip("/")], "a page load keeps what it shows"


def test_every_guarded_page_has_its_rule_and_lives_under_its_front_end() -> None:
    guarded = [p for p in ROUTES if p.front_end is not None]
    assert [p.access for p in guarded] == list(ACCESS)
    for page in guarded:
        assert page.route == f"/{page.front_end}" or page.route.startswith(f"/{page.front_end}/")
        assert access_for(ACCESS, _sample(page.route)) == page.access
    for page in ROUTES:
        if page.front_end is None:
            assert access_for(ACCESS, page.route) is None and page.perm is None and page.menu is None


def test_the_guard_was_given_the_table() -> None:
    assert list(auth._ACCESS) == list(ACCESS)


@pytest.mark.parametrize("front_end", list(FrontEnd))
def test_every_menu_entry_is_a_registered_guarded_page_of_its_front_end(front_end: FrontEnd) -> None:
    menu = menu_for(ACCESS, front_end, ALL_PERMS)
    assert menu, "every front end has a menu"
    assert menu[0][0] == f"/{front_end}", "the menu starts at the front end's home"
    for route, _label in menu:
        assert _key(route) in app._unevaluated_pages
        rule = access_for(ACCESS, route)
        assert rule is not None and rule.front_end == front_end


def test_the_menus_keep_their_order_and_entries() -> None:
    assert [route for route, _ in menu_for(ACCESS, FrontEnd.EMPLOYER, ALL_PERMS)] == [
        "/employer",
        "/employer/participants",
        "/employer/participants/new",
        "/employer/collective",
        "/employer/changes",
        "/employer/export",
        "/employer/documents",
        "/employer/forms",
        "/employer/scheme",
        "/employer/company",
        "/employer/users",
        "/employer/api-keys",
        "/employer/service",
    ]
    # EMP-1: "Service & contact" is for every employer role (each sees its entry, and its tile on the home)
    for role in EMPLOYER_ROLES:
        perms = permissions_for([role])
        assert ("/employer/service", "menu.service") in menu_for(ACCESS, FrontEnd.EMPLOYER, perms)
    assert menu_for(ACCESS, FrontEnd.EMPLOYEE, frozenset({Perm.OWN_DATA_VIEW})) == [
        ("/employee", "menu.contracts"),
        ("/employee/documents", "menu.my_documents"),
        ("/employee/profile", "menu.profile"),
        ("/employee/faq", "menu.faq"),
        ("/employee/calculators", "menu.calculators"),
    ]


def test_the_production_app_has_no_benchmark_page() -> None:
    assert not [key for key in app._unevaluated_pages if key.startswith("bench")]


# The guard itself, run without a browser or database: who is signed in and the path are given, the audit
# entry of a refusal is caught.


def _principal(front_end: FrontEnd, *roles: str) -> Principal:
    return Principal(
        user_id=1,
        username="u",
        display_name="U",
        front_end=front_end,
        roles=frozenset(roles),
        employer_ids=frozenset({2}),
    )


@pytest.fixture
def guard(monkeypatch: pytest.MonkeyPatch):
    """Run the real guard for ``principal`` on ``path``; returns (its answer, the audit entries it wrote)."""
    audited: list[tuple[str, str]] = []

    @contextmanager
    def no_db():
        yield None

    monkeypatch.setattr(auth, "session_scope", no_db)
    monkeypatch.setattr(auth, "session_token", lambda state: "token")
    monkeypatch.setattr(auth.audit, "record", lambda db, kind, **kw: audited.append((kind, kw["object_id"])))

    async def run(principal: Principal, path: str):
        monkeypatch.setattr(auth, "current_principal", lambda state, touch=True: principal)
        monkeypatch.setattr(auth, "current_path", lambda state: path)
        audited.clear()
        root = rx.State(_reflex_internal_init=True)
        session = await root.get_state(SessionState)
        answer = await session.guard()
        return answer, list(audited), session

    return run


async def test_the_guard_lets_a_principal_open_a_page_of_the_table(guard) -> None:
    answer, audited, session = await guard(_principal(FrontEnd.EMPLOYER, Role.HR), "/employer/participants/100001")
    assert answer is None and audited == []
    assert session.loaded_path == "/employer/participants/100001"
    assert ["/employer/participants", "menu.participants"] in session.menu


@pytest.mark.parametrize(
    ("principal", "path"),
    [
        (_principal(FrontEnd.EMPLOYER, Role.HR), "/employer/something-later"),  # not in the table
        (_principal(FrontEnd.EMPLOYER, Role.HR), "/employer/participants/1/2"),  # not in the table
        (_principal(FrontEnd.EMPLOYER, Role.HR), "/employeeish"),  # not in the table
        (_principal(FrontEnd.EMPLOYER, Role.HR), "/employer/users"),  # in the table, permission missing
        (_principal(FrontEnd.EMPLOYER, Role.HR), "/employer/api-keys"),  # API keys: user management only
        (_principal(FrontEnd.EMPLOYER, Role.FINANCE), "/employer/participants/100001"),
        (_principal(FrontEnd.EMPLOYEE, Role.EMPLOYEE), "/employer"),  # another front end
        (_principal(FrontEnd.INTERMEDIARY, Role.ADVISER), "/employer/participants"),
    ],
)
async def test_the_guard_refuses_and_audits_what_the_table_does_not_allow(guard, principal, path) -> None:
    answer, audited, _session = await guard(principal, path)
    assert answer is not None, "refused: sent to the no-access page"
    assert audited == [("access.denied", path)]


async def test_without_the_table_the_guard_refuses_everything(guard, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(auth, "_ACCESS", [])
    answer, audited, session = await guard(_principal(FrontEnd.EMPLOYER, Role.USER_MANAGEMENT), "/employer")
    assert answer is not None and audited == [("access.denied", "/employer")]
    assert session.menu == []


def test_finance_opens_what_its_menu_shows() -> None:
    perms = permissions_for([Role.FINANCE])
    for route, _ in menu_for(ACCESS, FrontEnd.EMPLOYER, perms):
        rule = access_for(ACCESS, route)
        assert rule is not None and (rule.perm is None or rule.perm in perms)


async def test_a_second_page_load_sends_no_unchanged_language_or_texts_again(
    guard, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The guard fills who is signed in on every page load; what did not change is not assigned again, so the
    texts of the language (``t``, every message) are not sent to the browser once more."""
    me = replace(_principal(FrontEnd.EMPLOYER, Role.HR), language="en")
    _answer, _audited, session = await guard(me, "/employer/participants")
    assert session.lang == "en" and {"lang", "menu", "user_name"} <= session.dirty_vars
    session._clean()
    assert await session.guard() is None  # the next page load of the same user
    assert session.dirty_vars <= {"loaded_path"}
    assert "t" not in (await session._get_resolved_delta()).get(session.get_full_name(), {})
    monkeypatch.setattr(auth, "current_principal", lambda state, touch=True: replace(me, language="nl"))
    assert await session.guard() is None  # the language changed elsewhere: it is sent
    assert session.lang == "nl" and "lang" in session.dirty_vars
