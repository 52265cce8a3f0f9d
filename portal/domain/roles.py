"""Roles, the permissions they carry (AUTH-4), which front end a role belongs to, and the rules by which a
route is opened (the rules themselves are declared with the pages, in ``portal.pages.routes``)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    USER_MANAGEMENT = "user_management"
    HR = "hr"
    FINANCE = "finance"
    ADVISER = "adviser"
    EMPLOYEE = "employee"


class FrontEnd(StrEnum):
    EMPLOYER = "employer"
    INTERMEDIARY = "intermediary"
    EMPLOYEE = "employee"


EMPLOYER_ROLES = frozenset({Role.USER_MANAGEMENT, Role.HR, Role.FINANCE})
ROLE_ORDER: tuple[str, ...] = (Role.USER_MANAGEMENT, Role.HR, Role.FINANCE)  # employer roles as listed on screen

FRONT_END_OF_ROLE: dict[str, FrontEnd] = {
    Role.USER_MANAGEMENT: FrontEnd.EMPLOYER,
    Role.HR: FrontEnd.EMPLOYER,
    Role.FINANCE: FrontEnd.EMPLOYER,
    Role.ADVISER: FrontEnd.INTERMEDIARY,
    Role.EMPLOYEE: FrontEnd.EMPLOYEE,
}


class Perm(StrEnum):
    """Things a principal may do; services check these, shells show menu entries by them."""

    PARTICIPANTS_VIEW = "participants.view"
    MUTATIONS_SUBMIT = "mutations.submit"
    EXPORT = "export"
    DOCUMENTS_FINANCIAL = "documents.financial"
    DOCUMENTS_LEGAL = "documents.legal"
    SCHEME_VIEW = "scheme.view"
    COMPANY_VIEW = "company.view"
    COMPANY_EDIT_CONTACT = "company.edit_contact"
    USERS_MANAGE = "users.manage"
    PORTFOLIO_VIEW = "portfolio.view"
    ACT_FOR_EMPLOYER = "act_for_employer"
    OWN_DATA_VIEW = "own_data.view"


_HR = {
    Perm.PARTICIPANTS_VIEW,
    Perm.MUTATIONS_SUBMIT,
    Perm.EXPORT,
    Perm.DOCUMENTS_LEGAL,
    Perm.SCHEME_VIEW,
    Perm.COMPANY_VIEW,
}
_FINANCE = {Perm.DOCUMENTS_FINANCIAL, Perm.SCHEME_VIEW, Perm.COMPANY_VIEW, Perm.COMPANY_EDIT_CONTACT}

PERMISSIONS_OF_ROLE: dict[str, frozenset[Perm]] = {
    # User management: everything on the employer side, and may create accounts.
    Role.USER_MANAGEMENT: frozenset(_HR | _FINANCE | {Perm.USERS_MANAGE}),
    Role.HR: frozenset(_HR),
    Role.FINANCE: frozenset(_FINANCE),
    # An adviser's own: the portfolio, and acting for one employer in it (INT-1, INT-2).
    Role.ADVISER: frozenset({Perm.PORTFOLIO_VIEW, Perm.ACT_FOR_EMPLOYER}),
    Role.EMPLOYEE: frozenset({Perm.OWN_DATA_VIEW}),
}

# What a role may do on an employer's pages only while it acts for that one employer (INT-2): an adviser holds
# the employer's permissions for the employer of the page and never across the portfolio, so an employer
# service refuses an adviser whose principal was not narrowed to one employer (whatever the browser sends).
ACTING_PERMISSIONS_OF_ROLE: dict[str, frozenset[Perm]] = {Role.ADVISER: frozenset(_HR | _FINANCE)}


def permissions_for(roles: Iterable[str], acting: bool = False) -> frozenset[Perm]:
    """The union of the permissions of ``roles`` (roles are combinable on one account); ``acting``: while acting
    for one employer, with the permissions a role has there (``ACTING_PERMISSIONS_OF_ROLE``)."""
    out: set[Perm] = set()
    for role in roles:
        out |= PERMISSIONS_OF_ROLE.get(role, frozenset())
        if acting:
            out |= ACTING_PERMISSIONS_OF_ROLE.get(role, frozenset())
    return frozenset(out)


def may_change_scheme_settings(front_end: FrontEnd | str | None, perms: frozenset[Perm]) -> bool:
    """Whether someone may change a scheme's settings (auto-enrolment of new employees, a coupling prerequisite):
    an adviser of the intermediary front end, for the employers of the portfolio. An employer's own users may not
    (EMP-7: scheme changes go through the adviser or the insurer)."""
    return front_end == FrontEnd.INTERMEDIARY and Perm.ACT_FOR_EMPLOYER in perms


def front_end_for(roles: Iterable[str]) -> FrontEnd | None:
    """The front end an account lands on; employer roles win over others, then intermediary."""
    ends = {FRONT_END_OF_ROLE[r] for r in roles if r in FRONT_END_OF_ROLE}
    for end in (FrontEnd.EMPLOYER, FrontEnd.INTERMEDIARY, FrontEnd.EMPLOYEE):
        if end in ends:
            return end
    return None


def home_path(front_end: FrontEnd | str | None) -> str:
    """The landing route of a front end (``/login`` when there is none)."""
    return f"/{front_end}" if front_end else "/login"


@dataclass(frozen=True)
class Access:
    """Who may open a route: someone signed in on ``front_end`` who holds ``perm`` (None: everyone there);
    ``menu`` is the message key of its menu entry (None: not in the menu). ``route`` is as registered, a
    segment in brackets (``/employer/participants/[number]``) standing for any one segment."""

    route: str
    front_end: FrontEnd
    perm: Perm | None = None
    menu: str | None = None

    def matches(self, path: str) -> bool:
        """Whether the browser path ``path`` opens this route."""
        want = _segments(self.route)
        got = _segments(path)
        return len(want) == len(got) and all(map(_segment_matches, want, got))

    @property
    def dynamic(self) -> bool:
        return "[" in self.route


def _segment_matches(want: str, got: str) -> bool:
    """A route's segment against a path's: equal, or a bracketed one against any segment that is not empty."""
    return want == got or (want.startswith("[") and want.endswith("]") and got != "")


def _segments(path: str) -> list[str]:
    """The segments of a path without its query (the root is one empty segment)."""
    return path.partition("?")[0].strip("/").split("/")


def access_for(rules: Iterable[Access], path: str) -> Access | None:
    """The rule of the route that ``path`` opens (the route with the fewest bracketed segments first, as the
    router does: ``/employer/participants/new`` is not participant "new", nor
    ``/intermediary/employers/7/participants/new``, whatever the order of the rules); None when none matches."""
    found = [rule for rule in rules if rule.matches(path)]
    found.sort(key=lambda rule: rule.route.count("["))  # the fewer bracketed segments, the more specific
    return found[0] if found else None


def may_open(rules: Iterable[Access], path: str, front_end: FrontEnd | str, perms: frozenset[Perm]) -> bool:
    """Whether someone on ``front_end`` holding ``perms`` may open ``path``: a route without a rule is refused."""
    rule = access_for(rules, path)
    return rule is not None and rule.front_end == front_end and (rule.perm is None or rule.perm in perms)


def menu_for(rules: Iterable[Access], front_end: FrontEnd | str, perms: frozenset[Perm]) -> list[tuple[str, str]]:
    """The menu entries (route, label key) of ``front_end`` that a principal with ``perms`` may open, in the
    order of ``rules`` (routes with a bracketed segment excepted: they cannot be linked as they stand)."""
    return [
        (rule.route, rule.menu)
        for rule in rules
        if rule.menu is not None
        and not rule.dynamic  # a route with a bracketed segment is a menu of its own (``acting_menu``)
        and rule.front_end == front_end
        and (rule.perm is None or rule.perm in perms)
    ]


# Acting for an employer (INT-2): every employer page again under the employer's address in the portfolio.
EMPLOYER_BASE = "/employer"
ACTING_BASE = "/intermediary/employers"
ACTING_PARAM = "employer_id"


def acting_route(employer_route: str) -> str:
    """The acting route of an employer page: ``/employer/participants`` →
    ``/intermediary/employers/[employer_id]/participants`` (the employer home is the summary page itself)."""
    if employer_route != EMPLOYER_BASE and not employer_route.startswith(EMPLOYER_BASE + "/"):
        raise ValueError(f"not an employer route: {employer_route}")
    return f"{ACTING_BASE}/[{ACTING_PARAM}]{employer_route[len(EMPLOYER_BASE) :]}"


def acting_employer(path: str) -> str | None:
    """The employer segment of a path under ``/intermediary/employers/<id>`` (untrusted text, as the browser
    sent it), or None for any other path: on such a path every event acts for that one employer."""
    segments = _segments(path)
    if segments[:2] != ACTING_BASE.strip("/").split("/") or len(segments) < 3 or segments[2] == "":
        return None
    return segments[2]


def acting_base(employer_id: int | str) -> str:
    """Where the pages of one employer live for an adviser (the prefix of every link on them)."""
    return f"{ACTING_BASE}/{employer_id}"


def acting_address(path: str, employer_id: int | str) -> str:
    """An employer front end's address (``/employer/...``, with its query or anchor) as an adviser acting for
    ``employer_id`` opens it; any other address as it is."""
    rest = path[len(EMPLOYER_BASE) :]
    if not path.startswith(EMPLOYER_BASE) or rest[:1] not in ("", "/", "?", "#"):
        return path
    return acting_base(employer_id) + rest


def acting_menu(rules: Iterable[Access], employer_id: int, perms: frozenset[Perm]) -> list[tuple[str, str]]:
    """The menu of the pages an adviser with ``perms`` opens for one employer (routes under ``acting_route``
    with a menu entry), with the employer's id in their addresses, in the order of ``rules``."""
    pattern = f"{ACTING_BASE}/[{ACTING_PARAM}]"
    base = acting_base(employer_id)
    return [
        (base + rule.route[len(pattern) :], rule.menu)
        for rule in rules
        if rule.menu is not None
        and rule.front_end == FrontEnd.INTERMEDIARY
        and (rule.route == pattern or rule.route.startswith(pattern + "/"))
        and (rule.perm is None or rule.perm in perms)
    ]
