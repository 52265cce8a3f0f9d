"""The integral raise (BULK-4): a percentage for every active participant of a scheme, previewed with its premium
effect and applied as a collective batch."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlmodel import Session, select

from portal.core import clock
from portal.domain import bulk as rules
from portal.domain.errors import RuleError
from portal.models import (
    Batch,
    Participation,
    Scheme,
)
from portal.services import audit, background
from portal.services.collective.batches import _job, _lock_scheme, _scheme, _today, check_effective
from portal.services.collective.scheme_state import load_scheme
from portal.services.errors import FieldError
from portal.services.principal import Principal, acting


# ------------------------------------------------------------------------------------- integral raise
@dataclass(frozen=True)
class RaisePreview:
    """What an integral raise would do: how many participants, salary and premium totals before and
    after (Decimal), and the first rows as examples."""

    effective: date
    percentage: Decimal
    participants: int
    salaries_before: Decimal
    salaries_after: Decimal
    premium_before: Decimal
    premium_after: Decimal
    sample: list[dict[str, Any]]


def _raise_input(
    db: Session, principal: Principal | None, scheme_id: object, effective: object, pct: object, today: date | None
) -> tuple[Scheme, date, Decimal]:
    scheme = _scheme(db, principal, scheme_id)
    day = check_effective(scheme, effective, _today(today))
    try:
        percentage = rules.parse_raise(pct)
    except RuleError as err:
        raise FieldError("percentage", err.key, err.params) from None
    return scheme, day, percentage


def preview_raise(
    db: Session,
    principal: Principal | None,
    scheme_id: object,
    effective: object,
    percentage: object,
    today: date | None = None,
) -> RaisePreview:
    """BULK-4: the salaries and yearly premiums of the scheme's participants before and after a raise of
    ``percentage`` from ``effective`` (nothing is written)."""
    scheme, day, pct = _raise_input(db, principal, scheme_id, effective, percentage, today)
    state = load_scheme(db, scheme.id or 0, day)
    lines = rules.raise_lines(state.current, pct, day)
    births = {n: state.names[n][1] for n in state.names}
    premium = _premium_calculator(db, scheme, day)
    before = after = prem_before = prem_after = Decimal(0)
    sample = []
    for line in lines:
        assert line.old_salary is not None and line.salary is not None
        pt = line.old_parttime or Decimal(0)
        before += line.old_salary
        after += line.salary
        p_old = premium(line.old_salary, pt, births[line.number], line.participation_id)
        p_new = premium(line.salary, pt, births[line.number], line.participation_id)
        prem_before += p_old
        prem_after += p_new
        if len(sample) < 10:
            sample.append(
                {
                    "number": line.number,
                    "name": state.names[line.number][0],
                    "old": line.old_salary,
                    "new": line.salary,
                    "premium_old": p_old,
                    "premium_new": p_new,
                }
            )
    return RaisePreview(day, pct, len(lines), before, after, prem_before, prem_after, sample)


def _premium_calculator(db: Session, scheme: Scheme, day: date) -> Any:
    """premium(salary, part-time, birth date, participation id) → yearly premium on ``day`` (0 when the scheme
    has no parameters for that year), from the scheme year's parameters (MUT-7)."""
    from portal.domain.premium import PremiumParameterError, age_at, yearly_premium
    from portal.services.participants.detail import scheme_year_params

    params = scheme_year_params(db, scheme.id or 0, day.year)
    modes = dict(
        db.connection()
        .execute(select(Participation.id, Participation.premium_mode).where(Participation.scheme_id == scheme.id))
        .all()
    )

    def premium(salary: Decimal, parttime: Decimal, birth: date, participation_id: int) -> Decimal:
        if params is None:
            return Decimal(0)
        try:
            return yearly_premium(salary, parttime, params, age_at(birth, day), modes.get(participation_id, "staffel"))
        except PremiumParameterError:
            return Decimal(0)

    return premium


def submit_raise(
    db: Session,
    principal: Principal | None,
    scheme_id: object,
    effective: object,
    percentage: object,
    today: date | None = None,
) -> Batch:
    """BULK-4: queue an integral raise as a collective batch (locks the scheme until it is applied)."""
    scheme, day, pct = _raise_input(db, principal, scheme_id, effective, percentage, today)
    assert principal is not None
    batch = Batch(
        employer_id=scheme.employer_id,
        scheme_id=scheme.id or 0,
        kind="integral_raise",
        status="queued",
        file_name="",
        effective_date=day,
        raise_pct=pct,
        uploaded_by=principal.user_id,
        uploaded_by_name=principal.display_name or principal.username,
        on_behalf_of=acting(principal, scheme.employer_id).by,
        queued_at=clock.now(),
    )
    db.add(batch)
    db.flush()
    _lock_scheme(db, batch)
    audit.record(
        db,
        "batch.raise_submitted",
        actor=principal,
        object_type="batch",
        object_id=batch.id,
        employer_id=scheme.employer_id,
        percentage=str(pct),
        effective_date=day.isoformat(),
    )
    background.queue(db, "apply_batch", **_job(batch, principal))
    return batch
