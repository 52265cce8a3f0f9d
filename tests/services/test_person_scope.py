"""Personal data is the employer's own (security finding 2): a BSN known at another employer is no oracle and
attaches nothing of that employment, in the new-participant wizard and in the collective new-participant file;
a participant's detail shows only what the caller's employer holds. Two employers of the demo data: the demo
employer (Noordkade Logistiek) and the small employer (Bakkerij ter Horst)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

import pytest
from sqlmodel import Session, col, select

from portal.demo.seed import DEMO_EMPLOYER_NAME, SMALL_NAME
from portal.domain.roles import FrontEnd
from portal.models import Batch, Employer, Mutation, Participation, Person, Relation, Scheme
from portal.services import collective
from portal.services import mutations as mut
from portal.services.errors import FieldError
from portal.services.participants.detail import participant_detail
from portal.services.principal import Principal
from tests.services.bulk_files import rows_of, workbook
from tests.services.employer_fixtures import principal_of
from tests.services.test_mutations import op_scheme, person_form, refused

TODAY = date(2026, 11, 1)
UNKNOWN_BSN = "123456782"  # a valid BSN nobody in the demo data has
WRONG_BIRTH = "01-01-1970"


@dataclass
class Two:
    db: Session
    mid: int  # the demo employer
    small: int
    hr_mid: Principal
    hr_small: Principal


@pytest.fixture
def two(db: Session, demo_data: None) -> Two:
    employers = {e.name: e.id or 0 for e in db.exec(select(Employer)).all()}
    mid, small = employers[DEMO_EMPLOYER_NAME], employers[SMALL_NAME]
    hr_mid = principal_of(db, "employer.hr")
    hr_small = Principal(  # an HR user of the small employer (the demo has no account there)
        user_id=hr_mid.user_id,
        username="small.hr",
        display_name="HR Bakkerij",
        front_end=FrontEnd.EMPLOYER,
        roles=frozenset({"hr"}),
        employer_ids=frozenset({small}),
    )
    return Two(db, mid, small, hr_mid, hr_small)


def _outsiders(db: Session, at: int, not_at: int, n: int) -> list[Participation]:
    """OP participations at ``at`` of people with a partner and no record at ``not_at`` (oldest first)."""
    known_there = select(Person.bsn).where(Person.employer_id == not_at)
    partnered = select(Relation.person_id).where(Relation.kind == "partner")
    return list(
        db.exec(
            select(Participation)
            .join(Person, col(Person.id) == Participation.person_id)
            .join(Scheme, col(Scheme.id) == Participation.scheme_id)
            .where(Participation.employer_id == at, Scheme.kind == "OP", Participation.status == "active")
            .where(col(Person.bsn).not_in(known_there), col(Person.id).in_(partnered))
            .order_by(col(Participation.id))
            .limit(n)
        ).all()
    )


def _shown(db: Session, principal: Principal, participation_id: int) -> tuple:
    """What the detail shows of the person: personal data, relations, participations, history."""
    d = participant_detail(db, principal, participation_id, as_of=TODAY)
    return d.person, d.relations, d.participations, d.history


def _entered_only(db: Session, principal: Principal, participation_id: int, entered: dict[str, str]) -> None:
    """The detail shows exactly what the caller's employer entered, and no relations."""
    person, relations, participations, history = _shown(db, principal, participation_id)
    for key in ("street", "house_number", "city", "private_email", "foreign_address"):
        assert getattr(person, key) == entered.get(key, ""), key
    assert person.business_email == entered.get("business_email", "").lower()
    assert relations == []
    assert {p.participation_id for p in participations} <= set(
        db.exec(select(Participation.id).where(Participation.employer_id.in_(principal.employer_ids))).all()  # type: ignore[attr-defined]
    )
    assert [h.kind for h in history] == ["new_participant"]


@pytest.mark.parametrize("birth", ["wrong", "right"])
def test_wizard_a_bsn_of_another_employer_is_no_oracle_and_attaches_nothing(two: Two, birth: str) -> None:
    db = two.db
    other = _outsiders(db, at=two.mid, not_at=two.small, n=1)[0]
    their = db.get(Person, other.person_id)
    assert their is not None
    before = _shown(db, two.hr_mid, other.id or 0)
    born = WRONG_BIRTH if birth == "wrong" else their.birth_date.strftime("%d-%m-%Y")
    scheme = op_scheme(db, two.small)
    form = person_form(bsn=their.bsn, birth_date=born, business_email="nieuw@bakkerij.example")
    unknown = form | {"bsn": UNKNOWN_BSN}
    seen = mut.preview_new_participant(db, two.hr_small, two.small, scheme.id, **form, today=TODAY)
    fresh = mut.preview_new_participant(db, two.hr_small, two.small, scheme.id, **unknown, today=TODAY)
    assert (seen.warnings, seen.needs_review, seen.review_reasons, seen.old_values) == (
        fresh.warnings,
        fresh.needs_review,
        fresh.review_reasons,
        fresh.old_values,
    )
    assert {k: v for k, v in seen.new_values.items() if k != "bsn"} == {
        k: v for k, v in fresh.new_values.items() if k != "bsn"
    }
    m = mut.submit_new_participant(db, two.hr_small, two.small, scheme.id, **form, today=TODAY)
    db.commit()
    assert m.status == "processed"
    part = db.get(Participation, m.participation_id)
    assert part is not None
    record = db.get(Person, part.person_id)
    assert record is not None and record.id != their.id
    assert (record.employer_id, record.bsn, record.street) == (two.small, their.bsn, "Kerkstraat")
    _entered_only(db, two.hr_small, part.id or 0, form)
    # the other employer's participant is untouched
    db.expire_all()
    assert _shown(db, two.hr_mid, other.id or 0)[:3] == before[:3]
    # within its own employer the messages about an existing person still work
    err = refused(db, FieldError, mut.submit_new_participant, two.hr_small, two.small, scheme.id, **form, today=TODAY)
    assert (err.field, err.key) == ("bsn", "bsn_already_participant")
    other_birth = form | {"birth_date": "02-02-1971"}
    err = refused(
        db, FieldError, mut.preview_new_participant, two.hr_small, two.small, scheme.id, **other_birth, today=TODAY
    )
    assert (err.field, err.key) == ("bsn", "bsn_person_mismatch")


def test_collective_file_a_bsn_of_another_employer_is_no_oracle_and_attaches_nothing(two: Two) -> None:
    db = two.db
    wrong, right = _outsiders(db, at=two.small, not_at=two.mid, n=2)
    people = [db.get(Person, p.person_id) for p in (wrong, right)]
    before = [_shown(db, two.hr_small, p.id or 0) for p in (wrong, right)]
    scheme = op_scheme(db, two.mid)
    _, data = collective.template(db, two.hr_mid, scheme.id, "new_participants", None, "nl", today=TODAY)
    header = rows_of(data)[0]
    wrong_p, right_p = people
    assert wrong_p is not None and right_p is not None
    rows = [
        header,
        [
            wrong_p.bsn,
            "A.",
            "Anna",
            "",
            "Nieuw",
            date(1970, 1, 1),
            "V",
            date(2026, 10, 1),
            40000,
            100,
            "anna@nk.example",
        ],
        [right_p.bsn, "B.", "Bob", "", "Nieuw", right_p.birth_date, "M", date(2026, 10, 1), 41000, 100, ""],
        [UNKNOWN_BSN, "C.", "Cor", "", "Nieuw", date(1970, 1, 1), "M", date(2026, 10, 1), 42000, 100, ""],
    ]
    batch = collective.upload(
        db, two.hr_mid, scheme.id, "new_participants", "nieuw.xlsx", workbook(rows), None, "nl", today=TODAY
    )
    db.commit()
    collective.run_validation(batch.id or 0, today=TODAY)
    db.expire_all()
    checked = db.get(Batch, batch.id)
    assert checked is not None and checked.status == "ready", checked.report
    assert json.loads(checked.report or "[]") == []  # nothing said about the other employer's people
    collective.confirm(db, two.hr_mid, batch.id)
    db.commit()
    assert collective.run_apply(batch.id or 0, today=TODAY) == "processed"
    db.expire_all()
    added = db.exec(select(Mutation).where(Mutation.batch_id == batch.id).order_by(col(Mutation.id))).all()
    assert len(added) == 3
    for m, theirs, email in zip(added[:2], people, ("anna@nk.example", ""), strict=True):
        part = db.get(Participation, m.participation_id)
        assert part is not None and theirs is not None
        record = db.get(Person, part.person_id)
        assert record is not None and record.id != theirs.id and record.employer_id == two.mid
        assert record.bsn == theirs.bsn and record.last_name == "Nieuw"
        _entered_only(db, two.hr_mid, part.id or 0, {"business_email": email})
    for p, shown in zip((wrong, right), before, strict=True):
        assert _shown(db, two.hr_small, p.id or 0)[:3] == shown[:3]
