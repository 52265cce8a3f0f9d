"""The form pages' states without a browser (DOC-5, EE-5): a form id from the URL or an event argument is
untrusted. Someone else's form, a foreign employer's form, or an id that is not one at all is refused by the
services, audited, and said neutrally; nothing of it is shown. The employee's own form opens with a signed link
and is signed with a fresh code; the employer prepares for picked participants only."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pyotp
import pytest
import reflex as rx
from sqlmodel import Session, col, select

from portal.core import clock, totp_secrets
from portal.models import Form, Participation, UserAccount
from portal.services import files, forms
from portal.state.employee import forms as employee_forms
from portal.state.employee.forms import FormState, MyFormsState
from portal.state.employer.forms import EmployerFormsState
from tests.services.employer_fixtures import audit_of, demo_employer, participation_of, principal_of, schemes_of

T0 = datetime(2026, 11, 10, 9, 0, tzinfo=UTC)
DC = "deferred_compensation"
NOT_AVAILABLE = "Dit formulier is niet beschikbaar."


@pytest.fixture
def world(db: Session, demo_data: None, sign_in: Callable[[str], None]) -> Iterator[dict]:
    """Two forms prepared by HR: one for the demo employee, one for another participant."""
    with clock.frozen(T0):
        employer = demo_employer(db)
        op = schemes_of(db, employer.id)["OP"]
        mine = participation_of(db, op)
        other = db.exec(
            select(Participation)
            .where(
                Participation.scheme_id == op.id,
                Participation.person_id != mine.person_id,
                Participation.status == "active",
            )
            .order_by(col(Participation.id))
        ).first()
        hr = principal_of(db, "employer.hr")
        [my_form] = forms.prepare(db, hr, employer.id, DC, [mine.id], {"amount": "150"}).form_ids
        [their_form] = forms.prepare(db, hr, employer.id, DC, [other.id], {"amount": "150"}).form_ids
        secret = totp_secrets.unseal(db.get(UserAccount, principal_of(db, "employee").user_id).totp_secret)
        yield {"mine": my_form, "theirs": their_form, "secret": secret, "employer_id": employer.id, "other": other}
    for leftover in files.folder("documents").iterdir():
        leftover.unlink()


async def _state(cls):
    return await (rx.State(_reflex_internal_init=True)).get_state(cls)


def _denied(db: Session) -> list[dict]:
    return [json.loads(e.detail) | {"object_id": e.object_id} for e in audit_of(db, "access.denied")]


async def _form_page(monkeypatch: pytest.MonkeyPatch, form_id: object) -> FormState:
    monkeypatch.setattr(employee_forms, "route_param", lambda state, name: form_id)
    state = await _state(FormState)
    await state.load()
    return state


async def test_someone_elses_form_in_the_url_is_refused_audited_and_said_neutrally(
    db: Session, world: dict, sign_in, monkeypatch: pytest.MonkeyPatch
) -> None:
    sign_in("employee")
    with clock.frozen(T0):
        state = await _form_page(monkeypatch, str(world["theirs"]))
    assert state.message == NOT_AVAILABLE and not state.available
    assert state.view_link == "" and state.facts == [] and state.title == ""
    [event] = _denied(db)
    assert event["object_id"] == str(world["theirs"]) and event["path"] == "/forms/view"
    assert event["reason"] == "out_of_scope"
    # the list holds only the employee's own form, one waiting
    listing = await _state(MyFormsState)
    with clock.frozen(T0):
        await listing.load()
    assert [r["id"] for r in listing.rows] == [str(world["mine"])] and listing.waiting == 1


@pytest.mark.parametrize("forged", ["abc", "-1", "99999999", "1 OR 1=1"])
async def test_ids_that_are_no_form_are_refused_and_audited(
    db: Session, world: dict, sign_in, monkeypatch: pytest.MonkeyPatch, forged: str
) -> None:
    sign_in("employee")
    with clock.frozen(T0):
        state = await _form_page(monkeypatch, forged)
    assert state.message == NOT_AVAILABLE and not state.available
    assert len(_denied(db)) == 1


async def test_signing_with_a_forged_form_id_signs_nothing(
    db: Session, world: dict, sign_in, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The page's form id is swapped for another person's before signing: refused, audited, nothing signed."""
    sign_in("employee")
    with clock.frozen(T0):
        state = await _form_page(monkeypatch, str(world["mine"]))
        assert state.available and state.can_sign and state.view_link.startswith("/files/")
        state.form_id = str(world["theirs"])
    with clock.frozen(T0 + timedelta(seconds=31)):
        await state.sign({"code": pyotp.TOTP(world["secret"]).at(clock.now())})
    assert state.message == NOT_AVAILABLE and not state.available
    assert _denied(db)[-1]["path"] == "/forms/sign"
    db.expire_all()
    assert {db.get(Form, world["theirs"]).status, db.get(Form, world["mine"]).status} == {"waiting_for_employee"}


async def test_the_employee_fills_in_and_signs_with_a_fresh_code_a_wrong_one_is_said_at_the_field(
    db: Session, world: dict, sign_in, monkeypatch: pytest.MonkeyPatch
) -> None:
    sign_in("employee")
    with clock.frozen(T0):
        state = await _form_page(monkeypatch, str(world["mine"]))
        assert [(i["name"], i["value"]) for i in state.inputs] == [("amount", "150,00"), ("start_date", "")]
        assert state.status_label == "Wacht op uw handtekening"
        await state.save({"amount": "150,00", "start_date": "2026-12-15"})
        assert state.errors == {"start_date": "De ingangsdatum is altijd de eerste van een maand."}
        link = state.view_link
        await state.save({"amount": "150,00", "start_date": "2026-12-01"})
        assert state.errors == {} and state.notice and state.view_link != link  # a new rendering to review
    with clock.frozen(T0 + timedelta(seconds=31)):
        await state.sign({"code": "000000"})
        assert state.errors.get("code") and state.can_sign
        await state.sign({"code": pyotp.TOTP(world["secret"]).at(clock.now())})
    assert state.errors == {} and state.status == "waiting_for_countersignature" and not state.can_sign
    db.expire_all()
    assert db.get(Form, world["mine"]).signed_sha256


async def test_the_employer_page_refuses_forged_form_ids_and_picks_only_listed_participants(
    db: Session, world: dict, sign_in
) -> None:
    sign_in("employer.hr")
    state = await _state(EmployerFormsState)
    with clock.frozen(T0):
        await state.load()
        assert {r["id"] for r in state.rows} >= {str(world["mine"]), str(world["theirs"])}
        await state.open_form(str(world["mine"]))
        assert state.selected["view_link"].startswith("/files/") and state.message == ""
        for forged in ("99999999", "x", {"id": 1}):
            await state.open_form(forged)  # type: ignore[arg-type]
            assert state.selected == {} and state.message == NOT_AVAILABLE
            await state.verify(forged)  # type: ignore[arg-type]
            assert state.checks == [] and state.message == NOT_AVAILABLE
        assert len(_denied(db)) == 6
        state.ask_countersign("99999999")  # not in the list: nothing to confirm
        assert state.confirm_id == ""
        state.toggle("99999999", True)  # not a listed candidate: not picked
        assert state.picked == []
        first = state.candidates[0]["id"]
        state.toggle(first, True)
        await state.prepare({"amount": "abc"})
        assert state.errors.get("amount") and state.notice == ""
        await state.prepare({"amount": "100", "start_date": "2026-12-01"})
        assert state.notice.startswith("1 ") and state.picked == [] and state.errors == {}


async def test_the_employee_declines_after_the_confirm(
    db: Session, world: dict, sign_in, monkeypatch: pytest.MonkeyPatch
) -> None:
    sign_in("employee")
    with clock.frozen(T0):
        state = await _form_page(monkeypatch, str(world["mine"]))
        state.ask_decline()
        assert state.confirm_decline
        await state.decline()
    assert not state.confirm_decline and state.status == "declined" and not state.can_sign
    assert state.notice == "U heeft het formulier geweigerd."
    db.expire_all()
    assert db.get(Form, world["mine"]).status == "declined"
    with clock.frozen(T0):
        await state.decline()  # twice: refused with the reason, nothing changed
    assert state.message == "Dit formulier is afgesloten." and state.status == "declined"


async def test_the_employer_withdraws_a_listed_open_form_only(db: Session, world: dict, sign_in) -> None:
    sign_in("employer.hr")
    state = await _state(EmployerFormsState)
    with clock.frozen(T0):
        await state.load()
        state.ask_withdraw("99999999")  # not listed: nothing to confirm
        assert state.withdraw_id == ""
        state.ask_withdraw(str(world["theirs"]))
        assert state.withdraw_open
        await state.withdraw()
    assert state.notice == "Het formulier is ingetrokken." and state.withdraw_id == ""
    assert next(r for r in state.rows if r["id"] == str(world["theirs"]))["status"] == "declined"
    db.expire_all()
    assert db.get(Form, world["theirs"]).status == "declined"
    assert db.get(Form, world["mine"]).status == "waiting_for_employee"


async def test_an_expired_form_shows_expired_and_refuses_the_signature_clearly(
    db: Session, world: dict, sign_in, monkeypatch: pytest.MonkeyPatch
) -> None:
    sign_in("employee")
    with clock.frozen(T0):
        state = await _form_page(monkeypatch, str(world["mine"]))
        assert state.can_sign
    with clock.frozen(T0 + timedelta(days=31)):
        sign_in("employee")  # a month later: a new session
        await state.sign({"code": pyotp.TOTP(world["secret"]).at(clock.now())})
        assert state.message == "Dit formulier is verlopen."
        assert state.status == "expired" and not state.can_sign and state.status_label == "Verlopen"
    db.expire_all()
    assert db.get(Form, world["mine"]).status == "expired" and not db.get(Form, world["mine"]).signed_sha256
    with clock.frozen(T0 + timedelta(days=31)):
        state = await _form_page(monkeypatch, str(world["theirs"]))  # someone else's: still only "not available"
    assert state.message == NOT_AVAILABLE


# ---------------------------------------------------------------------------------------------- many, refused, codes
def _secret(db: Session, username: str) -> str:
    return totp_secrets.unseal(db.get(UserAccount, principal_of(db, username).user_id).totp_secret)


async def test_many_picked_participants_are_prepared_by_a_job_the_page_follows_and_refusals_are_said(
    db: Session, world: dict, sign_in, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Above ``DIRECT_MAX`` the page queues the job (``start_prepare``), shows its progress while it runs and the
    forms once it is done; a participant with a form of the kind open is said at once, with why."""
    from portal.jobs.queue import get_huey
    from portal.services import background
    from portal.services.forms import flow

    monkeypatch.setattr(flow, "DIRECT_MAX", 2)
    get_huey().flush()
    sign_in("employer.hr")
    state = await _state(EmployerFormsState)
    mine = str(db.get(Form, world["mine"]).participation_id)
    with clock.frozen(T0):
        await state.load()
        free = [c["id"] for c in state.candidates if c["id"] not in (mine, str(world["other"].id))]
        assert len(free) >= 4
        state.set_kind("beneficiary")
        for pid in free[:3]:
            state.toggle(pid, True)
        event = await state.prepare({})
    assert event is EmployerFormsState.watch  # the page follows the job
    assert state.running and state.job["text"] == "Formulieren worden opgesteld: 0 van 3."
    assert state.progress_pct == 0 and state.notice == "" and state.refused == [] and state.picked == []
    assert db.exec(select(Form).where(Form.kind == "beneficiary")).all() == []  # not made in the event
    reloaded = await _state(EmployerFormsState)  # the page opened again meanwhile: it follows the job again
    with clock.frozen(T0):
        assert await reloaded.load() is EmployerFormsState.watch
    assert reloaded.running and reloaded._job_id == state._job_id
    with clock.frozen(T0):
        assert background.execute(state._job_id, flow.PREPARE_JOB, flow.prepare_job) == 3
        await state._refresh_job()  # what the follower does on its next look
    assert not state.running and state._job_id == 0 and state.progress_pct == 100
    assert state.notice == "3 formulier(en) opgesteld en naar de medewerker(s) gestuurd."
    assert sum(1 for r in state.rows if r["kind"] == "beneficiary") == 3
    with clock.frozen(T0):
        assert await reloaded.load() is None and not reloaded.running  # done: nothing to follow
    # few at once: made in the event; the one with an agreement open is refused, with why, the other made
    with clock.frozen(T0):
        state.set_kind(DC)
        for pid in (mine, free[3]):
            state.toggle(pid, True)
        label = state.picked_names[mine]
        event = await state.prepare({"amount": "100", "start_date": "2026-12-01"})
    assert event is None and not state.running
    assert state.refused == [f"{label}: Er staat al een formulier van deze soort open voor deze deelnemer."]
    assert state.notice.startswith("1 formulier(en) opgesteld")
    [event] = audit_of(db, "form.prepare_refused")
    assert event.object_id == mine and json.loads(event.detail)["reason"] == "forms.already_open"
    get_huey().flush()


async def test_the_employer_countersigns_with_a_fresh_code_a_wrong_one_keeps_the_dialog_open(
    db: Session, world: dict, sign_in, monkeypatch: pytest.MonkeyPatch
) -> None:
    sign_in("employee")
    with clock.frozen(T0):
        page = await _form_page(monkeypatch, str(world["mine"]))
        await page.save({"amount": "150,00", "start_date": "2026-12-01"})
    with clock.frozen(T0 + timedelta(seconds=31)):
        await page.sign({"code": pyotp.TOTP(world["secret"]).at(clock.now())})
    assert page.status == "waiting_for_countersignature"
    sign_in("employer.hr")
    state = await _state(EmployerFormsState)
    fid, hr_secret = str(world["mine"]), _secret(db, "employer.hr")
    with clock.frozen(T0 + timedelta(seconds=62)):
        await state.load()
        state.ask_countersign(fid)
        assert state.confirm_open
        await state.countersign({"code": "000000" if pyotp.TOTP(hr_secret).now() != "000000" else "111111"})
        wrong = {"code": "Deze code klopt niet. Vul de 6 cijfers uit uw authenticator-app in."}
        assert state.sign_errors == wrong and state.confirm_open  # still open, the message at the code field
        assert state.notice == "" and state.message == ""
        await state.countersign({"code": pyotp.TOTP(world["secret"]).at(clock.now())})  # the employee's code
        assert state.sign_errors == wrong and state.confirm_open
        await state.countersign({"code": pyotp.TOTP(hr_secret).at(clock.now())})
    assert state.sign_errors == {} and not state.confirm_open
    assert state.notice == "Medeondertekend. Het formulier is afgerond."
    assert next(r for r in state.rows if r["id"] == fid)["status"] == "completed"
    assert [json.loads(e.detail)["reason"] for e in audit_of(db, "form.countersign_refused")] == ["totp_invalid"] * 2


async def test_the_employee_declines_with_a_reason_the_employer_list_shows_it(
    db: Session, world: dict, sign_in, monkeypatch: pytest.MonkeyPatch
) -> None:
    sign_in("employee")
    with clock.frozen(T0):
        state = await _form_page(monkeypatch, str(world["mine"]))
        state.ask_decline()
        state.set_decline_reason("x" * 600)  # longer than the field allows: kept short, refused by the service
        await state.decline()
        assert state.message == "Hoogstens 500 tekens." and state.status == "waiting_for_employee"
        state.ask_decline()
        assert state.decline_reason == ""
        state.set_decline_reason("Ik wil eerst met mijn partner overleggen.")
        await state.decline()
    assert state.status == "declined" and state.notice == "U heeft het formulier geweigerd."
    sign_in("employer.hr")
    listing = await _state(EmployerFormsState)
    with clock.frozen(T0):
        await listing.load()
    row = next(r for r in listing.rows if r["id"] == str(world["mine"]))
    assert (row["status_label"], row["reason"]) == ("Afgewezen", "Ik wil eerst met mijn partner overleggen.")
    assert next(r for r in listing.rows if r["id"] == str(world["theirs"]))["reason"] == ""


# ---------------------------------------------------------------------------------------------- off the event loop
async def _loop_moves_on_while(name: str, handler) -> None:
    """Run the event ``handler`` with pyHanko's ``signing.<name>`` held until the event loop has run another
    coroutine (another user's event) while it is under way: were it called on the loop, nothing else could run
    and the wait would fail. An ordering check, no timing."""
    from portal.core import signing

    started, ticked, order = threading.Event(), threading.Event(), []
    real = getattr(signing, name)

    def gated(*args, **kwargs):
        order.append("pyhanko started")
        started.set()
        if not ticked.wait(60):  # a bound for a broken rule, not a measurement
            raise AssertionError("the event loop did not move on while pyHanko ran")
        order.append("pyhanko finished")
        return real(*args, **kwargs)

    async def other_users_event() -> None:
        while not started.is_set():
            await asyncio.sleep(0)
        order.append("another event ran")
        ticked.set()

    setattr(signing, name, gated)
    try:
        await asyncio.gather(handler, other_users_event())
    finally:
        setattr(signing, name, real)
    assert order == ["pyhanko started", "another event ran", "pyhanko finished"]


async def test_signing_countersigning_and_verifying_leave_the_event_loop_free(
    db: Session, world: dict, sign_in, monkeypatch: pytest.MonkeyPatch
) -> None:
    sign_in("employee")
    with clock.frozen(T0):
        page = await _form_page(monkeypatch, str(world["mine"]))
        await page.save({"amount": "150,00", "start_date": "2026-12-01"})
    with clock.frozen(T0 + timedelta(seconds=31)):
        await _loop_moves_on_while("sign", page.sign({"code": pyotp.TOTP(world["secret"]).at(clock.now())}))
    assert page.status == "waiting_for_countersignature"
    sign_in("employer.hr")
    state = await _state(EmployerFormsState)
    fid = str(world["mine"])
    with clock.frozen(T0 + timedelta(seconds=62)):
        await state.load()
        state.ask_countersign(fid)
        code = pyotp.TOTP(_secret(db, "employer.hr")).at(clock.now())
        await _loop_moves_on_while("sign", state.countersign({"code": code}))
        assert state.notice == "Medeondertekend. Het formulier is afgerond."
        await _loop_moves_on_while("verify", state.verify(fid))
    assert [c["result"] for c in state.checks] == ["Intact", "Intact"]
