"""Signing a form with a fresh eID sign-in instead of a TOTP code (EE-5, AUTH-6), on SQLite and PostgreSQL: the
verified ID token must show an authentication at the provider since the signing began (``auth_time``) by the eID
subject linked to the signer's own account; every other rule as the TOTP signature (only the form's own person,
the PDF shown, not expired, not twice). Refusals audited with their reason, nothing signed; a signature is
audited with its method (``eid`` or ``totp``)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from portal.core import clock, oidc, signing
from portal.models import EidLink, Form, UserAccount
from portal.services import files, forms
from portal.services.errors import FieldError
from portal.services.principal import NoAccess
from tests.services.employer_fixtures import audit_of
from tests.services.test_forms import T0, World, _detail, _prepare, _shown, _signed_dc
from tests.services.test_forms import w as w  # the fixture

ISSUER = "https://eid.example"


def _link(w: World, subject: str = "gijs", user_id: int | None = None) -> None:
    w.db.add(EidLink(issuer=ISSUER, subject=subject, user_id=user_id or w.employee.user_id))
    w.db.commit()


def _claims(auth_time: float | None, subject: str = "gijs", issuer: str = ISSUER) -> dict:
    claims = {"iss": issuer, "sub": subject, "aud": "portal", "nonce": "n"}
    if auth_time is not None:
        claims["auth_time"] = int(auth_time)
    return claims


def _started() -> float:
    return clock.now().timestamp()


def _ready_dc(w: World, ids: list[int] | None = None) -> int:
    [fid] = _prepare(w, amount="250", start_date="2026-12-01", ids=ids).form_ids
    return fid


def _nothing_signed(w: World, fid: int) -> None:
    w.db.expire_all()
    form = w.db.get(Form, fid)
    assert form.status == "waiting_for_employee" and form.signed_sha256 == "" and form.signed_by is None
    assert signing.verify(files.stored_path("documents", form.stored_name).read_bytes()).signatures == ()
    assert audit_of(w.db, "form.signed") == []


def _refusals(w: World) -> list[str]:
    return [_detail(e)["reason"] for e in audit_of(w.db, "form.sign_refused")]


def test_a_fresh_eid_sign_in_signs_and_the_form_waits_for_the_countersignature(w: World) -> None:
    _link(w)
    fid = _ready_dc(w)
    shown, started = _shown(w, fid), _started()
    with w.later(20):
        form = forms.sign_with_eid(w.db, w.employee, fid, shown, _claims(started + 15), started, ip="10.0.0.3")
    assert form.status == "waiting_for_countersignature" and form.signed_by == w.employee.user_id
    [sig] = signing.verify(files.stored_path("documents", form.stored_name).read_bytes()).signatures
    assert sig.field == forms.EMPLOYEE_FIELD and sig.name == "Gijs ter Assob" and sig.reason == "Werknemer" and sig.ok
    [event] = audit_of(w.db, "form.signed")
    assert event.actor_user_id == w.employee.user_id and event.ip == "10.0.0.3"
    detail = _detail(event)
    assert detail["method"] == "eid" and detail["signed_from_sha256"] == shown
    assert detail["sha256"] == form.signed_sha256 and detail["session"] == w.employee.session_id
    with w.later():  # the employer countersigns as after a TOTP signature
        assert forms.countersign(w.db, w.hr, fid, w.code(w.hr)).status == "completed"
    assert forms.verify(w.db, w.hr, fid).ok


def test_a_form_without_countersignature_is_completed_and_filed(w: World) -> None:
    _link(w)
    [fid] = _prepare(w, "join_decision", information_shown="Brochure").form_ids
    forms.fill(w.db, w.employee, fid, {"decision": "yes"})
    shown, started = _shown(w, fid), _started()
    form = forms.sign_with_eid(w.db, w.employee, fid, shown, _claims(started), started)
    assert form.status == "completed" and form.completed_sha256 == form.signed_sha256 and form.document_id
    assert _detail(audit_of(w.db, "form.signed")[0])["method"] == "eid"


def test_the_totp_signature_is_audited_with_its_method(w: World) -> None:
    _signed_dc(w)
    assert _detail(audit_of(w.db, "form.signed")[0])["method"] == "totp"


@pytest.mark.parametrize("auth_time", ["stale", "missing", "text"])
def test_an_authentication_older_than_the_signing_flow_is_refused(w: World, auth_time: str) -> None:
    _link(w)
    fid = _ready_dc(w)
    shown, started = _shown(w, fid), _started()
    claims = _claims(started - oidc.LEEWAY_SECONDS - 1)  # the provider's session from the morning's sign-in
    if auth_time == "missing":
        claims.pop("auth_time")
    elif auth_time == "text":
        claims["auth_time"] = str(int(started))
    with w.later(), pytest.raises(FieldError) as err:
        forms.sign_with_eid(w.db, w.employee, fid, shown, claims, started)
    assert (err.value.field, err.value.key) == ("eid", "forms.eid_not_fresh")
    _nothing_signed(w, fid)
    assert _refusals(w) == ["forms.eid_not_fresh"]


def test_within_the_leeway_the_authentication_counts(w: World) -> None:
    _link(w)
    fid = _ready_dc(w)
    shown, started = _shown(w, fid), _started()
    claims = _claims(started - oidc.LEEWAY_SECONDS)  # the provider's clock a little behind ours
    assert forms.sign_with_eid(w.db, w.employee, fid, shown, claims, started).signed_sha256


@pytest.mark.parametrize("who", ["another_account", "unlinked", "other_issuer"])
def test_an_eid_subject_other_than_the_accounts_own_is_refused(w: World, who: str) -> None:
    _link(w)
    hr = w.db.exec(select(UserAccount).where(UserAccount.username == "employer.hr")).one()
    _link(w, "someone-else", hr.id)  # a subject linked, but to another account
    fid = _ready_dc(w)
    shown, started = _shown(w, fid), _started()
    claims = {
        "another_account": _claims(started, "someone-else"),
        "unlinked": _claims(started, "nobody-linked"),
        "other_issuer": _claims(started, "gijs", "https://other-eid.example"),
    }[who]
    with pytest.raises(FieldError) as err:
        forms.sign_with_eid(w.db, w.employee, fid, shown, claims, started)
    assert (err.value.field, err.value.key) == ("eid", forms.EID_OTHER_PERSON)
    _nothing_signed(w, fid)
    assert _refusals(w) == [forms.EID_OTHER_PERSON]


def test_another_persons_form_is_refused_even_with_their_fresh_eid(w: World) -> None:
    _link(w)
    fid = _ready_dc(w, ids=[w.others[0].id])
    started = _started()
    with pytest.raises(NoAccess) as err:
        forms.sign_with_eid(w.db, w.employee, fid, "x" * 64, _claims(started), started)
    assert err.value.reason == "out_of_scope"
    with pytest.raises(NoAccess):
        forms.sign_ready(w.db, w.employee, fid, "x" * 64)
    denied = [e for e in audit_of(w.db, "access.denied") if e.object_type == "form"]
    assert len(denied) == 2
    _nothing_signed(w, fid)
    with pytest.raises(NoAccess):  # the employer side cannot sign for the employee either
        forms.sign_with_eid(w.db, w.hr, _ready_dc(w), "x", _claims(started), started)


def test_a_second_signature_is_refused(w: World) -> None:
    _link(w)
    fid = _ready_dc(w)
    shown, started = _shown(w, fid), _started()
    forms.sign_with_eid(w.db, w.employee, fid, shown, _claims(started), started)
    signed = w.db.get(Form, fid).signed_sha256
    for again in (shown, signed):
        with pytest.raises(FieldError) as err:
            forms.sign_with_eid(w.db, w.employee, fid, again, _claims(started), started)
        assert err.value.key == "forms.already_signed"
    assert len(audit_of(w.db, "form.signed")) == 1
    assert _refusals(w) == ["forms.already_signed", "forms.already_signed"]
    assert len(signing.verify(forms.pdf_of(w.db, w.employee, fid)[1]).signatures) == 1


def test_an_expired_form_is_refused_and_marked(w: World) -> None:
    _link(w)
    fid = _ready_dc(w)
    shown = _shown(w, fid)
    with clock.frozen(T0 + timedelta(days=30)):
        started = _started()
        with pytest.raises(FieldError) as err:
            forms.sign_with_eid(w.db, w.employee, fid, shown, _claims(started), started)
    assert err.value.key == "forms.expired"
    form = w.db.get(Form, fid)
    assert form.status == "expired" and form.signed_sha256 == ""
    assert _refusals(w) == ["forms.expired"] and len(audit_of(w.db, "form.expired")) == 1


def test_a_pdf_other_than_the_one_shown_is_refused(w: World) -> None:
    _link(w)
    [fid] = _prepare(w, amount="250").form_ids
    shown = _shown(w, fid)
    forms.fill(w.db, w.employee, fid, {"start_date": "2026-12-01"})  # a new rendering since
    started = _started()
    with pytest.raises(FieldError) as err:
        forms.sign_with_eid(w.db, w.employee, fid, shown, _claims(started), started)
    assert err.value.key == "forms.changed_since_viewed"
    _nothing_signed(w, fid)


def test_sign_ready_checks_before_the_eid_and_changes_nothing(w: World) -> None:
    fid = _ready_dc(w)
    shown = _shown(w, fid)
    with pytest.raises(FieldError) as err:  # no eID subject linked to the account yet
        forms.sign_ready(w.db, w.employee, fid, shown)
    assert err.value.key == forms.EID_NOT_LINKED
    _link(w)
    assert forms.sign_ready(w.db, w.employee, fid, shown).id == fid
    with pytest.raises(FieldError) as err:
        forms.sign_ready(w.db, w.employee, fid, "0" * 64)
    assert err.value.key == "forms.changed_since_viewed"
    assert _refusals(w) == [forms.EID_NOT_LINKED, "forms.changed_since_viewed"]
    _nothing_signed(w, fid)


def test_sign_methods_follow_the_account(w: World, monkeypatch: pytest.MonkeyPatch) -> None:
    from portal.core.config import get_settings

    assert forms.sign_methods(w.db, w.employee) == forms.SignMethods(totp=True, eid=False)
    _link(w)
    assert forms.sign_methods(w.db, w.employee).eid is False  # eID not configured
    monkeypatch.setenv("PORTAL_OIDC_ISSUER", ISSUER)
    monkeypatch.setenv("PORTAL_OIDC_CLIENT_ID", "portal")
    get_settings.cache_clear()
    try:
        assert forms.sign_methods(w.db, w.employee) == forms.SignMethods(totp=True, eid=True)
        user = w.db.get(UserAccount, w.employee.user_id)
        user.totp_secret = ""  # an account made by the eID: no authenticator app
        w.db.commit()
        assert forms.sign_methods(w.db, w.employee) == forms.SignMethods(totp=False, eid=True)
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
