"""The employee's own statements (EE-3, DOC-3 employee side): the latest benefit statement per contract and the
personal archive (earlier statements the employee already opened or downloaded), across every employer that
holds a record of them (``principal.own_person_ids``), also a former one.

Opening a statement signs a view and a download link for this user (``/files/<link>``, checked again when
used) and keeps it in the archive (``DocumentOpened``). Someone else's statement id, by URL or by event
argument, is refused and audited; nothing of it is read out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, select
from sqlmodel import Session, col

from portal.core import clock
from portal.core.sql import insert_once
from portal.domain.documents import SIGNED_FORM
from portal.domain.roles import FrontEnd, Perm
from portal.models import Document, DocumentOpened, Employer, Participation, Scheme
from portal.services import audit, files
from portal.services.documents.library import denied
from portal.services.documents.statement_pdf import CATEGORY, KIND, PDF
from portal.services.principal import NoAccess, Principal, id_of, own_person_ids, require, require_own_person

DOWNLOAD = "statement.download"  # the file kind of the download link (the view link is CATEGORY, inline)
FORM_VIEW = "own.signed_form"  # the view link of a filed signed form (DOC-5; a statement's is CATEGORY)
OWN_KINDS = (KIND, SIGNED_FORM)  # what the employee's documents hold: statements and their filed signed forms


@dataclass(frozen=True)
class OwnStatement:
    """One of the employee's statements (no link: links are signed when it is opened)."""

    id: int
    year: str
    employer_name: str
    scheme_kind: str
    scheme_name: str
    participant_number: str
    created_at: datetime
    language: str
    opened: bool
    kind: str = KIND  # benefit_statement, or signed_form (a form the employee signed, filed: DOC-5)
    title: str = ""  # a filed form's title (its kind and the person's name); a statement's is made of its year


@dataclass(frozen=True)
class OwnDocuments:
    """The latest statement per contract (newest year first) and the archive of earlier ones already opened."""

    latest: tuple[OwnStatement, ...]
    archive: tuple[OwnStatement, ...]


@dataclass(frozen=True)
class OpenedStatement:
    statement: OwnStatement
    view_link: str
    download_link: str


def _query(person_ids: list[int], user_id: int):
    return (
        select(Document, Employer.name, Scheme.kind, Scheme.name, Participation.participant_number, DocumentOpened.id)
        .join(Employer, col(Employer.id) == Document.employer_id)
        .outerjoin(Scheme, col(Scheme.id) == Document.scheme_id)
        .outerjoin(Participation, col(Participation.id) == Document.participation_id)
        .outerjoin(
            DocumentOpened,
            and_(col(DocumentOpened.document_id) == Document.id, col(DocumentOpened.user_id) == user_id),
        )
        .where(col(Document.person_id).in_(person_ids), col(Document.kind).in_(OWN_KINDS))
    )


def _statement(row) -> OwnStatement:
    doc, employer, kind, scheme, number, opened = row
    return OwnStatement(
        id=doc.id or 0,
        year=doc.period,
        employer_name=employer,
        scheme_kind=kind or "",
        scheme_name=scheme or "",
        participant_number=number or "",
        created_at=doc.created_at,
        language=doc.language,
        opened=opened is not None,
        kind=doc.kind,
        title=doc.title if doc.kind == SIGNED_FORM else "",
    )


def my_documents(db: Session, principal: Principal | None) -> OwnDocuments:
    """The session's person's statements: the latest per participation, and the earlier ones they opened; the
    archive also keeps every signed form filed for them (DOC-5), opened or not, newest first."""
    p = require(principal, Perm.OWN_DATA_VIEW, FrontEnd.EMPLOYEE)
    person_ids = sorted(own_person_ids(db, p))
    rows = db.execute(
        _query(person_ids, p.user_id).order_by(col(Document.period).desc(), col(Document.id).desc())
    ).all()
    latest: dict[int | None, OwnStatement] = {}
    archive: list[OwnStatement] = []
    for row in rows:
        s = _statement(row)
        if s.kind == SIGNED_FORM:
            archive.append(s)
            continue
        key = row[0].participation_id
        if key not in latest:
            latest[key] = s
        elif s.opened:
            archive.append(s)
    return OwnDocuments(latest=tuple(latest.values()), archive=tuple(archive))


def _own(db: Session, principal: Principal | None, document_id: object) -> tuple[Principal, Document]:
    p = require(principal, Perm.OWN_DATA_VIEW, FrontEnd.EMPLOYEE)
    doc = db.get(Document, id_of(document_id))
    if doc is None or doc.kind not in OWN_KINDS:
        raise NoAccess("not_found")
    require_own_person(db, p, doc.person_id)
    return p, doc


def open_statement(db: Session, principal: Principal | None, document_id: object, ip: str = "") -> OpenedStatement:
    """Open one of the employee's statements (untrusted id): keep it in their archive, audit the access and
    sign a view and a download link. A refusal is audited in ``db`` and raised (the caller commits)."""
    try:
        p, doc = _own(db, principal, document_id)
    except NoAccess as refused:
        denied(db, principal, document_id, refused.reason, ip, path="/employee/documents")
        raise
    values = {"document_id": doc.id, "user_id": p.user_id, "opened_at": clock.now()}
    first = insert_once(db.connection(), DocumentOpened.__table__, values, ["document_id", "user_id"])
    audit.record(
        db,
        "document.opened",
        actor=p,
        object_type="document",
        object_id=doc.id,
        employer_id=doc.employer_id,
        ip=ip,
        first_time=first,
    )
    row = db.execute(_query([doc.person_id or 0], p.user_id).where(Document.id == doc.id)).one()
    return OpenedStatement(
        statement=_statement(row),
        view_link=files.link(p, FORM_VIEW if doc.kind == SIGNED_FORM else CATEGORY, doc.id or 0),
        download_link=files.link(p, DOWNLOAD, doc.id or 0),
    )


@files.register(DOWNLOAD)
def _served_download(db: Session, principal: Principal, document_id: int) -> files.Served:
    """The employee's own statement as an attachment (the download link); only the employee it belongs to."""
    _p, doc = _own(db, principal, document_id)
    return files.Served(files.stored_path("documents", doc.stored_name), doc.file_name, PDF, inline=False)


@files.register(FORM_VIEW)
def _served_form(db: Session, principal: Principal, document_id: int) -> files.Served:
    """A filed signed form shown inline to the employee it belongs to (the employer opens it as a legal
    document, ``library``)."""
    _p, doc = _own(db, principal, document_id)
    if doc.kind != SIGNED_FORM:
        raise NoAccess("not_found")
    return files.Served(files.stored_path("documents", doc.stored_name), doc.file_name, PDF, inline=True)
