"""A generated portfolio for benchmarks of the intermediary's dashboard (INT-1): one office with many employers of
skewed sizes (a few large, many small, as an advice office's book looks), company groups, and a few collective
batches that failed or wait, so that the dashboard's filters have something to find. Deterministic per seed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlmodel import Session, col
from sqlmodel import select as sm_select

from portal.core import clock
from portal.demo.basics import EmployerSetup, Pools, Rng, build_pools
from portal.demo.generator import create_employer, existing_bsns, generate_participants
from portal.models import Batch, CompanyGroup, IntermediaryOffice

GROUP_EVERY = 10  # every tenth employer starts a company group with the next two


def sizes(employers: int, participants: int) -> list[int]:
    """Participants per employer: weights 1/rank^0.9 (Zipf-like), at least one each, summing to ``participants``."""
    if participants < employers:
        raise ValueError("every employer needs at least one participant")
    weights = [1 / (rank**0.9) for rank in range(1, employers + 1)]
    total = sum(weights)
    out = [max(1, int(participants * w / total)) for w in weights]
    out[0] += participants - sum(out)
    return out


def _office(db: Session) -> int:
    office = db.exec(sm_select(IntermediaryOffice).order_by(col(IntermediaryOffice.id))).first()
    if office is None:
        office = IntermediaryOffice(name="Bench Advies B.V.", kvk_number="70000001")
        db.add(office)
        db.flush()
    assert office.id is not None
    return office.id


def _employer(db: Session, rng: Rng, pools: Pools, office_id: int, group_id: int | None, no: int) -> EmployerSetup:
    street, postcode, city = rng.pick(pools.nl_addresses)
    return create_employer(
        db,
        rng,
        name=f"{rng.pick(pools.companies)} {no:03d}",
        insurer_code="asr" if no % 3 else "allianz",
        office_id=office_id,
        group_id=group_id,
        contract_start=date(2020, 1, 1),
        flat=no % 4 == 0,
        address=(street, str(rng.between(1, 300)), postcode, city),
        contact=("", "", f"0{rng.between(10, 79)}-{rng.between(1_000_000, 9_999_999)}"),
    )


def generate_portfolio(
    db: Session, employers: int, participants: int, seed: int = 7, progress: Callable[[int, int], None] | None = None
) -> list[int]:
    """Add ``employers`` employers with ``participants`` participants in all to the first office (made when there
    is none), with their overview rows; one commit per employer. Returns their ids; ``progress(i, n)`` is called
    after each employer."""
    from portal.services.participants.read_table import refresh_all

    rng = Rng(seed)
    pools = build_pools(seed)
    taken = existing_bsns(db)
    office_id = _office(db)
    ids: list[int] = []
    group_id: int | None = None
    for no, n in enumerate(sizes(employers, participants), start=1):
        if no % GROUP_EVERY == 1:
            group = CompanyGroup(name=f"Groep {no // GROUP_EVERY + 1:02d}", office_id=office_id)
            db.add(group)
            db.flush()
            group_id = group.id
        setup = _employer(db, rng, pools, office_id, group_id if no % GROUP_EVERY in (1, 2, 3) else None, no)
        generate_participants(db, setup, n, rng, pools, taken, flat_share=0.1 if no % 4 == 0 else 0.0)
        refresh_all(db, setup.employer_id)
        if no % 25 == 0:  # a few collective changes that wait or failed
            db.add(
                Batch(
                    employer_id=setup.employer_id,
                    scheme_id=setup.op_scheme_id,
                    kind="salary_parttime",
                    status="failed" if no % 50 == 0 else "queued",
                    created_at=clock.now(),
                )
            )
        db.commit()
        ids.append(setup.employer_id)
        if progress is not None:
            progress(no, employers)
    return ids
