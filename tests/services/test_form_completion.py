"""A completed signed form (DOC-5, EE-5), on SQLite and PostgreSQL: its final PDF is filed as a document that
its employee (personal archive) and its employer (document list) see, nobody else, and that verifies with
every signature; a deferred-compensation agreement and a decision to join take effect as a processed change
with the signing date that the participant's history shows; audited."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from sqlmodel import col, select

from portal.core import signing
from portal.models import Document, Form, Mutation
from portal.services import files, forms, mutations
from portal.services.documents import library, own
from portal.services.forms import completion
from portal.services.principal import NoAccess
from tests.services.employer_fixtures import audit_of, foreign_tenant
from tests.services.test_forms import T0, World, _prepare, _shown, _signed_dc
from tests.services.test_forms import w as w  # the fixture

SIGN_DAY = date(2026, 11, 10)


def _completed_dc(w: World) -> Form:
    fid = _signed_dc(w)
    with w.later():
        return forms.countersign(w.db, w.hr, fid, w.code(w.hr))


def _served(w: World, principal, link: str) -> bytes:
    served = files.serve(w.db, principal, link.rsplit("/", 1)[-1])
    return served.path.read_bytes()


def test_a_completed_form_is_filed_for_its_employee_and_employer_and_verifies(w: World) -> None:
    form = _completed_dc(w)
    doc = w.db.get(Document, form.document_id)
    assert doc is not None
    assert (doc.category, doc.kind, doc.person_id, doc.participation_id) == (
        "legal",
        "signed_form",
        w.part.person_id,
        w.part.id,
    )
    assert doc.employer_id == w.employer_id and doc.scheme_id == w.part.scheme_id
    pdf = files.stored_path("documents", doc.stored_name).read_bytes()
    assert signing.sha256(pdf) == form.completed_sha256  # the final PDF, both signatures in it
    result = signing.verify(pdf)
    assert result.ok and [s.field for s in result.signatures] == [forms.EMPLOYEE_FIELD, forms.EMPLOYER_FIELD]
    # the employer's document list (HR, the adviser acting for it), opened and served
    assert doc.id in [e.id for e in library.list_documents(w.db, w.hr, w.employer_id)]
    assert doc.id in [e.id for e in library.list_documents(w.db, w.adviser, w.employer_id, None, "legal")]
    opened = library.open_document(w.db, w.hr, doc.id)
    assert signing.verify(_served(w, w.hr, opened.view_link)).ok
    # the employee's personal archive, opened and served
    archive = own.my_documents(w.db, w.employee).archive
    [mine] = [s for s in archive if s.id == doc.id]
    assert mine.kind == "signed_form" and "Gijs ter Assob" in mine.title
    seen = own.open_statement(w.db, w.employee, doc.id)
    assert _served(w, w.employee, seen.view_link) == pdf
    assert _served(w, w.employee, seen.download_link) == pdf
    [row] = [r for r in forms.my_forms(w.db, w.employee) if r.id == form.id]
    assert (row.document_id, row.mutation_id) == (doc.id, form.mutation_id)
    [filed] = audit_of(w.db, "form.filed")
    assert json.loads(filed.detail)["document_id"] == doc.id and filed.object_id == str(form.id)


def test_the_filed_form_is_refused_to_everyone_else(w: World) -> None:
    form = _completed_dc(w)
    doc_id = form.document_id
    _employer, _scheme, foreign = foreign_tenant(w.db)
    for who in (foreign, w.other_adviser, w.adviser_plain):
        with pytest.raises(NoAccess):
            library.open_document(w.db, who, doc_id)
    with pytest.raises(NoAccess):  # finance sees no legal documents
        library.open_document(w.db, w.finance, doc_id)
    assert doc_id not in [e.id for e in library.list_documents(w.db, w.finance, w.employer_id)]
    with pytest.raises(NoAccess):
        library.list_documents(w.db, foreign, w.employer_id)
    with pytest.raises(NoAccess):  # the employer side does not open it as the employee's own
        own.open_statement(w.db, w.hr, doc_id)
    # a form filed for another participant is not in this employee's archive, nor can they open it
    [other_id] = _prepare(w, "beneficiary", ids=[w.others[0].id]).form_ids
    other = w.db.get(Form, other_id)
    pdf = files.stored_path("documents", other.stored_name).read_bytes()
    theirs = completion.file_pdf(w.db, other, pdf, None, "")
    w.db.commit()
    assert theirs.id not in [s.id for s in own.my_documents(w.db, w.employee).archive]
    with pytest.raises(NoAccess):
        own.open_statement(w.db, w.employee, theirs.id)
    link = files.link(w.employee, own.FORM_VIEW, theirs.id or 0)
    with pytest.raises(NoAccess):
        files.serve(w.db, w.employee, link.rsplit("/", 1)[-1])


def test_deferred_compensation_takes_effect_in_the_participants_history(w: World) -> None:
    form = _completed_dc(w)
    m = w.db.get(Mutation, form.mutation_id)
    assert (m.kind, m.status, m.channel, m.effective_date) == ("deferred_compensation", "processed", "form", SIGN_DAY)
    assert m.requested_by == w.employee.user_id and m.participation_id == w.part.id
    history = mutations.history(w.db, w.hr, w.part.id)
    [row] = [r for r in history if r.mutation_id == m.id]
    assert row.kind == "deferred_compensation" and row.effective_date == SIGN_DAY
    assert ("deferral_amount", "", "250.00") in row.changes
    assert ("deferral_start", "", "2026-12-01") in row.changes
    [event] = [e for e in audit_of(w.db, "mutation.submitted") if e.object_id == str(m.id)]
    assert json.loads(event.detail)["source"] == f"form:{form.id}" and event.actor_user_id == w.employee.user_id
    with pytest.raises(NoAccess):  # the history stays the employer's
        mutations.history(w.db, foreign_tenant(w.db)[2], w.part.id)
    # the participant detail page's history shows the amount as a change, formatted in the reader's language
    from portal.services.participants.detail import participant_detail
    from portal.state.forms import display

    detail = participant_detail(w.db, w.hr, w.part.id)
    [entry] = [h for h in detail.history if h.mutation_id == m.id]
    assert ("deferral_amount", "", "250.00") in entry.changes and ("deferral_start", "", "2026-12-01") in entry.changes
    assert display("deferral_amount", "250.00", "nl") == "€ 250,00"
    assert display("deferral_amount", "250.00", "en") == "€250.00"
    assert display("deferral_start", "2026-12-01", "nl") == "01-12-2026"
    assert display("join_decision", "no", "en") == "No, I do not join"


def test_a_second_agreement_shows_the_previous_amount_as_old(w: World) -> None:
    _completed_dc(w)
    [fid] = _prepare(w, amount="300").form_ids
    forms.fill(w.db, w.employee, fid, {"start_date": "2026-12-01"})
    with w.later():
        forms.sign(w.db, w.employee, fid, w.code(), _shown(w, fid))
    with w.later():
        form = forms.countersign(w.db, w.hr, fid, w.code(w.hr))
    new = json.loads(w.db.get(Mutation, form.mutation_id).old_values)
    assert new["deferral_amount"] == "250.00"


def test_a_join_decision_takes_effect_and_a_beneficiary_statement_is_only_filed(w: World) -> None:
    [jid] = _prepare(w, "join_decision", information_shown="Brochure OP 2027").form_ids
    forms.fill(w.db, w.employee, jid, {"decision": "no"})
    with w.later():
        joined = forms.sign(w.db, w.employee, jid, w.code(), _shown(w, jid))
    assert joined.status == "completed" and joined.document_id is not None
    m = w.db.get(Mutation, joined.mutation_id)
    assert m.kind == "join_decision" and json.loads(m.new_values) == {"join_decision": "no"}
    assert m.effective_date == (T0 + timedelta(seconds=w.step)).date()
    [bid] = _prepare(w, "beneficiary").form_ids
    anna = {"name": "Anna", "birth_date": "1990-04-02", "relation": "partner"}
    forms.fill(w.db, w.employee, bid, {"persons": [anna]})
    with w.later():
        ben = forms.sign(w.db, w.employee, bid, w.code(), _shown(w, bid))
    assert ben.document_id is not None and ben.mutation_id is None
    kinds = w.db.exec(select(Mutation.kind).where(col(Mutation.participation_id) == w.part.id)).all()
    assert kinds.count("join_decision") == 1 and "beneficiary" not in kinds
