"""Employer documents (DOC-1, DOC-2, DOC-6): financial and legal PDFs per scheme, the unread marker per
employer, and the signed links through which they are shown.

Who sees what (AUTH-4/AUTH-5): the category needs its permission (financial: Perm.DOCUMENTS_FINANCIAL,
legal: Perm.DOCUMENTS_LEGAL; user management and advisers hold both), and the document's employer must be in
the principal's scope. Statements (category ``statement``) belong to DOC-3 and are not listed here. Every id
that comes from a browser is untrusted and checked again here; a refusal is audited by the function that
refuses (the caller commits it, as ``files.serve`` does).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import and_, event, func, select
from sqlmodel import Session, col

from portal.core import clock
from portal.core.sql import insert_once
from portal.domain.documents import CATEGORY_PERM, KINDS
from portal.domain.roles import FrontEnd
from portal.models import Document, DocumentRead, Employer, Scheme
from portal.services import audit, files
from portal.services.organisation.scheme_access import SchemeOption, scheme_id_of, schemes_of
from portal.services.principal import NoAccess, Principal, acting, id_of, require

PDF = "application/pdf"
MAX_PDF_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class DocumentEntry:
    """One line of the documents list; ``unread`` is the employer's marker (DOC-2)."""

    id: int
    employer_id: int
    scheme_id: int | None
    scheme_label: str
    category: str
    kind: str
    title: str
    period: str
    created_at: datetime
    unread: bool
    size_bytes: int


@dataclass(frozen=True)
class OpenedDocument:
    """A document opened in the viewer: links signed now for this principal (inline view and download)."""

    entry: DocumentEntry
    view_link: str
    download_link: str


def categories_of(principal: Principal | None) -> list[str]:
    """The document categories this principal may see, in display order (financial, legal)."""
    if principal is None:
        return []
    return [c for c, perm in CATEGORY_PERM.items() if principal.can(perm)]


def _require_documents(principal: Principal | None) -> tuple[Principal, list[str]]:
    p = require(principal)
    allowed = categories_of(p)
    if not allowed:
        raise NoAccess("missing_role")
    return p, allowed


def _employer_ids(p: Principal, employer_id: object) -> list[int]:
    """``employer_id`` (untrusted) when given and in scope, else every employer in scope."""
    if employer_id is None or employer_id == "":
        return sorted(p.employer_ids)
    eid = id_of(employer_id)
    if eid not in p.employer_ids:
        raise NoAccess("out_of_scope")
    return [eid]


def _categories(allowed: list[str], category: object) -> list[str]:
    if category is None or category == "":
        return allowed
    if not isinstance(category, str) or category not in CATEGORY_PERM:
        raise NoAccess("bad_category")
    if category not in allowed:
        raise NoAccess("missing_role")
    return [category]


def document_schemes(db: Session, principal: Principal | None) -> list[SchemeOption]:
    """The schemes whose documents the principal may see (the scheme choice of the page)."""
    p, allowed = _require_documents(principal)
    return schemes_of(db, p, perm=CATEGORY_PERM[allowed[0]])


def _read_join():
    return and_(col(DocumentRead.document_id) == Document.id, col(DocumentRead.employer_id) == Document.employer_id)


def _entry(doc: Document, scheme_label: str, unread: bool) -> DocumentEntry:
    return DocumentEntry(
        id=doc.id or 0,
        employer_id=doc.employer_id,
        scheme_id=doc.scheme_id,
        scheme_label=scheme_label,
        category=doc.category,
        kind=doc.kind,
        title=doc.title,
        period=doc.period,
        created_at=doc.created_at,
        unread=unread,
        size_bytes=doc.size_bytes,
    )


def _entries(db: Session, query) -> list[DocumentEntry]:
    return [
        _entry(doc, f"{kind} {number} {name}" if kind else "", read_id is None)
        for doc, read_id, kind, number, name in db.execute(query)
    ]


def _base_query():
    return (
        select(Document, DocumentRead.id, Scheme.kind, Scheme.number, Scheme.name)
        .outerjoin(DocumentRead, _read_join())
        .outerjoin(Scheme, col(Scheme.id) == Document.scheme_id)
    )


def list_documents(
    db: Session,
    principal: Principal | None,
    employer_id: object = None,
    scheme_id: object = None,
    category: object = None,
) -> list[DocumentEntry]:
    """The financial/legal documents the principal may see, newest first, with the employer's unread marker.

    ``employer_id``, ``scheme_id`` and ``category`` are untrusted (None: every employer in scope, every
    scheme, every category the roles allow). NoAccess for a principal without a document role, an employer
    or scheme out of scope, or a category the roles do not allow."""
    p, allowed = _require_documents(principal)
    eids = _employer_ids(p, employer_id)
    cats = _categories(allowed, category)
    query = _base_query().where(col(Document.employer_id).in_(eids), col(Document.category).in_(cats))
    if scheme_id is not None and scheme_id != "":
        scheme = db.get(Scheme, scheme_id_of(scheme_id))
        if scheme is None or scheme.employer_id not in eids:
            raise NoAccess("out_of_scope")
        query = query.where(Document.scheme_id == scheme.id)
    query = query.order_by(col(Document.created_at).desc(), col(Document.id).desc())
    return _entries(db, query)


def unread_count(db: Session, principal: Principal | None, employer_id: object = None) -> int:
    """How many documents the principal may see are still unread for their employer (the home tile)."""
    p, allowed = _require_documents(principal)
    eids = _employer_ids(p, employer_id)
    query = (
        select(func.count())
        .select_from(Document)
        .outerjoin(DocumentRead, _read_join())
        .where(
            col(Document.employer_id).in_(eids),
            col(Document.category).in_(allowed),
            col(DocumentRead.id).is_(None),
        )
    )
    return int(db.execute(query).scalar_one())


def _visible(db: Session, principal: Principal | None, document_id: object) -> Document:
    """The document if the principal may see it; NoAccess (with the reason) otherwise."""
    p, allowed = _require_documents(principal)
    doc = db.get(Document, id_of(document_id))
    if doc is None:
        raise NoAccess("not_found")
    if doc.employer_id not in p.employer_ids:
        raise NoAccess("out_of_scope")
    if doc.category not in CATEGORY_PERM:
        raise NoAccess("not_found")  # statements are served by their own rules (DOC-3)
    if doc.category not in allowed:
        raise NoAccess("missing_role")
    return doc


def denied(
    db: Session,
    principal: Principal | None,
    document_id: object,
    reason: str,
    ip: str,
    path: str = "/employer/documents",
) -> None:
    """Audit a refused document id (``path``: the page it was asked on)."""
    audit.record(
        db,
        "access.denied",
        actor=principal,
        object_type="document",
        object_id=str(document_id)[:40],
        ip=ip,
        reason=reason,
        path=path,
    )


def open_document(db: Session, principal: Principal | None, document_id: object, ip: str = "") -> OpenedDocument:
    """Open a document in the viewer: mark it read for its employer (DOC-2, when an employer user opens it),
    audit the access, and sign a view and a download link for this principal.

    A refusal (bad id, out of scope, wrong role) is audited in ``db`` and raised as NoAccess; the caller
    commits so the audit entry stays (nothing is marked or served)."""
    try:
        doc = _visible(db, principal, document_id)
    except NoAccess as refused:
        denied(db, principal, document_id, refused.reason, ip)
        raise
    assert principal is not None
    marked = False
    if principal.front_end == FrontEnd.EMPLOYER:
        marked = _mark_read(db, doc, principal.user_id)
    behalf = acting(principal, doc.employer_id).for_employer
    audit.record(
        db,
        "document.opened",
        actor=principal,
        object_type="document",
        object_id=doc.id,
        employer_id=doc.employer_id,
        on_behalf_of=behalf,
        ip=ip,
        marked_read=marked,
    )
    scheme = db.get(Scheme, doc.scheme_id) if doc.scheme_id else None
    entry = _entry(doc, f"{scheme.kind} {scheme.number} {scheme.name}" if scheme else "", unread=False)
    return OpenedDocument(
        entry=entry,
        view_link=files.link(principal, "document", doc.id or 0),
        download_link=files.link(principal, "document.download", doc.id or 0),
    )


def _mark_read(db: Session, doc: Document, user_id: int) -> bool:
    """Record that the employer has opened ``doc``; True when this call set the marker. Two colleagues at
    once: the unique constraint (document, employer) lets exactly one insert win, the other does nothing."""
    values = {"document_id": doc.id, "employer_id": doc.employer_id, "read_by": user_id, "read_at": clock.now()}
    return insert_once(db.connection(), DocumentRead.__table__, values, ["document_id", "employer_id"])


def _served(db: Session, principal: Principal, document_id: int, inline: bool) -> files.Served:
    doc = _visible(db, principal, document_id)
    return files.Served(files.stored_path("documents", doc.stored_name), doc.file_name or "document.pdf", PDF, inline)


@files.register("document")
def _served_inline(db: Session, principal: Principal, document_id: int) -> files.Served:
    """The PDF shown in the browser (scope and role checked again when the link is used)."""
    return _served(db, principal, document_id, inline=True)


@files.register("document.download")
def _served_download(db: Session, principal: Principal, document_id: int) -> files.Served:
    """The same PDF as an attachment (the download link)."""
    return _served(db, principal, document_id, inline=False)


def _file_name(title: str) -> str:
    """A safe download name from the title (it ends up in a header)."""
    stem = "".join(ch if ch.isalnum() else "-" for ch in title.lower()).strip("-")
    while "--" in stem:
        stem = stem.replace("--", "-")
    return f"{stem[:100] or 'document'}.pdf"


def _remove_on_rollback(db: Session, path: Path) -> None:
    """Delete ``path`` again if ``db``'s transaction rolls back (no file without its row); keep it on commit."""
    pending: list[Path] = db.info.setdefault("document_files", [])
    pending.append(path)
    if db.info.get("document_files_watched"):
        return
    db.info["document_files_watched"] = True

    def committed(session: Session) -> None:
        session.info.get("document_files", []).clear()

    def rolled_back(session: Session) -> None:
        for leftover in session.info.get("document_files", []):
            leftover.unlink(missing_ok=True)
        session.info.get("document_files", []).clear()

    event.listen(db, "after_commit", committed)
    event.listen(db, "after_rollback", rolled_back)


def add_document(
    db: Session,
    employer_id: int,
    scheme_id: int | None,
    category: str,
    kind: str,
    title: str,
    period: str,
    pdf_bytes: bytes,
    created_by: int | None = None,
    created_by_name: str = "",
    participation_id: int | None = None,
    person_id: int | None = None,
    language: str = "nl",
    notify: bool = True,
    created_at: datetime | None = None,
) -> Document:
    """Store a PDF under a generated name in the private documents folder, record its metadata and an audit
    event, and (``notify``) queue the notification mails once the transaction commits. For system use (jobs,
    demo data, the insurer's feed): no principal; the caller commits. ValueError for what is not a PDF, an
    unknown category/kind or a scheme of another employer."""
    if category not in KINDS or kind not in KINDS[category]:
        raise ValueError(f"unknown document kind {category}/{kind}")
    if not pdf_bytes.startswith(b"%PDF-") or len(pdf_bytes) > MAX_PDF_BYTES:
        raise ValueError("not a PDF, or too large")
    employer = db.get(Employer, employer_id)
    if employer is None:
        raise ValueError("unknown employer")
    if scheme_id is not None:
        scheme = db.get(Scheme, scheme_id)
        if scheme is None or scheme.employer_id != employer_id:
            raise ValueError("scheme of another employer")
    stored = files.new_stored_name("pdf")
    path = files.folder("documents") / stored
    path.write_bytes(pdf_bytes)
    _remove_on_rollback(db, path)
    try:
        doc = Document(
            employer_id=employer_id,
            scheme_id=scheme_id,
            participation_id=participation_id,
            person_id=person_id,
            category=category,
            kind=kind,
            title=title[:200],
            period=period[:16],
            language=language,
            file_name=_file_name(title),
            stored_name=stored,
            size_bytes=len(pdf_bytes),
            created_by=created_by,
            created_by_name=created_by_name,
            created_at=created_at or clock.now(),
        )
        db.add(doc)
        db.flush()
        audit.record(
            db,
            "document.added",
            actor_user_id=created_by,
            object_type="document",
            object_id=doc.id,
            employer_id=employer_id,
            category=category,
            kind=kind,
            scheme_id=scheme_id,
            period=period,
        )
    except Exception:
        path.unlink(missing_ok=True)
        raise
    if notify:
        from portal.services.documents.notifications import queue_notifications

        queue_notifications(db, [doc.id or 0])
    return doc
