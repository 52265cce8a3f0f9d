"""Signing a form with a fresh eID sign-in through the routes (EE-5, AUTH-6), against the real OpenID provider
(panva's ``oidc-provider``, ``tests/eid.py``): ``/auth/eid/sign`` checks the form is the signed-in employee's and
waits for them before it sends the browser to the eID with ``prompt=login`` and ``max_age=0``; the one callback
finishes the flow, checks the session is still the one that started, signs, and sends the browser back to the
form page with the result. A foreign or forged form id, another session at the callback, or a provider error:
back to the form page (or the login), nothing signed, audited."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlmodel import Session, col, select

from portal.api.routes import EID_COOKIE, SESSION_COOKIE, _eid_serializer
from portal.core import csrf, signing
from portal.models import AuditEvent, AuthSession, Form, Participation
from portal.services import accounts, files, forms
from portal.services.principal import Principal
from tests.eid import sign_in_at
from tests.services.employer_fixtures import demo_employer, participation_of, principal_of, schemes_of
from tests.services.test_eid_routes import _browser, _callback, _start
from tests.services.test_eid_routes import eid as eid  # the fixtures: the provider, the portal configured for it
from tests.services.test_eid_routes import issuer as issuer
from tests.services.test_eid_routes import providers as providers

DC = "deferred_compensation"


@pytest.fixture
def documents() -> Iterator[None]:
    yield
    for leftover in files.folder("documents").iterdir():
        leftover.unlink()


def _signed_in_with_eid(db: Session, eid: str):
    """A browser in which the demo employee signed in with the eID (their account now linked to ``gijs``), and
    their principal."""
    browser = _browser()
    answer = _callback(browser, sign_in_at(_start(browser), "gijs", eid))
    assert answer.headers["location"] == "/employee"
    principal = accounts.resolve_session(db, answer.cookies.get(SESSION_COOKIE))
    assert principal is not None
    db.commit()
    return browser, principal


def _waiting_dc(db: Session, participation: Participation | None = None) -> int:
    """A deferred-compensation agreement, complete, sent to the participant (the demo employee's by default)."""
    employer = demo_employer(db)
    part = participation or participation_of(db, schemes_of(db, employer.id)["OP"])
    values = {"amount": "250", "start_date": date.today().replace(day=1).isoformat()}
    [fid] = forms.prepare(db, principal_of(db, "employer.hr"), employer.id, DC, [part.id], values).form_ids
    return fid


def _shown(db: Session, me: Principal, fid: int) -> str:
    return signing.sha256(forms.pdf_of(db, me, fid)[1])


def _sign_at_eid(browser, fid: int | str, sha: str, token: str | None = None):
    """Press "Ondertekenen met eID" (the page's link carries the session's CSRF token)."""
    token = csrf.token_for(browser.cookies.get(SESSION_COOKIE) or "") if token is None else token
    return browser.get(f"/auth/eid/sign?form={fid}&sha={sha}&csrf={token}", follow_redirects=False)


def _refusals(db: Session) -> list[str]:
    db.expire_all()
    events = db.exec(select(AuditEvent).where(AuditEvent.action == "form.sign_refused")).all()
    return [json.loads(e.detail)["reason"] for e in events]


def _unsigned(db: Session, fid: int) -> None:
    db.expire_all()
    form = db.get(Form, fid)
    assert form is not None and form.status == "waiting_for_employee" and form.signed_sha256 == ""
    assert db.exec(select(AuditEvent).where(AuditEvent.action == "form.signed")).all() == []


def test_sign_with_a_fresh_eid_sign_in_from_start_to_the_signed_form(db: Session, eid: str, documents: None) -> None:
    browser, me = _signed_in_with_eid(db, eid)
    fid = _waiting_dc(db)
    sha = _shown(db, me, fid)
    answer = _sign_at_eid(browser, fid, sha)
    assert answer.status_code == 303
    authorize = answer.headers["location"]
    query = parse_qs(urlsplit(authorize).query)
    assert authorize.startswith(eid + "/auth?")
    assert (query["prompt"], query["max_age"], query["code_challenge_method"]) == (["login"], ["0"], ["S256"])
    flow = _eid_serializer().loads(browser.cookies.get(EID_COOKIE))
    token = browser.cookies.get(SESSION_COOKIE)
    assert (flow["purpose"], flow["form"], flow["sha"], flow["state"]) == ("sign", str(fid), sha, query["state"][0])
    assert token not in json.dumps(flow)  # only the session token's hash goes in the flow cookie
    assert flow["session"] == hashlib.sha256(f"eid-sign:{token}".encode()).hexdigest()
    back = _callback(browser, sign_in_at(authorize, "gijs", eid))  # the provider asks for a new sign-in
    assert (back.status_code, back.headers["location"]) == (303, f"/employee/forms/{fid}?eid=signed")
    assert not browser.cookies.get(EID_COOKIE, path="/auth/eid")
    db.expire_all()
    form = db.get(Form, fid)
    assert form is not None and form.status == "waiting_for_countersignature" and form.signed_by == me.user_id
    assert signing.verify(files.stored_path("documents", form.stored_name).read_bytes()).ok
    [event] = db.exec(select(AuditEvent).where(AuditEvent.action == "form.signed")).all()
    assert json.loads(event.detail)["method"] == "eid" and json.loads(event.detail)["session"] == me.session_id
    # the same sign-in is still the browser's session; a second round is refused before the eID
    again = _sign_at_eid(browser, fid, form.signed_sha256)
    assert again.headers["location"] == f"/employee/forms/{fid}?eid=forms.already_signed"


def test_a_foreign_or_forged_form_id_is_refused_before_the_eid(db: Session, eid: str, documents: None) -> None:
    browser, _me = _signed_in_with_eid(db, eid)
    other = db.exec(
        select(Participation)
        .where(Participation.person_id != participation_of(db, schemes_of(db, demo_employer(db).id)["OP"]).person_id)
        .where(Participation.status == "active", Participation.employer_id == demo_employer(db).id)
        .order_by(col(Participation.id))
    ).first()
    foreign = _waiting_dc(db, other)
    answer = _sign_at_eid(browser, foreign, "0" * 64)
    assert (answer.status_code, answer.headers["location"]) == (303, f"/employee/forms/{foreign}?eid=failed")
    assert browser.cookies.get(EID_COOKIE) is None  # not sent to the eID at all
    for forged in ("1%20OR%201=1", "-1", "abc"):
        answer = _sign_at_eid(browser, forged, "0" * 64)
        assert answer.headers["location"] == "/employee/forms"
    db.expire_all()
    denied = db.exec(select(AuditEvent).where(AuditEvent.action == "access.denied")).all()
    assert len([e for e in denied if e.object_type == "form"]) == 4
    _unsigned(db, foreign)
    mine = _waiting_dc(db)  # a form of their own with a SHA-256 other than the PDF's: back, nothing started
    answer = _sign_at_eid(browser, mine, "0" * 64)
    assert answer.headers["location"] == f"/employee/forms/{mine}?eid=forms.changed_since_viewed"
    assert _refusals(db) == ["forms.changed_since_viewed"]


def test_a_link_without_the_sessions_csrf_token_starts_nothing(db: Session, eid: str, documents: None) -> None:
    """A link to the signing sent by someone else (the preparer knows the form and its PDF): the employee is sent
    to the form to review it, nothing started, the request audited."""
    browser, me = _signed_in_with_eid(db, eid)
    fid = _waiting_dc(db)
    sha = _shown(db, me, fid)
    other = csrf.token_for(accounts.redeem_ticket(db, *accounts.create_session(db, me.user_id))[0])
    db.commit()
    for token in ("", "forged", other):
        answer = _sign_at_eid(browser, fid, sha, token)
        assert (answer.status_code, answer.headers["location"]) == (303, f"/employee/forms/{fid}")
        assert browser.cookies.get(EID_COOKIE) is None
    db.expire_all()
    refused = db.exec(select(AuditEvent).where(AuditEvent.action == "request.refused")).all()
    assert [(e.actor_user_id, json.loads(e.detail)["reason"]) for e in refused] == [(me.user_id, "csrf_token")] * 3
    _unsigned(db, fid)


def test_without_a_session_the_signing_goes_to_the_login(db: Session, eid: str, demo_data: None) -> None:
    answer = _browser().get("/auth/eid/sign?form=1&sha=abc", follow_redirects=False)
    assert (answer.status_code, answer.headers["location"]) == (303, "/login")


def test_another_session_at_the_callback_signs_nothing(db: Session, eid: str, documents: None) -> None:
    browser, me = _signed_in_with_eid(db, eid)
    fid = _waiting_dc(db)
    authorize = _sign_at_eid(browser, fid, _shown(db, me, fid)).headers["location"]
    back = sign_in_at(authorize, "gijs", eid)
    # meanwhile this browser's session was replaced (signed out and in again): the flow does not count for it
    ticket = accounts.create_session(db, me.user_id)
    new_token, _home = accounts.redeem_ticket(db, ticket.ticket, ticket.browser_key)
    db.commit()
    browser.cookies.delete(SESSION_COOKIE)
    browser.cookies.set(SESSION_COOKIE, new_token, path="/")
    answer = _callback(browser, back)
    assert answer.headers["location"] == f"/employee/forms/{fid}?eid=failed"
    assert _refusals(db) == ["eid.session"]
    _unsigned(db, fid)
    # and with the session ended, the browser goes to the login
    authorize = _sign_at_eid(browser, fid, _shown(db, me, fid)).headers["location"]
    back = sign_in_at(authorize, "gijs", eid)
    accounts.end_session(db, new_token)
    db.commit()
    assert _callback(browser, back).headers["location"] == "/login"
    _unsigned(db, fid)
    db.expire_all()
    denied = db.exec(select(AuditEvent).where(AuditEvent.action == "access.denied")).all()
    assert [(e.object_id, e.actor_user_id) for e in denied if e.object_type == "form"] == [(str(fid), None)]
    assert db.exec(select(AuthSession).where(col(AuthSession.ended_at).is_(None))).all() != []


def test_a_provider_error_or_a_forged_state_signs_nothing(db: Session, eid: str, documents: None) -> None:
    browser, me = _signed_in_with_eid(db, eid)
    fid = _waiting_dc(db)
    authorize = _sign_at_eid(browser, fid, _shown(db, me, fid)).headers["location"]
    state = parse_qs(urlsplit(authorize).query)["state"][0]
    answer = browser.get(f"/auth/eid/callback?error=access_denied&state={state}", follow_redirects=False)
    assert answer.headers["location"] == f"/employee/forms/{fid}?eid=failed"
    authorize = _sign_at_eid(browser, fid, _shown(db, me, fid)).headers["location"]
    back = sign_in_at(authorize, "gijs", eid)
    state = parse_qs(urlsplit(back).query)["state"][0]
    answer = _callback(browser, back.replace(f"state={state}", "state=forged"))
    assert answer.headers["location"] == f"/employee/forms/{fid}?eid=failed"
    assert _refusals(db) == ["eid.provider_error", "eid.state"]
    _unsigned(db, fid)
