"""The employee's form page and signing with the eID (EE-5, AUTH-6): "Ondertekenen met eID" is offered for an
account linked to an eID subject when the eID is configured (its link names the form and the SHA-256 of the PDF
shown), the code field only for an account with an authenticator app; the callback's result flag becomes the
notice or the message (unknown flags: a neutral "did not succeed")."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlmodel import Session

from portal.core import clock, csrf
from portal.core.config import get_settings
from portal.models import EidLink, UserAccount
from portal.state import auth
from portal.state.employee import forms as employee_forms
from tests.services.employer_fixtures import principal_of
from tests.services.test_forms_state import T0, _form_page
from tests.services.test_forms_state import world as world  # the fixture


@pytest.fixture
def eid_configured(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("PORTAL_OIDC_ISSUER", "https://eid.example")
    monkeypatch.setenv("PORTAL_OIDC_CLIENT_ID", "portal")
    get_settings.cache_clear()
    yield
    monkeypatch.undo()
    get_settings.cache_clear()


def _link(db: Session) -> int:
    user_id = principal_of(db, "employee").user_id
    db.add(EidLink(issuer="https://eid.example", subject="gijs", user_id=user_id))
    db.commit()
    return user_id


async def _page(monkeypatch: pytest.MonkeyPatch, form_id: int, flag: str = ""):
    monkeypatch.setattr(employee_forms, "query_param", lambda state, name: flag if name == "eid" else "")
    with clock.frozen(T0):
        return await _form_page(monkeypatch, str(form_id))


async def test_sign_with_eid_is_offered_beside_the_code_for_a_linked_account(
    db: Session, world: dict, sign_in, monkeypatch: pytest.MonkeyPatch, eid_configured: None
) -> None:
    sign_in("employee")
    state = await _page(monkeypatch, world["mine"])
    assert (state.sign_totp, state.sign_eid) == (True, False)  # not linked yet: the code only
    _link(db)
    state = await _page(monkeypatch, world["mine"])
    assert (state.sign_totp, state.sign_eid, state.can_sign) == (True, True, True)
    link = urlsplit(state.eid_href)
    assert link.path == "/auth/eid/sign"
    token = csrf.token_for(auth.session_token(state))
    assert token and parse_qs(link.query) == {"form": [str(world["mine"])], "sha": [state._sha256], "csrf": [token]}


async def test_an_eid_only_account_gets_no_code_field(
    db: Session, world: dict, sign_in, monkeypatch: pytest.MonkeyPatch, eid_configured: None
) -> None:
    sign_in("employee")
    user = db.get(UserAccount, _link(db))
    user.totp_secret = ""
    db.commit()
    state = await _page(monkeypatch, world["mine"])
    assert (state.sign_totp, state.sign_eid) == (False, True)


async def test_without_eid_configured_only_the_code(
    db: Session, world: dict, sign_in, monkeypatch: pytest.MonkeyPatch
) -> None:
    sign_in("employee")
    _link(db)
    state = await _page(monkeypatch, world["mine"])
    assert (state.sign_totp, state.sign_eid) == (True, False)


@pytest.mark.parametrize(
    ("flag", "notice", "message"),
    [
        ("signed", "Ondertekend met eID. Dank u wel.", ""),
        ("forms.eid_other_person", "", "U logde bij de eID in als iemand anders"),
        ("forms.expired", "", "Dit formulier is verlopen."),
        ("failed", "", "Ondertekenen met eID is niet gelukt."),
        ("<script>", "", "Ondertekenen met eID is niet gelukt."),
        ("", "", ""),
    ],
)
async def test_the_callbacks_result_is_said_on_the_page(
    db: Session, world: dict, sign_in, monkeypatch: pytest.MonkeyPatch, flag: str, notice: str, message: str
) -> None:
    sign_in("employee")
    state = await _page(monkeypatch, world["mine"], flag)
    assert state.notice == notice and state.message.startswith(message) and (message or not state.message)


async def test_no_flag_is_said_for_someone_elses_form(
    db: Session, world: dict, sign_in, monkeypatch: pytest.MonkeyPatch
) -> None:
    sign_in("employee")
    state = await _page(monkeypatch, world["theirs"], "signed")
    assert state.notice == "" and state.message == "Dit formulier is niet beschikbaar."
