"""The access request (GDPR art. 15, AVG-inzage; issue 16 part 6) on the demo data: user management of the
person's employer (and an adviser acting for it) gets everything the portal holds about the person as a ZIP —
never a password hash or TOTP secret — through the one signed ``/files/`` route; everyone else is refused,
and both are audited."""

from __future__ import annotations

import io
import json
import re
import zipfile
from dataclasses import replace
from typing import Any

import pytest
import reflex as rx
from sqlmodel import Session, select
from starlette.testclient import TestClient

from portal.api.routes import SESSION_COOKIE, api
from portal.core import clock
from portal.demo.seed import DEMO_EMPLOYER_NAME, SMALL_NAME
from portal.models import AuditEvent, Employer, Participation, Person, UserAccount
from portal.services import files, participants, privacy, tasks
from portal.services.mutations.submit import submit_salary_parttime
from portal.services.principal import NoAccess, Principal, acting_for
from portal.state.employer.detail import DetailState
from tests.services.employer_fixtures import audit_of, foreign_tenant, principal_of, session_token_of

DECIMAL = re.compile(r"^-?\d+\.\d+$")
ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _employee(db: Session) -> tuple[UserAccount, Person]:
    """The demo employee's account and the person record it is linked to (the demo employer's)."""
    user = db.exec(select(UserAccount).where(UserAccount.username == "employee")).one()
    person = db.get(Person, user.person_id)
    assert person is not None
    return user, person


def _employer(db: Session, name: str) -> Employer:
    return db.exec(select(Employer).where(Employer.name == name)).one()


def _unzip(data: bytes) -> tuple[dict[str, Any], dict[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = {n: archive.read(n) for n in archive.namelist()}
    return json.loads(names["person.json"]), names


def _refused(db: Session, principal: Principal | None, person_id: object, reason: str) -> None:
    before = len(audit_of(db, "privacy.export_refused"))
    with pytest.raises(NoAccess) as err:
        privacy.export_person(db, principal, person_id)
    assert err.value.reason == reason
    db.flush()
    events = audit_of(db, "privacy.export_refused")
    assert len(events) == before + 1 and json.loads(events[-1].detail)["reason"] == reason
    assert not audit_of(db, "privacy.export")


def test_user_management_exports_everything_about_the_person_without_secrets(db: Session, demo_data: None) -> None:
    hr = principal_of(db, "employer.hr")  # HR + user management of the demo employer
    user, person = _employee(db)
    user.password_hash = user.password_hash or "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA"
    user.totp_secret = user.totp_secret or "gAAAAA-encrypted-secret"
    db.add(user)
    db.commit()
    made = privacy.export_person(db, hr, person.id)
    db.commit()
    doc, names = _unzip(made.data)
    raw = names["person.json"].decode()

    # never a password hash, TOTP secret or token hash, whatever table it is in
    for secret in (user.password_hash, user.totp_secret):
        assert secret and secret not in raw
        assert all(secret.encode() not in content for content in names.values())
    for column in ("password_hash", "totp_secret", "totp_last_step", "token_hash", "ticket_hash", "stored_name"):
        assert f'"{column}"' not in raw
    (account,) = doc["user_accounts"]
    assert account["username"] == "employee" and account["email"] == user.email
    assert {g["role"] for g in account["roles"]} == {"employee"}

    # the person record and everything hanging off it at this employer
    assert doc["person"]["id"] == person.id and doc["person"]["bsn"] == person.bsn
    assert doc["person"]["birth_date"] == person.birth_date.isoformat()
    assert doc["employer"]["name"] == DEMO_EMPLOYER_NAME
    (employment,) = doc["employments"]
    salaries = [v["salary"] for v in employment["versions"]]
    assert salaries[:3] == ["47850.00", "50476.12", "52242.28"]  # money as exact Decimal strings
    assert all(DECIMAL.match(v["parttime_pct"]) and ISO_DAY.match(v["valid_from"]) for v in employment["versions"])
    assert {p["participant_number"] for p in doc["participations"]} == {"100001"}
    assert all(p["scheme"]["kind"] for p in doc["participations"])
    kinds = sorted(r["kind"] for r in doc["relations"])
    assert kinds == ["child", "child", "partner"]
    assert doc["format"] == "portal.person-export/1" and doc["generated_by"]["username"] == "employer.hr"
    for document in doc["documents"]:
        assert document["person_id"] == person.id or document["participation_id"] in {
            p["id"] for p in doc["participations"]
        }
        if document["file"]:
            assert names[document["file"]].startswith(b"%PDF")
    assert any(n.endswith((".txt",)) for n in names)  # the read-me says what it is

    # the previous employer's own record of the same human is that employer's: not in this export
    old = db.exec(select(Person).where(Person.bsn == person.bsn, Person.id != person.id)).all()
    assert old and all(str(o.id) not in {str(p["person_id"]) for p in doc["participations"]} for o in old)
    small = _employer(db, SMALL_NAME)
    assert small.name not in raw

    # audited: who, when, whom
    (event,) = audit_of(db, "privacy.export")
    assert (event.actor_user_id, event.object_type, event.object_id) == (hr.user_id, "person", str(person.id))
    assert event.employer_id == person.employer_id and json.loads(event.detail)["user_accounts"] == 1


def test_mutations_tasks_and_audit_events_about_the_person_are_included(db: Session, demo_data: None) -> None:
    hr = principal_of(db, "employer.hr")
    _, person = _employee(db)
    part = db.exec(select(Participation).where(Participation.person_id == person.id)).first()
    assert part is not None
    submit_salary_parttime(db, hr, part.id, clock.today().isoformat(), "53000.00", "", part.version)
    db.commit()
    adviser = principal_of(db, "adviser")
    saved = tasks.create(db, adviser, person.employer_id, "general", "AVG-verzoek behandelen", participation_id=part.id)
    tasks.comment(db, adviser, saved.task_id, "Inzage gevraagd")
    db.commit()
    participants.participant_detail(db, hr, part.id)  # a view of the person is an audit event about them
    db.commit()
    doc, _ = _unzip(privacy.export_person(db, hr, person.id).data)
    assert any(m["new_values"].get("salary") == "53000.00" for m in doc["mutations"])
    (found,) = [x for x in doc["tasks"] if x["id"] == saved.task_id]
    assert [c["text"] for c in found["comments"]] == ["Inzage gevraagd"]
    actions = {e["action"] for e in doc["audit_events"]}
    assert {"participant.viewed", "task.created", "mutation.submitted"} <= actions, actions
    assert all(e["action"] != "participants.listed" for e in doc["audit_events"])  # not about them


def test_an_adviser_acting_for_the_employer_may_others_are_refused_and_audited(db: Session, demo_data: None) -> None:
    _, person = _employee(db)
    adviser = principal_of(db, "adviser")
    made = privacy.export_person(db, acting_for(adviser, person.employer_id), person.id)
    assert made.person_id == person.id
    events = audit_of(db, "privacy.export")
    assert events[-1].on_behalf_of == f"employer:{person.employer_id}"
    db.rollback()

    finance = principal_of(db, "employer.finance")  # no user management (AUTH-4)
    _refused(db, finance, person.id, "missing_role")
    hr_only = replace(principal_of(db, "employer.hr"), roles=frozenset({"hr"}), perms=frozenset())
    _refused(db, hr_only, person.id, "missing_role")
    _refused(db, principal_of(db, "employee"), person.id, "missing_role")  # not even their own (EE-7 is its own)
    _refused(db, None, person.id, "not_signed_in")
    _, _, foreign_admin = foreign_tenant(db)
    _refused(db, foreign_admin, person.id, "out_of_scope")


@pytest.mark.parametrize("raw", ["abc", -1, 0, True, None, 2**40, "1; DROP TABLE person", {"id": 1}, "12.0"])
def test_untrusted_ids_are_refused_and_audited(db: Session, demo_data: None, raw: object) -> None:
    _refused(db, principal_of(db, "employer.hr"), raw, "bad_id")


def test_a_person_of_another_employer_is_refused_also_through_a_link(db: Session, demo_data: None) -> None:
    hr = principal_of(db, "employer.hr")
    small = _employer(db, SMALL_NAME)
    other = db.exec(select(Person).where(Person.employer_id == small.id)).first()
    assert other is not None
    _refused(db, hr, other.id, "out_of_scope")
    missing = (db.exec(select(Person.id).order_by(Person.id.desc())).first() or 0) + 1000  # type: ignore[union-attr]
    _refused(db, hr, missing, "out_of_scope")  # a missing id looks the same as a foreign one
    forged = files.link(hr, privacy.FILE_KIND, other.id or 0).removeprefix("/files/")
    with pytest.raises(NoAccess):
        files.serve(db, hr, forged)
    assert json.loads(audit_of(db, "access.denied")[-1].detail)["reason"] == "out_of_scope"


def test_the_zip_is_served_through_the_files_route_and_nothing_is_stored(db: Session, demo_data: None) -> None:
    hr = principal_of(db, "employer.hr")
    _, person = _employee(db)
    link = privacy.export_link(db, hr, person.id).url
    db.commit()
    assert link.startswith("/files/")
    before = {p.name for p in files.folder("exports").iterdir()}
    client = TestClient(api, base_url="http://localhost")
    client.cookies.set(SESSION_COOKIE, session_token_of(db, "employer.hr"))
    # the link names the user it was made for: a new session of the same user is that user
    answer = client.get(link, follow_redirects=False)
    assert answer.status_code == 200, answer.headers.get("location")
    assert answer.headers["content-type"] == "application/zip"
    assert "attachment" in answer.headers["content-disposition"] and ".zip" in answer.headers["content-disposition"]
    assert answer.headers["cache-control"] == "no-store"
    doc, _ = _unzip(answer.content)
    assert doc["person"]["id"] == person.id
    assert {p.name for p in files.folder("exports").iterdir()} == before  # sent from memory, nothing stored
    db.expire_all()
    assert len(audit_of(db, "privacy.export")) == 1
    assert audit_of(db, "file.downloaded")[-1].object_type == "privacy_export"

    finance = TestClient(api, base_url="http://localhost")  # someone else with the link: nothing
    finance.cookies.set(SESSION_COOKIE, session_token_of(db, "employer.finance"))
    refused = finance.get(link, follow_redirects=False)
    assert (refused.status_code, refused.headers["location"]) == (303, "/no-access")


# ------------------------------------------------------------------------------------------- the page's handler
async def _detail_state(person_id: object) -> DetailState:
    root = rx.State(_reflex_internal_init=True)
    state = await root.get_state(DetailState)
    state._person_id = person_id  # type: ignore[assignment]
    return state


def _script_of(event: Any) -> str:
    return str(getattr(event, "args", event))


async def test_the_button_gives_a_signed_link_for_user_management(db: Session, sign_in, demo_data: None) -> None:
    _, person = _employee(db)
    sign_in("employer.hr")
    state = await _detail_state(person.id)
    assert await state.sign_export_link() is None
    assert state.privacy_link.startswith("/files/") and state.privacy_file.startswith(f"avg-inzage-{person.id}-")
    token = re.search(r"/files/([A-Za-z0-9_.\-]+)", state.privacy_link)
    assert token is not None
    hr = principal_of(db, "employer.hr")
    served = files.serve(db, hr, token.group(1))
    assert served.data is not None and zipfile.is_zipfile(io.BytesIO(served.data))


async def test_the_button_with_a_foreign_person_id_is_refused_and_audited(
    db: Session, sign_in, demo_data: None
) -> None:
    small = _employer(db, SMALL_NAME)
    foreign = db.exec(select(Person).where(Person.employer_id == small.id)).first()
    assert foreign is not None
    sign_in("employer.hr")
    for raw in (foreign.id, "abc", None):
        state = await _detail_state(raw)
        state.privacy_link = "/files/stale"  # whatever was there goes
        event = await state.sign_export_link()
        assert "/no-access" in _script_of(event) and state.privacy_link == "" and state.privacy_file == ""
    db.expire_all()
    refused = db.exec(select(AuditEvent).where(AuditEvent.action == "privacy.export_refused")).all()
    assert [json.loads(e.detail)["reason"] for e in refused] == ["out_of_scope", "bad_id", "bad_id"]
    assert not audit_of(db, "privacy.export") and not audit_of(db, "access.denied")  # audited once, by the service


async def test_the_button_is_shown_only_to_user_management(db: Session, sign_in, demo_data: None) -> None:
    assert privacy.may_export(principal_of(db, "employer.hr"))
    assert not privacy.may_export(principal_of(db, "employer.finance"))
    assert not privacy.may_export(principal_of(db, "employee"))
    assert privacy.may_export(principal_of(db, "adviser"))
    assert not privacy.may_export(None)
