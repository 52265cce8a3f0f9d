"""Effective dating (MUT-3): as-of queries, a retroactive change slotted in, later changes re-applied."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.domain.effective import Version, apply_plan, as_of, latest_by_effective, slot_change

T0 = datetime(2023, 1, 4, 9, tzinfo=UTC)
NOW = datetime(2023, 10, 10, 14, tzinfo=UTC)


def v(start: date, end: date | None, **values: object) -> Version:
    return Version(start, end, T0, values)


@dataclass(frozen=True)
class Change:
    name: str
    effective: date
    requested: datetime


def test_the_seed_example_retroactive_salary_change() -> None:
    """Allianz manual 4.5: new participation 1 Jan 2023 (requested 4 Jan), intermediary change 1 Aug 2023
    (requested 2 Aug), salary change 1 Jun 2023 requested 10 Oct."""
    versions = [
        v(date(2023, 1, 1), date(2023, 8, 1), salary=40000, intermediary="A"),
        v(date(2023, 8, 1), None, salary=40000, intermediary="B"),
    ]
    plan = slot_change(versions, date(2023, 6, 1), {"salary": 42000}, NOW)
    after = apply_plan(versions, plan)

    assert as_of(after, date(2023, 5, 31)).values == {"salary": 40000, "intermediary": "A"}
    assert as_of(after, date(2023, 6, 1)).values == {"salary": 42000, "intermediary": "A"}
    assert as_of(after, date(2023, 8, 1)).values == {"salary": 42000, "intermediary": "B"}  # re-applied on top
    assert as_of(after, date(2030, 1, 1)).values == {"salary": 42000, "intermediary": "B"}
    assert as_of(after, date(2022, 12, 31)) is None
    assert [x.valid_from for x in after] == [date(2023, 1, 1), date(2023, 6, 1), date(2023, 8, 1)]
    assert plan.supersede == versions  # nothing rewritten in place: both old versions are superseded
    assert all(x.recorded_at == NOW for x in plan.insert)

    changes = [
        Change("new participation", date(2023, 1, 1), datetime(2023, 1, 4, tzinfo=UTC)),
        Change("intermediary change", date(2023, 8, 1), datetime(2023, 8, 2, tzinfo=UTC)),
        Change("salary change", date(2023, 6, 1), datetime(2023, 10, 10, tzinfo=UTC)),
    ]
    latest = latest_by_effective(changes, lambda c: c.effective, lambda c: c.requested)
    assert latest is not None and latest.name == "intermediary change"
    by_request = sorted(changes, key=lambda c: c.requested)  # the audit shows the order of requests
    assert by_request[-1].name == "salary change"


def test_latest_by_effective_breaks_ties_by_request_time() -> None:
    day = date(2023, 6, 1)
    first = Change("first", day, datetime(2023, 6, 1, tzinfo=UTC))
    second = Change("second", day, datetime(2023, 6, 2, tzinfo=UTC))
    assert latest_by_effective([second, first], lambda c: c.effective, lambda c: c.requested) is second
    assert latest_by_effective([], lambda c: c.effective, lambda c: c.requested) is None


def test_a_later_own_change_stands_and_stops_the_new_value() -> None:
    versions = [
        v(date(2020, 1, 1), date(2021, 1, 1), salary=100, pt=100),
        v(date(2021, 1, 1), date(2022, 1, 1), salary=100, pt=80),  # part-time change only
        v(date(2022, 1, 1), date(2023, 1, 1), salary=110, pt=80),  # salary change of its own
        v(date(2023, 1, 1), None, salary=110, pt=60),  # part-time change after it
    ]
    after = apply_plan(versions, slot_change(versions, date(2020, 7, 1), {"salary": 105}, NOW))
    assert [(x.valid_from, x.values["salary"], x.values["pt"]) for x in after] == [
        (date(2020, 1, 1), 100, 100),
        (date(2020, 7, 1), 105, 100),
        (date(2021, 1, 1), 105, 80),
        (date(2022, 1, 1), 110, 80),
        (date(2023, 1, 1), 110, 60),  # stays 110: the 2022 change stands for everything after it
    ]


def test_a_change_on_the_first_day_of_a_version_does_not_split_it() -> None:
    versions = [v(date(2020, 1, 1), date(2021, 1, 1), salary=100), v(date(2021, 1, 1), None, salary=120)]
    plan = slot_change(versions, date(2021, 1, 1), {"salary": 125}, NOW)
    assert [x.valid_from for x in plan.insert] == [date(2021, 1, 1)]
    assert plan.supersede == [versions[1]]


def test_a_change_to_the_current_value_is_empty() -> None:
    versions = [v(date(2020, 1, 1), None, salary=100, pt=100)]
    assert slot_change(versions, date(2020, 5, 1), {"salary": 100}, NOW).empty


def test_no_version_on_the_effective_date() -> None:
    with pytest.raises(ValueError):
        slot_change([v(date(2020, 1, 1), None, salary=1)], date(2019, 12, 31), {"salary": 2}, NOW)


# ------------------------------------------------------------------------------------------ properties
START = date(2020, 1, 1)


@st.composite
def timelines(draw: st.DrawFn) -> tuple[list[Version], date, dict[str, int]]:
    """Contiguous versions from START (the last open ended or closed), an effective date inside them, and a
    change of one or both fields."""
    gaps = draw(st.lists(st.integers(1, 400), min_size=0, max_size=6))
    starts = [START]
    for gap in gaps:
        starts.append(starts[-1] + timedelta(days=gap))
    closed = draw(st.booleans())
    end = starts[-1] + timedelta(days=draw(st.integers(1, 400))) if closed else None
    values = st.fixed_dictionaries({"salary": st.integers(1, 4), "pt": st.integers(1, 4)})
    versions = [
        Version(s, starts[i + 1] if i + 1 < len(starts) else end, T0, draw(values)) for i, s in enumerate(starts)
    ]
    last_day = (end or starts[-1] + timedelta(days=400)) - timedelta(days=1)
    effective = START + timedelta(days=draw(st.integers(0, (last_day - START).days)))
    change = draw(st.dictionaries(st.sampled_from(["salary", "pt"]), st.integers(1, 4), min_size=1, max_size=2))
    return versions, effective, change


def _days(versions: list[Version]) -> list[date]:
    last = max((x.valid_to or x.valid_from + timedelta(days=500)) for x in versions)
    return [START - timedelta(days=3) + timedelta(days=n) for n in range((last - START).days + 6)]


@given(timelines())
def test_slotting_keeps_versions_apart_and_the_span_the_same(case: tuple[list[Version], date, dict]) -> None:
    versions, effective, change = case
    after = apply_plan(versions, slot_change(versions, effective, change, NOW))
    for a, b in itertools.pairwise(after):
        assert a.valid_to is not None and a.valid_to <= b.valid_from  # no overlap
    for day in _days(versions):
        assert sum(x.covers(day) for x in after) <= 1
        assert (as_of(after, day) is None) == (as_of(versions, day) is None)


@given(timelines())
def test_slotting_changes_nothing_before_the_effective_date(case: tuple[list[Version], date, dict]) -> None:
    versions, effective, change = case
    after = apply_plan(versions, slot_change(versions, effective, change, NOW))
    for day in _days(versions):
        if day < effective:
            before, now = as_of(versions, day), as_of(after, day)
            assert (before.values if before else None) == (now.values if now else None)


@given(timelines())
def test_slotting_reapplies_later_changes_on_top(case: tuple[list[Version], date, dict]) -> None:
    versions, effective, change = case
    plan = slot_change(versions, effective, change, NOW)
    after = apply_plan(versions, plan)
    assert all(x.recorded_at == NOW for x in plan.insert)
    assert all(any(x is old for old in versions) for x in plan.supersede)
    for day in _days(versions):
        old, new = as_of(versions, day), as_of(after, day)
        if day < effective or old is None:
            continue
        assert new is not None
        for key in ("salary", "pt"):
            # Did a version starting in (effective, day] change this field compared with its predecessor?
            overridden = any(
                effective < later.valid_from <= day and later.values[key] != versions[i - 1].values[key]
                for i, later in enumerate(versions)
                if i > 0
            )
            expected = change[key] if key in change and not overridden else old.values[key]
            assert new.values[key] == expected


def test_no_version_on_the_effective_date_names_the_date() -> None:
    with pytest.raises(ValueError, match=r"^no version covers 2019-12-31$"):
        slot_change([v(date(2020, 1, 1), None, salary=1)], date(2019, 12, 31), {"salary": 2}, NOW)
