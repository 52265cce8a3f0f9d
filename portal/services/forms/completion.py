"""What a completed form does (DOC-5, EE-5): its final PDF is filed, and the data it carries takes effect.

Filing: the final PDF (every signature in it) becomes a ``Document`` of the employer, category ``legal``, kind
``signed_form``, for the person and participation of the form: the employer's document list shows it to those
who may see legal documents (HR, user management, the adviser acting for the employer; never finance or another
employer), the employee's personal archive (``documents.own``) to the person it is for. No document mail (the
employee just signed it; the employer countersigned it or sees it in its list).

Taking effect: a deferred-compensation agreement and a decision to join become a processed ``Mutation`` of the
participation, kind ``deferred_compensation`` / ``join_decision``, with the employee's signing date as its
effective date and the values in ``new_values`` (``deferral_amount`` as a Decimal string, ``deferral_start``;
``join_decision`` yes/no), so that they appear in the participant's history (``mutations.history``) as every
other change. Of a coupled scheme (INT-4, INT-5), that change goes to the insurer as every other processed change
does, in the same transaction (``couplings.record``): a deferral as an outbox message (it changes the
contribution), a decision to join as a "pass it on by hand" task for the adviser (``domain.coupling.TASK_KINDS``).
Other kinds (beneficiary statement, exit form) are filed only.

Both run in the transaction of the step that completes the form (its caller commits), and both are audited.
"""

from __future__ import annotations

import json
from datetime import date

from sqlmodel import Session, col, select

from portal.core import clock
from portal.domain import forms as rules
from portal.domain.documents import LEGAL, SIGNED_FORM
from portal.domain.statement import full_name
from portal.models import Document, Form, Mutation, Participation, Person
from portal.services import audit, couplings
from portal.services.documents.library import add_document

CHANNEL = "form"  # Mutation.channel of a change a signed form made
MUTATION_KINDS = {
    rules.FormKind.DEFERRED_COMPENSATION: "deferred_compensation",
    rules.FormKind.JOIN_DECISION: "join_decision",
}


def _name(person: Person | None) -> str:
    if person is None:
        return ""
    return full_name(person.first_name, person.initials, person.name_prefix, person.last_name)


def _title(form: Form, person: Person | None) -> str:
    kind = rules.kind_of(form.kind).title.get(form.language) or rules.kind_of(form.kind).title.get("nl", form.kind)
    return f"{kind} {_name(person)}".strip()


def file_pdf(db: Session, form: Form, pdf: bytes, by_user: int | None, by_name: str) -> Document:
    """File the completed form's final PDF as a document of its employer for its person (not committed)."""
    person = db.get(Person, form.person_id)
    part = db.get(Participation, form.participation_id) if form.participation_id else None
    signed = (form.signed_at or clock.now()).date()
    doc = add_document(
        db,
        form.employer_id,
        part.scheme_id if part else None,
        LEGAL,
        SIGNED_FORM,
        _title(form, person),
        signed.isoformat(),
        pdf,
        created_by=by_user,
        created_by_name=by_name[:120],
        participation_id=form.participation_id,
        person_id=form.person_id,
        language=form.language,
        notify=False,
    )
    audit.record(
        db,
        "form.filed",
        actor_user_id=by_user,
        object_type="form",
        object_id=form.id,
        employer_id=form.employer_id,
        document_id=doc.id,
        sha256=form.completed_sha256,
    )
    return doc


def _previous(db: Session, form: Form, kind: str) -> dict[str, str]:
    """The values of the latest earlier change of this kind for the participation (the history's 'old')."""
    last = db.exec(
        select(Mutation)
        .where(
            Mutation.participation_id == form.participation_id,
            Mutation.kind == kind,
            Mutation.status == "processed",
        )
        .order_by(col(Mutation.effective_date).desc(), col(Mutation.id).desc())
    ).first()
    return json.loads(last.new_values or "{}") if last is not None else {}


def effect_values(kind: str, values: dict) -> dict[str, str]:
    """The mutation values a completed form of ``kind`` carries (text: a Decimal as written, dates ISO)."""
    if kind == rules.FormKind.DEFERRED_COMPENSATION:
        start = values.get("start_date")
        return {
            "deferral_amount": str(values["amount"]),
            "deferral_start": start.isoformat() if isinstance(start, date) else str(start or ""),
        }
    if kind == rules.FormKind.JOIN_DECISION:
        return {"join_decision": str(values["decision"])}
    return {}


def take_effect(db: Session, form: Form) -> Mutation | None:
    """Record the data of a completed deferred-compensation agreement or decision to join as a processed
    mutation with the signing date (not committed); None for the other kinds or a form without participation."""
    kind = MUTATION_KINDS.get(rules.FormKind(form.kind))
    if kind is None or form.participation_id is None:
        return None
    part = db.get(Participation, form.participation_id)
    if part is None:
        return None
    new = effect_values(form.kind, rules.from_json(form.kind, form.field_values))
    old = {k: v for k, v in _previous(db, form, kind).items() if k in new}
    person = db.get(Person, form.person_id)
    signed_at = form.signed_at or clock.now()
    mutation = Mutation(
        employer_id=form.employer_id,
        scheme_id=part.scheme_id,
        participation_id=part.id,
        person_id=form.person_id,
        kind=kind,
        effective_date=signed_at.date(),
        requested_at=clock.now(),
        requested_by=form.signed_by,
        requested_by_name=_name(person)[:120],
        channel=CHANNEL,
        status="processed",
        old_values=json.dumps(old, sort_keys=True),
        new_values=json.dumps(new, sort_keys=True),
    )
    db.add(mutation)
    db.flush()
    audit.record(
        db,
        "mutation.submitted",
        actor_user_id=form.signed_by,
        object_type="mutation",
        object_id=mutation.id,
        employer_id=form.employer_id,
        kind=kind,
        source=f"form:{form.id}",
        effective_date=mutation.effective_date,
        values=new,
    )
    couplings.record(db, mutation)  # a coupled scheme: the insurer's message (a deferral) or a task (INT-5)
    return mutation


def complete(db: Session, form: Form, pdf: bytes, by_user: int | None, by_name: str) -> None:
    """A form just completed (its final ``pdf``): file it and let its data take effect; the form names both."""
    doc = file_pdf(db, form, pdf, by_user, by_name)
    mutation = take_effect(db, form)
    form.document_id = doc.id
    form.mutation_id = mutation.id if mutation is not None else None
    db.add(form)
    db.flush()
