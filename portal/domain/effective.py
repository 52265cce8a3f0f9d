"""Effective dating (MUT-3) over plain values: versions valid from a date, recorded at a moment.

A version is valid on ``valid_from <= day < valid_to`` (``valid_to`` exclusive, ``None`` = open ended). A
change never rewrites a version: ``slot_change`` returns which live versions to supersede and which to
insert, so that the history stays reconstructable. No SQL here; services map rows to and from ``Version``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Version:
    """Values valid from ``valid_from`` up to (not including) ``valid_to``; ``ref`` identifies a stored row."""

    valid_from: date
    valid_to: date | None
    recorded_at: datetime
    values: Mapping[str, Any]
    ref: Any = field(default=None, compare=False)

    def covers(self, day: date) -> bool:
        """Whether this version is valid on ``day``."""
        return self.valid_from <= day and (self.valid_to is None or day < self.valid_to)


@dataclass(frozen=True)
class Plan:
    """What a change does to the live versions: supersede these, insert those (in date order)."""

    supersede: list[Version]
    insert: list[Version]

    @property
    def empty(self) -> bool:
        """True when the change alters nothing (the values are already as requested)."""
        return not self.supersede and not self.insert


def as_of(versions: Iterable[Version], day: date) -> Version | None:
    """The live version valid on ``day`` (``versions`` are the live ones: none superseded)."""
    return next((v for v in versions if v.covers(day)), None)


def slot_change(current: Sequence[Version], effective: date, changes: Mapping[str, Any], recorded_at: datetime) -> Plan:
    """Slot a change of ``changes`` effective on ``effective`` into the live versions ``current``.

    The version covering ``effective`` is split there; from ``effective`` on the new values apply. Later
    versions are re-applied on top: a field that a later version itself changed (compared with the version
    before it) keeps that version's value from there on; until such a change the new value carries
    forward. Raises ``ValueError`` when no version covers ``effective``.
    """
    ordered = sorted(current, key=lambda v: v.valid_from)
    cover = as_of(ordered, effective)
    if cover is None:
        raise ValueError(f"no version covers {effective}")
    supersede: list[Version] = []
    insert: list[Version] = []
    first_values = {**cover.values, **changes}
    if first_values != dict(cover.values):
        supersede.append(cover)
        if cover.valid_from < effective:
            insert.append(Version(cover.valid_from, effective, recorded_at, dict(cover.values)))
        insert.append(Version(effective, cover.valid_to, recorded_at, first_values))
    pending = {k: v for k, v in changes.items() if cover.values.get(k) != v}
    previous = cover.values
    for later in (v for v in ordered if v.valid_from > effective):
        if not pending:
            break
        for key in [k for k in pending if later.values.get(k) != previous.get(k)]:
            del pending[key]  # the later version changed this field itself: its value stands
        previous = later.values
        values = {**later.values, **pending}
        if values != dict(later.values):
            supersede.append(later)
            insert.append(Version(later.valid_from, later.valid_to, recorded_at, values))
    return Plan(supersede, insert)


def apply_plan(current: Sequence[Version], plan: Plan) -> list[Version]:
    """The live versions after ``plan``, in date order (what the database holds after the change)."""
    gone = {id(v) for v in plan.supersede}
    return sorted([v for v in current if id(v) not in gone] + plan.insert, key=lambda v: v.valid_from)


def latest_by_effective(
    items: Iterable[T], key_effective: Callable[[T], date], key_requested: Callable[[T], datetime]
) -> T | None:
    """The item with the latest effective date; on equal dates the one requested last (EMP-6, MUT-3)."""
    return max(items, key=lambda item: (key_effective(item), key_requested(item)), default=None)
