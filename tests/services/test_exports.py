"""Participant export as of a date (EMP-5): the request (scope, role, date), the job (values as of the date,
typed cells, formula neutralisation, once only, through the real huey consumer) and the signed download."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import time_machine
from python_calamine import CalamineWorkbook
from sqlalchemy import func
from sqlmodel import Session, col, select

from portal.core.xlsx import safe_text
from portal.domain.roles import Perm
from portal.jobs.consumer import InProcessConsumer
from portal.jobs.queue import get_huey
from portal.models import AuditEvent, ExportFile, Participation, Person, Scheme
from portal.services import files
from portal.services import mutations as mut
from portal.services.errors import FieldError
from portal.services.exports import participant_file as exports
from portal.services.participants import read_table as plist
from portal.services.principal import NoAccess, Principal
from tests.services.employer_fixtures import (
    assert_link_denied,
    audit_of,
    demo_employer,
    foreign_tenant,
    participation_of,
    principal_of,
    schemes_of,
)

TODAY = date(2026, 11, 1)  # the demo data is fixed as of this day
HEADER = 3  # 1-based row of the column headers (title, subtitle, headers)


@dataclass
class Demo:
    db: Session
    employer_id: int
    op: Scheme
    np: Scheme
    hr: Principal
    finance: Principal
    part: Participation  # participant 100001 (Gijs ter Assob) in OP


@pytest.fixture
def demo(db: Session, demo_data: None) -> Iterator[Demo]:
    get_huey().flush()  # no job of an earlier test is left in the queue
    employer = demo_employer(db)
    schemes = schemes_of(db, employer.id)
    part = participation_of(db, schemes["OP"])
    hr = principal_of(db, "employer.hr")
    finance = principal_of(db, "employer.finance")
    yield Demo(db, employer.id or 0, schemes["OP"], schemes["NP"], hr, finance, part)
    get_huey().flush()
    for leftover in files.folder("exports").iterdir():
        leftover.unlink()


def request(d: Demo, as_of: object = "2026-11-01", language: str = "nl", who: Principal | None = None) -> int:
    export = exports.request_export(d.db, who or d.hr, str(d.op.id), as_of, language, today=TODAY)
    d.db.commit()
    return export.id or 0


def built(d: Demo, **kw: Any) -> ExportFile:
    """Request an export and run its job in this process; the finished row."""
    export_id = request(d, **kw)
    assert exports.run_export(export_id) is True
    d.db.expire_all()
    export = d.db.get(ExportFile, export_id)
    assert export is not None and export.status == "ready", export
    return export


def path_of(export: ExportFile) -> Path:
    return files.stored_path("exports", export.stored_name)


def sheet_rows(export: ExportFile) -> tuple[Any, dict[str, list[Any]]]:
    """The worksheet (openpyxl) and its data rows by participant number (values as typed in the file)."""
    book = openpyxl.load_workbook(path_of(export), read_only=False)
    ws = book.active
    rows = {}
    for row in ws.iter_rows(min_row=HEADER + 1):
        rows[row[0].value] = list(row)
    return ws, rows


def stored_files() -> list[Path]:
    return sorted(files.folder("exports").iterdir())


def counts(db: Session) -> tuple[int, int, int]:
    db.expire_all()
    return (
        db.exec(select(func.count()).select_from(ExportFile)).one(),
        db.exec(select(func.count()).select_from(AuditEvent)).one(),
        get_huey().pending_count(),
    )


# ------------------------------------------------------------------------------------------- the request
def test_request_is_recorded_audited_and_queued_after_commit(demo: Demo) -> None:
    before = get_huey().pending_count()
    export = exports.request_export(demo.db, demo.hr, str(demo.op.id), "01-06-2025", "en", today=TODAY)
    assert get_huey().pending_count() == before  # not before the commit: a worker must see the row
    demo.db.commit()
    assert get_huey().pending_count() == before + 1
    assert (export.status, export.as_of, export.language) == ("queued", date(2025, 6, 1), "en")
    assert export.requested_by == demo.hr.user_id and export.requested_by_name == "Hanna de Vries"
    assert export.file_name == "participants-OP-01-2025-06-01.xlsx"
    (event,) = audit_of(demo.db, "export.requested")
    assert event.object_id == str(export.id) and event.employer_id == demo.employer_id
    assert json.loads(event.detail)["as_of"] == "2025-06-01"


@pytest.mark.parametrize(
    ("value", "key"),
    [
        ("", "date_required"),
        ("31-02-2026", "date_invalid"),
        ("morgen", "date_invalid"),
        ({"as_of": "2026-01-01"}, "date_invalid"),
        ("2027-02-02", "date_too_far_ahead"),  # TODAY + 3 months + 1 day
    ],
)
def test_a_bad_date_is_refused_at_the_field_and_writes_nothing(demo: Demo, value: object, key: str) -> None:
    before = counts(demo.db)
    with pytest.raises(FieldError) as err:
        exports.request_export(demo.db, demo.hr, str(demo.op.id), value, "nl", today=TODAY)
    demo.db.commit()
    assert (err.value.field, err.value.key) == ("as_of", key)
    assert counts(demo.db) == before and stored_files() == []


def test_past_dates_and_up_to_three_months_ahead_are_allowed(demo: Demo) -> None:
    for value in ("1990-01-01", "2027-02-01"):
        exports.request_export(demo.db, demo.hr, str(demo.op.id), value, "nl", today=TODAY)
    demo.db.commit()
    assert len(demo.db.exec(select(ExportFile)).all()) == 2


def test_another_employer_finance_and_bad_ids_are_refused(demo: Demo) -> None:
    _, foreign_scheme, foreign = foreign_tenant(demo.db)
    before = counts(demo.db)
    for who, scheme_id, reason in (
        (foreign, demo.op.id, "out_of_scope"),  # another employer's user, our scheme
        (demo.hr, foreign_scheme.id, "out_of_scope"),  # our user, another employer's scheme
        (demo.finance, demo.op.id, "missing_role"),  # finance lacks Perm.EXPORT
        (viewer(demo), demo.op.id, "missing_role"),  # seeing participants is not enough to export them
        (None, demo.op.id, "not_signed_in"),
        (demo.hr, "1 OR 1=1", "bad_id"),
    ):
        for call in (
            lambda w=who, s=scheme_id: exports.request_export(demo.db, w, s, "2026-01-01", "nl", today=TODAY),
            lambda w=who, s=scheme_id: exports.export_history(demo.db, w, s),
        ):
            with pytest.raises(NoAccess) as err:
                call()
            assert err.value.reason == reason
    demo.db.commit()
    assert counts(demo.db) == before


def viewer(d: Demo) -> Principal:
    """A principal of the demo employer that may see participants but holds no Perm.EXPORT."""
    return replace(d.hr, perms=frozenset({Perm.PARTICIPANTS_VIEW, Perm.SCHEME_VIEW}))


# -------------------------------------------------------------------------------------------- the file
def test_export_as_of_a_past_date_shows_the_salary_valid_then(demo: Demo) -> None:
    m = mut.submit_salary_parttime(
        demo.db,
        demo.hr,
        demo.part.id,
        effective="2027-01-01",
        salary="60.000,00",
        parttime="80",
        expected_version=demo.part.version,
        today=TODAY,
    )
    demo.db.commit()
    assert m.status == "processed"
    expected = {
        "2025-06-01": (50476.12, 100.0),
        "2026-11-01": (52242.28, 100.0),
        "2027-01-15": (60000.0, 80.0),
    }
    for day, (salary, parttime) in expected.items():
        _, rows = sheet_rows(built(demo, as_of=day))
        row = rows["100001"]
        assert (row[5].value, row[6].value) == (salary, parttime), day


def test_values_are_typed_formatted_and_localised(demo: Demo) -> None:
    export = built(demo, as_of="2026-11-01")
    ws, rows = sheet_rows(export)
    assert ws.title == "Deelnemers"
    assert "Noordkade Logistiek B.V." in ws["A1"].value and "peildatum 01-11-2026" in ws["A1"].value
    headers = [c.value for c in ws[HEADER]]
    assert headers == [
        "Deelnemernummer",
        "Naam",
        "BSN",
        "Geboortedatum",
        "Datum in dienst",
        "Fulltime salaris (€)",
        "Parttime %",
        "Status",
        "Datum uit dienst",
    ]
    number, name, bsn, birth, in_service, salary, parttime, status, exit_date = rows["100001"]
    person = demo.db.get(Person, demo.part.person_id)
    assert (number.value, number.data_type) == ("100001", "s")
    assert name.value == "Assob, G., ter"
    assert (bsn.value, bsn.data_type) == (person.bsn, "s")  # text: a BSN may start with 0
    assert (birth.value, birth.number_format) == (datetime(1986, 4, 17), "dd-mm-yyyy")
    assert in_service.value == datetime(2021, 3, 1) and in_service.is_date
    assert (salary.value, salary.number_format) == (52242.28, "#,##0.00")
    assert (parttime.value, parttime.number_format) == (100.0, "0.000")
    assert status.value == "Actief" and exit_date.value is None
    # Every participation of the scheme that had started by then is there, and nothing else.
    started = demo.db.exec(
        select(func.count())
        .select_from(Participation)
        .where(Participation.scheme_id == demo.op.id, Participation.start_date <= date(2026, 11, 1))
    ).one()
    assert export.rows == started == len(rows)
    assert export.size_bytes == path_of(export).stat().st_size
    # A dormant participant: status in words and the exit date as a date.
    dormant = demo.db.exec(
        select(Participation).where(
            Participation.scheme_id == demo.op.id,
            Participation.status == "dormant",
            col(Participation.end_date) < date(2026, 11, 1),
        )
    ).first()
    assert dormant is not None
    row = rows[dormant.participant_number]
    assert row[7].value == "Slaper" and row[8].value == datetime.combine(dormant.end_date, datetime.min.time())


def test_english_export_has_english_headers_and_dates(demo: Demo) -> None:
    export = built(demo, as_of="2025-01-31", language="en")
    ws, rows = sheet_rows(export)
    assert ws.title == "Participants" and "as of 31/01/2025" in ws["A1"].value
    assert [c.value for c in ws[HEADER]][:2] == ["Participant number", "Name"]
    assert rows["100001"][3].number_format == "dd/mm/yyyy" and rows["100001"][7].value == "Active"
    # The same file read by calamine (what the upload side uses): dates come back as dates.
    sheet = CalamineWorkbook.from_path(str(path_of(export))).get_sheet_by_index(0).to_python()
    assert sheet[HEADER - 1][0] == "Participant number"
    mine = next(r for r in sheet[HEADER:] if r[0] == "100001")
    assert mine[1] == "Assob, G., ter" and mine[3] == date(1986, 4, 17) and mine[5] == 50476.12


def test_formula_like_names_are_neutralised(demo: Demo) -> None:
    evil = {
        '=HYPERLINK("http://evil.example","klik")': "100002",
        "+31612345678": "100003",
        "-2+3": "100004",
        "@SUM(A1:A2)": "100005",
    }
    for last_name, number in evil.items():
        part = demo.db.exec(
            select(Participation).where(
                Participation.scheme_id == demo.op.id, Participation.participant_number == number
            )
        ).one()
        person = demo.db.get(Person, part.person_id)
        person.last_name, person.name_prefix, person.initials = last_name, "", "X."
        demo.db.add(person)
        demo.db.flush()
        plist.refresh_person(demo.db, person.id or 0, TODAY)
    demo.db.commit()
    export = built(demo, as_of="2026-11-01")
    ws, rows = sheet_rows(export)
    for last_name, number in evil.items():
        cell = rows[number][1]
        assert cell.data_type == "s" and cell.value == f"'{last_name}, X.", number
    assert not any(c.data_type == "f" for row in ws.iter_rows() for c in row)  # no formula anywhere
    assert safe_text("Jansen") == "Jansen" and safe_text("=1") == "'=1"
    assert safe_text("\tX") == "'\tX" and safe_text("\rX") == "'\rX"  # names are trimmed


# ------------------------------------------------------------------------------------------------ the job
def test_a_job_run_twice_writes_once(demo: Demo) -> None:
    export_id = request(demo)
    assert exports.run_export(export_id) is True
    first = stored_files()
    assert exports.run_export(export_id) is False
    assert stored_files() == first and len(first) == 1
    assert len(audit_of(demo.db, "export.generated")) == 1


def test_two_workers_at_once_write_one_file(demo: Demo) -> None:
    export_id = request(demo)
    results: list[bool] = []
    threads = [threading.Thread(target=lambda: results.append(exports.run_export(export_id))) for _ in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert sorted(results) == [False, False, False, True]
    assert len(stored_files()) == 1 and len(audit_of(demo.db, "export.generated")) == 1


def test_a_failing_export_is_marked_failed_and_leaves_no_file(demo: Demo, monkeypatch: pytest.MonkeyPatch) -> None:
    export_id = request(demo)

    def broken(*_args: object) -> int:
        raise RuntimeError("disk full")

    monkeypatch.setattr(exports, "write_export", broken)
    assert exports.run_export(export_id) is False
    demo.db.expire_all()
    export = demo.db.get(ExportFile, export_id)
    assert export.status == "failed" and export.message == "export.failed_message" and export.finished_at
    assert stored_files() == []


def test_the_job_runs_in_the_real_huey_consumer(demo: Demo) -> None:
    consumer = InProcessConsumer(get_huey(), workers=1, worker_type="thread", periodic=False)
    consumer.start()
    try:
        export_id = request(demo, as_of="2026-11-01")
        deadline = time.monotonic() + 60
        status = "queued"
        while time.monotonic() < deadline:
            demo.db.expire_all()
            status = demo.db.get(ExportFile, export_id).status
            if status in ("ready", "failed"):
                break
            time.sleep(0.2)
    finally:
        consumer.stop(graceful=True)
    assert status == "ready"
    assert exports.pending(demo.db, demo.hr, demo.op.id) is False
    _, rows = sheet_rows(demo.db.get(ExportFile, export_id))
    assert rows["100001"][1].value == "Assob, G., ter"


# --------------------------------------------------------------------------------------- history, download
def test_history_is_newest_first_with_links_for_ready_files(demo: Demo) -> None:
    first = built(demo, as_of="2025-01-01")
    second_id = request(demo, as_of="2026-01-01")
    exports.request_export(demo.db, demo.hr, str(demo.np.id), "2026-01-01", "nl", today=TODAY)  # other scheme
    demo.db.commit()
    history = exports.export_history(demo.db, demo.hr, demo.op.id)
    assert [h.id for h in history] == [second_id, first.id]
    assert history[0].status == "queued" and history[0].link == ""
    assert history[1].link.startswith("/files/") and history[1].rows == first.rows
    assert exports.pending(demo.db, demo.hr, demo.op.id) is True
    served = files.serve(demo.db, demo.hr, history[1].link.removeprefix("/files/"))
    assert served.path == path_of(first) and served.download_name == "deelnemers-OP-01-2025-01-01.xlsx"
    assert served.media_type == files.XLSX
    demo.db.commit()
    assert len(audit_of(demo.db, "file.downloaded")) == 1


def _denied(demo: Demo, principal: Principal | None, token: str, reason: str) -> None:
    assert_link_denied(demo.db, principal, token, reason)
    assert audit_of(demo.db, "file.downloaded") == []


def test_links_of_another_user_tampered_or_expired_are_refused_and_audited(demo: Demo) -> None:
    export = built(demo)
    token = files.link(demo.hr, "export", export.id or 0).removeprefix("/files/")
    other_hr = principal_of(demo.db, "adviser")  # a real other user whose scope holds this employer
    _denied(demo, other_hr, token, "link_of_other_user")
    _denied(demo, None, token, "not_signed_in")
    tampered = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    _denied(demo, demo.hr, tampered, "link_invalid")
    _denied(demo, demo.hr, "garbage", "link_invalid")
    with time_machine.travel(datetime.now(UTC) - timedelta(minutes=files.LINK_MINUTES + 1), tick=False):
        old = files.link(demo.hr, "export", export.id or 0).removeprefix("/files/")
    _denied(demo, demo.hr, old, "link_expired")


def test_the_resolver_checks_scope_and_role_again(demo: Demo) -> None:
    export = built(demo)
    _, _, foreign = foreign_tenant(demo.db)
    # A link the foreign user made for themselves, naming our export: their scope does not hold it.
    _denied(demo, foreign, token_for(foreign, export.id or 0), "out_of_scope")
    _denied(demo, demo.finance, token_for(demo.finance, export.id or 0), "missing_role")
    _denied(demo, viewer(demo), token_for(viewer(demo), export.id or 0), "missing_role")
    queued = request(demo)
    _denied(demo, demo.hr, token_for(demo.hr, queued), "not_found")


def token_for(principal: Principal, export_id: int) -> str:
    return files.link(principal, "export", export_id).removeprefix("/files/")
