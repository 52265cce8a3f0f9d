"""Participants of an employer, read side (EMP-2, EMP-1 tiles): scheme choice, the overview, counts.

Everything is decided on the server: the scheme id, search text, sort column, direction, status and
page come from the browser and are re-checked here (scope) or reduced to an allow-list (anything else
falls back to the default). As of today the overview reads the indexed ``participant_list`` table; for
another day it resolves the effective-dated versions directly (slower: every row of the scheme is
resolved before sorting). The detail page is in ``detail``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, and_, bindparam, case, func, join, literal, or_, select, union_all
from sqlmodel import Session, col

from portal.core import clock
from portal.core.config import get_settings
from portal.domain.identifiers import search_key
from portal.domain.retention import ENDED_STATUSES, last_hidden_end
from portal.models import (
    Employer,
    Employment,
    EmploymentVersion,
    Mutation,
    ParticipantListRow,
    Participation,
    Person,
)
from portal.services import audit
from portal.services.organisation.scheme_access import scheme_in_scope
from portal.services.participants import read_table as plist
from portal.services.participants.detail import parse_as_of
from portal.services.principal import NoAccess, Principal, require_employer

SORT_COLUMNS = ("number", "name", "date_in_service", "salary", "parttime", "status")
STATUSES = ("active", "dormant", "terminated", "retired")
OPEN_MUTATION_STATUSES = ("submitted", "needs_review")
DEFAULT_PAGE_SIZE = 25
MAX_PAGE_SIZE = 100
MAX_SEARCH = 100
SPARSE_MATCHES = 5_000  # up to this many search matches are sorted, not found by walking a sort index
DEFERRED_OFFSET = 500  # from this offset on, skip rows in the sort index only (ids first)

L = ParticipantListRow


@dataclass(frozen=True)
class ParticipantRow:
    """One line of the overview; amounts as Decimal (format with ``portal.i18n.formatting``)."""

    participation_id: int
    participant_number: str
    name: str  # "Assob, G., ter"
    date_in_service: date
    salary: Decimal | None
    parttime: Decimal | None
    status: str  # active, dormant, terminated, retired


@dataclass(frozen=True)
class ParticipantPage:
    """One page of the overview with the total number of matches and the filters actually applied."""

    rows: list[ParticipantRow]
    total: int
    page: int  # 1-based; clamped to the last page
    page_size: int
    sort: str = "name"
    direction: str = "asc"
    status: str = ""
    search: str = ""
    as_of: date = date.min  # the day shown
    data_version: int = 0  # the employer's change counter as read before the rows (live views compare it)

    @property
    def pages(self) -> int:
        """Number of pages (at least 1)."""
        return max(1, -(-self.total // self.page_size))


@dataclass
class TotalsMemo:
    """What earlier listings of one viewer found, kept by the caller between its requests (a page's
    server-side state; never anything the browser sent) so that a page turn or a new sort order does not
    count the matches again. Valid only for ``key``: the scheme, search text and day, and the employer's
    ``data_version`` read in the same transaction. Every change of participant data bumps that version
    in its own transaction, so a changed count is never taken from the memo."""

    key: tuple[Any, ...] = ()
    totals: dict[str, int] = field(default_factory=dict)  # status ('' = all) -> number of matches
    fresh: tuple[Any, ...] = ()  # (employer, day, data_version) for which ``refresh_due`` found nothing due


def _int(value: object, default: int) -> int:
    if isinstance(value, bool):
        return default
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return default


def _successor(prefix: str) -> str:
    """The smallest text greater than every text starting with ``prefix`` (code-point and UTF-8 order)."""
    code = ord(prefix[-1]) + 1
    if 0xD800 <= code <= 0xDFFF:  # surrogates cannot be stored: the next character is U+E000
        code = 0xE000
    return prefix[:-1] + chr(min(code, 0x10FFFF))


def _starts_with(column: Any, prefix: str) -> ColumnElement[bool]:
    """``column`` starts with ``prefix`` as an index range (works with the C / BINARY collation)."""
    return and_(column >= prefix, column < _successor(prefix))


@dataclass(frozen=True)
class _Search:
    """A search text taken apart: as typed (number prefix), folded (name), and the participations of the
    scheme whose person has the searched BSN."""

    raw: str
    folded: str
    by_bsn: tuple[int, ...]


def _parse_search(db: Session, text: str, scheme_id: int) -> _Search | None:
    """None for an empty search; a 9-digit text is also looked up as a BSN (exact)."""
    raw = "".join(ch for ch in text if ch.isprintable()).strip()[:MAX_SEARCH]  # no NUL, controls, surrogates
    if not raw:
        return None
    compact = raw.replace(" ", "").replace(".", "")
    by_bsn: tuple[int, ...] = ()
    if compact.isdigit() and len(compact) == 9:
        query = (
            select(Participation.id)
            .join(Person, col(Person.id) == Participation.person_id)
            .where(Person.bsn == compact, Participation.scheme_id == scheme_id)
        )
        by_bsn = tuple(db.connection().execute(query).scalars())
    folded = search_key(raw)
    return _Search(raw, "" if folded.replace(" ", "").isdigit() else folded, by_bsn)


def _ranges(search: _Search, walk: bool = False) -> list[ColumnElement[bool]]:
    """One condition per way of matching, each led by an index range: participant-number prefix, BSN,
    last name first (``assob``, ``Assob, G.``), or prefix first (``ter assob``, ``van der berg``: the words
    after the prefix start the sort key, the whole text starts the prefix-first key). ``walk``: written so
    that no index serves them (``coalesce(c, c)``), for a page that walks a sort index instead."""

    def c(column: Any) -> Any:
        return func.coalesce(column, column) if walk else column

    out = [_starts_with(c(L.participant_number), search.raw)]
    if search.by_bsn:
        out.append(c(L.participation_id).in_(search.by_bsn))
    if search.folded:
        out.append(_starts_with(c(L.sort_name), search.folded))
        words = search.folded.split(" ")
        prefix_first = _starts_with(L.search_name, search.folded)
        out += [and_(_starts_with(c(L.sort_name), " ".join(words[i:])), prefix_first) for i in range(1, len(words))]
    return out


def _search_ids(search: _Search, scheme_id: int) -> ColumnElement[bool]:
    """The listed participations of ``scheme_id`` that match, each way of matching its own index range,
    combined as ids (``IN (… UNION ALL …)``) so that SQLite's plan does not depend on statistics."""
    listed = L.listed_scheme_id == scheme_id
    ranges = _ranges(search)
    if len(ranges) == 1:
        return and_(listed, ranges[0])
    return col(L.participation_id).in_(union_all(*(select(L.participation_id).where(listed, r) for r in ranges)))


def _as_of_columns(day: date) -> dict[str, Any]:
    """SQL expressions for salary, part-time and status as of ``day`` (same rules as the list rows)."""
    terms_day = case(
        (and_(col(Employment.end_date).is_not(None), col(Employment.end_date) < day), Employment.end_date),
        else_=literal(day),
    )
    latest = (
        select(EmploymentVersion.id)
        .where(
            EmploymentVersion.employment_id == Employment.id,
            col(EmploymentVersion.superseded_at).is_(None),
            EmploymentVersion.valid_from <= terms_day,
        )
        .order_by(col(EmploymentVersion.valid_from).desc())
        .limit(1)
        .correlate(Employment)
        .scalar_subquery()
    )
    status = case(
        (and_(col(Participation.end_date).is_not(None), col(Participation.end_date) >= day), literal("active")),
        else_=Participation.status,
    )
    return {"latest": latest, "status": status}


def _page_args(page: object, page_size: object) -> tuple[int, int]:
    size = min(max(1, _int(page_size, DEFAULT_PAGE_SIZE)), MAX_PAGE_SIZE)
    return max(1, _int(page, 1)), size


@dataclass
class _Query:
    """The parts of one overview query: what to select from where, how to count, what to sort on."""

    columns: list[Any]
    source: Any
    conditions: list[ColumnElement[bool]]
    sort_columns: dict[str, Any]
    walk_conditions: list[ColumnElement[bool]] | None = None  # a search with many matches: walk, filter


def _today_query(db: Session, scheme_id: int, search: _Search | None, status: str) -> _Query:
    """The overview as of today: the indexed list rows (the caller first refreshes those where a dated
    change began)."""
    listed = L.listed_scheme_id == scheme_id
    by_status = [L.status == status] if status else []
    if search is None:
        conditions, walk = [listed, *by_status], None
    elif db.get_bind().dialect.name == "postgresql":
        # PostgreSQL weighs the ranges by their statistics (a BitmapOr, or walking the sort index).
        conditions, walk = [listed, *by_status, or_(*_ranges(search))], None
    else:
        # SQLite without statistics would walk the whole scheme for a rare name: steer it (see _page).
        conditions = [_search_ids(search, scheme_id), *by_status]
        walk = [listed, *by_status, or_(*_ranges(search, walk=True))]
    return _Query(
        columns=[L.participation_id, L.participant_number, L.name, L.date_in_service, L.salary, L.parttime, L.status],
        source=L,
        conditions=conditions,
        sort_columns={
            "number": L.participant_number,
            "name": L.sort_name,
            "date_in_service": L.date_in_service,
            "salary": L.salary,
            "parttime": L.parttime,
            "status": L.status,
        },
        walk_conditions=walk,  # type: ignore[arg-type]
    )


@dataclass(frozen=True)
class AsOf:
    """The effective-dated view of a scheme's participations on one day, as SQL: ``source`` joins the list
    rows (names), the participations, their employments and the employment version valid that day;
    ``salary``, ``parttime`` and ``status`` are that day's values; ``conditions`` keep the participations
    of the scheme that had started by then. One query shape for the overview and the export (MUT-3)."""

    source: Any
    salary: Any
    parttime: Any
    status: Any
    conditions: tuple[ColumnElement[bool], ...]


def as_of_view(scheme_id: int, day: date, listed: bool = True) -> AsOf:
    """The participations of ``scheme_id`` as of ``day`` (see ``AsOf``); callers add columns and filters.
    ``listed=False`` leaves out the overview's list rows (names, sort keys) when no column of them is used."""
    expr = _as_of_columns(day)
    version = EmploymentVersion.__table__.alias("v")  # type: ignore[attr-defined]
    base = join(L, Participation, col(Participation.id) == L.participation_id) if listed else Participation.__table__
    source = base.join(Employment, col(Employment.id) == Participation.employment_id).outerjoin(
        version, version.c.id == expr["latest"]
    )
    return AsOf(
        source=source,
        salary=version.c.salary,
        parttime=version.c.parttime_pct,
        status=expr["status"],
        conditions=(Participation.scheme_id == scheme_id, Participation.start_date <= day),
    )


def _as_of_query(db: Session, scheme_id: int, day: date, text: str, status: str) -> _Query:
    """The overview as of another day: names from the list rows, terms and status resolved per row. An ended
    participation is left out from the day it left the overview of its day (the list rows' rule,
    ``retention.is_hidden``): the export of that day keeps it (``as_of_view`` has no such condition)."""
    view = as_of_view(scheme_id, day)
    conditions: list[ColumnElement[bool]] = list(view.conditions)
    hidden_end = last_hidden_end(day, get_settings().retention_ended_months)
    conditions.append(  # (no NOT over a NULL end date: an ended one without an end date stays listed)
        or_(
            col(Participation.status).not_in(sorted(ENDED_STATUSES)),
            col(Participation.end_date).is_(None),
            col(Participation.end_date) > hidden_end,
        )
    )
    if (search := _parse_search(db, text, scheme_id)) is not None:
        conditions.append(or_(*_ranges(search)))
    if status:
        conditions.append(view.status == status)
    salary, parttime = view.salary, view.parttime
    return _Query(
        columns=[L.participation_id, L.participant_number, L.name, L.date_in_service, salary, parttime, view.status],
        source=view.source,
        conditions=conditions,
        sort_columns={
            "number": L.participant_number,
            "name": L.sort_name,
            "date_in_service": L.date_in_service,
            "salary": salary,
            "parttime": parttime,
            "status": view.status,
        },
    )


def _page(db: Session, q: _Query, sort: str, desc: bool, offset: int, size: int, total: int) -> list:
    """The rows ``offset`` .. ``offset + size`` in sort order.

    Pages in the second half are read from the other end (reversed order) so that no page skips more than
    half of the rows; the skipping itself walks only the sort index (ids first, then those rows).
    """
    order: list[Any] = [q.sort_columns[sort], L.participation_id]
    conditions = q.conditions
    if q.walk_conditions is not None:
        if total <= SPARSE_MATCHES:  # few matches: take them through the search indexes and sort them
            order[0] = func.coalesce(order[0], order[0])  # an expression: the sort index is not walked
        else:  # many matches: walk the scheme's sort index and keep the rows that match
            conditions = q.walk_conditions
    backwards = offset > total // 2
    if backwards:
        offset, size, desc = max(0, total - offset - size), min(size, total - offset), not desc
    ordering = [c.desc() if desc else c.asc() for c in order]
    query = select(*q.columns).select_from(q.source).where(*conditions).order_by(*ordering).limit(size)
    if offset >= DEFERRED_OFFSET:
        ids = select(L.participation_id).select_from(q.source).where(*conditions).order_by(*ordering)
        query = query.where(col(L.participation_id).in_(ids.limit(size).offset(offset)))
    else:
        query = query.offset(offset)
    rows = [ParticipantRow(*r) for r in db.connection().execute(query)]
    return rows[::-1] if backwards else rows


def _count_by_status(db: Session, q: _Query) -> dict[str, int]:
    """The number of matches of ``q`` (a query without a status filter) per status, and in all ('')."""
    status = L.status
    query = select(status, func.count()).select_from(q.source).where(*q.conditions).group_by(status)
    totals = dict.fromkeys(("", *STATUSES), 0)
    for value, number in db.connection().execute(query):
        totals[value] = int(number)
        totals[""] += int(number)
    return totals


def _count(db: Session, q: _Query) -> int:
    """The number of matches of ``q``."""
    return int(db.connection().execute(select(func.count()).select_from(q.source).where(*q.conditions)).scalar() or 0)


# An employer's change counter: built once (read on every overview event and every live-view poll)
_VERSION = select(Employer.data_version).where(Employer.id == bindparam("employer_id"))


def _employer_version(db: Session, employer_id: int) -> int:
    value = db.connection().execute(_VERSION, {"employer_id": employer_id}).scalar()
    return int(value or 0)


def list_participants(
    db: Session,
    principal: Principal | None,
    scheme_id: object,
    search: object = "",
    status: object = "",
    sort: object = "name",
    direction: object = "asc",
    page: object = 1,
    page_size: object = DEFAULT_PAGE_SIZE,
    as_of: date | str | None = None,
    memo: TotalsMemo | None = None,
) -> ParticipantPage:
    """One page of the participants of ``scheme_id`` (untrusted; NoAccess outside the principal's scope).

    ``search``: name (``assob``, ``ter assob``, ``Assob, G.``), participant-number prefix or a 9-digit BSN;
    ``status``: one of STATUSES or '' (all); ``sort``: one of SORT_COLUMNS; ``direction``: asc/desc;
    anything else falls back to the default. ``page_size`` is at most MAX_PAGE_SIZE; a page past the end
    gives the last page. As of today (``as_of`` None or today) this reads the list table and may refresh
    rows whose future-dated change has begun, in ``db``'s transaction (commit it). Another ``as_of``
    resolves the versions of every row of the scheme: correct, but slower (about 0.4 s at 100,000).
    ``memo``: the caller's ``TotalsMemo`` of earlier listings (updated here); the matches are counted only
    when the scheme, search, day or the employer's data version differ from the memo's.
    """
    sid, employer_id = scheme_in_scope(db, principal, scheme_id)
    text = search if isinstance(search, str) else ""
    wanted_status = status if isinstance(status, str) and status in STATUSES else ""
    sort_key = sort if isinstance(sort, str) and sort in SORT_COLUMNS else "name"
    desc = direction == "desc"
    page_no, size = _page_args(page, page_size)
    today = clock.today()
    day = parse_as_of(as_of) or today
    memo = memo if memo is not None else TotalsMemo()
    version = _employer_version(db, employer_id)  # first: the rows read below are at least this new
    parsed = None
    if day == today:
        fresh = (employer_id, today, version)
        if memo.fresh != fresh and plist.refresh_due(db, employer_id, today) == 0:
            memo.fresh = fresh  # nothing due: only a new day or a change (a new version) can make rows due
        parsed = _parse_search(db, text, sid)
        q = _today_query(db, sid, parsed, wanted_status)
    else:
        q = _as_of_query(db, sid, day, text, wanted_status)
    key = (sid, text, day, version)
    if memo.key != key:
        memo.key, memo.totals = key, {}
    if wanted_status not in memo.totals:
        if day == today:  # every status at once (one pass over the status index): a later filter counts nothing
            memo.totals = _count_by_status(db, _today_query(db, sid, parsed, "") if wanted_status else q)
        else:
            memo.totals[wanted_status] = _count(db, q)
    total = memo.totals[wanted_status]
    page_no = min(page_no, max(1, -(-total // size)))
    rows = _page(db, q, sort_key, desc, (page_no - 1) * size, size, total) if total else []
    audit.append(  # PLT-1: a list of names and salaries is personal data too
        db,
        "participants.listed",
        actor=principal,
        object_type="scheme",
        object_id=sid,
        employer_id=employer_id,
        search=text[:100].encode("utf-8", "replace").decode("utf-8"),
        status=wanted_status,
        sort=sort_key,
        page=page_no,
        as_of=day.isoformat(),
    )
    direction_used = "desc" if desc else "asc"
    return ParticipantPage(rows, total, page_no, size, sort_key, direction_used, wanted_status, text, day, version)


def data_version(db: Session, principal: Principal | None, employer_id: object) -> int:
    """The employer's change counter (live views compare it to notice changes made in other sessions)."""
    eid = require_employer(principal, employer_id)
    value = db.connection().execute(_VERSION, {"employer_id": eid}).scalar()
    if value is None:  # pragma: no cover - scope ids come from the database
        raise NoAccess("not_found")
    return int(value)


def home_counts(db: Session, principal: Principal | None, employer_id: object) -> dict[str, int]:
    """Home tiles, as of today: persons per status (``active``, ``dormant``, ``terminated``, ``retired``;
    someone in two schemes counts once per status) and ``participants``, their sum; submitted changes
    that ``needs_review`` and all ``open_changes`` (submitted or needing review)."""
    eid = require_employer(principal, employer_id)
    plist.refresh_due(db, eid, clock.today())
    conn = db.connection()
    counts = dict.fromkeys(STATUSES, 0)
    by_status = conn.execute(
        select(L.status, func.count(func.distinct(L.person_id)))
        .where(L.employer_id == eid, col(L.listed_scheme_id).is_not(None))
        .group_by(L.status)
    )
    for state, number in by_status:
        counts[state] = int(number)
    counts["participants"] = sum(counts.values())
    changes = dict(
        conn.execute(
            select(Mutation.status, func.count())
            .where(Mutation.employer_id == eid, col(Mutation.status).in_(OPEN_MUTATION_STATUSES))
            .group_by(Mutation.status)
        ).all()
    )
    counts["needs_review"] = int(changes.get("needs_review", 0))
    counts["open_changes"] = int(sum(changes.values()))
    return counts
