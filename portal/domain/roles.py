"""Roles, the permissions they carry (AUTH-4), and which front end a role belongs to."""

from __future__ import annotations

from collections.abc import Iterable
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
    Role.ADVISER: frozenset(_HR | _FINANCE | {Perm.PORTFOLIO_VIEW, Perm.ACT_FOR_EMPLOYER}),
    Role.EMPLOYEE: frozenset({Perm.OWN_DATA_VIEW}),
}


def permissions_for(roles: Iterable[str]) -> frozenset[Perm]:
    """The union of the permissions of ``roles`` (roles are combinable on one account)."""
    out: set[Perm] = set()
    for role in roles:
        out |= PERMISSIONS_OF_ROLE.get(role, frozenset())
    return frozenset(out)


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


# Employer menu: (route, message key of the label, permission needed; None = everyone on this front end)
EMPLOYER_MENU: tuple[tuple[str, str, Perm | None], ...] = (
    ("/employer", "menu.home", None),
    ("/employer/participants", "menu.participants", Perm.PARTICIPANTS_VIEW),
    ("/employer/participants/new", "menu.new_participant", Perm.MUTATIONS_SUBMIT),
    ("/employer/collective", "menu.collective", Perm.MUTATIONS_SUBMIT),
    ("/employer/changes", "menu.changes", Perm.PARTICIPANTS_VIEW),
    ("/employer/export", "menu.export", Perm.EXPORT),
    ("/employer/documents", "menu.documents", None),
    ("/employer/scheme", "menu.scheme", Perm.SCHEME_VIEW),
    ("/employer/company", "menu.company", Perm.COMPANY_VIEW),
    ("/employer/users", "menu.users", Perm.USERS_MANAGE),
)

INTERMEDIARY_MENU: tuple[tuple[str, str, Perm | None], ...] = (
    ("/intermediary", "menu.portfolio", None),
    ("/intermediary/tasks", "menu.tasks", None),
    ("/intermediary/couplings", "menu.couplings", None),
)

EMPLOYEE_MENU: tuple[tuple[str, str, Perm | None], ...] = (
    ("/employee", "menu.contracts", None),
    ("/employee/documents", "menu.my_documents", None),
    ("/employee/profile", "menu.profile", None),
    ("/employee/faq", "menu.faq", None),
)

MENU_OF_FRONT_END = {
    FrontEnd.EMPLOYER: EMPLOYER_MENU,
    FrontEnd.INTERMEDIARY: INTERMEDIARY_MENU,
    FrontEnd.EMPLOYEE: EMPLOYEE_MENU,
}


def menu_for(front_end: FrontEnd | str, perms: frozenset[Perm]) -> list[tuple[str, str]]:
    """Menu entries (route, label key) that a principal with ``perms`` may see on ``front_end``."""
    entries = MENU_OF_FRONT_END[FrontEnd(front_end)]  # every front end has a menu
    return [(route, key) for route, key, need in entries if need is None or need in perms]


def route_permission(path: str) -> tuple[FrontEnd | None, Perm | None]:
    """The front end and permission a route needs (longest matching menu prefix wins)."""
    clean = "/" + path.strip("/")
    best: tuple[int, FrontEnd | None, Perm | None] = (-1, None, None)
    for end, entries in MENU_OF_FRONT_END.items():
        for route, _key, need in entries:
            if (clean == route or clean.startswith(route + "/")) and len(route) > best[0]:
                best = (len(route), end, need)
    return best[1], best[2]
