"""The participant overview (EMP-2): sorting, search, filter and paging on the server, only within scope."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, inspect, update
from sqlmodel import select

from portal.core import clock
from portal.models import (
    Employer,
    Employment,
    EmploymentVersion,
    Mutation,
    ParticipantDue,
    ParticipantListRow,
    Participation,
    Person,
)
from portal.models.listing import EVERY_ROW
from portal.services import participants
from portal.services.errors import FieldError
from portal.services.participants import overview
from portal.services.participants import read_table as participant_list
from portal.services.principal import NoAccess, acting_for
from tests.services.participants_world import ASSOB_BSN, ASSOB_NUMBER, TODAY, World, expected_rows, w, world

__all__ = ["w", "world"]  # fixtures

SORT_KEYS = {
    "number": lambda r: r["number"],
    "name": lambda r: r["name_key"],
    "date_in_service": lambda r: r["date_in_service"],
    "salary": lambda r: r["salary"],
    "parttime": lambda r: r["parttime"],
    "status": lambda r: r["status"],
}


def _all_ids(w: World, scheme_id: int, **kw: Any) -> list[int]:
    """Every row of a listing, page by page (page size 100)."""
    ids: list[int] = []
    page = 1
    while True:
        result = participants.list_participants(w.db, w.hr_a, scheme_id, page=page, page_size=100, **kw)
        ids += [r.participation_id for r in result.rows]
        if page >= result.pages:
            assert len(ids) == result.total
            return ids
        page += 1


def _sorted_ids(rows: list[dict[str, Any]], column: str, desc: bool) -> list[int]:
    key = SORT_KEYS[column]
    return [r["participation_id"] for r in sorted(rows, key=lambda r: (key(r), r["participation_id"]), reverse=desc)]


# ------------------------------------------------------------------------------------------------ schemes
def test_schemes_of_an_employer_user(w: World) -> None:
    options = participants.schemes_of(w.db, w.hr_a)
    assert [(o.kind, o.scheme_id) for o in options] == [("OP", w.a_op), ("NP", w.a_np)]
    assert all(o.employer_name == "Groot B.V." and "Groot" not in o.label for o in options)
    assert options[0].label.startswith("OP ") and options[0].contract_number in options[0].label


def test_schemes_of_a_company_group_name_the_employer(w: World) -> None:
    options = participants.schemes_of(w.db, w.group_hr)
    assert {o.employer_id for o in options} == {w.a, w.b} and len(options) == 4
    assert all(o.label.startswith(o.employer_name) for o in options)
    only_b = participants.schemes_of(w.db, w.group_hr, employer_id=str(w.b))
    assert {o.employer_id for o in only_b} == {w.b}


@pytest.mark.parametrize("who", ["hr_b", "finance_a"])
def test_schemes_of_refuses_other_employers_and_roles(w: World, who: str) -> None:
    with pytest.raises(NoAccess):
        participants.schemes_of(w.db, getattr(w, who), employer_id=w.a)
    with pytest.raises(NoAccess):
        participants.schemes_of(w.db, None)


# ---------------------------------------------------------------------------------------------- listing
def test_first_page_shows_the_participant_as_in_the_manual(w: World) -> None:
    result = participants.list_participants(w.db, w.hr_a, str(w.a_op), search=ASSOB_NUMBER)
    assert result.total == 1
    row = result.rows[0]
    assert (row.participant_number, row.name, row.date_in_service) == (ASSOB_NUMBER, "Assob, G., ter", date(2019, 8, 1))
    assert (row.salary, row.parttime, row.status) == (Decimal("52242.28"), Decimal("100.000"), "active")
    assert isinstance(row.salary, Decimal) and isinstance(row.parttime, Decimal)


def test_default_listing_counts_every_listed_participation(w: World) -> None:
    expected = expected_rows(w.db, w.a_op, TODAY)
    result = participants.list_participants(w.db, w.hr_a, w.a_op)
    # the later starter is not listed, nor a contract ended more than six months ago (retention, EE-1)
    long_ended = [
        p
        for p in w.db.exec(select(Participation).where(Participation.scheme_id == w.a_op)).all()
        if p.status in ("terminated", "retired") and p.end_date is not None and p.end_date < date(2026, 5, 1)
    ]
    assert long_ended  # the generated employer has some
    assert result.total == len(expected) == 1200 + 1 - len(long_ended)  # Assob is the one more
    assert (result.page, result.page_size, len(result.rows), result.sort, result.direction) == (
        1,
        25,
        25,
        "name",
        "asc",
    )
    assert w.future_op not in {r["participation_id"] for r in expected}


@pytest.mark.parametrize("column", participants.SORT_COLUMNS)
@pytest.mark.parametrize("direction", ["asc", "desc"])
def test_every_column_sorts_both_ways_over_all_pages(w: World, column: str, direction: str) -> None:
    expected = _sorted_ids(expected_rows(w.db, w.a_op, TODAY), column, direction == "desc")
    assert _all_ids(w, w.a_op, sort=column, direction=direction) == expected


def test_the_values_shown_follow_the_versions(w: World) -> None:
    expected = {r["participation_id"]: r for r in expected_rows(w.db, w.a_np, TODAY)}
    for page in (1, 7):
        for row in participants.list_participants(w.db, w.hr_a, w.a_np, page=page, page_size=100).rows:
            e = expected[row.participation_id]
            assert (row.salary, row.parttime, row.status, row.date_in_service) == (
                e["salary"],
                e["parttime"],
                e["status"],
                e["date_in_service"],
            )


def test_a_page_in_the_second_half_and_past_the_end(w: World) -> None:
    full = _sorted_ids(expected_rows(w.db, w.a_op, TODAY), "salary", False)
    pages = -(-len(full) // 25)
    for page in (pages - 1, pages, pages + 5):
        result = participants.list_participants(w.db, w.hr_a, w.a_op, sort="salary", page=page)
        start = (min(page, pages) - 1) * 25
        assert [r.participation_id for r in result.rows] == full[start : start + 25]
        assert result.page == min(page, pages)


# ----------------------------------------------------------------------------------------------- search
@pytest.mark.parametrize(
    "text", ["assob", "ASSOB", "Assob, G.", "assob g ter", "ter assob", "Ter Assob", ASSOB_BSN, "2001681", "20016"]
)
def test_search_finds_by_name_with_or_without_prefix_number_and_bsn(w: World, text: str) -> None:
    result = participants.list_participants(w.db, w.hr_a, w.a_op, search=text, page_size=100)
    assert w.assob_op in [r.participation_id for r in result.rows]
    if text in (ASSOB_BSN, ASSOB_NUMBER):
        assert result.total == 1


def _matching(w: World, scheme_id: int, pred: Any) -> list[dict[str, Any]]:
    return [r for r in expected_rows(w.db, scheme_id, TODAY) if pred(r)]


@pytest.mark.parametrize("sparse", [True, False])
def test_search_results_match_python_and_keep_the_sort(w: World, monkeypatch: pytest.MonkeyPatch, sparse: bool) -> None:
    if not sparse:  # force the plan that walks the sort index and keeps the matching rows
        monkeypatch.setattr(overview, "SPARSE_MATCHES", 0)
    sample = next(r for r in expected_rows(w.db, w.a_op, TODAY) if r["prefix"] and r["last_name"] != "Assob")
    last, prefix = sample["last_name"], sample["prefix"]
    cases = {
        last[:3]: lambda r: r["name_key"].startswith(last[:3].lower()),
        f"{prefix} {last}": lambda r: (
            f"{r['prefix']} {r['last_name']}".lower() == f"{prefix} {last}".lower()
            or r["name_key"].startswith(f"{prefix} {last}".lower())
        ),
        "1000": lambda r: r["number"].startswith("1000"),
        sample["bsn"]: lambda r: r["bsn"] == sample["bsn"],
    }
    for text, pred in cases.items():
        for column, direction in (("salary", "desc"), ("name", "asc")):
            expected = _sorted_ids(_matching(w, w.a_op, pred), column, direction == "desc")
            assert _all_ids(w, w.a_op, search=text, sort=column, direction=direction) == expected, text


def test_search_ignores_accents_and_case(w: World) -> None:
    accented = w.db.exec(
        select(Person.last_name)
        .join(Participation, Participation.person_id == Person.id)  # type: ignore[arg-type]
        .where(Participation.scheme_id == w.a_op, Person.last_name.in_(["Çelik", "Özdemir", "Müller", "Ünal"]))  # type: ignore[attr-defined]
    ).first()
    if accented is None:
        pytest.skip("no accented last name in this generated set")
    plain = {"Çelik": "celik", "Özdemir": "OZDEMIR", "Müller": "muller", "Ünal": "unal"}[accented]
    rows = participants.list_participants(w.db, w.hr_a, w.a_op, search=plain, page_size=100).rows
    assert rows and all(r.name.startswith(accented) for r in rows)


@pytest.mark.parametrize(
    "text",
    [
        "'; DROP TABLE participant_list; --",
        "%",
        "_",
        "a' OR '1'='1",
        "\\",
        "ü" * 500,
        "   ",
        "\x00",
        "a\x00b",
        "\ud800",
        "\ud7ff",
        "\U0010ffff",
        "🙂",
    ],
)
def test_search_with_odd_text_is_harmless(w: World, text: str) -> None:
    result = participants.list_participants(w.db, w.hr_a, w.a_op, search=text)
    assert result.total in (0, len(expected_rows(w.db, w.a_op, TODAY)))
    assert inspect(w.db.connection()).has_table("participant_list")


def test_search_of_another_schemes_participant_finds_nothing(w: World) -> None:
    other = w.db.exec(select(Person.bsn).join(Participation).where(Participation.scheme_id == w.b_op)).first()
    assert participants.list_participants(w.db, w.hr_a, w.a_op, search=other).total == 0


# ----------------------------------------------------------------------------------------------- filter
@pytest.mark.parametrize("status", participants.STATUSES)
def test_status_filter(w: World, status: str) -> None:
    matching = _matching(w, w.a_op, lambda r: r["status"] == status)
    result = participants.list_participants(w.db, w.hr_a, w.a_op, status=status, sort="salary", direction="desc")
    assert result.total == len(matching)
    assert [r.participation_id for r in result.rows] == _sorted_ids(matching, "salary", True)[:25]
    assert all(r.status == status for r in result.rows)


@pytest.mark.parametrize(
    ("kw", "applied"),
    [
        ({"status": "bogus"}, ("", "name", "asc")),
        ({"status": ["active"]}, ("", "name", "asc")),
        ({"sort": "salary; DROP TABLE person"}, ("", "name", "asc")),
        ({"sort": "bsn"}, ("", "name", "asc")),
        ({"sort": None, "direction": "sideways"}, ("", "name", "asc")),
        ({"direction": "DESC"}, ("", "name", "asc")),
        ({"sort": "salary", "direction": "desc", "status": "dormant"}, ("dormant", "salary", "desc")),
    ],
)
def test_garbage_sort_direction_and_status_fall_back_to_defaults(w: World, kw: dict, applied: tuple) -> None:
    result = participants.list_participants(w.db, w.hr_a, w.a_op, **kw)
    assert (result.status, result.sort, result.direction) == applied
    assert result.rows


@pytest.mark.parametrize(
    ("page", "size", "expect_page", "expect_size"),
    [(1, 1000, 1, 100), ("x", "y", 1, 25), (-3, 0, 1, 1), (None, None, 1, 25), (True, 10, 1, 10), ("2", "10", 2, 10)],
)
def test_paging_arguments_are_sanitised(w: World, page: Any, size: Any, expect_page: int, expect_size: int) -> None:
    result = participants.list_participants(w.db, w.hr_a, w.a_op, page=page, page_size=size)
    assert (result.page, result.page_size, len(result.rows)) == (expect_page, expect_size, expect_size)
    assert result.pages == -(-result.total // expect_size)


# -------------------------------------------------------------------------------------------------- scope
@pytest.mark.parametrize("bad", [None, "", "abc", "1 OR 1=1", "-1", -1, 1.5, True, [1], {"id": 1}, "999999", 10**30])
def test_garbage_scheme_ids_are_refused(w: World, bad: Any) -> None:
    with pytest.raises(NoAccess):
        participants.list_participants(w.db, w.hr_a, bad)


def test_another_employers_scheme_is_refused(w: World) -> None:
    for scheme in (w.b_op, str(w.b_op)):
        with pytest.raises(NoAccess):
            participants.list_participants(w.db, w.hr_a, scheme)
    with pytest.raises(NoAccess):
        participants.list_participants(w.db, w.hr_b, w.a_op)
    assert participants.list_participants(w.db, w.hr_b, w.b_op).total > 0


def test_finance_and_anonymous_have_no_participant_overview(w: World) -> None:
    with pytest.raises(NoAccess):
        participants.list_participants(w.db, w.finance_a, w.a_op)
    with pytest.raises(NoAccess):
        participants.list_participants(w.db, None, w.a_op)


def test_an_adviser_and_a_group_user_reach_both_employers(w: World) -> None:
    for scheme in (w.a_op, w.b_op):
        assert participants.list_participants(w.db, w.group_hr, scheme).total > 0
    employer_of = {w.a_op: w.a, w.b_op: w.b}
    for scheme, employer in employer_of.items():  # an adviser while acting for the scheme's employer (INT-2)
        assert participants.list_participants(w.db, acting_for(w.adviser, employer), scheme).total > 0
        other = next(s for s in employer_of if s != scheme)
        with pytest.raises(NoAccess):
            participants.list_participants(w.db, acting_for(w.adviser, employer), other)
        with pytest.raises(NoAccess) as across:  # never across the whole portfolio at once
            participants.list_participants(w.db, w.adviser, scheme)
        assert across.value.reason == "missing_role"


# -------------------------------------------------------------------------------------------------- as of
@pytest.mark.parametrize("day", [date(2024, 6, 1), date(2025, 12, 31), date(2026, 12, 15)])
def test_as_of_another_day_resolves_the_versions(w: World, day: date) -> None:
    expected = expected_rows(w.db, w.a_op, day)
    for column in ("salary", "status", "number"):
        assert _all_ids(w, w.a_op, as_of=day, sort=column) == _sorted_ids(expected, column, False)
    by_id = {r["participation_id"]: r for r in expected}
    for row in participants.list_participants(w.db, w.hr_a, w.a_op, as_of=day.isoformat(), page_size=100).rows:
        assert (row.salary, row.parttime, row.status) == tuple(
            by_id[row.participation_id][k] for k in ("salary", "parttime", "status")
        )


def test_as_of_shows_old_terms_and_later_starters(w: World) -> None:
    past = participants.list_participants(w.db, w.hr_a, w.a_op, search=ASSOB_NUMBER, as_of=date(2025, 3, 1)).rows[0]
    assert (past.salary, past.parttime) == (Decimal("50000.00"), Decimal("80.000"))
    later = participants.list_participants(w.db, w.hr_a, w.a_op, search="2009999", as_of=date(2026, 12, 1))
    assert [r.participation_id for r in later.rows] == [w.future_op]
    assert participants.list_participants(w.db, w.hr_a, w.a_op, search="2009999").total == 0


def test_as_of_search_and_status_filter(w: World) -> None:
    day = date(2025, 1, 1)
    matching = [
        r for r in expected_rows(w.db, w.a_op, day) if r["status"] == "active" and r["number"].startswith("1001")
    ]
    result = participants.list_participants(
        w.db, w.hr_a, w.a_op, search="1001", status="active", as_of=day, page_size=100
    )
    assert sorted(r.participation_id for r in result.rows) == sorted(r["participation_id"] for r in matching)


@pytest.mark.parametrize("bad", ["yesterday", "2026-13-01", 20260101, object()])
def test_a_bad_as_of_is_a_field_error(w: World, bad: Any) -> None:
    with pytest.raises(FieldError) as err:
        participants.list_participants(w.db, w.hr_a, w.a_op, as_of=bad)
    assert err.value.field == "as_of"


# -------------------------------------------------------------------------------------- keeping rows right
def _supersede_with(w: World, participation_id: int, effective: date, salary: str, parttime: str) -> None:
    """What the write side does: the covering version is superseded, two new versions take its place."""
    part = w.db.get(Participation, participation_id)
    assert part is not None
    old = w.db.exec(
        select(EmploymentVersion).where(
            EmploymentVersion.employment_id == part.employment_id,
            EmploymentVersion.superseded_at.is_(None),  # type: ignore[union-attr]
            EmploymentVersion.valid_to.is_(None),  # type: ignore[union-attr]
        )
    ).one()

    old.superseded_at = clock.now()
    w.db.add(old)
    w.db.add(
        EmploymentVersion(
            employment_id=old.employment_id,
            valid_from=old.valid_from,
            valid_to=effective,
            salary=old.salary,
            parttime_pct=old.parttime_pct,
        )
    )
    w.db.add(
        EmploymentVersion(
            employment_id=old.employment_id,
            valid_from=effective,
            salary=Decimal(salary),
            parttime_pct=Decimal(parttime),
        )
    )
    w.db.flush()


def test_refresh_list_row_after_a_retroactive_change(w: World) -> None:
    _supersede_with(w, w.assob_op, date(2026, 6, 1), "60000.00", "90.000")
    stale = participants.list_participants(w.db, w.hr_a, w.a_op, search=ASSOB_NUMBER).rows[0]
    assert stale.salary == Decimal("52242.28")  # the write side has not refreshed yet
    assert participant_list.refresh_list_row(w.db, [w.assob_op, w.assob_np], TODAY) == 2
    row = participants.list_participants(w.db, w.hr_a, w.a_op, search=ASSOB_NUMBER).rows[0]
    assert (row.salary, row.parttime) == (Decimal("60000.00"), Decimal("90.000"))
    assert participants.list_participants(w.db, w.hr_a, w.a_op, sort="salary", search=ASSOB_NUMBER).total == 1


def test_a_future_change_shows_from_its_effective_date(w: World, monkeypatch: pytest.MonkeyPatch) -> None:
    effective = TODAY + timedelta(days=10)
    _supersede_with(w, w.assob_op, effective, "70000.00", "100.000")
    participant_list.refresh_list_row(w.db, [w.assob_op], TODAY)
    listed = w.db.get(ParticipantListRow, w.assob_op)
    assert listed is not None and listed.fresh_until == effective
    assert participants.list_participants(w.db, w.hr_a, w.a_op, search=ASSOB_NUMBER).rows[0].salary == Decimal(
        "52242.28"
    )
    monkeypatch.setattr(clock, "today", lambda: effective)
    assert participants.list_participants(w.db, w.hr_a, w.a_op, search=ASSOB_NUMBER).rows[0].salary == Decimal(
        "70000.00"
    )
    w.db.expire_all()
    assert w.db.get(ParticipantListRow, w.assob_op).fresh_from == effective  # type: ignore[union-attr]


def test_a_future_exit_keeps_the_participant_active_until_the_end_date(
    w: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    end = TODAY + timedelta(days=20)
    w.db.execute(
        update(Participation).where(Participation.id == w.assob_op).values(status="dormant", end_date=end)  # type: ignore[arg-type]
    )
    participant_list.refresh_list_row(w.db, [w.assob_op], TODAY)
    assert participants.list_participants(w.db, w.hr_a, w.a_op, search=ASSOB_NUMBER).rows[0].status == "active"
    monkeypatch.setattr(clock, "today", lambda: end + timedelta(days=1))
    assert participants.list_participants(w.db, w.hr_a, w.a_op, search=ASSOB_NUMBER).rows[0].status == "dormant"


def test_a_later_starter_appears_on_the_start_date(w: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "today", lambda: date(2026, 12, 1))
    rows = participants.list_participants(w.db, w.hr_a, w.a_op, search="2009999").rows
    assert [r.participation_id for r in rows] == [w.future_op]


def test_refresh_person_after_a_name_change(w: World) -> None:
    person_id = w.db.get(Participation, w.assob_op).person_id  # type: ignore[union-attr]
    w.db.execute(update(Person).where(Person.id == person_id).values(last_name="Zwart", name_prefix=""))  # type: ignore[arg-type]
    assert participant_list.refresh_person(w.db, person_id, TODAY) == 2
    rows = participants.list_participants(w.db, w.hr_a, w.a_np, search="zwart").rows
    assert [r.name for r in rows] == ["Zwart, G."]


def test_employer_without_list_rows_is_rebuilt_on_first_listing(w: World) -> None:
    w.db.execute(ParticipantListRow.__table__.delete().where(ParticipantListRow.employer_id == w.b))  # type: ignore[attr-defined]
    assert participants.list_participants(w.db, w.hr_b, w.b_op).total == len(expected_rows(w.db, w.b_op, TODAY))


def test_refresh_all_rebuilds_every_row(w: World) -> None:
    before = w.db.exec(
        select(func.count()).select_from(ParticipantListRow).where(ParticipantListRow.employer_id == w.a)
    ).one()
    assert participant_list.refresh_all(w.db, w.a, TODAY) == before
    ids = _all_ids(w, w.a_op, sort="parttime", direction="desc")
    assert ids == _sorted_ids(expected_rows(w.db, w.a_op, TODAY), "parttime", True)


def _list_rows(w: World) -> list[tuple[Any, ...]]:
    """Every stored list row of employer A, every column, in id order (as SQLAlchemy reads them)."""
    table = ParticipantListRow.__table__  # type: ignore[attr-defined]
    query = table.select().where(table.c.employer_id == w.a).order_by(table.c.participation_id)
    return [tuple(r) for r in w.db.connection().execute(query)]


def _list_writes(w: World) -> Any:
    """A recorder of the UPDATE / INSERT / DELETE statements on the list table (with their row counts)."""
    from sqlalchemy import event

    seen: list[tuple[str, int]] = []

    def record(_conn: Any, _cursor: Any, statement: str, params: Any, _context: Any, many: bool) -> None:
        head = statement.lstrip().split("(")[0].upper()
        if "PARTICIPANT_LIST" in head and head.startswith(("UPDATE", "INSERT", "DELETE")):
            seen.append((statement, len(params) if many else 1))

    engine = w.db.get_bind()
    event.listen(engine, "before_cursor_execute", record)
    return seen, lambda: event.remove(engine, "before_cursor_execute", record)


def test_refresh_list_row_writes_only_changes_and_matches_a_full_rebuild(w: World) -> None:
    """The incremental refresh (update changed columns, insert missing rows, delete rows of removed
    participations) leaves exactly the rows that ``refresh_all`` builds from scratch."""
    table = ParticipantListRow.__table__  # type: ignore[attr-defined]
    ids = list(w.db.exec(select(Participation.id).where(Participation.employer_id == w.a)).all())
    soon, later = TODAY + timedelta(days=10), TODAY + timedelta(days=40)
    # a mix of changes: future and retroactive salary versions, a name, an exit, a start date
    _supersede_with(w, w.assob_op, soon, "70000.00", "80.000")
    others = [i for i in ids if i not in (w.assob_op, w.assob_np, w.future_op)]
    for pid, effective in ((others[0], later), (others[1], date(2026, 1, 1))):
        _supersede_with(w, pid, effective, "12345.67", "55.500")
    person_id = w.db.get(Participation, others[2]).person_id  # type: ignore[union-attr]
    w.db.execute(update(Person).where(Person.id == person_id).values(last_name="Ölçer", name_prefix="de"))  # type: ignore[arg-type]
    w.db.execute(
        update(Participation).where(Participation.id == others[3]).values(status="dormant", end_date=TODAY)  # type: ignore[arg-type]
    )
    w.db.execute(update(Participation).where(Participation.id == others[4]).values(start_date=later))  # type: ignore[arg-type]
    # and list rows gone wrong: one missing, one with wrong values, one of a participation that no longer exists
    conn = w.db.connection()
    conn.execute(table.delete().where(table.c.participation_id == others[5]))
    conn.execute(
        table.update()
        .where(table.c.participation_id == others[6])
        .values(salary=Decimal("1.00"), name="X", sort_name="x", fresh_from=None, status="dormant")
    )
    ghost = max(ids) + 1000
    conn.execute(
        table.insert().values(
            participation_id=ghost,
            employer_id=w.a,
            person_id=person_id,
            listed_scheme_id=w.a_op,
            participant_number="999999",
            name="Spook",
            sort_name="spook",
            search_name="spook",
            date_in_service=TODAY,
            status="active",
        )
    )
    seen, stop = _list_writes(w)
    try:
        assert participant_list.refresh_list_row(w.db, [*ids, ghost], TODAY) == len(ids)
    finally:
        stop()
    incremental = _list_rows(w)
    rewritten = sum(n for statement, n in seen if not statement.lstrip().upper().startswith("DELETE"))
    assert 0 < rewritten < len(ids) // 10  # only the rows that changed were written
    assert participant_list.refresh_all(w.db, w.a, TODAY) == len(ids)
    assert incremental == _list_rows(w)
    assert ghost not in {r[0] for r in incremental}
    assert w.db.get(ParticipantListRow, w.assob_op).fresh_until == soon  # type: ignore[union-attr]


def test_refresh_list_row_of_unchanged_rows_writes_nothing(w: World) -> None:
    ids = list(w.db.exec(select(Participation.id).where(Participation.employer_id == w.a)).all())
    before = _list_rows(w)
    seen, stop = _list_writes(w)
    try:
        assert participant_list.refresh_list_row(w.db, ids, TODAY) == len(ids)
    finally:
        stop()
    assert [s for s in seen if not s[0].lstrip().upper().startswith("DELETE")] == []
    assert _list_rows(w) == before


def test_a_future_salary_change_only_moves_fresh_until(w: World) -> None:
    effective = TODAY + timedelta(days=10)
    before = {r[0]: r for r in _list_rows(w)}
    _supersede_with(w, w.assob_op, effective, "70000.00", "100.000")
    seen, stop = _list_writes(w)
    try:
        participant_list.refresh_list_row(w.db, [w.assob_op, w.assob_np], TODAY)
    finally:
        stop()
    updates = [s for s, _ in seen if s.lstrip().upper().startswith("UPDATE")]
    assert len(updates) == 1 and "fresh_until" in updates[0] and "salary" not in updates[0]
    after = {r[0]: r for r in _list_rows(w)}
    assert {k for k in after if after[k] != before[k]} == {w.assob_op, w.assob_np}


def test_a_change_marked_due_leaves_the_list_rows_and_is_recomputed_on_its_day(w: World) -> None:
    """``mark_due`` (a collective change that takes effect later) writes no list row, only a mark in
    ``participant_due``; before that day nothing is due, on it ``refresh_due`` recomputes exactly what a
    rebuild as of that day gives and drops the marks."""
    effective = TODAY + timedelta(days=10)
    before = _list_rows(w)
    _supersede_with(w, w.assob_op, effective, "70000.00", "100.000")
    seen, stop = _list_writes(w)
    try:
        marked = participant_list.mark_due(w.db, [w.assob_op, w.assob_np], effective, TODAY)
        again = participant_list.mark_due(
            w.db, select(Participation.id).where(Participation.id == w.assob_op), effective, TODAY
        )
    finally:
        stop()
    assert (marked, again, seen) == (2, 0, [])  # marked once each; the list table untouched
    assert _list_rows(w) == before
    dues = {(d.participation_id, d.due) for d in w.db.exec(select(ParticipantDue)).all()}
    assert dues == {(w.assob_op, effective), (w.assob_np, effective)}
    day_before = effective - timedelta(days=1)
    assert participant_list.due_employers(w.db, [w.a, w.b], day_before) == set()
    assert participant_list.refresh_due(w.db, w.a, day_before) == 0 and _list_rows(w) == before
    assert participant_list.due_employers(w.db, [w.a, w.b], effective) == {w.a}
    assert participant_list.refresh_due(w.db, w.a, effective) >= 2
    assert w.db.exec(select(ParticipantDue)).all() == []
    assert w.db.get(ParticipantListRow, w.assob_op).salary == Decimal("70000.00")  # type: ignore[union-attr]
    on_the_day = _list_rows(w)
    participant_list.refresh_all(w.db, w.a, effective)
    assert _list_rows(w) == on_the_day
    assert participant_list.due_employers(w.db, [w.a, w.b], effective) == set()


def test_a_change_of_most_employments_marks_the_whole_employer_due(w: World) -> None:
    """A collective change of at least half of an employer's employments writes one mark for all its rows
    (``EVERY_ROW``) instead of one per row; fewer are marked row by row. On the day, ``refresh_due`` recomputes
    every row: exactly what a rebuild as of that day gives."""
    effective = TODAY + timedelta(days=10)
    before = _list_rows(w)
    _supersede_with(w, w.assob_op, effective, "70000.00", "100.000")
    everyone = select(Employment.id).where(Employment.employer_id == w.a)
    total = len(w.db.exec(everyone).all())
    assob = select(Participation.employment_id).where(Participation.id == w.assob_op)
    assert participant_list.mark_employments_due(w.db, w.a, assob, 1, effective, TODAY) == 2  # its two rows
    assert participant_list.mark_employments_due(w.db, w.a, everyone, (total + 1) // 2, effective, TODAY) == 1
    dues = {(d.employer_id, d.due, d.participation_id) for d in w.db.exec(select(ParticipantDue)).all()}
    assert dues == {(w.a, effective, EVERY_ROW), (w.a, effective, w.assob_op), (w.a, effective, w.assob_np)}
    assert _list_rows(w) == before
    assert participant_list.refresh_due(w.db, w.a, effective) == len(before)  # every row recomputed
    assert w.db.exec(select(ParticipantDue)).all() == []
    on_the_day = _list_rows(w)
    participant_list.refresh_all(w.db, w.a, effective)
    assert _list_rows(w) == on_the_day


# ------------------------------------------------------------------------------------- live view and home
def test_data_version_follows_the_employer_counter(w: World) -> None:
    start = participants.data_version(w.db, w.hr_a, str(w.a))
    w.db.execute(update(Employer).where(Employer.id == w.a).values(data_version=Employer.data_version + 1))  # type: ignore[arg-type]
    assert participants.data_version(w.db, w.hr_a, w.a) == start + 1
    for who, eid in ((w.hr_b, w.a), (w.hr_a, "x"), (w.hr_a, None), (None, w.a)):
        with pytest.raises(NoAccess):
            participants.data_version(w.db, who, eid)


def test_home_counts(w: World) -> None:
    w.db.add_all(
        [
            Mutation(employer_id=w.a, kind="salary_parttime", effective_date=TODAY, status=s)
            for s in ("needs_review", "needs_review", "submitted", "processed", "rejected")
        ]
    )
    w.db.add(Mutation(employer_id=w.b, kind="exit", effective_date=TODAY, status="needs_review"))
    w.db.flush()
    counts = participants.home_counts(w.db, w.hr_a, w.a)
    people: dict[str, set[int]] = {}
    for scheme in (w.a_op, w.a_np):
        for r in expected_rows(w.db, scheme, TODAY):
            people.setdefault(r["status"], set()).add(r["person_id"])
    for status in participants.STATUSES:
        assert counts[status] == len(people.get(status, set()))
    assert counts["participants"] == sum(counts[s] for s in participants.STATUSES)
    assert counts["participants"] == len(set().union(*people.values()))  # nobody has two statuses here
    assert (counts["needs_review"], counts["open_changes"]) == (2, 3)
    with pytest.raises(NoAccess):
        participants.home_counts(w.db, w.hr_b, w.a)


def test_every_listing_is_audited(w: World) -> None:
    """PLT-1: the overview shows names and salaries, so each query is recorded with who asked what."""
    from portal.models import AuditEvent

    listed = select(AuditEvent).where(AuditEvent.action == "participants.listed")
    before = len(w.db.exec(listed).all())
    participants.list_participants(w.db, w.hr_a, w.a_op, search="assob", sort="salary", page=1)
    events = w.db.exec(listed).all()
    assert len(events) == before + 1
    assert events[-1].object_id == str(w.a_op) and '"search": "assob"' in events[-1].detail
    assert events[-1].actor_name == w.hr_a.username
    assert events[-1].at is not None and events[-1].employer_id == w.a


# ------------------------------------------------------------------------------------------ totals memo
def _counting(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Record each count query list_participants runs."""
    counted: list[int] = []
    real, real_by_status = overview._count, overview._count_by_status

    def count(db: Any, q: Any) -> int:
        counted.append(1)
        return real(db, q)

    def count_by_status(db: Any, q: Any) -> dict[str, int]:
        counted.append(1)
        return real_by_status(db, q)

    monkeypatch.setattr(overview, "_count", count)
    monkeypatch.setattr(overview, "_count_by_status", count_by_status)
    return counted


def test_a_memo_counts_once_per_filter_and_data_version(w: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """A page turn, another sort order or a status filter reuses the count (today's counts are taken per
    status at once); a change (data version), a search or another day counts anew."""
    counted = _counting(monkeypatch)
    memo = participants.TotalsMemo()
    first = participants.list_participants(w.db, w.hr_a, w.a_op, page_size=10, memo=memo)
    for column in participants.SORT_COLUMNS:
        again = participants.list_participants(w.db, w.hr_a, w.a_op, page=2, sort=column, page_size=10, memo=memo)
        assert again.total == first.total and again.page == 2
    assert len(counted) == 1
    expected = expected_rows(w.db, w.a_op, TODAY)
    for status in participants.STATUSES:
        filtered = participants.list_participants(w.db, w.hr_a, w.a_op, status=status, memo=memo)
        assert filtered.total == len([r for r in expected if r["status"] == status]), status
        assert {r.status for r in filtered.rows} <= {status}
    participants.list_participants(w.db, w.hr_a, w.a_op, status="dormant", sort="salary", memo=memo)
    assert participants.list_participants(w.db, w.hr_a, w.a_op, memo=memo).total == first.total
    assert len(counted) == 1
    fresh = participants.TotalsMemo()  # a status filter first: the same counts
    dormant = participants.list_participants(w.db, w.hr_a, w.a_op, status="dormant", memo=fresh)
    assert dormant.total == len([r for r in expected if r["status"] == "dormant"])
    assert participants.list_participants(w.db, w.hr_a, w.a_op, memo=fresh).total == first.total
    assert len(counted) == 2
    # A change elsewhere: the participant leaves the list and the employer's data version goes up with it.
    gone = update(ParticipantListRow).where(ParticipantListRow.participation_id == w.assob_op)
    w.db.execute(gone.values(listed_scheme_id=None))  # type: ignore[arg-type]
    w.db.execute(update(Employer).where(Employer.id == w.a).values(data_version=Employer.data_version + 1))  # type: ignore[arg-type]
    after = participants.list_participants(w.db, w.hr_a, w.a_op, page=2, page_size=10, memo=memo)
    assert after.total == first.total - 1 and len(counted) == 3
    assert after.data_version == first.data_version + 1
    searched = participants.list_participants(w.db, w.hr_a, w.a_op, search="assob", memo=memo)
    assert len(counted) == 4 and w.assob_op not in {r.participation_id for r in searched.rows}
    past = participants.list_participants(w.db, w.hr_a, w.a_op, as_of=date(2025, 3, 1), memo=memo)
    assert len(counted) == 5 and past.as_of == date(2025, 3, 1)


def test_a_memo_never_bypasses_the_scope_check(w: World) -> None:
    memo = participants.TotalsMemo()
    participants.list_participants(w.db, w.hr_a, w.a_op, memo=memo)
    for who in (w.hr_b, w.finance_a, None):
        with pytest.raises(NoAccess):
            participants.list_participants(w.db, who, w.a_op, memo=memo)


def test_a_memo_is_per_scheme(w: World) -> None:
    memo = participants.TotalsMemo()
    op = participants.list_participants(w.db, w.hr_a, w.a_op, memo=memo).total
    np = participants.list_participants(w.db, w.hr_a, w.a_np, memo=memo).total
    assert (op, np) == (len(expected_rows(w.db, w.a_op, TODAY)), len(expected_rows(w.db, w.a_np, TODAY)))


def test_refresh_due_is_skipped_only_while_day_and_data_version_are_the_same(
    w: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[date] = []
    real = participant_list.refresh_due
    monkeypatch.setattr(participant_list, "refresh_due", lambda db, e, day: calls.append(day) or real(db, e, day))
    memo = participants.TotalsMemo()
    participants.list_participants(w.db, w.hr_a, w.a_op, memo=memo)
    participants.list_participants(w.db, w.hr_a, w.a_op, page=2, memo=memo)
    assert calls == [TODAY]
    monkeypatch.setattr(clock, "today", lambda: TODAY + timedelta(days=1))
    participants.list_participants(w.db, w.hr_a, w.a_op, memo=memo)
    assert calls == [TODAY, TODAY + timedelta(days=1)]
