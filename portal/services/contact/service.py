"""The employer's "Service & contact" page (EMP-1): the contact data of the adviser's office and of the insurers
of the employer's contracts, and an idea sent to the office as a task (INT-3). Only an employer user of the
employer (any employer role) reaches either; an adviser, an employee or another employer's user is refused."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from portal.domain import tasks as rules
from portal.domain.roles import FrontEnd
from portal.models import Contract, Employer, Insurer, IntermediaryOffice
from portal.services import tasks
from portal.services.errors import FieldError, by_rules
from portal.services.organisation.company import employer_in_scope
from portal.services.principal import NoAccess, Principal, require
from portal.services.validation import FieldErrors


@dataclass(frozen=True)
class Contact:
    """Whom to contact: a name with phone, e-mail and website (empty when unknown)."""

    name: str
    phone: str = ""
    email: str = ""
    website: str = ""


@dataclass(frozen=True)
class ServiceContacts:
    """The page's contacts for one employer: its adviser's office (None without one) and its insurers."""

    employer_id: int
    employer_name: str
    office: Contact | None
    insurers: tuple[Contact, ...]


def _employer(db: Session, principal: Principal | None, employer_id: object) -> Employer:
    p = require(principal, front_end=FrontEnd.EMPLOYER)
    employer = db.get(Employer, employer_in_scope(p, employer_id))
    if employer is None:
        raise NoAccess("not_found")
    return employer


def service_contacts(db: Session, principal: Principal | None, employer_id: object = None) -> ServiceContacts:
    """The contacts of the employer in scope (``employer_id`` untrusted; default: the user's own company): the
    office whose portfolio holds it, and the insurers of its contracts (each once, by name)."""
    employer = _employer(db, principal, employer_id)
    assert employer.id is not None
    office = db.get(IntermediaryOffice, employer.office_id) if employer.office_id else None
    insurers = db.exec(
        select(Insurer)
        .where(col(Insurer.id).in_(select(Contract.insurer_id).where(Contract.employer_id == employer.id)))
        .order_by(Insurer.name)
    ).all()
    return ServiceContacts(
        employer_id=employer.id,
        employer_name=employer.name,
        office=Contact(office.name, office.phone, office.email) if office is not None else None,
        insurers=tuple(Contact(i.name, i.phone, i.email, i.website) for i in insurers),
    )


def submit_idea(
    db: Session,
    principal: Principal | None,
    subject: object,
    message: object,
    employer_id: object = None,
    today: date | None = None,
) -> int:
    """Send an idea (subject and message, untrusted) from an employer user to the adviser's office of the employer
    in scope: a task of kind ``employer_idea``, audited. Every bad field is reported at once; nothing is saved
    then. Returns the task's id."""
    employer = _employer(db, principal, employer_id)
    assert employer.id is not None and principal is not None
    errors: list[FieldError] = []
    clean: list[str] = []
    for rule, value in ((rules.check_idea_subject, subject), (rules.check_idea_message, message)):
        try:
            clean.append(by_rules(rule, value))
        except FieldError as err:
            errors.append(err)
    if errors:
        raise FieldErrors(errors)
    task = tasks.on_idea(db, principal, employer.id, clean[0], clean[1], today)
    if task is None or task.id is None:
        raise FieldError("message", "idea_no_office")
    return task.id
