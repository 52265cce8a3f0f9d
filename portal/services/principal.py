"""The Principal (who is acting, in which scope) and the one place where scope and roles are checked."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from sqlmodel import Session, select

from portal.domain.roles import FrontEnd, Perm, permissions_for
from portal.models import Person


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
    acting_employer_id: int | None = None  # an adviser narrowed to one employer of the portfolio (``acting_for``)
    channel: str = "portal"  # how the request came in: portal, or api (a payroll package with an API key, API-1)
    api_key_id: int | None = None  # channel api: the key the request came with (its principal has no account)

    def __post_init__(self) -> None:
        if not self.perms:
            object.__setattr__(self, "perms", permissions_for(self.roles))

    def can(self, perm: Perm) -> bool:
        """Whether the principal holds ``perm`` through any of its roles."""
        return perm in self.perms


@dataclass(frozen=True)
class Acting:
    """Who acts for whom (INT-2): set when an adviser works for an employer, empty when the employer's own user
    acts. ``by`` (``office:<id>``) is stored on what the adviser makes (mutation, batch, export); ``for_employer``
    (``employer:<id>``) on the audit event. The one place these two formats are made."""

    by: str = ""
    for_employer: str = ""

    def __bool__(self) -> bool:
        return bool(self.by)

    @classmethod
    def recorded(cls, by: str, employer_id: int) -> Acting:
        """The acting of a stored change (``by`` as stored), e.g. for the audit event of a job that applies it."""
        return cls(by, f"employer:{employer_id}") if by else cls()


def acting(principal: Principal, employer_id: int) -> Acting:
    """Whether ``principal`` acts on behalf of employer ``employer_id`` (an adviser may; see ``Acting``)."""
    if principal.can(Perm.ACT_FOR_EMPLOYER):
        return Acting(f"office:{principal.office_id or ''}", f"employer:{employer_id}")
    return Acting()


OUT_OF_PORTFOLIO = "out_of_portfolio"


def acting_for(principal: Principal | None, employer_id: object) -> Principal:
    """The principal narrowed to the one employer an adviser acts for (INT-2): ``employer_id`` is untrusted (the
    address the browser is on) and must be in the adviser's portfolio, read on this very request. Only the narrowed
    principal holds the employer's permissions (``permissions_for(..., acting=True)``): every employer service
    then works for that one employer, and refuses the adviser's un-narrowed principal. Anyone who may not act
    for an employer is refused."""
    p = require(principal, Perm.ACT_FOR_EMPLOYER, FrontEnd.INTERMEDIARY)
    try:
        eid = id_of(employer_id)
    except NoAccess:
        raise NoAccess(OUT_OF_PORTFOLIO) from None
    if eid not in p.employer_ids:
        raise NoAccess(OUT_OF_PORTFOLIO)
    return replace(
        p, employer_ids=frozenset({eid}), perms=permissions_for(p.roles, acting=True), acting_employer_id=eid
    )


def require(principal: Principal | None, perm: Perm | None = None, front_end: FrontEnd | None = None) -> Principal:
    """Return the principal if it is signed in, on ``front_end`` and holds ``perm``; else raise NoAccess."""
    if principal is None:
        raise NoAccess("not_signed_in")
    if front_end is not None and principal.front_end != front_end:
        raise NoAccess("wrong_front_end")
    if perm is not None and not principal.can(perm):
        raise NoAccess("missing_role")
    return principal


MAX_ID = 2**31 - 1


def id_of(raw: object) -> int:
    """A database id from untrusted input (event arguments, query strings, links): an int or its digits,
    1 .. 2**31 - 1. Anything else (bools, floats, text, negative or huge numbers) is NoAccess("bad_id")."""
    if isinstance(raw, bool) or not isinstance(raw, int | str):
        raise NoAccess("bad_id")
    text = str(raw).strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 10 or not 0 < int(text) <= MAX_ID:
        raise NoAccess("bad_id")
    return int(text)


def require_employer(principal: Principal | None, employer_id: object, perm: Perm | None = None) -> int:
    """Check that ``employer_id`` (untrusted input) is within the principal's scope; return it as int."""
    p = require(principal, perm)
    eid = id_of(employer_id)
    if eid not in p.employer_ids:
        raise NoAccess("out_of_scope")
    return eid


def require_person(principal: Principal | None, person_id: object) -> int:
    """An employee may only reach the person record their account is linked to (see ``require_own_person``
    for their records at other employers)."""
    p = require(principal, Perm.OWN_DATA_VIEW)
    pid = id_of(person_id)
    if p.person_id is None or pid != p.person_id:
        raise NoAccess("out_of_scope")
    return pid


def own_person_ids(db: Session, principal: Principal | None) -> frozenset[int]:
    """An employee's person records: every employer holds its own record of a person, and the natural person
    behind them is the national id (BSN) of the record the account is linked to — together with its birth
    date, so that a BSN another employer mistyped (someone else's valid number) does not show that
    employer's data to the real holder of the number. Read on every call (a new employer's record counts at
    once); NoAccess for anyone who is not an employee with a person."""
    p = require(principal, Perm.OWN_DATA_VIEW)
    if p.person_id is None:
        raise NoAccess("out_of_scope")
    owned = records_of_same_person(db, p.person_id)
    if not owned:
        raise NoAccess("out_of_scope")
    return owned


def records_of_same_person(db: Session, person_id: int) -> frozenset[int]:
    """Every employer's record of the natural person behind record ``person_id``: the same BSN **and** birth
    date (the one rule for "the same human"; empty when the record does not exist)."""
    own = db.get(Person, person_id)
    if own is None:
        return frozenset()
    same = select(Person.id).where(Person.bsn == own.bsn, Person.birth_date == own.birth_date)
    return frozenset(i for i in db.exec(same).all() if i is not None)


def require_own_person(db: Session, principal: Principal | None, person_id: object) -> int:
    """``person_id`` (untrusted) is one of the employee's own records (any employer); else NoAccess."""
    owned = own_person_ids(db, principal)
    pid = id_of(person_id)
    if pid not in owned:
        raise NoAccess("out_of_scope")
    return pid
