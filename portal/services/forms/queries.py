"""What the form pages list: the employer's forms (newest first, optionally one status) and the employee's own
forms (every employer's record of them), each with its kind's title and its status in words and colour."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from portal.core import clock
from portal.domain import forms as rules
from portal.domain.roles import FrontEnd, Perm
from portal.domain.statement import full_name
from portal.i18n import normalise_language
from portal.models import Employer, Form, Participation, Person
from portal.services.principal import NoAccess, Principal, own_person_ids, require, require_employer

LIMIT = 500  # rows a list shows


@dataclass(frozen=True)
class FormRow:
    id: int
    kind: str
    title: str
    employer_name: str
    person_name: str
    participant_number: str
    status: str
    status_label: str
    colour: str
    created_at: datetime
    expires_at: datetime | None
    needs_countersignature: bool
    document_id: int | None = None  # the filed document once completed (employee: documents.own, employer: library)
    mutation_id: int | None = None  # the change its data made once completed (deferred compensation, joining)
    decline_reason: str = ""  # why it was declined (the employee's, or the employer's on withdrawing), if said


def _rows(db: Session, query, lang: str) -> list[FormRow]:
    """The rows; a form past its expiry shows as expired before the periodic ``expire_due`` marked it."""
    out = []
    now = clock.now()
    for form, person, employer, number in db.exec(query.limit(LIMIT)).all():
        spec = rules.kind_of(form.kind)
        status = rules.FormStatus(form.status)
        if rules.is_expired(status, form.expires_at, now):
            status = rules.FormStatus.EXPIRED
        out.append(
            FormRow(
                id=form.id or 0,
                kind=form.kind,
                title=spec.title[lang],
                employer_name=employer.name,
                person_name=full_name(person.first_name, person.initials, person.name_prefix, person.last_name),
                participant_number=number or "",
                status=status.value,
                status_label=rules.STATUS_LABELS[status][lang],
                colour=rules.STATUS_COLOURS[status],
                created_at=form.created_at,
                expires_at=form.expires_at,
                needs_countersignature=spec.needs_countersignature,
                document_id=form.document_id,
                mutation_id=form.mutation_id,
                decline_reason=form.decline_reason if status is rules.FormStatus.DECLINED else "",
            )
        )
    return out


def _base():
    return (
        select(Form, Person, Employer, Participation.participant_number)
        .join(Person, col(Person.id) == Form.person_id)
        .join(Employer, col(Employer.id) == Form.employer_id)
        .outerjoin(Participation, col(Participation.id) == Form.participation_id)
        .order_by(col(Form.created_at).desc(), col(Form.id).desc())
    )


def employer_forms(
    db: Session, principal: Principal | None, employer_id: object, status: object = None
) -> list[FormRow]:
    """The employer's forms (an employer user who may see participants, or the adviser acting for it);
    ``status`` (untrusted) narrows to one status, anything unknown is refused."""
    eid = require_employer(principal, employer_id, Perm.PARTICIPANTS_VIEW)
    query = _base().where(Form.employer_id == eid)
    if status not in (None, ""):
        try:
            query = query.where(Form.status == rules.FormStatus(str(status)).value)
        except ValueError:
            raise NoAccess("bad_status") from None
    assert principal is not None
    return _rows(db, query, normalise_language(principal.language))


def my_forms(db: Session, principal: Principal | None) -> list[FormRow]:
    """The employee's own forms at every employer (newest first), once sent to them: not while only prepared
    (an exit form before the ``exit_forms`` job rendered and sent it, a form the employer has not sent)."""
    p = require(principal, Perm.OWN_DATA_VIEW, FrontEnd.EMPLOYEE)
    owned = own_person_ids(db, p)
    query = _base().where(col(Form.person_id).in_(list(owned)), Form.status != rules.FormStatus.PREPARED)
    return _rows(db, query, normalise_language(p.language))
