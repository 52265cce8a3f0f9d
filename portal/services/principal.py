"""The Principal (who is acting, in which scope) and the one place where scope and roles are checked."""

from __future__ import annotations

from dataclasses import dataclass, field

from portal.domain.roles import FrontEnd, Perm, permissions_for


class NoAccess(Exception):
    """Raised by services when a principal may not read or do something (AUTH-5)."""

    def __init__(self, reason: str = "no_access") -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Principal:
    """The signed-in user as established from the server-side session, never from the browser."""

    user_id: int
    username: str
    display_name: str
    front_end: FrontEnd
    roles: frozenset[str]
    employer_ids: frozenset[int] = frozenset()  # employer users: own company/group; advisers: portfolio
    office_id: int | None = None
    person_id: int | None = None
    language: str = "nl"
    theme: str = "light"
    session_id: int | None = None
    perms: frozenset[Perm] = field(default=frozenset())

    def __post_init__(self) -> None:
        if not self.perms:
            object.__setattr__(self, "perms", permissions_for(self.roles))

    def can(self, perm: Perm) -> bool:
        """Whether the principal holds ``perm`` through any of its roles."""
        return perm in self.perms


def require(principal: Principal | None, perm: Perm | None = None, front_end: FrontEnd | None = None) -> Principal:
    """Return the principal if it is signed in, on ``front_end`` and holds ``perm``; else raise NoAccess."""
    if principal is None:
        raise NoAccess("not_signed_in")
    if front_end is not None and principal.front_end != front_end:
        raise NoAccess("wrong_front_end")
    if perm is not None and not principal.can(perm):
        raise NoAccess("missing_role")
    return principal


def require_employer(principal: Principal | None, employer_id: object, perm: Perm | None = None) -> int:
    """Check that ``employer_id`` (untrusted input) is within the principal's scope; return it as int."""
    p = require(principal, perm)
    try:
        eid = int(employer_id)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise NoAccess("bad_id") from None
    if eid not in p.employer_ids:
        raise NoAccess("out_of_scope")
    return eid


def require_person(principal: Principal | None, person_id: object) -> int:
    """An employee may only reach their own person record."""
    p = require(principal, Perm.OWN_DATA_VIEW)
    try:
        pid = int(person_id)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise NoAccess("bad_id") from None
    if p.person_id is None or pid != p.person_id:
        raise NoAccess("out_of_scope")
    return pid
