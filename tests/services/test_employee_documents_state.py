"""The documents and profile pages' states without a browser (EE-3, EE-4): someone else's statement id as an
event argument is refused, said and audited, never shown; the employee's own opens with signed links; the profile
form sends one confirmation mail and the confirmation page takes its link once."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from datetime import date
from types import SimpleNamespace

import pytest
import reflex as rx
from sqlmodel import Session, col, select

from portal.jobs.queue import get_huey
from portal.models import Participation, Person
from portal.services import files
from portal.services.documents import statements
from portal.state.employee.documents import MyDocumentsState
from portal.state.employee.profile import ConfirmEmailState, ProfileState
from tests.services.employer_fixtures import audit_of, demo_employer, participation_of, principal_of, schemes_of
from tests.smtp import SmtpCapture, body_of

TODAY = date(2026, 11, 1)


@pytest.fixture
def sign_in(sign_in: Callable[[str], None]) -> Iterator[Callable[[str], None]]:
    """The services' ``sign_in``, and afterwards the queued mails and the documents' files gone."""
    yield sign_in
    get_huey().flush()
    for leftover in files.folder("documents").iterdir():
        leftover.unlink()


async def _state(cls):
    return await (rx.State(_reflex_internal_init=True)).get_state(cls)


def _statements(db: Session) -> tuple[int, int]:
    hr = principal_of(db, "employer.hr")
    op = schemes_of(db, demo_employer(db).id)["OP"]
    mine = statements.request_statement(db, hr, participation_of(db, op).id, 2026, today=TODAY)
    other = db.exec(
        select(Participation)
        .where(Participation.scheme_id == op.id, Participation.status == "active")
        .where(Participation.start_date <= date(2026, 1, 1), Participation.participant_number != "100001")
        .order_by(col(Participation.id))
    ).first()
    theirs = statements.request_statement(db, hr, other.id, 2026, today=TODAY)
    db.commit()
    return mine.id or 0, theirs.id or 0


async def test_someone_elses_statement_as_an_event_argument_is_refused_and_audited(db: Session, sign_in) -> None:
    mine, theirs = _statements(db)
    sign_in("employee")
    state = await _state(MyDocumentsState)
    await state.load()
    assert [c["id"] for c in state.latest] == [str(mine)]
    await state.open_statement(str(theirs))
    assert state.selected == {} and state.message == "Dit document is niet beschikbaar voor u."
    (event,) = audit_of(db, "access.denied")
    assert event.object_id == str(theirs) and json.loads(event.detail)["path"] == "/employee/documents"
    await state.open_statement(str(mine))
    assert state.selected["id"] == str(mine) and state.selected["download_link"].startswith("/files/")
    assert state.message == "" and [c["new"] for c in state.latest] == [""]  # opened now


async def test_the_profile_form_mails_once_and_the_page_of_the_link_confirms_once(
    db: Session, sign_in, smtp_server: SmtpCapture, monkeypatch: pytest.MonkeyPatch
) -> None:
    sign_in("employee")
    state = await _state(ProfileState)
    await state.load()
    bsn = db.get(Person, principal_of(db, "employee").person_id).bsn  # type: ignore[union-attr]
    assert state.loaded and state.national_id == "•" * (len(bsn) - 3) + bsn[-3:]
    await state.submit_email({"private_email": "nieuw@prive.example"})
    assert state.pending_email == "nieuw@prive.example" and "nieuw@prive.example" in state.status
    await state.submit_email({"private_email": "nieuw@prive.example"})
    assert len(smtp_server.messages_to("nieuw@prive.example")) == 1
    await state.submit_email({"private_email": "geen adres"})
    assert state.errors["private_email"]
    token = re.search(r"token=([A-Za-z0-9_-]+)", body_of(smtp_server.messages_to("nieuw@prive.example")[0]))
    confirm = await _state(ConfirmEmailState)
    link = SimpleNamespace(url=SimpleNamespace(query_parameters={"token": token.group(1)}))
    monkeypatch.setattr(type(confirm), "router", property(lambda _s: link))  # the page opened by the mail's link
    await confirm.load()
    assert (confirm.outcome, confirm.email) == ("confirmed", "nieuw@prive.example")
    await confirm.load()
    assert confirm.outcome == "invalid" and confirm.email == ""
    assert len(audit_of(db, "profile.private_email_refused")) == 1
    await state.load()
    assert state.private_email == "nieuw@prive.example" and state.pending_email == ""


async def test_a_refused_profile_load_after_a_good_one_leaves_nothing_of_it(db: Session, sign_in) -> None:
    """The same tab's state, then another user signed in: name, national id and addresses are gone."""
    sign_in("employee")
    state = await _state(ProfileState)
    await state.load()
    assert state.loaded and state.name and state.national_id and state.employers
    sign_in("employer.hr")
    await state.load()
    assert not state.loaded
    assert (state.name, state.birth_date, state.national_id, state.private_email, state.employers) == (
        "",
        "",
        "",
        "",
        [],
    )


def test_a_filed_form_keeps_its_own_title_on_its_card_a_statement_is_named_by_its_year() -> None:
    from datetime import UTC, datetime

    from portal.services.documents import own
    from portal.state.employee.documents import _card

    common = {"employer_name": "Noordkade", "scheme_kind": "OP", "scheme_name": "Pensioen", "participant_number": "1",
              "created_at": datetime(2026, 11, 10, tzinfo=UTC), "language": "nl", "opened": True}  # fmt: skip
    form = own.OwnStatement(id=7, year="2026", kind="signed_form", title="Uitstel van loon — G. ter Assob", **common)
    statement = own.OwnStatement(id=8, year="2025", **common)
    assert _card(form, "nl")["title"] == "Uitstel van loon — G. ter Assob"
    assert "2025" in _card(statement, "nl")["title"]  # a statement: "Pensioenoverzicht 2025", whatever its title
