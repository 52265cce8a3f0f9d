"""Individual mutations (EMP-4, MUT-1..6): preview and submit a change, review it, list what was submitted.

Every use case takes the caller's ``db`` session and the ``Principal``; arguments are untrusted input.
Authorization comes first (``Perm.MUTATIONS_SUBMIT`` within the employer scope; an adviser acting for an
employer in the portfolio is recorded as ``on_behalf_of``, INT-2). Bad input raises ``FieldError`` before
anything is written. A submit writes, in the caller's transaction (flushed, not committed): the mutation
row, the new versions, the participations' ``version`` and ``Employer.data_version`` bumps and an audit
event. On any error the caller rolls back and nothing is stored.

Review (MUT-6): a mutation that reaches back further than the scheme's ``retro_review_months`` or that
carries an acknowledged plausibility warning is stored as ``needs_review`` and **not applied**; an adviser
approves it (it is then applied as of that moment, re-validated against the data of that moment, and
becomes ``processed``) or rejects it with a reason (nothing to undo). Everything else is ``processed`` at once.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import case, inspect
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key
from sqlmodel import Session, col, select, update

from portal.core import clock
from portal.domain import plausibility
from portal.domain.roles import Perm
from portal.models import Employer, Mutation, Participation, Scheme
from portal.services import audit, couplings, forms, invitations, tasks
from portal.services.errors import FieldError, by_rules
from portal.services.mutations import drafts as kinds
from portal.services.mutations import person_drafts
from portal.services.mutations.inputs import RELATION_FIELDS, NewParticipantInput, Preview
from portal.services.participants.read_table import refresh_list_row
from portal.services.principal import NoAccess, Principal, acting, id_of, require, require_employer


# ---------------------------------------------------------------------------------------------- helpers
def _today(today: date | None) -> date:
    return today if isinstance(today, date) else clock.today()


def _int(value: object, exc: Exception) -> int:
    if isinstance(value, bool):
        raise exc
    try:
        return int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        raise exc from None


def _participation(db: Session, principal: Principal | None, participation_id: object, perm: Perm) -> Participation:
    """A participation within the principal's scope (untrusted id); NoAccess otherwise."""
    p = require(principal, perm)
    part = db.get(Participation, id_of(participation_id))
    if part is None:
        raise NoAccess("not_found")
    require_employer(p, part.employer_id, perm)
    return part


def _scheme(db: Session, employer_id: int, scheme_id: object) -> Scheme:
    scheme = db.get(Scheme, id_of(scheme_id))
    if scheme is None or scheme.employer_id != employer_id:
        raise NoAccess("out_of_scope")
    return scheme


def _preview(draft: kinds.Draft) -> Preview:
    return Preview(
        kind=draft.kind,
        participation_id=draft.target.participation.id if draft.target else None,
        effective_date=draft.effective,
        old_values=draft.old_values,
        new_values=draft.new_values,
        warnings=list(draft.warnings),
        needs_review=bool(draft.review_reasons),
        review_reasons=list(draft.review_reasons),
    )


def _counted(db: Session, model: Any, ids: Sequence[int | None], column: str) -> None:
    """After an UPDATE that raised ``column`` by one for rows ``ids`` of ``model``: the objects of those rows in
    the session show the new value too, as the ORM's own synchronisation would set them (an object whose value
    was not loaded is left to load it)."""
    for i in ids:
        obj = db.identity_map.get(identity_key(model, i))
        if obj is not None and column not in inspect(obj).unloaded:
            set_committed_value(obj, column, getattr(obj, column) + 1)


def _bump(
    db: Session, employer_id: int, target: kinds.Target | None, expected_version: object = None, check: bool = True
) -> None:
    """Optimistic lock and change counters: the target's ``version`` must still be ``expected_version``
    (checked again in the UPDATE, so a concurrent change loses); all participations of the employment and
    the employer's ``data_version`` go up by one. ``check=False`` skips the lock (a review acts on the
    stored mutation, not on a participant the reviewer loaded). Plain UPDATEs on the session's connection
    (the ORM's bulk-update machinery cost more than the statements on every change), the loaded objects
    brought in line by ``_counted``."""
    db.flush()
    conn = db.connection()
    parts, employers = Participation.__table__, Employer.__table__  # type: ignore[attr-defined]
    if target is not None:
        part = target.participation
        if check:
            changed = FieldError("version", "changed_elsewhere")
            expected = _int(expected_version, changed)
            if expected != part.version:
                raise changed
            claimed = conn.execute(
                update(parts)
                .where(parts.c.id == part.id, parts.c.version == expected)
                .values(version=parts.c.version + 1)
            )
            if claimed.rowcount != 1:
                raise changed
            _counted(db, Participation, [part.id], "version")
        ids = [p.id for p in target.siblings if not check or p.id != part.id]
        if ids:
            conn.execute(update(parts).where(parts.c.id.in_(ids)).values(version=parts.c.version + 1))
            _counted(db, Participation, ids, "version")
    conn.execute(
        update(employers).where(employers.c.id == employer_id).values(data_version=employers.c.data_version + 1)
    )
    _counted(db, Employer, [employer_id], "data_version")


def _apply(db: Session, draft: kinds.Draft, now: datetime, today: date) -> Participation | None:
    """Apply a draft and bring the overview's list rows of the employment up to date (same transaction)."""
    part = draft.apply(db, now)
    if part is not None and draft.kind not in ("partner", "child"):
        db.flush()
        ids = db.exec(select(Participation.id).where(Participation.employment_id == part.employment_id)).all()
        refresh_list_row(db, [i for i in ids if i is not None], today)
    if part is not None and draft.kind == "new_participant":
        invitations.invite_persons(db, [part.person_id], now)  # BULK-3: mailed after the commit
    return part


def _submit(
    db: Session, principal: Principal, draft: kinds.Draft, expected_version: object, acknowledged: object, today: date
) -> Mutation:
    """Store a validated draft: lock check, counters, versions (unless it needs review), mutation, audit."""
    missing = plausibility.unacknowledged(draft.warnings, acknowledged)
    if missing:
        raise FieldError("acknowledge", "warnings_unacknowledged", {"keys": missing})
    status = "needs_review" if draft.review_reasons else "processed"
    now = clock.now()
    _bump(db, draft.employer_id, draft.target, expected_version)
    if status == "processed":
        part = _apply(db, draft, now, today)
    else:
        part = draft.target.participation if draft.target else None
    behalf = acting(principal, draft.employer_id)
    mutation = Mutation(
        employer_id=draft.employer_id,
        scheme_id=draft.scheme_id,
        participation_id=part.id if part else None,
        person_id=part.person_id if part else draft.person_id,
        kind=draft.kind,
        effective_date=draft.effective,
        requested_at=now,
        requested_by=principal.user_id or None,  # an API key's principal has no account (user_id 0) ...
        requested_by_api_key_id=principal.api_key_id,  # ... but its key
        requested_by_name=principal.display_name or principal.username,
        on_behalf_of=behalf.by,
        channel=principal.channel,
        status=status,
        old_values=json.dumps(draft.old_values, ensure_ascii=False),
        new_values=json.dumps(draft.new_values, ensure_ascii=False),
        warnings=json.dumps([{"key": w.key, "params": w.params} for w in draft.warnings], ensure_ascii=False),
    )
    db.add(mutation)
    db.flush()
    audit.append(  # one INSERT (no ORM object to flush), in this transaction
        db,
        "mutation.submitted",
        actor=principal,
        object_type="mutation",
        object_id=mutation.id,
        employer_id=draft.employer_id,
        on_behalf_of=behalf.for_employer,
        kind=draft.kind,
        status=status,
        participation_id=mutation.participation_id,
        effective_date=draft.effective.isoformat(),
        fields=sorted(draft.new_values),
        warnings=[w.key for w in draft.warnings],
        review_reasons=draft.review_reasons,
    )
    tasks.on_mutation(db, mutation, today)  # exit advice, review, advice warnings, incomplete data (INT-3, INT-6)
    forms.on_exit(db, mutation)  # a processed exit: its exit form, rendered and sent after the commit (DOC-5)
    couplings.record(db, mutation, today)  # a coupled scheme: its outbox message, or a task (INT-4, INT-5)
    return mutation


# ------------------------------------------------------------------------------------------- use cases
def participation_for(
    db: Session, principal: Principal | None, employer_id: object, participant_number: object, scheme_id: object = None
) -> Participation:
    """The participation with ``participant_number`` of an employer in scope (the OP one first when the
    number is in several schemes and ``scheme_id`` is not given). NoAccess when out of scope or unknown."""
    eid = require_employer(principal, employer_id, Perm.PARTICIPANTS_VIEW)
    number = participant_number.strip() if isinstance(participant_number, str) else str(participant_number or "")
    if not number or len(number) > 20:
        raise NoAccess("not_found")
    query = (
        select(Participation)
        .join(Scheme, col(Scheme.id) == Participation.scheme_id)
        .where(Participation.employer_id == eid, Participation.participant_number == number)
        .order_by(case((col(Scheme.kind) == "OP", 0), else_=1), col(Participation.id))
    )
    if scheme_id is not None and scheme_id != "":
        query = query.where(Participation.scheme_id == id_of(scheme_id))
    part = db.exec(query).first()
    if part is None:
        raise NoAccess("not_found")
    return part


def scheme_locked(db: Session, principal: Principal | None, scheme_id: object) -> bool:
    """Whether a collective change is being processed on the scheme (individual changes wait, MUT-2)."""
    p = require(principal, Perm.PARTICIPANTS_VIEW)
    scheme = db.get(Scheme, id_of(scheme_id))
    if scheme is None:
        raise NoAccess("not_found")
    require_employer(p, scheme.employer_id, Perm.PARTICIPANTS_VIEW)
    return scheme.collective_lock_batch is not None


def _salary_draft(db: Session, principal: Principal | None, participation_id: object, *args: Any) -> kinds.Draft:
    part = _participation(db, principal, participation_id, Perm.MUTATIONS_SUBMIT)
    return by_rules(kinds.build_salary_parttime, db, kinds.load_target(db, part), *args)


def preview_salary_parttime(
    db: Session,
    principal: Principal | None,
    participation_id: object,
    effective: object,
    salary: object = None,
    parttime: object = None,
    today: date | None = None,
) -> Preview:
    """Validate a salary and/or part-time change and show what it would do (nothing is written)."""
    return _preview(_salary_draft(db, principal, participation_id, effective, salary, parttime, _today(today)))


def submit_salary_parttime(
    db: Session,
    principal: Principal | None,
    participation_id: object,
    effective: object,
    salary: object,
    parttime: object,
    expected_version: object,
    acknowledged: Sequence[str] = (),
    today: date | None = None,
) -> Mutation:
    """Submit a salary and/or part-time change (at least one) effective on ``effective``; it applies to the
    employment, so every participation of that employment (OP and NP) shows it."""
    day = _today(today)
    draft = _salary_draft(db, principal, participation_id, effective, salary, parttime, day)
    assert principal is not None
    return _submit(db, principal, draft, expected_version, acknowledged, day)


def _exit_draft(db: Session, principal: Principal | None, participation_id: object, *args: Any) -> kinds.Draft:
    part = _participation(db, principal, participation_id, Perm.MUTATIONS_SUBMIT)
    return by_rules(kinds.build_exit, db, kinds.load_target(db, part), *args)


def preview_exit(
    db: Session, principal: Principal | None, participation_id: object, exit_date: object, today: date | None = None
) -> Preview:
    """Validate an exit and show what it would do."""
    return _preview(_exit_draft(db, principal, participation_id, exit_date, _today(today)))


def submit_exit(
    db: Session,
    principal: Principal | None,
    participation_id: object,
    exit_date: object,
    expected_version: object,
    acknowledged: Sequence[str] = (),
    today: date | None = None,
) -> Mutation:
    """Submit an exit: ``exit_date`` is the last day in service; the participations of the employment are
    stored ``dormant`` with that end date at once, and count as active until and including that day."""
    day = _today(today)
    draft = _exit_draft(db, principal, participation_id, exit_date, day)
    assert principal is not None
    return _submit(db, principal, draft, expected_version, acknowledged, day)


def _relation_draft(
    db: Session, principal: Principal | None, participation_id: object, values: dict[str, Any], today: date
) -> kinds.Draft:
    part = _participation(db, principal, participation_id, Perm.MUTATIONS_SUBMIT)
    return by_rules(person_drafts.build_relation, db, kinds.load_target(db, part), values, today)


def preview_relation(
    db: Session,
    principal: Principal | None,
    participation_id: object,
    *,
    kind: object,
    bsn: object,
    last_name: object,
    birth_date: object,
    initials: object = "",
    first_name: object = "",
    name_prefix: object = "",
    gender: object = "",
    partner_type: object = "",
    start_date: object = None,
    today: date | None = None,
) -> Preview:
    """Validate a partner or child (``kind``) of the participant and show what would be added."""
    given = locals()
    values = {k: given[k] for k in RELATION_FIELDS}
    return _preview(_relation_draft(db, principal, participation_id, values, _today(today)))


def submit_relation(
    db: Session,
    principal: Principal | None,
    participation_id: object,
    *,
    kind: object,
    bsn: object,
    last_name: object,
    birth_date: object,
    expected_version: object,
    initials: object = "",
    first_name: object = "",
    name_prefix: object = "",
    gender: object = "",
    partner_type: object = "",
    start_date: object = None,
    acknowledged: Sequence[str] = (),
    today: date | None = None,
) -> Mutation:
    """Add a partner (``partner_type`` married/registered/cohabiting with a ``start_date``; one at a time) or
    a child (``start_date`` defaults to the birth date). BSN required."""
    given = locals()
    values = {k: given[k] for k in RELATION_FIELDS}
    day = _today(today)
    draft = _relation_draft(db, principal, participation_id, values, day)
    assert principal is not None
    return _submit(db, principal, draft, expected_version, acknowledged, day)


def _new_draft(
    db: Session,
    principal: Principal | None,
    employer_id: object,
    scheme_id: object,
    values: dict[str, Any],
    today: date,
) -> kinds.Draft:
    eid = require_employer(principal, employer_id, Perm.MUTATIONS_SUBMIT)
    return by_rules(person_drafts.build_new_participant, db, eid, _scheme(db, eid, scheme_id), values, today)


def preview_new_participant(
    db: Session,
    principal: Principal | None,
    employer_id: object,
    scheme_id: object,
    *,
    today: date | None = None,
    **values: object,
) -> Preview:
    """Validate a new participant (the fields of ``NewParticipantInput``) and show what would be registered."""
    person = dict(vars(NewParticipantInput(**values)))  # an unknown or missing field is a TypeError, as in any call
    return _preview(_new_draft(db, principal, employer_id, scheme_id, person, _today(today)))


def submit_new_participant(
    db: Session,
    principal: Principal | None,
    employer_id: object,
    scheme_id: object,
    *,
    acknowledged: Sequence[str] = (),
    today: date | None = None,
    **values: object,
) -> Mutation:
    """Register a new participant (the fields of ``NewParticipantInput``): a person (or the existing person
    with this BSN, e.g. someone coming back), an employment with its first version, and a participation in
    ``scheme_id`` and every other scheme of the same contract, under the employer's next free number."""
    day = _today(today)
    person = dict(vars(NewParticipantInput(**values)))
    draft = _new_draft(db, principal, employer_id, scheme_id, person, day)
    assert principal is not None
    return _submit(db, principal, draft, None, acknowledged, day)
