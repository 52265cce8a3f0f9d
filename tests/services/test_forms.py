"""Signed forms (DOC-5, EE-5) per use case, on SQLite and PostgreSQL: prepare for one or many participants (HR,
user management, the adviser acting for the employer; finance, a foreign employer, an un-narrowed adviser and
the employee refused; ids of another employer refused with nothing prepared); the employee fills in and signs
with a fresh TOTP code (wrong and replayed codes refused, nothing signed, audited; only the form's own person);
the employer countersigns (refused when the PDF changed after the employee signed); second signatures, expired
forms and declines; verify; every step an audit event with who, the session and the PDF's SHA-256."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pyotp
import pytest
from sqlmodel import Session, col, select

from portal.core import clock, signing, totp_secrets
from portal.models import AuditEvent, Form, JobRun, Participation, UserAccount
from portal.services import background, files, forms
from portal.services.errors import FieldError
from portal.services.principal import NoAccess, Principal, acting_for
from tests.services.employer_fixtures import (
    audit_of,
    demo_employer,
    foreign_tenant,
    participation_of,
    principal_of,
    schemes_of,
)

T0 = datetime(2026, 11, 10, 9, 0, tzinfo=UTC)
DC = "deferred_compensation"


@dataclass
class World:
    db: Session
    employer_id: int
    hr: Principal
    finance: Principal
    adviser: Principal  # acting for the demo employer
    adviser_plain: Principal  # not narrowed to one employer
    other_adviser: Principal
    employee: Principal
    part: Participation  # the demo employee's (Gijs ter Assob, 100001 in OP)
    others: list[Participation]  # other (active) participants of the same scheme
    secret: str
    step: int = 0

    def code(self, who: Principal | None = None) -> str:
        """A code of the employee's authenticator app now (or of ``who``'s, e.g. the countersigner's)."""
        secret = self.secret if who is None else totp_secrets.unseal(self.db.get(UserAccount, who.user_id).totp_secret)
        return pyotp.TOTP(secret).at(clock.now())

    def later(self, seconds: int = 31):
        """The clock moved on (a new TOTP time step)."""
        self.step += seconds
        return clock.frozen(T0 + timedelta(seconds=self.step))


@pytest.fixture
def w(db: Session, demo_data: None) -> Iterator[World]:
    with clock.frozen(T0):
        employer = demo_employer(db)
        schemes = schemes_of(db, employer.id)
        part = participation_of(db, schemes["OP"])
        others = db.exec(
            select(Participation)
            .where(
                Participation.scheme_id == schemes["OP"].id,
                Participation.person_id != part.person_id,
                Participation.status == "active",
            )
            .order_by(col(Participation.id))
            .limit(3)
        ).all()
        adviser_plain = principal_of(db, "adviser")
        employee = principal_of(db, "employee")
        secret = totp_secrets.unseal(db.get(UserAccount, employee.user_id).totp_secret)
        world = World(
            db,
            employer.id or 0,
            principal_of(db, "employer.hr"),
            principal_of(db, "employer.finance"),
            acting_for(adviser_plain, employer.id),
            adviser_plain,
            principal_of(db, "adviser.zuidas"),
            employee,
            part,
            list(others),
            secret,
        )
        yield world
    for leftover in files.folder("documents").iterdir():
        leftover.unlink()


def _prepare(w: World, kind: str = DC, who: Principal | None = None, ids: list[int] | None = None, **values):
    return forms.prepare(w.db, who or w.hr, w.employer_id, kind, ids or [w.part.id], values, ip="10.0.0.1")


def _shown(w: World, form_id: int) -> str:
    """The SHA-256 of the PDF the employee is shown (as the page would pass it back)."""
    _form, pdf = forms.pdf_of(w.db, w.employee, form_id)
    return signing.sha256(pdf)


def _signed_dc(w: World) -> int:
    [fid] = _prepare(w, amount="250").form_ids
    forms.fill(w.db, w.employee, fid, {"start_date": "2026-12-01"})
    with w.later():
        forms.sign(w.db, w.employee, fid, w.code(), _shown(w, fid))
    return fid


def _detail(event: AuditEvent) -> dict:
    return json.loads(event.detail)


def run_exit_jobs(db: Session) -> int:
    """Execute every ``exit_forms`` run (as the consumer would after the exits committed); forms sent."""
    db.expire_all()
    runs = db.exec(select(JobRun.id).where(JobRun.kind == forms.EXIT_JOB).order_by(col(JobRun.id))).all()
    return sum(background.execute(run_id or 0, forms.EXIT_JOB, forms.exit_job) or 0 for run_id in runs)


# ---------------------------------------------------------------------------------------------- prepare
def test_prepare_for_many_renders_stores_sends_and_audits(w: World) -> None:
    ids = [w.part.id, *(p.id for p in w.others)]
    prepared = _prepare(w, "join_decision", ids=ids, information_shown="Brochure OP 2027")
    assert len(prepared.form_ids) == 4
    rows = w.db.exec(select(Form).where(col(Form.id).in_(prepared.form_ids))).all()
    assert {r.participation_id for r in rows} == set(ids)
    for row in rows:
        assert row.status == "waiting_for_employee"
        assert row.expires_at == T0 + timedelta(days=30)
        assert row.created_by == w.hr.user_id
        pdf = files.stored_path("documents", row.stored_name).read_bytes()
        assert pdf.startswith(b"%PDF") and signing.sha256(pdf) == row.prepared_sha256
        assert json.loads(row.field_values) == {"information_shown": "Brochure OP 2027"}
    events = audit_of(w.db, "form.prepared")
    assert len(events) == 4
    first = _detail(events[0])
    assert first["session"] == w.hr.session_id and len(first["sha256"]) == 64
    assert events[0].actor_user_id == w.hr.user_id and events[0].ip == "10.0.0.1"
    assert len(audit_of(w.db, "form.sent")) == 4


def test_prepare_without_sending_then_send(w: World) -> None:
    [fid] = forms.prepare(w.db, w.hr, w.employer_id, "beneficiary", [w.part.id], send=False).form_ids
    assert w.db.get(Form, fid).status == "prepared"
    with pytest.raises(FieldError) as err:  # not sent: the employee cannot sign it yet
        forms.sign(w.db, w.employee, fid, w.code(), _shown(w, fid))
    assert err.value.key == "forms.not_allowed"
    forms.send(w.db, w.hr, fid)
    assert w.db.get(Form, fid).status == "waiting_for_employee"
    with pytest.raises(FieldError) as err:
        forms.send(w.db, w.hr, fid)
    assert err.value.key == "forms.not_allowed"


def test_adviser_acting_for_the_employer_prepares_recorded_as_acting(w: World) -> None:
    [fid] = _prepare(w, who=w.adviser).form_ids
    form = w.db.get(Form, fid)
    assert form.acting_by.startswith("office:")
    assert audit_of(w.db, "form.prepared")[-1].on_behalf_of == f"employer:{w.employer_id}"


@pytest.mark.parametrize("who", ["finance", "adviser_plain", "other_adviser", "employee"])
def test_prepare_refused_for_principals_without_the_right(w: World, who: str) -> None:
    before = len(audit_of(w.db, "access.denied"))
    with pytest.raises(NoAccess):
        _prepare(w, who=getattr(w, who))
    assert w.db.exec(select(Form)).all() == []
    assert len(audit_of(w.db, "access.denied")) == before + 1


def test_prepare_refused_for_a_foreign_employer_and_for_foreign_ids(w: World) -> None:
    files_before = set(files.folder("documents").iterdir())
    employer, _scheme, foreign = foreign_tenant(w.db)
    with pytest.raises(NoAccess):  # the foreign employer's user for the demo employer
        forms.prepare(w.db, foreign, w.employer_id, DC, [w.part.id], {})
    with pytest.raises(NoAccess):  # the demo HR user naming another employer
        forms.prepare(w.db, w.hr, employer.id, DC, [w.part.id], {})
    foreign_part = w.db.exec(select(Participation).where(Participation.employer_id != w.employer_id)).first()
    with pytest.raises(NoAccess) as err:  # one id of another employer among ours: nothing at all is prepared
        _prepare(w, ids=[w.part.id, foreign_part.id])
    assert err.value.reason == "out_of_scope"
    for bad in (["1 OR 1=1"], [-1], [True], "12"):
        with pytest.raises(NoAccess):
            forms.prepare(w.db, w.hr, w.employer_id, DC, bad, {})
    assert w.db.exec(select(Form)).all() == []
    assert set(files.folder("documents").iterdir()) == files_before


def test_prepare_bad_input_is_a_field_error(w: World) -> None:
    for kind, ids, values, field, key in [
        ("loan", [w.part.id], {}, "kind", "forms.unknown_kind"),
        (DC, [], {}, "participants", "forms.no_participants"),
        (DC, [w.part.id], {"amount": "abc"}, "amount", "forms.amount_invalid"),
        (DC, [w.part.id], {"amount": "501", "start_date": "2026-12-01"}, "amount", "forms.amount_above_limit"),
        # the employee's own choice, forged into the preparer's event: refused on the server
        (
            "join_decision",
            [w.part.id],
            {"information_shown": "Folder", "decision": "yes"},
            "decision",
            "forms.employees_own",
        ),
    ]:
        with pytest.raises(FieldError) as err:
            forms.prepare(w.db, w.hr, w.employer_id, kind, ids, values)
        assert (err.value.field, err.value.key) == (field, key)
    assert w.db.exec(select(Form)).all() == []


# ---------------------------------------------------------------------------------------------- sign
def test_employee_fills_and_signs_a_form_without_countersignature(w: World) -> None:
    [fid] = _prepare(w, "beneficiary").form_ids
    forms.fill(
        w.db,
        w.employee,
        fid,
        {"persons": [{"name": "Anna de Vries", "birth_date": "1990-04-02", "relation": "partner"}]},
    )
    shown = _shown(w, fid)
    assert w.db.get(Form, fid).prepared_sha256 == shown
    with w.later():
        form = forms.sign(w.db, w.employee, fid, w.code(), shown, ip="10.0.0.2")
    assert form.status == "completed"
    assert form.signed_by == w.employee.user_id and form.signed_sha256 == form.completed_sha256
    pdf = files.stored_path("documents", form.stored_name).read_bytes()
    result = signing.verify(pdf)
    assert result.ok
    [sig] = result.signatures
    assert sig.field == forms.EMPLOYEE_FIELD and sig.name == "Gijs ter Assob" and sig.reason == "Werknemer"
    [event] = audit_of(w.db, "form.signed")
    assert event.actor_user_id == w.employee.user_id and event.ip == "10.0.0.2"
    assert _detail(event)["sha256"] == signing.sha256(pdf) and _detail(event)["signed_from_sha256"] == shown
    assert _detail(event)["session"] == w.employee.session_id


def test_employee_signs_then_employer_countersigns_both_valid(w: World) -> None:
    fid = _signed_dc(w)
    form = w.db.get(Form, fid)
    assert form.status == "waiting_for_countersignature"
    with w.later():
        form = forms.countersign(w.db, w.hr, fid, w.code(w.hr))
    assert form.status == "completed" and form.countersigned_by == w.hr.user_id
    result = forms.verify(w.db, w.hr, fid)
    assert result.ok
    assert [(s.field, s.reason) for s in result.signatures] == [
        (forms.EMPLOYEE_FIELD, "Werknemer"),
        (forms.EMPLOYER_FIELD, "Werkgever"),
    ]
    assert "Benefits portal document signing" in result.signatures[0].certificate
    assert forms.verify(w.db, w.employee, fid).ok
    assert _detail(audit_of(w.db, "form.countersigned")[0])["sha256"] == form.completed_sha256
    assert _detail(audit_of(w.db, "form.verified")[0])["ok"] is True


def test_adviser_countersigns_as_adviser(w: World) -> None:
    fid = _signed_dc(w)
    with w.later():
        forms.countersign(w.db, w.adviser, fid, w.code(w.adviser))
    result = forms.verify(w.db, w.adviser, fid)
    assert result.signatures[1].reason == "Adviseur namens de werkgever"


def test_wrong_and_replayed_codes_refused_nothing_signed_audited(w: World) -> None:
    [fid] = _prepare(w, "join_decision", information_shown="Brochure").form_ids
    forms.fill(w.db, w.employee, fid, {"decision": "yes"})
    shown = _shown(w, fid)
    before = w.db.get(Form, fid).stored_name
    files_before = set(files.folder("documents").iterdir())
    with pytest.raises(FieldError) as err:
        forms.sign(w.db, w.employee, fid, "000000" if w.code() != "000000" else "111111", shown)
    assert (err.value.field, err.value.key) == ("code", "totp_invalid")
    with w.later():
        code = w.code()
        # the code is used up by a sign-in first: the same code to sign is a replay
        from portal.services import accounts

        accounts.verify_totp(w.db, w.employee.user_id, code, now=clock.now())
        w.db.commit()
        with pytest.raises(FieldError) as err:
            forms.sign(w.db, w.employee, fid, code, shown)
        assert err.value.key == "totp_replayed"
    form = w.db.get(Form, fid)
    assert form.status == "waiting_for_employee" and form.signed_sha256 == "" and form.stored_name == before
    assert signing.verify(files.stored_path("documents", before).read_bytes()).signatures == ()
    refusals = [_detail(e)["reason"] for e in audit_of(w.db, "form.sign_refused")]
    assert refusals == ["totp_invalid", "totp_replayed"]
    assert len(audit_of(w.db, "login.totp_failed")) == 2
    assert audit_of(w.db, "form.signed") == []
    assert set(files.folder("documents").iterdir()) == files_before


def test_second_signature_refused(w: World) -> None:
    [fid] = _prepare(w, "join_decision", information_shown="Brochure").form_ids
    forms.fill(w.db, w.employee, fid, {"decision": "no"})
    shown = _shown(w, fid)
    with w.later():
        forms.sign(w.db, w.employee, fid, w.code(), shown)
    signed = w.db.get(Form, fid).completed_sha256
    with w.later(), pytest.raises(FieldError) as err:
        forms.sign(w.db, w.employee, fid, w.code(), signed)
    assert err.value.key == "forms.already_signed"
    with pytest.raises(FieldError) as err:  # and no changing it after signing
        forms.fill(w.db, w.employee, fid, {"decision": "yes"})
    assert err.value.key == "forms.already_signed"
    assert len(signing.verify(forms.pdf_of(w.db, w.employee, fid)[1]).signatures) == 1


def test_sign_refused_when_the_pdf_changed_since_shown(w: World) -> None:
    [fid] = _prepare(w, "exit", exit_date="2026-10-31", dormant_rights="12345.67").form_ids
    shown = _shown(w, fid)
    forms.fill(w.db, w.employee, fid, {"option": "keep_dormant"})  # a new rendering
    with w.later(), pytest.raises(FieldError) as err:
        forms.sign(w.db, w.employee, fid, w.code(), shown)
    assert err.value.key == "forms.changed_since_viewed"
    with w.later(), pytest.raises(FieldError) as err:  # the employer's data cannot be changed by the employee
        forms.fill(w.db, w.employee, fid, {"dormant_rights": "99999"})
    assert err.value.key == "forms.not_yours"


def test_sign_refused_until_complete(w: World) -> None:
    [fid] = _prepare(w, amount="250").form_ids
    with w.later(), pytest.raises(FieldError) as err:
        forms.sign(w.db, w.employee, fid, w.code(), _shown(w, fid))
    assert (err.value.field, err.value.key) == ("start_date", "forms.required")


def test_only_the_forms_own_person_can_sign_or_see_it(w: World) -> None:
    [fid] = _prepare(w, "join_decision", ids=[w.others[0].id], information_shown="Brochure").form_ids
    for action in (
        lambda: forms.sign(w.db, w.employee, fid, w.code(), "x"),
        lambda: forms.fill(w.db, w.employee, fid, {"decision": "yes"}),
        lambda: forms.pdf_of(w.db, w.employee, fid),
        lambda: forms.verify(w.db, w.employee, fid),
        lambda: forms.decline(w.db, w.employee, fid),
    ):
        with pytest.raises(NoAccess) as err:
            action()
        assert err.value.reason == "out_of_scope"
    for bad in ("abc", -1, 0, None, 2**40, str(fid) + "0"):
        with pytest.raises(NoAccess):
            forms.pdf_of(w.db, w.employee, bad)
    denied = [e for e in audit_of(w.db, "access.denied") if e.object_type == "form"]
    assert len(denied) == 11
    assert w.db.get(Form, fid).status == "waiting_for_employee"


def test_employer_side_cannot_sign_for_the_employee(w: World) -> None:
    [fid] = _prepare(w, "join_decision", information_shown="Brochure").form_ids
    with pytest.raises(NoAccess):
        forms.sign(w.db, w.hr, fid, "123456", "x")
    with pytest.raises(NoAccess):
        forms.fill(w.db, w.hr, fid, {"decision": "yes"})


# ---------------------------------------------------------------------------------------------- countersign
def test_countersign_refused_when_the_pdf_changed_after_signing(w: World) -> None:
    fid = _signed_dc(w)
    form = w.db.get(Form, fid)
    path = files.stored_path("documents", form.stored_name)
    data = bytearray(path.read_bytes())
    at = bytes(data).index(b"stream") + 20
    data[at] ^= 0x01
    path.write_bytes(bytes(data))
    with w.later(), pytest.raises(FieldError) as err:
        forms.countersign(w.db, w.hr, fid, w.code(w.hr))
    assert err.value.key == "forms.changed_after_signing"
    assert w.db.get(Form, fid).status == "waiting_for_countersignature"
    assert _detail(audit_of(w.db, "form.countersign_refused")[0])["reason"] == "forms.changed_after_signing"
    assert not forms.verify(w.db, w.hr, fid).ok  # and verify shows the broken signature


@pytest.mark.parametrize("who", ["finance", "adviser_plain", "other_adviser", "employee"])
def test_countersign_refused_for_principals_without_the_right(w: World, who: str) -> None:
    fid = _signed_dc(w)
    with pytest.raises(NoAccess):
        forms.countersign(w.db, getattr(w, who), fid, "000000")
    assert w.db.get(Form, fid).status == "waiting_for_countersignature"


def test_countersign_refused_for_a_foreign_employer(w: World) -> None:
    fid = _signed_dc(w)
    _employer, _scheme, foreign = foreign_tenant(w.db)
    with pytest.raises(NoAccess) as err:
        forms.countersign(w.db, foreign, fid, "000000")
    assert err.value.reason == "out_of_scope"


def test_countersign_before_signature_and_twice_refused(w: World) -> None:
    [fid] = _prepare(w, amount="250", start_date="2026-12-01", ids=[w.others[0].id]).form_ids
    with pytest.raises(FieldError) as err:
        forms.countersign(w.db, w.hr, fid, w.code(w.hr))
    assert err.value.key == "forms.not_allowed"
    fid = _signed_dc(w)
    with w.later():
        forms.countersign(w.db, w.hr, fid, w.code(w.hr))
    with w.later(), pytest.raises(FieldError) as err:
        forms.countersign(w.db, w.hr, fid, w.code(w.hr))
    assert err.value.key == "forms.already_countersigned"
    assert len(forms.verify(w.db, w.hr, fid).signatures) == 2


# ---------------------------------------------------------------------------------------------- decline, expire
def test_employee_declines(w: World) -> None:
    [fid] = _prepare(w, "beneficiary").form_ids
    form = forms.decline(w.db, w.employee, fid, "Not now")
    assert form.status == "declined" and form.decline_reason == "Not now" and form.closed_by == w.employee.user_id
    assert _detail(audit_of(w.db, "form.declined")[0])["reason"] == "Not now"
    with w.later(), pytest.raises(FieldError) as err:
        forms.sign(w.db, w.employee, fid, w.code(), _shown(w, fid))
    assert err.value.key == "forms.closed"


def test_employee_cannot_decline_after_signing_employer_can(w: World) -> None:
    fid = _signed_dc(w)
    with pytest.raises(FieldError) as err:
        forms.decline(w.db, w.employee, fid)
    assert err.value.key == "forms.not_allowed"
    assert forms.decline(w.db, w.hr, fid, "wrong amount").status == "declined"
    with pytest.raises(FieldError) as err:
        forms.decline(w.db, w.hr, fid, "x" * 501)
    assert err.value.key == "forms.reason_too_long"


def test_expired_form_refuses_signing_and_is_marked(w: World) -> None:
    [fid] = _prepare(w, "join_decision", information_shown="Brochure").form_ids
    forms.fill(w.db, w.employee, fid, {"decision": "yes"})
    shown = _shown(w, fid)
    with clock.frozen(T0 + timedelta(days=30)), pytest.raises(FieldError) as err:
        forms.sign(w.db, w.employee, fid, pyotp.TOTP(w.secret).at(clock.now()), shown)
    assert err.value.key == "forms.expired"
    form = w.db.get(Form, fid)
    assert form.status == "expired" and form.signed_sha256 == ""
    assert len(audit_of(w.db, "form.expired")) == 1
    assert _detail(audit_of(w.db, "form.sign_refused")[0])["reason"] == "forms.expired"


def test_expire_due(w: World) -> None:
    ids = _prepare(w, "beneficiary", ids=[w.part.id, w.others[0].id]).form_ids
    fid = _signed_dc(w)  # waiting for the countersignature: does not expire
    assert forms.expire_due(w.db, T0 + timedelta(days=29)) == 0
    assert forms.expire_due(w.db, T0 + timedelta(days=30)) == 2
    assert [w.db.get(Form, i).status for i in ids] == ["expired", "expired"]
    assert w.db.get(Form, fid).status == "waiting_for_countersignature"
    assert forms.expire_due(w.db, T0 + timedelta(days=60)) == 0
    assert all(e.actor_user_id is None for e in audit_of(w.db, "form.expired"))


# ---------------------------------------------------------------------------------------------- view, link
def test_view_audited_and_link_served_only_in_scope(w: World) -> None:
    [fid] = _prepare(w, "beneficiary").form_ids
    form, pdf = forms.pdf_of(w.db, w.hr, fid)
    assert _detail(audit_of(w.db, "form.viewed")[0])["sha256"] == signing.sha256(pdf)
    token = files.link(w.employee, forms.FILE_KIND, fid).removeprefix("/files/")
    served = files.serve(w.db, w.employee, token)
    assert served.path.read_bytes() == pdf and served.media_type == "application/pdf"
    other = files.link(w.finance, forms.FILE_KIND, fid).removeprefix("/files/")
    with pytest.raises(NoAccess):
        files.serve(w.db, w.finance, other)
    assert form.language in ("nl", "en")


def test_deferral_amount_stays_decimal(w: World) -> None:
    [fid] = _prepare(w, amount="123,45", start_date="2026-12-01").form_ids
    form = w.db.get(Form, fid)
    assert json.loads(form.field_values) == {"amount": "123.45", "start_date": "2026-12-01"}
    from portal.domain import forms as rules

    assert rules.from_json(form.kind, form.field_values)["amount"] == Decimal("123.45")


# ---------------------------------------------------------------------------------------------- exit hook
def test_every_processed_exit_prepares_the_exit_form_once(w: World) -> None:
    from portal.services import mutations

    with clock.frozen(T0):
        m = mutations.submit_exit(w.db, w.hr, w.part.id, "2026-10-31", w.part.version, today=T0.date())
        w.db.commit()
        assert run_exit_jobs(w.db) == 1  # rendered and sent by the job after the commit
    assert m.status == "processed"
    w.db.expire_all()
    [form] = w.db.exec(select(Form).where(Form.source_key == forms.exit_source(m.id))).all()
    assert (form.kind, form.status, form.person_id) == ("exit", "waiting_for_employee", w.part.person_id)
    assert json.loads(form.field_values) == {"exit_date": "2026-10-31"}
    assert form.created_by == w.hr.user_id and form.expires_at == T0 + timedelta(days=30)
    prepared = [e for e in audit_of(w.db, "form.prepared") if e.object_id == str(form.id)]
    assert len(prepared) == 1 and prepared[0].actor_user_id == w.hr.user_id
    assert forms.on_exit(w.db, m) is None  # once per exit (a review's second pass makes none)
    # the employee chooses, signs; no countersignature needed
    forms.fill(w.db, w.employee, form.id, {"option": "value_transfer"})
    with w.later():
        done = forms.sign(w.db, w.employee, form.id, w.code(), _shown(w, form.id))
    assert done.status == "completed"
    assert forms.verify(w.db, w.hr, form.id).ok


def test_exit_waiting_for_review_gets_its_form_when_approved(w: World) -> None:
    from portal.services import mutations

    with clock.frozen(T0):
        m = mutations.submit_exit(
            w.db, w.hr, w.part.id, "2026-04-30", w.part.version, ["exit_far_back"], today=T0.date()
        )
        w.db.commit()
    assert m.status == "needs_review"
    assert w.db.exec(select(Form)).all() == []  # not (yet) an exit: nothing prepared
    with clock.frozen(T0):
        mutations.review(w.db, w.adviser_plain, m.id, True, "Checked", today=T0.date())
        w.db.commit()
    [form] = w.db.exec(select(Form).where(Form.source_key == forms.exit_source(m.id))).all()
    assert form.kind == "exit" and json.loads(form.field_values) == {"exit_date": "2026-04-30"}
    assert len(w.db.exec(select(Form)).all()) == 1


# ---------------------------------------------------------------------------------------------- lists
def test_lists_for_the_employer_and_the_employee(w: World) -> None:
    mine = _prepare(w, "beneficiary").form_ids[0]
    theirs = _prepare(w, "join_decision", ids=[w.others[0].id], information_shown="B").form_ids[0]
    forms.decline(w.db, w.hr, theirs, "")
    rows = forms.employer_forms(w.db, w.hr, w.employer_id)
    assert [r.id for r in rows] == [theirs, mine]
    assert (rows[0].status, rows[0].status_label, rows[0].colour) == ("declined", "Afgewezen", "red")
    assert rows[1].title == "Begunstigingsverklaring" and rows[1].person_name == "Gijs ter Assob"
    assert [r.id for r in forms.employer_forms(w.db, w.adviser, w.employer_id, "waiting_for_employee")] == [mine]
    assert [r.id for r in forms.my_forms(w.db, w.employee)] == [mine]
    with pytest.raises(NoAccess):
        forms.employer_forms(w.db, w.hr, w.employer_id, "'; drop table form")
    for who in (w.finance, w.adviser_plain, w.other_adviser, w.employee):
        with pytest.raises(NoAccess):
            forms.employer_forms(w.db, who, w.employer_id)
    with pytest.raises(NoAccess):
        forms.my_forms(w.db, w.hr)
    with clock.frozen(T0 + timedelta(days=30)):  # past its expiry: shown expired before the job marks it
        assert [(r.status, r.colour) for r in forms.my_forms(w.db, w.employee)] == [("expired", "gray")]


# ---------------------------------------------------------------------------------------------- rendering
def test_pdf_in_the_forms_language_prints_every_name_as_written() -> None:
    import io
    from datetime import date

    from pypdf import PdfReader

    header = forms.Header(7, "Noordkade Logistiek B.V.", "Łukasz Wójcik", date(1980, 5, 17), "100001", "OP")
    values = {
        "persons": [{"name": "Nguyễn Thị Lan", "birth_date": date(1985, 3, 2), "relation": "partner"}],
        "remarks": "",
    }
    text_en = PdfReader(io.BytesIO(forms.render_pdf("beneficiary", values, header, "en"))).pages[0].extract_text()
    assert "Beneficiary statement" in text_en and "Łukasz Wójcik" in text_en and "Nguyễn Thị Lan" in text_en
    assert "Form reference: 7" in text_en and "Partner" in text_en
    dc = {"amount": Decimal("1250.50"), "start_date": date(2027, 1, 1)}
    text_nl = PdfReader(io.BytesIO(forms.render_pdf(DC, dc, header, "nl"))).pages[0].extract_text()
    from portal.i18n import formatting as fmt

    assert "Overeenkomst salarisuitruil" in text_nl and "Bedrag per maand" in text_nl
    assert fmt.money(Decimal("1250.50"), "nl") in text_nl and fmt.day(date(2027, 1, 1), "nl") in text_nl


# ---------------------------------------------------------------------------------------------- the open choices
def test_countersigning_asks_for_a_fresh_code_of_the_countersigner(w: World) -> None:
    """A signature made on the countersigner's behalf: a wrong or replayed code of their own app is refused at
    the code, counted and audited, nothing signed; a fresh one signs. The employee's code is not theirs."""
    from portal.services import accounts

    fid = _signed_dc(w)
    signed = w.db.get(Form, fid)
    before, files_before = signed.stored_name, set(files.folder("documents").iterdir())
    with w.later():
        wrong = "000000" if w.code(w.hr) != "000000" else "111111"
        for code in (wrong, w.code(), None, ["123456"]):  # a wrong code, the employee's code, no code, no string
            if code == w.code(w.hr):
                continue
            with pytest.raises(FieldError) as err:
                forms.countersign(w.db, w.hr, fid, code, ip="10.0.0.3")
            assert (err.value.field, err.value.key) == ("code", "totp_invalid")
        used = w.code(w.hr)
        accounts.verify_totp(w.db, w.hr.user_id, used, now=clock.now())  # the code is used up (a sign-in)
        w.db.commit()
        with pytest.raises(FieldError) as err:
            forms.countersign(w.db, w.hr, fid, used)
        assert (err.value.field, err.value.key) == ("code", "totp_replayed")
    w.db.expire_all()
    form = w.db.get(Form, fid)
    assert form.status == "waiting_for_countersignature" and form.stored_name == before
    assert form.completed_sha256 == "" and form.countersigned_by is None
    assert set(files.folder("documents").iterdir()) == files_before
    assert len(signing.verify(files.stored_path("documents", before).read_bytes()).signatures) == 1
    refusals = audit_of(w.db, "form.countersign_refused")
    assert [_detail(e)["reason"] for e in refusals] == ["totp_invalid"] * 4 + ["totp_replayed"]
    assert refusals[0].actor_user_id == w.hr.user_id and refusals[0].ip == "10.0.0.3"
    assert len([e for e in audit_of(w.db, "login.totp_failed") if e.actor_user_id == w.hr.user_id]) >= 5
    with w.later():
        done = forms.countersign(w.db, w.hr, fid, w.code(w.hr))
    assert done.status == "completed" and forms.verify(w.db, w.hr, fid).ok


def _exited(w: World) -> None:
    """The demo employee's exit from the demo employer (processed: their participation is dormant now; the exit
    hook prepared and sent the exit form)."""
    from portal.services import mutations

    with clock.frozen(T0):
        mutations.submit_exit(w.db, w.hr, w.part.id, "2026-10-31", w.part.version, today=T0.date())
        w.db.commit()


def test_a_participation_no_longer_active_gets_no_form_but_the_exit_form_the_others_go_ahead(w: World) -> None:
    _exited(w)
    [exit_form] = w.db.exec(select(Form).where(Form.kind == "exit")).all()
    other = w.others[0].id
    prepared = _prepare(w, "beneficiary", ids=[w.part.id, other])
    assert prepared.refused == ((w.part.id, "forms.participant_not_active"),)
    [made] = prepared.form_ids
    assert w.db.get(Form, made).participation_id == other
    assert w.db.exec(select(Form).where(Form.participation_id == w.part.id, Form.kind != "exit")).all() == []
    [event] = audit_of(w.db, "form.prepare_refused")
    assert event.object_type == "participation" and event.object_id == str(w.part.id)
    assert _detail(event)["reason"] == "forms.participant_not_active" and event.actor_user_id == w.hr.user_id
    assert _detail(event)["session"] == w.hr.session_id
    # the exit form is the one kind still possible; here one is open already (the exit's own)
    again = _prepare(w, "exit", ids=[w.part.id], exit_date="2026-10-31")
    assert again.form_ids == () and again.refused == ((w.part.id, "forms.already_open"),)
    forms.decline(w.db, w.hr, exit_form.id, "")
    [second] = _prepare(w, "exit", ids=[w.part.id], exit_date="2026-10-31").form_ids
    assert w.db.get(Form, second).status == "waiting_for_employee"


def test_a_planned_exit_keeps_the_participation_active_until_its_last_day(w: World) -> None:
    from portal.services import mutations

    with clock.frozen(T0):
        mutations.submit_exit(w.db, w.hr, w.part.id, "2026-12-31", w.part.version, today=T0.date())
        w.db.commit()
    assert _prepare(w, "beneficiary").refused == ()


def test_a_second_open_form_of_the_same_kind_is_refused_until_the_first_is_closed(w: World) -> None:
    other = w.others[0].id
    [first] = _prepare(w, amount="250").form_ids
    second = _prepare(w, amount="300", ids=[w.part.id, other])
    assert second.refused == ((w.part.id, "forms.already_open"),) and len(second.form_ids) == 1
    assert w.db.get(Form, second.form_ids[0]).participation_id == other
    assert _prepare(w, "beneficiary").refused == ()  # another kind: allowed
    assert [_detail(e)["reason"] for e in audit_of(w.db, "form.prepare_refused")] == ["forms.already_open"]
    # waiting for the countersignature is still open
    forms.fill(w.db, w.employee, first, {"start_date": "2026-12-01"})
    with w.later():
        forms.sign(w.db, w.employee, first, w.code(), _shown(w, first))
    assert _prepare(w, amount="300").refused == ((w.part.id, "forms.already_open"),)
    forms.decline(w.db, w.hr, first, "")  # withdrawn: a new one may be prepared
    [third] = _prepare(w, amount="300").form_ids
    # past its expiry (before the periodic job marked it): counts as expired
    with clock.frozen(T0 + timedelta(days=30, seconds=1)):
        [fourth] = _prepare(w, amount="300").form_ids
    assert w.db.get(Form, third).status == "waiting_for_employee" and fourth != third
    forms.decline(w.db, w.employee, fourth, "")  # declined by the employee: a new one may be prepared
    with clock.frozen(T0 + timedelta(days=30, seconds=1)):
        assert len(_prepare(w, amount="300").form_ids) == 1
    assert _prepare(w, ids=[w.part.id, w.part.id], amount="1").refused  # the same id twice counts once


def test_prepare_refused_for_everyone_makes_nothing(w: World) -> None:
    _prepare(w, "beneficiary")
    files_before = set(files.folder("documents").iterdir())
    again = _prepare(w, "beneficiary")
    assert again.form_ids == () and again.refused == ((w.part.id, "forms.already_open"),)
    assert len(w.db.exec(select(Form)).all()) == 1
    assert set(files.folder("documents").iterdir()) == files_before


def test_the_decline_reason_is_kept_length_limited_and_listed_for_the_employer(w: World) -> None:
    [fid] = _prepare(w, "beneficiary").form_ids
    with pytest.raises(FieldError) as err:
        forms.decline(w.db, w.employee, fid, "x" * 501)
    assert (err.value.field, err.value.key) == ("reason", "forms.reason_too_long")
    assert w.db.get(Form, fid).status == "waiting_for_employee"
    forms.decline(w.db, w.employee, fid, "  Ik wil eerst advies.  ")
    [row] = [r for r in forms.employer_forms(w.db, w.hr, w.employer_id) if r.id == fid]
    assert (row.status, row.decline_reason) == ("declined", "Ik wil eerst advies.")
    [row] = [r for r in forms.employer_forms(w.db, w.adviser, w.employer_id) if r.id == fid]
    assert row.decline_reason == "Ik wil eerst advies."


def test_two_preparers_at_once_make_one_open_form(w: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """Preparer A is held right after it looked for open forms: its participation is locked until it commits.
    PostgreSQL: preparer B of the same kind for the same participant waits for that lock, then finds A's form
    open and is refused. SQLite (one writer at a time): no other writer can start meanwhile."""
    import sqlite3
    import threading

    from sqlalchemy import text as sql

    from portal.core.db import get_engine, session_scope
    from portal.services.forms import flow

    held, release, real = threading.Event(), threading.Event(), flow.rules.prepare_block

    def checked(*args, **kwargs):
        if threading.current_thread().name == "A":
            held.set()
            assert release.wait(60)
        return real(*args, **kwargs)

    monkeypatch.setattr(flow.rules, "prepare_block", checked)
    results: dict[str, object] = {}

    def preparer(name: str) -> None:
        with clock.frozen(T0), session_scope() as db:
            results[name] = forms.prepare(db, w.hr, w.employer_id, "beneficiary", [w.part.id])

    a = threading.Thread(target=preparer, args=("A",), name="A")
    a.start()
    assert held.wait(60)
    engine = get_engine()
    if engine.dialect.name == "postgresql":
        b = threading.Thread(target=preparer, args=("B",), name="B")
        b.start()
        waiting = (
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
        )
        with engine.connect() as watcher:
            while watcher.execute(sql(waiting)).scalar_one() == 0 and b.is_alive():
                watcher.rollback()
        assert "B" not in results  # B waits for A's lock
        release.set()
        a.join()
        b.join()
        assert results["B"] == forms.Prepared((), 0, ((w.part.id, "forms.already_open"),))
    else:
        other = sqlite3.connect(engine.url.database, timeout=0)
        try:
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
        finally:
            other.close()
            release.set()
            a.join()
    assert len(results["A"].form_ids) == 1
    w.db.expire_all()
    assert len(w.db.exec(select(Form).where(Form.participation_id == w.part.id)).all()) == 1
