"""The data-subject access request (GDPR art. 15, AVG "inzage"): everything the portal holds about one person, as
one ZIP for user management to hand over.

``export_person`` collects, for one person record (the employer's own: ``Person`` is employer-scoped), the record
itself, the employments with every effective-dated version (superseded ones too: the history as recorded), the
participations with their schemes, partner and children, the mutations concerning them, the documents' metadata
and files, the forms (values, status, hashes, the PDF), the tasks about them with their comments, the audit events
about them (and those of their own account at this employer), and their user account with its roles, sessions,
eID links and invitations — never a password hash, TOTP secret, recovery or verification code, token hash or
stored file name. Money is a Decimal string, dates and moments ISO 8601 (``person.json``, UTF-8).

Who may (SPEC AUTH-4: user management may do everything on the employer side; EMP-9): an employer user with the
user-management role for a person of their own employer, or an adviser (intermediary) for a person of an employer
in the portfolio — narrowed to that employer on the acting pages (INT-2). Everyone else is refused (NoAccess) and
the refusal is audited (``privacy.export_refused``, committed with the caller's ``commit_on``); the export itself
is audited as ``privacy.export`` (who, when, for whom, what it held). The id is untrusted and checked again on
every call, also when the signed download link (``/files/``, the project's one file route) is used.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterable
from contextlib import suppress
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import and_, or_
from sqlmodel import Session, SQLModel, col, select

from portal.core import clock
from portal.domain.roles import FrontEnd, Perm
from portal.i18n import normalise_language, t
from portal.models import (
    AuditEvent,
    AuthSession,
    Contract,
    Document,
    EidLink,
    EmailConfirmation,
    Employer,
    Employment,
    EmploymentVersion,
    Form,
    Invitation,
    Mutation,
    Participation,
    Person,
    Relation,
    RoleGrant,
    Scheme,
    Task,
    TaskComment,
    UserAccount,
)
from portal.services import audit, files
from portal.services.principal import NoAccess, Principal, acting, id_of, require

FILE_KIND = "privacy_export"  # the /files/ link kind of the ZIP (made afresh for every download, never stored)
FORMAT = "portal.person-export/1"
ZIP = "application/zip"
# Columns that never leave the portal, whatever table they are in: secrets, their hashes, our own file names
NEVER = frozenset(
    {
        "password_hash",
        "totp_secret",
        "totp_last_step",
        "token_hash",
        "ticket_hash",
        "ticket_expires_at",
        "browser_hash",
        "code_hash",
        "stored_name",
    }
)
# Audit objects that are records of a person: an own-account event about such a record of someone else (another
# employer's record of the same human) is left out
RECORD_OBJECTS = ("person", "participation", "mutation", "document", "statement", "form", "task", "invitation")


@dataclass(frozen=True)
class PersonExport:
    """The ZIP of one access request and the name the browser saves it under."""

    person_id: int
    employer_id: int
    file_name: str
    data: bytes
    counts: dict[str, int]


def _plain(value: Any) -> Any:
    """A value for JSON: Decimal as its exact string, dates and moments ISO 8601, the rest as it is."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _row(obj: SQLModel, *, json_fields: Iterable[str] = (), leave: Iterable[str] = ()) -> dict[str, Any]:
    """One table row as a dict of plain values, without the ``NEVER`` columns; ``json_fields`` are JSON texts
    stored in a column, given as what they hold."""
    left = NEVER | set(leave)
    out: dict[str, Any] = {}
    for name in type(obj).model_fields:
        if name in left:
            continue
        value = getattr(obj, name)
        if name in json_fields and isinstance(value, str):
            with suppress(ValueError):
                value = json.loads(value or "null")
        out[name] = _plain(value)
    return out


def _refuse(db: Session, principal: Principal | None, raw_id: object, reason: str) -> NoAccess:
    """Audit a refused export (who, which id as sent, why) and give the NoAccess to raise."""
    audit.record(
        db,
        "privacy.export_refused",
        actor=principal,
        object_type="person",
        object_id=str(raw_id)[:40],
        reason=reason,
    )
    return NoAccess(reason)


def may_export(principal: Principal | None) -> bool:
    """Whether ``principal`` may make access-request exports at all (a page shows the button by it; the
    service decides per person): user management on the employer front end, or an adviser."""
    if principal is None:
        return False
    if principal.front_end == FrontEnd.EMPLOYER:
        return principal.can(Perm.USERS_MANAGE)
    return principal.front_end == FrontEnd.INTERMEDIARY and principal.can(Perm.ACT_FOR_EMPLOYER)


def require_export(db: Session, principal: Principal | None, person_id: object) -> tuple[Principal, Person]:
    """The principal and the person record ``person_id`` (untrusted) when the principal may export it; otherwise
    NoAccess, audited in ``db`` (the caller commits it: ``commit_on=(NoAccess,)``)."""
    try:
        p = require(principal)
    except NoAccess as refused:
        raise _refuse(db, principal, person_id, refused.reason) from None
    if not may_export(p):
        raise _refuse(db, p, person_id, "missing_role")
    try:
        pid = id_of(person_id)
    except NoAccess as refused:
        raise _refuse(db, p, person_id, refused.reason) from None
    person = db.get(Person, pid)
    if person is None or person.employer_id is None or person.employer_id not in p.employer_ids:
        raise _refuse(db, p, pid, "out_of_scope")  # a foreign and a missing id look the same
    return p, person


@dataclass(frozen=True)
class ExportLink:
    """A signed, expiring ``/files/`` link to a person's ZIP and the name it is saved under."""

    url: str
    file_name: str


def file_name(person_id: int, lang: str) -> str:
    """``avg-inzage-<person id>-<today>.zip`` (``gdpr-access-…`` in English): only safe characters."""
    return f"{t('privacy.file_stem', normalise_language(lang))}-{person_id}-{clock.today().isoformat()}.zip"


def export_link(db: Session, principal: Principal | None, person_id: object) -> ExportLink:
    """A signed, expiring ``/files/`` link to the ZIP of ``person_id`` for this principal (checked now, and again
    when the link is used); NoAccess (audited) when it may not."""
    p, person = require_export(db, principal, person_id)
    return ExportLink(files.link(p, FILE_KIND, person.id or 0), file_name(person.id or 0, p.language))


def _ids(rows: Iterable[SQLModel]) -> list[int]:
    return [int(getattr(r, "id", 0) or 0) for r in rows]


def _audit_events(
    db: Session, employer_id: int, objects: dict[str, list[int]], account_ids: list[int]
) -> list[AuditEvent]:
    """The audit events about the person's records (at their employer), and those of their own account (at no
    employer or this one; about none of another record of theirs)."""
    about = {
        kind: and_(AuditEvent.object_type == kind, col(AuditEvent.object_id).in_([str(i) for i in ids]))
        for kind, ids in objects.items()
        if ids
    }
    found: dict[int, AuditEvent] = {}
    if about:
        query = select(AuditEvent).where(AuditEvent.employer_id == employer_id, or_(*about.values()))
        found.update((e.id or 0, e) for e in db.exec(query).all())
        # events about the account (or the person) recorded without an employer, e.g. its activation
        loose = [cond for kind, cond in about.items() if kind in ("user", "user_account", "person")]
        query = select(AuditEvent).where(col(AuditEvent.employer_id).is_(None), or_(*loose))
        found.update((e.id or 0, e) for e in db.exec(query).all())
    if account_ids:
        own = select(AuditEvent).where(
            col(AuditEvent.actor_user_id).in_(account_ids),
            or_(col(AuditEvent.employer_id).is_(None), AuditEvent.employer_id == employer_id),
        )
        for e in db.exec(own).all():
            ids = objects.get(e.object_type) or []
            if e.object_type in RECORD_OBJECTS and not (e.object_id.isdigit() and int(e.object_id) in ids):
                continue  # the account's event about a record that is not this person's (another employer's)
            found[e.id or 0] = e
    return [found[k] for k in sorted(found)]


def _collect(db: Session, person: Person) -> tuple[dict[str, Any], list[tuple[str, bytes]]]:
    """The document (``person.json``) and the files to put beside it (archive name, bytes)."""
    pid, eid = person.id or 0, person.employer_id or 0
    employer = db.get(Employer, eid)
    employments = db.exec(
        select(Employment).where(Employment.person_id == pid).order_by(col(Employment.start_date), col(Employment.id))
    ).all()
    versions = db.exec(
        select(EmploymentVersion)
        .where(col(EmploymentVersion.employment_id).in_(_ids(employments) or [0]))
        .order_by(col(EmploymentVersion.valid_from), col(EmploymentVersion.recorded_at), col(EmploymentVersion.id))
    ).all()
    parts = db.exec(
        select(Participation, Scheme, Contract.number)
        .join(Scheme, col(Scheme.id) == Participation.scheme_id)
        .join(Contract, col(Contract.id) == Scheme.contract_id)
        .where(Participation.person_id == pid)
        .order_by(col(Participation.start_date), col(Participation.id))
    ).all()
    part_ids = [p.id or 0 for p, _, _ in parts]
    relations = db.exec(select(Relation).where(Relation.person_id == pid).order_by(col(Relation.id))).all()
    concerning = [col(Mutation.person_id) == pid]
    if part_ids:
        concerning.append(col(Mutation.participation_id).in_(part_ids))
    mutations = db.exec(
        select(Mutation).where(Mutation.employer_id == eid, or_(*concerning)).order_by(col(Mutation.requested_at))
    ).all()
    doc_where = [col(Document.person_id) == pid]
    if part_ids:
        doc_where.append(col(Document.participation_id).in_(part_ids))
    documents = db.exec(
        select(Document).where(Document.employer_id == eid, or_(*doc_where)).order_by(col(Document.id))
    ).all()
    forms = db.exec(select(Form).where(Form.person_id == pid, Form.employer_id == eid).order_by(col(Form.id))).all()
    task_where = [col(Task.person_id) == pid]
    if part_ids:
        task_where.append(col(Task.participation_id).in_(part_ids))
    tasks = db.exec(select(Task).where(Task.employer_id == eid, or_(*task_where)).order_by(col(Task.id))).all()
    comments = db.exec(
        select(TaskComment).where(col(TaskComment.task_id).in_(_ids(tasks) or [0])).order_by(col(TaskComment.id))
    ).all()
    accounts = db.exec(select(UserAccount).where(UserAccount.person_id == pid).order_by(col(UserAccount.id))).all()
    account_ids = _ids(accounts)
    invitations = db.exec(select(Invitation).where(Invitation.person_id == pid).order_by(col(Invitation.id))).all()

    def of_accounts(model: Any, order: Any) -> list[Any]:
        if not account_ids:
            return []
        return list(db.exec(select(model).where(col(model.user_id).in_(account_ids)).order_by(order)).all())

    grants = of_accounts(RoleGrant, col(RoleGrant.id))
    sessions = of_accounts(AuthSession, col(AuthSession.id))
    eid_links = of_accounts(EidLink, col(EidLink.id))
    confirmations = of_accounts(EmailConfirmation, col(EmailConfirmation.id))
    objects = {
        "person": [pid],
        "participation": part_ids,
        "mutation": _ids(mutations),
        "document": _ids(documents),
        "statement": _ids(documents),
        "form": _ids(forms),
        "task": _ids(tasks),
        "invitation": _ids(invitations),
        "user_account": account_ids,
        "user": account_ids,
    }
    events = _audit_events(db, eid, objects, account_ids)

    attached: list[tuple[str, bytes]] = []
    doc_rows = []
    for d in documents:
        row = _row(d)
        row["file"] = _attach(attached, "documents", d.id or 0, d.stored_name, d.file_name or "document.pdf")
        doc_rows.append(row)
    form_rows = []
    for f in forms:
        row = _row(f, json_fields=("field_values",))
        row["file"] = _attach(attached, "forms", f.id or 0, f.stored_name, f"form-{f.id}.pdf")
        form_rows.append(row)
    by_task: dict[int, list[dict[str, Any]]] = {}
    for c in comments:
        by_task.setdefault(c.task_id, []).append(_row(c))
    by_employment: dict[int, list[dict[str, Any]]] = {}
    for v in versions:
        by_employment.setdefault(v.employment_id, []).append(_row(v))

    doc = {
        "format": FORMAT,
        "generated_at": _plain(clock.now()),
        "employer": {"id": eid, "name": employer.name if employer else ""},
        "person": _row(person),
        "employments": [{**_row(e), "versions": by_employment.get(e.id or 0, [])} for e in employments],
        "participations": [
            {
                **_row(p),
                "scheme": {"id": s.id, "kind": s.kind, "number": s.number, "name": s.name, "contract": number},
            }
            for p, s, number in parts
        ],
        "relations": [_row(r) for r in relations],
        "mutations": [_row(m, json_fields=("old_values", "new_values", "warnings")) for m in mutations],
        "documents": doc_rows,
        "forms": form_rows,
        "tasks": [{**_row(x, json_fields=("detail",)), "comments": by_task.get(x.id or 0, [])} for x in tasks],
        "user_accounts": [
            {
                **_row(a),
                "roles": [_row(g) for g in grants if g.user_id == a.id],
                "sessions": [_row(s) for s in sessions if s.user_id == a.id],
                "eid_links": [_row(k) for k in eid_links if k.user_id == a.id],
                "email_confirmations": [_row(c) for c in confirmations if c.user_id == a.id],
            }
            for a in accounts
        ],
        "invitations": [_row(i) for i in invitations],
        "audit_events": [_row(e, json_fields=("detail",)) for e in events],
    }
    return doc, attached


def _attach(attached: list[tuple[str, bytes]], folder: str, object_id: int, stored: str, name: str) -> str | None:
    """Add a stored PDF to the archive as ``<folder>/<id>-<name>``; its archive name, or None when it has no file."""
    if not stored:
        return None
    try:
        data = files.stored_path("documents", stored).read_bytes()
    except (NoAccess, OSError):
        return None
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in name)[:100] or "file.pdf"
    arcname = f"{folder}/{object_id}-{safe}"
    attached.append((arcname, data))
    return arcname


def export_person(db: Session, principal: Principal | None, person_id: object) -> PersonExport:
    """Everything the portal holds about person record ``person_id`` (untrusted) as a ZIP: ``person.json``, the
    documents' and forms' PDFs, and a ``LEESMIJ.txt``/``README.txt`` saying what it is. NoAccess (audited) for
    anyone but user management of the person's employer or an adviser in scope; ``privacy.export`` audited in
    ``db``'s transaction (the caller commits)."""
    p, person = require_export(db, principal, person_id)
    doc, attached = _collect(db, person)
    lang = normalise_language(p.language)
    counts = {k: len(v) for k, v in doc.items() if isinstance(v, list)}
    doc["generated_by"] = {"user_id": p.user_id, "username": p.username, "name": p.display_name}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("person.json", json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=False))
        archive.writestr(t("privacy.readme_name", lang), t("privacy.readme", lang, format=FORMAT))
        for name, data in attached:
            archive.writestr(name, data)
    behalf = acting(p, person.employer_id or 0).for_employer
    audit.record(
        db,
        "privacy.export",
        actor=p,
        object_type="person",
        object_id=person.id,
        employer_id=person.employer_id,
        on_behalf_of=behalf,
        files=len(attached),
        **counts,
    )
    name = file_name(person.id or 0, lang)
    return PersonExport(person.id or 0, person.employer_id or 0, name, buffer.getvalue(), counts)


@files.register(FILE_KIND)
def _served(db: Session, principal: Principal, person_id: int) -> files.Served:
    """The ZIP through a signed link: made afresh for the principal (checked and audited again) and sent from
    memory (``Served.data``): no copy of the person's data is left on disk."""
    made = export_person(db, principal, person_id)
    return files.Served(Path(), made.file_name, ZIP, data=made.data)
