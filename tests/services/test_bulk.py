"""Collective changes (BULK-1..5, MUT-2): templates, every bad input of issue 4 (a clear reason, nothing
changed), all-or-nothing apply, exactly once, the collective lock, scope and roles. The jobs' bodies run
here directly; ``test_jobs.py`` runs them through the real queue."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func
from sqlmodel import Session, col, select

from portal.models import (
    AuditEvent,
    Batch,
    EmploymentVersion,
    Mutation,
    ParticipantDue,
    ParticipantListRow,
    Participation,
    Person,
    Scheme,
)
from portal.services import collective, files
from portal.services import mutations as mut
from portal.services.collective import templates
from portal.services.errors import FieldError
from portal.services.participants import read_table as plist
from portal.services.principal import NoAccess, acting_for
from tests.services.bulk_files import (
    EFFECTIVE,
    TODAY,
    World,
    fill,
    participation,
    rows_of,
    salary_template,
    workbook,
    world,
)


@pytest.fixture
def w(db: Session, demo_data: None) -> World:
    return world(db)


def _upload(db: Session, w: World, data: bytes, kind: str = "salary_parttime", effective: object = EFFECTIVE) -> Batch:
    eff = effective.isoformat() if isinstance(effective, date) else effective
    batch = collective.upload(db, w.hr, w.scheme_id, kind, "bestand.xlsx", data, eff, "nl", today=TODAY)
    db.commit()
    return batch


def _validated(db: Session, w: World, data: bytes, kind: str = "salary_parttime") -> Batch:
    batch = _upload(db, w, data, kind)
    collective.run_validation(batch.id or 0, today=TODAY)
    db.expire_all()
    found = db.get(Batch, batch.id)
    assert found is not None
    return found


def _versions(db: Session) -> int:
    return int(db.exec(select(func.count()).select_from(EmploymentVersion)).one())


def _salary_of(db: Session, w: World, number: str) -> Decimal | None:
    return db.exec(
        select(ParticipantListRow.salary).where(
            ParticipantListRow.listed_scheme_id == w.scheme_id, ParticipantListRow.participant_number == number
        )
    ).one()


def _keys(batch: Batch) -> list[str]:
    return [i["key"] for i in json.loads(batch.report)]


# ---------------------------------------------------------------------------------------- BULK-1 happy
def test_salary_file_validated_then_applied_once(db: Session, w: World) -> None:
    rows = salary_template(db, w)
    assert rows[0][5:7] == ["Nieuw fulltime salaris", "Nieuw parttimepercentage"]  # columns F and G
    assert rows[1][0] == "100001" and rows[1][3] == pytest.approx(52242.28)
    second = str(rows[2][0])
    batch = _validated(db, w, workbook(fill(rows, {"100001": (55000, None), second: ("61.000,50", 80)})))
    assert batch.status == "ready", batch.report
    assert (batch.rows_total, batch.rows_changed, batch.rows_failed) == (len(rows) - 1, 2, 0)
    before = _versions(db)
    assert _salary_of(db, w, "100001") == Decimal("52242.28")  # nothing applied by validation

    collective.confirm(db, w.hr, batch.id)
    db.commit()
    assert db.get(Scheme, w.scheme_id).collective_lock_batch == batch.id  # type: ignore[union-attr]
    part = participation(db, w.scheme_id, "100001")
    with pytest.raises(FieldError) as refused:  # MUT-2: no individual change while the batch runs
        mut.submit_salary_parttime(db, w.hr, part.id, "2026-12-01", "56000", "", part.version, today=TODAY)
    assert refused.value.key == "scheme_collective_lock"
    db.rollback()

    def snapshot() -> list[tuple]:
        rows = db.exec(select(ParticipantListRow).order_by(col(ParticipantListRow.participation_id))).all()
        return [tuple(sorted(r.model_dump().items())) for r in rows]

    listed = snapshot()
    assert collective.run_apply(batch.id or 0, today=TODAY) == "processed"
    assert collective.run_apply(batch.id or 0, today=TODAY) == ""  # a second run changes nothing
    db.expire_all()
    assert db.get(Batch, batch.id).status == "processed"  # type: ignore[union-attr]
    assert db.get(Scheme, w.scheme_id).collective_lock_batch is None  # type: ignore[union-attr]
    mutations = db.exec(select(Mutation).where(Mutation.batch_id == batch.id)).all()
    assert len(mutations) == 2 and {m.channel for m in mutations} == {"excel"}
    # each change splits the current version: one superseded, two new (before and from the date)
    assert _versions(db) == before + 4
    # as of the effective date the overview shows the new salary (the list reads as of today: check versions)
    emp = participation(db, w.scheme_id, second).employment_id
    live = db.exec(
        select(EmploymentVersion)
        .where(EmploymentVersion.employment_id == emp, col(EmploymentVersion.superseded_at).is_(None))
        .order_by(col(EmploymentVersion.valid_from))
    ).all()
    assert (live[-1].valid_from, live[-1].salary, live[-1].parttime_pct) == (
        EFFECTIVE,
        Decimal("61000.50"),
        Decimal("80.000"),
    )
    assert db.exec(select(AuditEvent).where(AuditEvent.action == "batch.applied")).one()

    # the overview's rows are left as they are today, only marked due on the effective date (participant_due)
    db.expire_all()
    assert snapshot() == listed
    employments = [part.employment_id, emp]
    changed = set(db.exec(select(Participation.id).where(col(Participation.employment_id).in_(employments))).all())
    marks = {(d.participation_id, d.due) for d in db.exec(select(ParticipantDue)).all()}
    assert marks == {(i, EFFECTIVE) for i in changed} and len(changed) >= 2
    # on that day ``refresh_due`` recomputes them: exactly what a rebuild as of that day gives; the marks are done
    assert plist.refresh_due(db, w.employer_id, EFFECTIVE) >= len(changed)
    db.commit()
    db.expire_all()
    on_the_day = snapshot()
    assert db.exec(select(ParticipantDue)).all() == []
    assert _salary_of(db, w, second) == Decimal("61000.50")
    plist.refresh_all(db, w.employer_id, EFFECTIVE)
    db.commit()
    db.expire_all()
    assert snapshot() == on_the_day


def test_a_template_with_the_former_salary_headers_still_uploads(db: Session, w: World) -> None:
    """Templates downloaded before the salary columns said "full-time" carry "Huidig salaris" / "Nieuw
    salaris": the figure meant is the same (the full-time salary), so such a file is validated as usual."""
    rows = salary_template(db, w)
    assert (rows[0][3], rows[0][5]) == ("Huidig fulltime salaris", "Nieuw fulltime salaris")
    rows[0][3], rows[0][5] = "Huidig salaris", "Nieuw salaris"
    batch = _validated(db, w, workbook(fill(rows, {"100001": (55000, None)})))
    assert batch.status == "ready", batch.report
    assert (batch.rows_changed, batch.rows_failed) == (1, 0)


def test_effective_date_outside_window_is_refused_at_upload(db: Session, w: World) -> None:
    data = workbook(salary_template(db, w))
    for effective, key in (("2027-02-02", "date_too_far_ahead"), ("2026-13-01", "date_invalid"), ("", "date_required")):
        with pytest.raises(FieldError) as err:
            _upload(db, w, data, effective=effective)
        assert (err.value.field, err.value.key) == ("effective", key)
        db.rollback()
    assert db.exec(select(func.count()).select_from(Batch)).one() == 0


# ------------------------------------------------------------------------------------------ BULK-5
def _xlsx_with_formula() -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["Deelnemersnummer", "Naam", "Geboortedatum", "Huidig salaris", "x", "Nieuw salaris", "y"])
    book.active.append(["100001", "a", None, 1, 2, "=D2*1.05", None])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _broken_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook><sheets><sheet name='x' r:id='rId1'/></sheets>")
    return out.getvalue()


def _encrypted() -> bytes:
    import openpyxl
    from msoffcrypto.format.ooxml import OOXMLFile

    book = openpyxl.Workbook()
    book.active.append(["a"])
    plain, locked = io.BytesIO(), io.BytesIO()
    book.save(plain)
    plain.seek(0)
    office = OOXMLFile(plain)
    office.encrypt("geheim", locked)
    return locked.getvalue()


@pytest.mark.parametrize(
    ("make", "key"),
    [
        (lambda rows: b"Deelnemersnummer;Naam\n100001;x\n", "file_not_xlsx"),
        (lambda rows: b"%PDF-1.4 not a workbook", "file_not_xlsx"),
        (lambda rows: _broken_zip(), "file_corrupt"),
        (lambda rows: workbook(rows)[: len(workbook(rows)) // 2], "file_not_xlsx"),
        (lambda rows: _xlsx_with_formula(), "file_formulas"),
        (lambda rows: _encrypted(), "file_password"),
        (
            lambda rows: workbook([[c if i != 5 else "Salaris nieuw" for i, c in enumerate(rows[0])], *rows[1:]]),
            "column_renamed",
        ),
        (lambda rows: workbook([r[:5] for r in rows]), "column_missing"),
        (lambda rows: workbook(rows[:1]), "file_no_changes"),
    ],
    ids=["csv", "pdf", "corrupt", "truncated", "formulas", "password", "renamed", "missing", "no-changes"],
)
def test_bad_files_are_rejected_with_a_reason_and_change_nothing(db: Session, w: World, make, key) -> None:
    rows = salary_template(db, w)
    before = _versions(db)
    batch = _validated(db, w, make(rows))
    assert batch.status == "rejected"
    assert batch.message == key and _keys(batch) == [key]
    assert _versions(db) == before
    assert db.get(Scheme, w.scheme_id).collective_lock_batch is None  # type: ignore[union-attr]
    with pytest.raises(FieldError):
        collective.confirm(db, w.hr, batch.id)


def test_rows_with_problems_are_all_reported_and_nothing_is_applied(db: Session, w: World) -> None:
    rows = salary_template(db, w)
    third, fourth = str(rows[3][0]), str(rows[4][0])
    rows = fill(rows, {"100001": ("veel", None), third: (None, "99,1234"), fourth: (-5, 101)})
    rows.append(["999999", "Onbekend", None, None, None, 50000, None])  # unknown participant
    rows.append(list(rows[1]))  # 100001 twice
    rows.append([None, "zonder nummer", None, None, None, 40000, None])
    batch = _validated(db, w, workbook(rows))
    assert batch.status == "rejected"
    report = json.loads(batch.report)
    found = {(i["row"], i["column"], i["key"]) for i in report}
    n = len(rows)
    assert found == {
        (2, "F", "salary_invalid"),
        (4, "G", "parttime_decimals"),
        (5, "F", "salary_not_positive"),
        (n - 2, "A", "unknown_participant"),
        (n - 1, "A", "duplicate_row"),
        (n, "A", "number_missing"),
    }
    assert batch.rows_failed == 6
    # the report file: the same rows with an error column added, in the user's language
    served = templates._report_file(db, w.hr, batch.id or 0)
    report_rows = rows_of(served.path.read_bytes())
    assert report_rows[0][-1] == "Foutmelding"
    assert "Regel 2, kolom F (100001)" in report_rows[1][-1]
    assert report_rows[1][0] == "100001"


def test_same_file_twice_is_refused(db: Session, w: World) -> None:
    rows = salary_template(db, w)
    data = workbook(fill(rows, {"100001": (55000, None)}))
    first = _upload(db, w, data)
    with pytest.raises(FieldError) as err:
        _upload(db, w, data)
    assert (err.value.field, err.value.key) == ("file", "file_duplicate")
    assert err.value.params["batch"] == first.id
    db.rollback()
    assert db.exec(select(func.count()).select_from(Batch)).one() == 1


def test_too_large_file_is_refused_before_it_is_stored(db: Session, w: World) -> None:
    stored_before = set(files.folder("uploads").iterdir())
    with pytest.raises(FieldError) as err:
        _upload(db, w, b"PK" + b"\0" * (20 * 1024 * 1024))
    assert (err.value.key, err.value.params) == ("file_too_large", {"limit_mb": 20})
    db.rollback()
    assert db.exec(select(func.count()).select_from(Batch)).one() == 0
    assert set(files.folder("uploads").iterdir()) == stored_before  # nothing written to disk either


def test_a_row_that_no_longer_fits_fails_the_whole_batch(db: Session, w: World) -> None:
    rows = salary_template(db, w)
    second = str(rows[2][0])
    batch = _validated(db, w, workbook(fill(rows, {"100001": (55000, None), second: (60000, None)})))
    assert batch.status == "ready"
    part = participation(db, w.scheme_id, second)  # the participant leaves before the batch is applied
    mut.submit_exit(db, w.hr, part.id, "2026-11-15", part.version, today=TODAY)
    db.commit()
    before = _versions(db)
    collective.confirm(db, w.hr, batch.id)
    db.commit()
    assert collective.run_apply(batch.id or 0, today=TODAY) == "failed"
    db.expire_all()
    failed = db.get(Batch, batch.id)
    assert failed is not None and failed.status == "failed"
    assert [(i["row"], i["key"]) for i in json.loads(failed.report)] == [(3, "participant_dormant")]
    assert _versions(db) == before  # 100001 was not changed either: all or nothing
    assert db.exec(select(func.count()).where(Mutation.batch_id == batch.id)).one() == 0
    assert db.get(Scheme, w.scheme_id).collective_lock_batch is None  # type: ignore[union-attr]


# ------------------------------------------------------------------------------------ scope and roles
def test_other_employers_and_finance_are_refused(db: Session, w: World) -> None:
    rows = salary_template(db, w)
    data = workbook(fill(rows, {"100001": (55000, None)}))
    for who in (w.other, w.finance):
        with pytest.raises(NoAccess):
            collective.upload(
                db, who, w.scheme_id, "salary_parttime", "x.xlsx", data, EFFECTIVE.isoformat(), today=TODAY
            )
        with pytest.raises(NoAccess):
            collective.template(db, who, w.scheme_id, "salary_parttime", EFFECTIVE.isoformat(), today=TODAY)
    batch = _validated(db, w, data)
    with pytest.raises(NoAccess):
        collective.confirm(db, w.other, batch.id)
    with pytest.raises(NoAccess):
        collective.batch(db, w.other, batch.id)
    with pytest.raises(NoAccess):
        collective.batches(db, w.other, w.employer_id)
    # a report link is only served to the user it was made for, within scope
    link = files.link(w.hr, "batch_report", batch.id or 0).removeprefix("/files/")
    with pytest.raises(NoAccess):
        files.serve(db, w.other, link)
    with pytest.raises(NoAccess):
        files.serve(db, w.hr, link[:-5] + ("A" if link[-5] != "A" else "B") + link[-4:])  # one signature character
    db.commit()
    denied = db.exec(select(AuditEvent).where(AuditEvent.action == "access.denied")).all()
    assert {json.loads(a.detail)["reason"] for a in denied} >= {"link_of_other_user", "link_invalid"}
    # the adviser acts for the employer (INT-2), recorded on its behalf
    adviser_batch = collective.upload(
        db,
        acting_for(w.adviser, w.employer_id),
        w.scheme_id,
        "salary_parttime",
        "y.xlsx",
        workbook(fill(rows, {"100001": (57000, None)})),
        EFFECTIVE.isoformat(),
        today=TODAY,
    )
    assert adviser_batch.on_behalf_of.startswith("office:")


# ------------------------------------------------------------------------------- BULK-4 integral raise
def test_integral_raise_preview_and_apply(db: Session, w: World) -> None:
    with pytest.raises(FieldError) as err:
        collective.preview_raise(db, w.hr, w.scheme_id, EFFECTIVE.isoformat(), "abc", today=TODAY)
    assert err.value.key == "percentage_invalid"
    with pytest.raises(FieldError):
        collective.preview_raise(db, w.hr, w.scheme_id, EFFECTIVE.isoformat(), "0", today=TODAY)
    preview = collective.preview_raise(db, w.hr, w.scheme_id, EFFECTIVE.isoformat(), "2,5", today=TODAY)
    assert preview.percentage == Decimal("2.5") and preview.participants > 300
    # each salary is raised by 2.5 % and rounded to the cent: the totals differ by at most half a cent a person
    exact = preview.salaries_before * Decimal("1.025")
    assert abs(preview.salaries_after - exact) <= Decimal("0.005") * preview.participants
    assert preview.premium_after > preview.premium_before > 0
    first = preview.sample[0]
    assert first["number"] == "100001" and first["new"] == Decimal("53548.34")  # 52,242.28 × 1.025
    batch = collective.submit_raise(db, w.hr, w.scheme_id, EFFECTIVE.isoformat(), "2,5", today=TODAY)
    db.commit()
    assert batch.status == "queued"
    assert collective.run_apply(batch.id or 0, today=TODAY) == "processed"
    db.expire_all()
    done = db.get(Batch, batch.id)
    assert done is not None and done.rows_changed == preview.participants
    # what was applied is what the preview showed: the new salaries of the batch's mutations add up to it
    applied = db.exec(select(Mutation.new_values).where(Mutation.batch_id == batch.id)).all()
    assert sum(Decimal(json.loads(v)["salary"]) for v in applied) == preview.salaries_after


# ------------------------------------------------------------------------------------ BULK-3 e-mails
def test_integral_raise_preview_premiums_of_part_timers_follow_mut7(db: Session, w: World) -> None:
    """The preview's premiums: (min(full-time salary, maximum) - franchise) x part-time x age-band %, written
    out here on every line of the raise (part-timers among them), before and after."""
    from portal.domain import bulk as rules
    from portal.domain.premium import age_at, cents, premium_percentage
    from portal.services.participants.detail import scheme_year_params

    preview = collective.preview_raise(db, w.hr, w.scheme_id, EFFECTIVE.isoformat(), "2,5", today=TODAY)
    params = scheme_year_params(db, w.scheme_id, EFFECTIVE.year)
    assert params is not None
    state = collective.load_scheme(db, w.scheme_id, EFFECTIVE)
    modes = dict(db.exec(select(Participation.id, Participation.premium_mode)).all())
    lines = rules.raise_lines(state.current, Decimal("2.5"), EFFECTIVE)
    assert any(line.old_parttime is not None and 0 < line.old_parttime < 100 for line in lines)

    def premium(salary: Decimal, line: rules.SalaryLine) -> Decimal:
        base = max(Decimal(0), min(salary, params.max_salary) - params.franchise) * (line.old_parttime or 0) / 100
        age = age_at(state.names[line.number][1], EFFECTIVE)
        return cents(base * premium_percentage(params, age, modes[line.participation_id]) / 100)

    assert preview.premium_before == sum(premium(line.old_salary, line) for line in lines)
    assert preview.premium_after == sum(premium(line.salary, line) for line in lines)
    by_number = {line.number: line for line in lines}
    for row in preview.sample:
        line = by_number[row["number"]]
        assert (row["premium_old"], row["premium_new"]) == (premium(row["old"], line), premium(row["new"], line))


def test_business_email_file(db: Session, w: World) -> None:
    _, data = collective.template(db, w.hr, w.scheme_id, "business_email", None, "en", today=TODAY)
    rows = rows_of(data)
    assert rows[0][4] == "Business e-mail"
    rows[1][4] = "Gijs.Nieuw@Noordkade-Logistiek.example"
    rows[2][4] = "geen adres"
    bad = _validated(db, w, workbook(rows), "business_email")
    assert bad.status == "rejected" and [(i["row"], i["column"], i["key"]) for i in json.loads(bad.report)] == [
        (3, "E", "email_invalid")
    ]
    rows[2][4] = None
    good = _validated(db, w, workbook(rows), "business_email")
    assert good.status == "ready" and good.rows_changed == 1, good.report
    collective.confirm(db, w.hr, good.id)
    db.commit()
    assert collective.run_apply(good.id or 0, today=TODAY) == "processed"
    db.expire_all()
    person = db.get(Person, participation(db, w.scheme_id, "100001").person_id)
    assert person is not None and person.business_email == "gijs.nieuw@noordkade-logistiek.example"


# ---------------------------------------------------------------------------- BULK-2 new participants
def _new_rows(db: Session, w: World) -> list[list[object]]:
    _, data = collective.template(db, w.hr, w.scheme_id, "new_participants", None, "nl", today=TODAY)
    return rows_of(data)


def test_new_participants_example_row_must_go(db: Session, w: World) -> None:
    rows = _new_rows(db, w)
    assert rows[1][4] == "Voorbeeld"
    rows.append(["123456782", "P.", "Piet", "", "Nieuw", date(1990, 5, 5), "M", date(2026, 9, 1), 45000, 100, ""])
    batch = _validated(db, w, workbook(rows), "new_participants")
    assert batch.status == "rejected" and _keys(batch) == ["example_row"]


def test_new_participants_with_different_start_dates(db: Session, w: World) -> None:
    header = _new_rows(db, w)[0]
    rows = [
        header,
        ["123456782", "P.", "Piet", "", "Nieuw", date(1990, 5, 5), "M", date(2026, 8, 1), 45000, 100, ""],
        ["111222333", "A.", "Anna", "de", "Vries", "12-03-1985", "V", "2027-02-01", "38.500,00", "80", "a@b.nl"],
    ]
    too_early = [*rows, ["010000008", "K.", "", "", "Te Vroeg", date(1980, 1, 1), "M", date(2026, 7, 31), 1, 1, ""]]
    rejected = _validated(db, w, workbook(too_early), "new_participants")
    assert [(i["row"], i["column"], i["key"]) for i in json.loads(rejected.report)] == [(4, "H", "date_too_far_back")]
    batch = _validated(db, w, workbook(rows), "new_participants")
    assert batch.status == "ready", batch.report
    collective.confirm(db, w.hr, batch.id)
    db.commit()
    assert collective.run_apply(batch.id or 0, today=TODAY) == "processed"
    db.expire_all()
    added = db.exec(select(Mutation).where(Mutation.batch_id == batch.id).order_by(col(Mutation.id))).all()
    assert [m.effective_date for m in added] == [date(2026, 8, 1), date(2027, 2, 1)]
    anna = db.exec(select(Person).where(Person.bsn == "111222333")).one()
    assert (anna.name_prefix, anna.last_name, anna.birth_date) == ("de", "Vries", date(1985, 3, 12))


def test_collective_change_is_slotted_before_a_later_individual_change(db: Session, w: World) -> None:
    """MUT-3 in a batch: a change planned for later keeps its own field; the batch's field carries on."""
    part = participation(db, w.scheme_id, "100001")
    mut.submit_salary_parttime(db, w.hr, part.id, "2027-01-01", "60000", "", part.version, today=TODAY)
    db.commit()
    rows = salary_template(db, w)
    batch = _validated(db, w, workbook(fill(rows, {"100001": (None, 80)})))
    collective.confirm(db, w.hr, batch.id)
    db.commit()
    assert collective.run_apply(batch.id or 0, today=TODAY) == "processed"
    db.expire_all()
    live = db.exec(
        select(EmploymentVersion)
        .where(EmploymentVersion.employment_id == part.employment_id, col(EmploymentVersion.superseded_at).is_(None))
        .order_by(col(EmploymentVersion.valid_from))
    ).all()
    assert [(v.valid_from, v.valid_to, v.salary, v.parttime_pct) for v in live[-3:]] == [
        (date(2026, 1, 1), EFFECTIVE, Decimal("52242.28"), Decimal("100.000")),
        (EFFECTIVE, date(2027, 1, 1), Decimal("52242.28"), Decimal("80.000")),
        (date(2027, 1, 1), None, Decimal("60000.00"), Decimal("80.000")),
    ]


def _live(db: Session, employment_id: int) -> list[tuple]:
    rows = db.exec(
        select(EmploymentVersion)
        .where(EmploymentVersion.employment_id == employment_id, col(EmploymentVersion.superseded_at).is_(None))
        .order_by(col(EmploymentVersion.valid_from))
    ).all()
    return [(v.valid_from, v.valid_to, v.salary, v.parttime_pct) for v in rows]


def test_set_based_apply_gives_what_slot_change_plans(db: Session, w: World) -> None:
    """The staged lines are applied in SQL for open-ended versions and by ``slot_change`` otherwise: for a
    version starting on the date itself, one with a later change, and a plain one, the live versions after
    the batch are exactly the domain's plan; the staged lines are gone afterwards."""
    from datetime import UTC, datetime

    from portal.domain.effective import Version, apply_plan, as_of, slot_change
    from portal.models import BatchLine

    rows = salary_template(db, w)
    on_date, later, plain = "100001", str(rows[2][0]), str(rows[3][0])
    parts = {n: participation(db, w.scheme_id, n) for n in (on_date, later, plain)}
    mut.submit_salary_parttime(
        db, w.hr, parts[on_date].id, EFFECTIVE.isoformat(), "60000", "", parts[on_date].version, today=TODAY
    )
    mut.submit_salary_parttime(db, w.hr, parts[later].id, "2027-01-01", "70000", "", parts[later].version, today=TODAY)
    db.commit()
    changes = {
        on_date: {"parttime_pct": Decimal("80.000")},
        later: {"salary": Decimal("61000.00")},
        plain: {"salary": Decimal("62000.00"), "parttime_pct": Decimal("90.000")},
    }
    now = datetime.now(UTC)
    expected, old = {}, {}
    for number, change in changes.items():
        live = _live(db, parts[number].employment_id)
        before = [Version(a, b, now, {"salary": s, "parttime_pct": p}) for a, b, s, p in live]
        after = apply_plan(before, slot_change(before, EFFECTIVE, change, now))
        expected[number] = [(v.valid_from, v.valid_to, v.values["salary"], v.values["parttime_pct"]) for v in after]
        cover = as_of(before, EFFECTIVE)
        assert cover is not None
        old[number] = cover.values
    fills = {on_date: (None, 80), later: (61000, None), plain: (62000, 90)}
    batch = _validated(db, w, workbook(fill(salary_template(db, w), fills)))
    assert batch.status == "ready", batch.report
    staged = db.exec(select(BatchLine).where(BatchLine.batch_id == batch.id).order_by(col(BatchLine.seq))).all()
    assert [(b.participation_id, b.simple) for b in staged] == [
        (parts[on_date].id, True),
        (parts[later].id, False),  # a later version: re-applied on top by slot_change
        (parts[plain].id, True),
    ]
    collective.confirm(db, w.hr, batch.id)
    db.commit()
    assert collective.run_apply(batch.id or 0, today=TODAY) == "processed"
    db.expire_all()
    for number in changes:
        assert _live(db, parts[number].employment_id) == expected[number], number
    assert db.exec(select(func.count()).where(BatchLine.batch_id == batch.id)).one() == 0
    mutations = db.exec(select(Mutation).where(Mutation.batch_id == batch.id).order_by(col(Mutation.id))).all()
    assert [(m.participation_id, json.loads(m.old_values), json.loads(m.new_values)) for m in mutations] == [
        (parts[on_date].id, {"parttime": str(old[on_date]["parttime_pct"])}, {"parttime": "80.000"}),
        (parts[later].id, {"salary": str(old[later]["salary"])}, {"salary": "61000.00"}),
        (
            parts[plain].id,
            {"salary": str(old[plain]["salary"]), "parttime": str(old[plain]["parttime_pct"])},
            {"salary": "62000.00", "parttime": "90.000"},
        ),
    ]
    assert old[on_date]["salary"] == Decimal("60000.00")  # the version that starts on the date itself


def test_apply_uses_the_checked_lines_only_while_nothing_changed(db: Session, w: World) -> None:
    """Nothing changed since validation: the staged lines are applied without the file. A change in between
    (here elsewhere at the employer): every row is read and checked again, so a missing file now fails."""
    rows = salary_template(db, w)
    quiet = _validated(db, w, workbook(fill(rows, {"100001": (55000, None)})))
    files.stored_path("uploads", quiet.stored_name).unlink()
    collective.confirm(db, w.hr, quiet.id)
    db.commit()
    assert collective.run_apply(quiet.id or 0, today=TODAY) == "processed"
    assert _salary_on(db, w, "100001", EFFECTIVE) == Decimal("55000.00")

    changed = _validated(db, w, workbook(fill(salary_template(db, w), {"100001": (56000, None)})))
    assert changed.status == "ready", changed.report
    files.stored_path("uploads", changed.stored_name).unlink()
    second = participation(db, w.scheme_id, str(rows[2][0]))
    mut.submit_salary_parttime(db, w.hr, second.id, EFFECTIVE.isoformat(), "58000", "", second.version, today=TODAY)
    db.commit()
    collective.confirm(db, w.hr, changed.id)
    db.commit()
    assert collective.run_apply(changed.id or 0, today=TODAY) == "failed"
    db.expire_all()
    assert _keys(db.get(Batch, changed.id)) == ["file_missing"]  # type: ignore[arg-type]
    assert _salary_on(db, w, "100001", EFFECTIVE) == Decimal("55000.00")


def _salary_on(db: Session, w: World, number: str, day: date) -> Decimal:
    terms = [t for t in _live(db, participation(db, w.scheme_id, number).employment_id) if t[0] <= day]
    return terms[-1][2]


def test_retroactive_raise_shows_in_the_overview_at_once(db: Session, w: World) -> None:
    """An effective date on or before today: the overview's rows are recomputed in the same transaction
    (not only marked due), and hold exactly what a rebuild gives."""
    scheme = db.get(Scheme, w.scheme_id)
    assert scheme is not None
    scheme.retro_review_months = 3
    db.add(scheme)
    db.commit()
    batch = collective.submit_raise(db, w.hr, w.scheme_id, "2026-10-01", "10", today=TODAY)
    db.commit()
    assert collective.run_apply(batch.id or 0, today=TODAY) == "processed"
    db.expire_all()
    assert _salary_of(db, w, "100001") == Decimal("57466.51")  # 52,242.28 × 1.10, shown today
    rows = db.exec(select(ParticipantListRow).order_by(col(ParticipantListRow.participation_id))).all()
    applied = [tuple(sorted(r.model_dump().items())) for r in rows]
    plist.refresh_all(db, w.employer_id, TODAY)
    db.commit()
    db.expire_all()
    rebuilt = db.exec(select(ParticipantListRow).order_by(col(ParticipantListRow.participation_id))).all()
    assert [tuple(sorted(r.model_dump().items())) for r in rebuilt] == applied
