"""Review of a mutation (MUT-6): an adviser approves it (re-validated and applied against the data of that
moment, then processed) or rejects it with a reason (nothing to undo)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlmodel import Session

from portal.core import clock
from portal.domain import validation
from portal.domain.roles import Perm
from portal.models import Mutation, Participation
from portal.services import audit, couplings, forms, tasks
from portal.services.errors import FieldError, by_rules
from portal.services.mutations import drafts as kinds
from portal.services.mutations import person_drafts
from portal.services.mutations.submit import _apply, _bump, _scheme, _today
from portal.services.principal import NoAccess, Principal, acting, id_of, require, require_employer


# ---------------------------------------------------------------------------------------------- review
def _rebuild(db: Session, mutation: Mutation, today: date) -> kinds.Draft:
    """The draft of a stored mutation, validated again against today's data (for an approval)."""
    payload: dict[str, Any] = json.loads(mutation.new_values or "{}")
    if mutation.kind == "new_participant":
        scheme = _scheme(db, mutation.employer_id, payload.get("scheme_id"))
        return by_rules(person_drafts.build_new_participant, db, mutation.employer_id, scheme, payload, today)
    part = db.get(Participation, mutation.participation_id)
    if part is None:  # pragma: no cover - foreign key
        raise NoAccess("not_found")
    target = kinds.load_target(db, part)
    if mutation.kind == "salary_parttime":
        args = (mutation.effective_date, payload.get("salary"), payload.get("parttime"), today)
        return by_rules(kinds.build_salary_parttime, db, target, *args)
    if mutation.kind == "exit":
        return by_rules(kinds.build_exit, db, target, mutation.effective_date, today, exclude_mutation=mutation.id)
    return by_rules(person_drafts.build_relation, db, target, payload, today)


def review(
    db: Session,
    principal: Principal | None,
    mutation_id: object,
    approve: object,
    reason: object = "",
    today: date | None = None,
) -> Mutation:
    """An adviser approves (the change is applied now) or rejects (with a reason shown to the employer) a
    mutation that needs review (MUT-6)."""
    p = require(principal, Perm.ACT_FOR_EMPLOYER)
    mutation = db.get(Mutation, id_of(mutation_id))
    if mutation is None:
        raise NoAccess("not_found")
    eid = require_employer(p, mutation.employer_id, Perm.ACT_FOR_EMPLOYER)
    if mutation.status != "needs_review":
        raise FieldError("status", "not_reviewable")
    if not isinstance(approve, bool):
        raise FieldError("decision", "decision_invalid")
    text = by_rules(validation.clean_text, reason, "reason", limit=500)
    if not approve and not text:
        raise FieldError("reason", "reason_required")
    now = clock.now()
    if approve:
        day = _today(today)
        draft = _rebuild(db, mutation, day)
        _bump(db, eid, draft.target, check=False)
        part = _apply(db, draft, now, day)
        mutation.old_values = json.dumps(draft.old_values, ensure_ascii=False)
        if part is not None:
            mutation.participation_id, mutation.person_id = part.id, part.person_id
    else:
        part = db.get(Participation, mutation.participation_id) if mutation.participation_id else None
        _bump(db, eid, kinds.load_target(db, part) if part else None, check=False)
    mutation.status = "processed" if approve else "rejected"
    mutation.review_reason = text
    mutation.reviewed_by_name = p.display_name or p.username
    mutation.reviewed_at = now
    db.add(mutation)
    db.flush()
    audit.record(
        db,
        "mutation.reviewed",
        actor=p,
        object_type="mutation",
        object_id=mutation.id,
        employer_id=eid,
        on_behalf_of=acting(p, eid).for_employer,
        kind=mutation.kind,
        status=mutation.status,
        reason=text,
    )
    tasks.on_review_done(db, mutation, p, _today(today))  # the review task closes; an approved exit's advice (INT-3)
    forms.on_exit(db, mutation)  # an approved exit: its exit form, rendered and sent after the commit (DOC-5)
    couplings.record(db, mutation, _today(today))  # approved, of a coupled scheme: outbox message or task (INT-5)
    return mutation
