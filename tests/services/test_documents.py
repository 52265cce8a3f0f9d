"""Employer documents (DOC-1, DOC-2, DOC-4, DOC-6): who sees which document, the unread marker per employer,
signed links (expired, tampered, of another user), the demo PDFs' content, and the notification mails through a
real SMTP server and the real huey consumer."""

from __future__ import annotations

import io
import json
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pypdf
import pytest
import time_machine
from sqlalchemy import func
from sqlmodel import Session, select

from portal.core.config import get_settings
from portal.jobs.consumer import InProcessConsumer
from portal.jobs.queue import get_huey
from portal.models import Document, DocumentRead, Participation, Person, Scheme, UserAccount
from portal.services import files
from portal.services.documents import library as documents
from portal.services.documents import notifications
from portal.services.errors import FieldError
from portal.services.organisation import company
from portal.services.principal import NoAccess, Principal, acting_for
from tests.services.employer_fixtures import (
    assert_link_denied,
    audit_of,
    demo_employer,
    foreign_tenant,
    principal_of,
    schemes_of,
)
from tests.smtp import SmtpCapture, body_of

MONEY = re.compile(r"€ \d{1,3}(\.\d{3})*,\d{2}")
HR_MAIL = "hanna.devries@noordkade-logistiek.example"
FINANCE_MAIL = "frank.bakker@noordkade-logistiek.example"


@dataclass
class Demo:
    db: Session
    employer_id: int
    op: Scheme
    np: Scheme
    manager: Principal  # employer.hr: HR + user management (both categories)
    finance: Principal
    hr_only: Principal  # the same account with the HR role alone (legal documents only)


@pytest.fixture
def demo(db: Session, demo_data: None) -> Iterator[Demo]:
    get_huey().flush()
    employer = demo_employer(db)
    schemes = schemes_of(db, employer.id)
    manager = principal_of(db, "employer.hr")
    finance = principal_of(db, "employer.finance")
    hr_only = replace(manager, roles=frozenset({"hr"}), perms=frozenset())
    yield Demo(db, employer.id or 0, schemes["OP"], schemes["NP"], manager, finance, hr_only)
    get_huey().flush()
    for leftover in files.folder("documents").iterdir():
        leftover.unlink()


def docs_of(d: Demo, category: str, kind: str | None = None, scheme: Scheme | None = None) -> list[Document]:
    query = select(Document).where(Document.employer_id == d.employer_id, Document.category == category)
    if kind:
        query = query.where(Document.kind == kind)
    if scheme:
        query = query.where(Document.scheme_id == scheme.id)
    return list(d.db.exec(query.order_by(Document.id)).all())


def unread_invoice(d: Demo) -> Document:
    reads = select(DocumentRead.document_id)
    return d.db.exec(
        select(Document).where(
            Document.employer_id == d.employer_id, Document.kind == "invoice", Document.id.not_in(reads)
        )
    ).first()


def pdf_text(doc: Document) -> str:
    reader = pypdf.PdfReader(files.stored_path("documents", doc.stored_name))
    return "\n".join(page.extract_text() for page in reader.pages)


def counts(db: Session) -> tuple[int, int]:
    db.expire_all()
    return (
        db.exec(select(func.count()).select_from(Document)).one(),
        db.exec(select(func.count()).select_from(DocumentRead)).one(),
    )


def token(principal: Principal, doc_id: int, kind: str = "document") -> str:
    return files.link(principal, kind, doc_id).removeprefix("/files/")


def denied(d: Demo, principal: Principal | None, tok: str, reason: str) -> None:
    assert_link_denied(d.db, principal, tok, reason)


# ---------------------------------------------------------------------------------------------- demo PDFs
def test_demo_documents_are_real_pdfs_with_employer_scheme_and_amounts(demo: Demo) -> None:
    financial = {d.kind for d in docs_of(demo, "financial")}
    legal = {d.kind for d in docs_of(demo, "legal")}
    assert financial == {"invoice", "booking_statement", "reminder"}
    assert legal == {"regulations", "administration_agreement", "addendum"}
    invoice = next(d for d in docs_of(demo, "financial", "invoice", demo.op) if d.period == "2026-11")
    text = pdf_text(invoice)
    active = demo.db.exec(
        select(func.count())
        .select_from(Participation)
        .where(Participation.scheme_id == demo.op.id, Participation.status == "active")
    ).one()
    premium = (Decimal("187.43") * active).quantize(Decimal("0.01"))
    expected = "€ " + f"{premium:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")
    assert "Noordkade Logistiek B.V." in text and "november 2026" in text
    assert "Ouderdomspensioen" in text and expected in text, (expected, text)
    assert len(MONEY.findall(text)) >= 3 and "Te betalen" in text
    regulations = docs_of(demo, "legal", "regulations", demo.np)[0]
    assert "Noordkade Logistiek B.V." in pdf_text(regulations) and "Artikel 1" in pdf_text(regulations)
    stored = files.stored_path("documents", invoice.stored_name)
    assert stored.parent == files.folder("documents") and stored.read_bytes().startswith(b"%PDF-")
    assert invoice.file_name.endswith(".pdf") and "/" not in invoice.file_name


# ----------------------------------------------------------------------------------------- who sees what
def test_each_role_sees_its_categories_and_statements_are_not_listed(demo: Demo) -> None:
    documents.add_document(
        demo.db, demo.employer_id, demo.op.id, "statement", "benefit_statement", "Pensioenoverzicht 2026",
        "2026", b"%PDF-1.4 statement", notify=False,
    )  # fmt: skip
    demo.db.commit()
    finance = documents.list_documents(demo.db, demo.finance)
    hr = documents.list_documents(demo.db, demo.hr_only)
    both = documents.list_documents(demo.db, demo.manager)
    assert finance and {e.category for e in finance} == {"financial"}
    assert hr and {e.category for e in hr} == {"legal"}
    assert {e.id for e in both} == {e.id for e in finance} | {e.id for e in hr}
    assert all(e.employer_id == demo.employer_id for e in both)
    portfolio = principal_of(demo.db, "adviser")
    for employer_id in portfolio.employer_ids:  # while acting for one employer: that employer's documents
        adviser = documents.list_documents(demo.db, acting_for(portfolio, employer_id))
        assert {e.employer_id for e in adviser} <= {employer_id}
    adviser = documents.list_documents(demo.db, acting_for(portfolio, demo.employer_id))
    assert {e.category for e in adviser} == {"financial", "legal"}
    with pytest.raises(NoAccess):  # never across the portfolio at once
        documents.list_documents(demo.db, portfolio)
    assert documents.categories_of(demo.finance) == ["financial"]
    with pytest.raises(NoAccess) as err:
        documents.list_documents(demo.db, principal_of(demo.db, "employee"))
    assert err.value.reason == "missing_role"
    with pytest.raises(NoAccess):
        documents.list_documents(demo.db, demo.finance, category="legal")
    with pytest.raises(NoAccess) as err:
        documents.list_documents(demo.db, demo.manager, category="statement")
    assert err.value.reason == "bad_category"


def test_scheme_and_employer_filters_are_checked(demo: Demo) -> None:
    op_only = documents.list_documents(demo.db, demo.manager, scheme_id=str(demo.op.id))
    assert op_only and {e.scheme_id for e in op_only} == {demo.op.id}
    _, foreign_scheme, foreign = foreign_tenant(demo.db)
    for bad in (str(foreign_scheme.id), "abc", {"id": 1}, True, "-1"):
        with pytest.raises(NoAccess):
            documents.list_documents(demo.db, demo.manager, scheme_id=bad)
    with pytest.raises(NoAccess) as err:
        documents.list_documents(demo.db, demo.manager, employer_id=str(foreign_scheme.employer_id))
    assert err.value.reason == "out_of_scope"
    assert documents.list_documents(demo.db, foreign) == []  # the other tenant has none of ours


@pytest.mark.parametrize("bad", ["abc", "", "99999999", {"id": 1}, True, "1 OR 1=1", -1])
def test_a_bad_or_unknown_document_id_is_refused_audited_and_changes_nothing(demo: Demo, bad: object) -> None:
    before = counts(demo.db)
    with pytest.raises(NoAccess):
        documents.open_document(demo.db, demo.manager, bad)
    demo.db.commit()
    assert counts(demo.db) == before
    (event,) = audit_of(demo.db, "access.denied")
    assert event.object_type == "document" and json.loads(event.detail)["reason"] in ("bad_id", "not_found")


def test_documents_of_another_employer_or_category_are_refused(demo: Demo) -> None:
    invoice = unread_invoice(demo)
    legal = docs_of(demo, "legal")[0]
    _, _, foreign = foreign_tenant(demo.db)
    before = counts(demo.db)
    for principal, doc, reason in (
        (foreign, invoice, "out_of_scope"),
        (demo.finance, legal, "missing_role"),
        (demo.hr_only, invoice, "missing_role"),
        (principal_of(demo.db, "employee"), invoice, "missing_role"),
    ):
        with pytest.raises(NoAccess) as err:
            documents.open_document(demo.db, principal, doc.id)
        assert err.value.reason == reason
    demo.db.commit()
    assert counts(demo.db) == before  # nothing marked read
    assert [json.loads(e.detail)["reason"] for e in audit_of(demo.db, "access.denied")] == [
        "out_of_scope",
        "missing_role",
        "missing_role",
        "missing_role",
    ]


# ------------------------------------------------------------------------------------ the unread marker
def test_opening_clears_the_marker_for_every_user_of_the_employer(demo: Demo) -> None:
    invoice = unread_invoice(demo)
    manager_before = documents.unread_count(demo.db, demo.manager)
    finance_before = documents.unread_count(demo.db, demo.finance)
    assert manager_before == 5 and finance_before == 3  # demo: 2 invoices + reminder new; 2 addenda new
    assert next(e for e in documents.list_documents(demo.db, demo.manager) if e.id == invoice.id).unread
    opened = documents.open_document(demo.db, demo.finance, invoice.id)
    demo.db.commit()
    assert opened.entry.id == invoice.id and opened.view_link.startswith("/files/")
    colleague_view = next(e for e in documents.list_documents(demo.db, demo.manager) if e.id == invoice.id)
    assert colleague_view.unread is False  # cleared for the colleague too (DOC-2)
    assert documents.unread_count(demo.db, demo.manager) == manager_before - 1
    assert documents.unread_count(demo.db, demo.finance) == finance_before - 1
    documents.open_document(demo.db, demo.manager, invoice.id)  # a second opening adds no marker
    demo.db.commit()
    reads = demo.db.exec(select(DocumentRead).where(DocumentRead.document_id == invoice.id)).all()
    assert len(reads) == 1 and reads[0].read_by == demo.finance.user_id
    events = audit_of(demo.db, "document.opened")
    assert [json.loads(e.detail)["marked_read"] for e in events] == [True, False]
    assert events[0].employer_id == demo.employer_id and events[0].actor_name == "employer.finance"


def test_an_adviser_may_open_but_does_not_clear_the_employers_marker(demo: Demo) -> None:
    invoice = unread_invoice(demo)
    adviser = acting_for(principal_of(demo.db, "adviser"), demo.employer_id)
    documents.open_document(demo.db, adviser, invoice.id)
    demo.db.commit()
    assert next(e for e in documents.list_documents(demo.db, demo.finance) if e.id == invoice.id).unread
    (event,) = audit_of(demo.db, "document.opened")
    assert event.on_behalf_of == f"employer:{demo.employer_id}"


# ---------------------------------------------------------------------------------------------- links
def test_the_links_serve_the_pdf_inline_and_as_download(demo: Demo) -> None:
    opened = documents.open_document(demo.db, demo.finance, unread_invoice(demo).id)
    demo.db.commit()
    view = files.serve(demo.db, demo.finance, opened.view_link.removeprefix("/files/"))
    download = files.serve(demo.db, demo.finance, opened.download_link.removeprefix("/files/"))
    assert view.inline is True and download.inline is False
    assert view.media_type == "application/pdf" and view.path == download.path
    assert view.download_name.startswith("premiefactuur-") and view.download_name.endswith(".pdf")
    assert pypdf.PdfReader(io.BytesIO(view.path.read_bytes())).pages
    demo.db.commit()
    assert len(audit_of(demo.db, "file.downloaded")) == 2


def test_links_expired_tampered_or_of_another_user_serve_nothing(demo: Demo) -> None:
    invoice = unread_invoice(demo)
    legal = docs_of(demo, "legal")[0]
    tok = token(demo.finance, invoice.id)
    denied(demo, demo.manager, tok, "link_of_other_user")  # a colleague may see it, but not with this link
    denied(demo, None, tok, "not_signed_in")
    denied(demo, demo.finance, tok[:-3] + ("AAA" if not tok.endswith("AAA") else "BBB"), "link_invalid")
    with time_machine.travel(datetime.now(UTC) - timedelta(minutes=files.LINK_MINUTES + 1), tick=False):
        old = token(demo.finance, invoice.id)
    denied(demo, demo.finance, old, "link_expired")
    # A link signed for oneself but naming a document outside one's rights: the resolver checks again.
    denied(demo, demo.finance, token(demo.finance, legal.id), "missing_role")
    _, _, foreign = foreign_tenant(demo.db)
    denied(demo, foreign, token(foreign, invoice.id, "document.download"), "out_of_scope")
    assert audit_of(demo.db, "file.downloaded") == []


# ----------------------------------------------------------------------------------------- add_document
def test_add_document_stores_privately_audits_and_queues_mail_after_commit(demo: Demo) -> None:
    before = get_huey().pending_count()
    doc = documents.add_document(
        demo.db, demo.employer_id, demo.op.id, "financial", "invoice", "Premiefactuur december 2026 (OP)",
        "2026-12", b"%PDF-1.4 test", created_by_name="a.s.r.",
    )  # fmt: skip
    assert get_huey().pending_count() == before  # not before the commit
    demo.db.commit()
    assert get_huey().pending_count() == before + 1
    path = files.stored_path("documents", doc.stored_name)
    assert path.read_bytes() == b"%PDF-1.4 test" and re.fullmatch(r"[0-9a-f]{32}\.pdf", doc.stored_name)
    assert "static" not in str(path) and "upload" not in str(path)
    (event,) = [e for e in audit_of(demo.db, "document.added") if e.object_id == str(doc.id)]
    assert event.employer_id == demo.employer_id and json.loads(event.detail)["kind"] == "invoice"


def test_add_document_refuses_what_is_not_a_pdf_or_another_employers_scheme(demo: Demo) -> None:
    _, foreign_scheme, _ = foreign_tenant(demo.db)
    before, stored = counts(demo.db), sorted(files.folder("documents").iterdir())
    for args in (
        (demo.op.id, "financial", "invoice", b"<html>no pdf</html>"),
        (demo.op.id, "financial", "regulations", b"%PDF-1.4"),
        (foreign_scheme.id, "financial", "invoice", b"%PDF-1.4"),
    ):
        with pytest.raises(ValueError):
            documents.add_document(demo.db, demo.employer_id, args[0], args[1], args[2], "x", "2026", args[3])
    demo.db.rollback()
    assert counts(demo.db) == before and sorted(files.folder("documents").iterdir()) == stored


def test_a_rolled_back_document_leaves_no_file_and_a_committed_one_stays(demo: Demo) -> None:
    before = sorted(files.folder("documents").iterdir())
    lost = documents.add_document(demo.db, demo.employer_id, demo.op.id, "legal", "addendum", "A", "2027", b"%PDF-1")
    lost_path = files.stored_path("documents", lost.stored_name)
    assert lost_path.exists()
    demo.db.rollback()
    assert not lost_path.exists() and sorted(files.folder("documents").iterdir()) == before
    kept = documents.add_document(
        demo.db, demo.employer_id, demo.op.id, "legal", "addendum", "B", "2027", b"%PDF-1", notify=False
    )
    demo.db.commit()
    demo.db.rollback()  # a later rollback of the same session does not touch a committed file
    assert files.stored_path("documents", kept.stored_name).exists()


# ------------------------------------------------------------------------------------------ notifications
def participant_names(d: Demo) -> list[str]:
    rows = d.db.exec(
        select(Person.last_name)
        .join(Participation, Participation.person_id == Person.id)
        .where(Participation.employer_id == d.employer_id)
    ).all()
    return sorted({n for n in rows if len(n) > 4})


def new_docs(d: Demo) -> tuple[int, int, int]:
    ids = []
    for category, kind, title in (
        ("financial", "invoice", "Premiefactuur december 2026 (OP)"),
        ("financial", "booking_statement", "Boekingsoverzicht Q4 2026 (OP)"),
        ("legal", "addendum", "Addendum 2027 (OP)"),
    ):
        doc = documents.add_document(
            d.db, d.employer_id, d.op.id, category, kind, title, "2026-12", b"%PDF-1.4 x", notify=False
        )
        ids.append(doc.id or 0)
    d.db.commit()
    return ids[0], ids[1], ids[2]


def test_one_mail_per_user_with_deep_links_and_no_personal_data(demo: Demo, smtp_server: SmtpCapture) -> None:
    invoice, booking, addendum = new_docs(demo)
    sent = notifications.notify_documents([invoice, booking, addendum])
    assert sent == 2  # employer.hr (both categories) and employer.finance; invited accounts are not active
    base = get_settings().base_url
    finance = smtp_server.messages_to(FINANCE_MAIL)
    manager = smtp_server.messages_to(HR_MAIL)
    assert len(finance) == 1 and len(manager) == 1
    fin_body, man_body = body_of(finance[0]), body_of(manager[0])
    assert f"{base}/employer/documents?doc={invoice}" in fin_body
    assert f"{base}/employer/documents?doc={booking}" in fin_body
    assert f"doc={addendum}" not in fin_body  # legal: not for finance
    assert all(f"{base}/employer/documents?doc={i}" in man_body for i in (invoice, booking, addendum))
    assert finance[0]["Subject"] == "2 nieuwe documenten in het portaal"
    assert "Noordkade Logistiek B.V." in fin_body and "Factuur (Financieel)" in fin_body
    assert fin_body.startswith("Goedendag,") and man_body.startswith("Goedendag,")  # no names at all
    for body in (fin_body, man_body):
        assert "Frank Bakker" not in body and "Hanna de Vries" not in body
        assert "€" not in body and not re.search(r"\d{9}", body)  # no amounts, no BSN
        assert "Premiefactuur december" not in body  # no titles
        leaked = [n for n in participant_names(demo) if n in body]
        assert leaked == []
    (event,) = audit_of(demo.db, "documents.notified")
    assert json.loads(event.detail)["mails"] == 2


def test_no_mail_for_a_user_who_turned_them_off(demo: Demo, smtp_server: SmtpCapture) -> None:
    assert company.update_notify_mail(demo.db, demo.manager, False) is True
    demo.db.commit()
    invoice, _, addendum = new_docs(demo)
    assert notifications.notify_documents([invoice, addendum]) == 1
    assert smtp_server.messages_to(HR_MAIL) == []
    assert len(smtp_server.messages_to(FINANCE_MAIL)) == 1
    (event,) = audit_of(demo.db, "account.notify_mail_changed")
    assert json.loads(event.detail) == {"old": True, "new": False}


@pytest.mark.parametrize("bad", ["false", 0, None, {"on": True}, "off"])
def test_the_preference_takes_only_a_boolean(demo: Demo, bad: object) -> None:
    with pytest.raises(FieldError) as err:
        company.update_notify_mail(demo.db, demo.manager, bad)
    assert err.value.field == "notify_mail"
    demo.db.rollback()
    user = demo.db.get(UserAccount, demo.manager.user_id)
    demo.db.refresh(user)
    assert user.notify_mail is True and audit_of(demo.db, "account.notify_mail_changed") == []
    profile = company.company_profile(demo.db, demo.manager)
    assert profile.my_notify_mail is True


def test_the_notification_job_runs_in_the_real_huey_consumer(demo: Demo, smtp_server: SmtpCapture) -> None:
    consumer = InProcessConsumer(get_huey(), workers=1, worker_type="thread", periodic=False)
    consumer.start()
    try:
        doc = documents.add_document(
            demo.db, demo.employer_id, demo.np.id, "financial", "reminder", "Aanmaning november 2026 (NP)",
            "2026-11", b"%PDF-1.4 reminder",
        )  # fmt: skip
        demo.db.commit()
        msg = smtp_server.wait_for(FINANCE_MAIL, "nieuw document", timeout=30)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not smtp_server.messages_to(HR_MAIL):
            time.sleep(0.1)
    finally:
        consumer.stop(graceful=True)
    assert f"/employer/documents?doc={doc.id}" in body_of(msg) and "Aanmaning (Financieel)" in body_of(msg)
    assert len(smtp_server.messages_to(HR_MAIL)) == 1
