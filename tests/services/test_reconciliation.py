"""Reconciliation against the insurer (INT-7) on the real database: the adviser's portfolio only (foreign ids
refused and audited), a report's totals read from the scheme as of a date, a difference turned into a task once,
the report's xlsx written and served; bad files refused with their reason and nothing stored. The upload goes
through the real route (Starlette's test client), which keeps the file for a reconciliation job; the job is run
here as the queue's worker runs it (``background.execute``)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from urllib.parse import quote

import pytest
from python_calamine import CalamineWorkbook
from sqlalchemy import func
from sqlmodel import Session, select
from starlette.testclient import TestClient

from portal.api.routes import SESSION_COOKIE, api
from portal.core import csrf
from portal.core.config import get_settings
from portal.core.xlsx import Sheet, write_workbook
from portal.domain.bulk import Column
from portal.i18n import t
from portal.models import JobRun, ReconciliationReport, Task, UserAccount
from portal.services import accounts, background, files, reconciliation
from portal.services.principal import NoAccess
from tests.services.employer_fixtures import audit_of, demo_employer, foreign_tenant, principal_of, schemes_of

URL = "/api/reconciliation/upload"
AS_OF = date(2026, 6, 1)
HEAD = ["Deelnemernummer", "BSN", "Geboortedatum", "Status", "Jaarsalaris", "Deeltijd %", "Jaarpremie"]


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(api, base_url=get_settings().base_url) as c:
        yield c


def _session(db: Session, username: str = "adviser") -> str:
    user = db.exec(select(UserAccount).where(UserAccount.username == username)).one()
    redeemed = accounts.redeem_ticket(db, *accounts.create_session(db, user.id or 0))
    assert redeemed is not None
    db.commit()
    return redeemed[0]


def _money(value: Decimal | None) -> str:
    return "" if value is None else f"{value:.2f}".replace(".", ",")  # Dutch decimal commas


def _insurer_rows(db: Session, scheme_id: int) -> tuple[list[list[str]], list]:
    """The insurer's list as it should be: every active participant as the portal has it."""
    scheme = schemes_of(db, demo_employer(db).id)["OP"]
    assert scheme.id == scheme_id
    records = [p for p in reconciliation.portal_records(db, scheme, AS_OF) if p.active]
    rows = [
        [p.number, p.bsn, p.birth_date.strftime("%d-%m-%Y"), "actief", _money(p.salary), str(p.parttime),
         _money(p.premium)]
        for p in records
    ]  # fmt: skip
    return rows, records


def _csv(rows: list[list[str]], head: list[str] = HEAD) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(head)
    writer.writerows(rows)
    return out.getvalue().encode()


def _post(client: TestClient, cookie: str, employer_id: object, scheme_id: object, data: bytes, name="lijst.csv",
          money: str = "1,00"):  # fmt: skip
    client.cookies.clear()
    client.cookies.set(SESSION_COOKIE, cookie)
    headers = {
        "Content-Type": "application/octet-stream",
        "X-File-Name": quote(name),
        "Origin": csrf.portal_origin(),
        csrf.HEADER: csrf.token_for(cookie),
    }
    params = {"employer": str(employer_id), "scheme": str(scheme_id), "as_of": AS_OF.isoformat(), "money": money}
    return client.post(URL, params=params, content=data, headers=headers)


def _reconciled(db: Session, answer) -> reconciliation.JobView:
    """The job the upload queued, run as the worker runs it, read back by the adviser."""
    assert answer.status_code == 202, answer.text
    job_id = answer.json()["job"]
    adviser = principal_of(db, "adviser")
    assert reconciliation.job(db, adviser, job_id).status == "queued"
    background.execute(job_id, "reconcile", reconciliation.reconcile_job)
    db.expire_all()
    view = reconciliation.job(db, adviser, job_id)
    assert view.status == "done" and view.percent == 100
    run = db.get(JobRun, job_id)
    assert run is not None and not (files.folder("uploads") / json.loads(run.args)["stored_name"]).exists()
    return view


def _reports(db: Session) -> tuple[int, list[str]]:
    db.expire_all()
    count = int(db.exec(select(func.count()).select_from(ReconciliationReport)).one())
    return count, sorted(p.name for p in files.folder("reports").iterdir())


def test_report_totals_task_and_xlsx(db: Session, demo_data: None, client: TestClient) -> None:
    employer = demo_employer(db)
    scheme = schemes_of(db, employer.id)["OP"]
    rows, records = _insurer_rows(db, scheme.id or 0)
    assert len(records) > 20
    rows[0][4] = _money(records[0].salary + Decimal("1.01"))  # beyond the € 1.00 tolerance
    rows[1][4] = _money(records[1].salary + Decimal("1.00"))  # at it: no difference
    rows[2][5] = str(records[2].parttime - Decimal("10"))
    rows[3][3] = "uit dienst"  # ended at the insurer, active in the portal
    missing = rows.pop(4)  # active in the portal, unknown to the insurer
    rows.append(["X-1", "123456782", "01-01-1980", "actief", "40000", "100", "3000"])  # unknown in the portal
    exited = next(p for p in reconciliation.portal_records(db, scheme, AS_OF) if not p.active)
    rows.append([exited.number, exited.bsn, exited.birth_date.isoformat(), "actief", "40000", "100", "3000"])
    cookie = _session(db)
    answer = _post(client, cookie, employer.id, scheme.id, _csv(rows))
    report_id = _reconciled(db, answer).report_id
    adviser = principal_of(db, "adviser")
    view = reconciliation.report(db, adviser, report_id)
    counts = view.totals["counts"]
    assert counts["salary"] == 1 and counts["parttime"] == 1 and counts["ended_at_insurer"] == 1
    assert counts["unknown_at_insurer"] == 1 and counts["insured_unknown"] == 1 and counts["insured_exited"] == 1
    assert view.differences == 6 == view.shown
    assert Decimal(view.totals["deltas"]["salary"]) == Decimal("1.01")
    assert view.insurer_rows == len(rows) and view.as_of == AS_OF
    unknown = [r for r in view.rows if r.kind == "unknown_at_insurer"]
    assert unknown[0].number == missing[0]
    only_salary = reconciliation.report(db, adviser, report_id, kind="salary")
    assert [r.number for r in only_salary.rows] == [records[0].number]

    # a difference becomes a task in the adviser's list, once
    salary_row = only_salary.rows[0]
    task_id = reconciliation.to_task(db, adviser, salary_row.id, "nl")
    db.commit()
    assert reconciliation.to_task(db, adviser, salary_row.id, "nl") == task_id
    task = db.get(Task, task_id)
    assert task is not None and task.kind == "reconciliation" and task.assignee_id == adviser.user_id
    assert task.participation_id == records[0].participation_id and records[0].number in task.title
    assert reconciliation.report(db, adviser, report_id, kind="salary").rows[0].task_id == task_id

    # the xlsx, through the signed link of this adviser
    served = files.serve(db, adviser, view.link.removeprefix("/files/"))
    sheet = CalamineWorkbook.from_path(str(served.path)).get_sheet_by_index(0).to_python()
    assert sheet[0][0] == "Soort verschil" and len(sheet) == 1 + 6
    assert {r[1] for r in sheet[1:]} >= {records[0].number, "X-1"}


def test_foreign_employer_or_scheme_refused_and_audited(db: Session, demo_data: None, client: TestClient) -> None:
    employer = demo_employer(db)
    scheme = schemes_of(db, employer.id)["OP"]
    other_employer, other_scheme, _ = foreign_tenant(db)
    rows, _records = _insurer_rows(db, scheme.id or 0)
    data = _csv(rows[:3])
    cookie = _session(db)
    before = _reports(db)
    for employer_id, scheme_id in ((other_employer.id, other_scheme.id), (employer.id, other_scheme.id)):
        denied = len(audit_of(db, "access.denied"))
        answer = _post(client, cookie, employer_id, scheme_id, data)
        assert answer.status_code == 403 and answer.json()["redirect"] == "/no-access"
        db.expire_all()
        events = audit_of(db, "access.denied")
        assert len(events) == denied + 1 and json.loads(events[-1].detail)["reason"] in ("other_office", "out_of_scope")
    assert _reports(db) == before
    # an employer user is no adviser; another office's adviser reaches neither the scheme nor a report
    hr = principal_of(db, "employer.hr")
    with pytest.raises(NoAccess):
        reconciliation.reconcile_rows(db, hr, employer.id, scheme.id, AS_OF, [])
    adviser = principal_of(db, "adviser")
    report_id = reconciliation.reconcile_rows(
        db, adviser, employer.id, scheme.id, AS_OF, [dict(zip(HEAD, rows[0], strict=True))]
    )
    db.commit()
    zuidas = principal_of(db, "adviser.zuidas")
    with pytest.raises(NoAccess):
        reconciliation.report(db, zuidas, report_id)
    first = reconciliation.report(db, adviser, report_id).rows[0]
    with pytest.raises(NoAccess):
        reconciliation.to_task(db, zuidas, first.id)
    view = reconciliation.report(db, adviser, report_id)
    with pytest.raises(NoAccess):
        files.serve(db, zuidas, view.link.removeprefix("/files/"))


def _xlsx_with_formula() -> bytes:
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    ws = book.add_worksheet()
    ws.write_row(0, 0, HEAD)
    ws.write_row(1, 0, ["100001", "123456782", "01-01-1980", "actief"])
    ws.write_formula(1, 4, "=1+1")
    book.close()
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        ("lijst.csv", _csv([["1", "123456782", "01-01-1980", "actief", "1", "100", "1"]], HEAD[:5]), "Ontbrekend"),
        ("lijst.csv", _csv([["1", "123456782", "01-01-1980", "actief", "=HYPERLINK(1)", "100", "1"]]), "formule"),
        ("lijst.xlsx", _xlsx_with_formula(), "formule"),
        ("lijst.pdf", b"%PDF-1.4 not a list", "geen xlsx- of csv"),
        ("lijst.xlsx", b"PK\x03\x04 broken zip", "geen xlsx- of csv"),
        ("lijst.csv", _csv([["1", "123456782", "01-01-1980", "actief", "veel", "100", "1"]]), "regel 2"),
        ("lijst.csv", b"", "leeg"),
    ],
)
def test_bad_files_refused_with_their_reason_nothing_stored(
    db: Session, demo_data: None, client: TestClient, name: str, data: bytes, says: str
) -> None:
    employer = demo_employer(db)
    scheme = schemes_of(db, employer.id)["OP"]
    cookie = _session(db)
    before = _reports(db)
    answer = _post(client, cookie, employer.id, scheme.id, data, name)
    if answer.status_code == 422:  # refused at once: empty, not xlsx or csv by its name and first bytes
        assert answer.json()["field"] == "file"
        message = answer.json()["error"]
    else:  # the rest is found by the job: its reason at the field, no report
        view = _reconciled(db, answer)
        assert view.report_id is None and view.at == "file"
        message = t(view.key, "nl", **view.params)
    assert says.lower() in message.lower()
    assert _reports(db) == before


def test_too_large_file_refused(db: Session, demo_data: None, client: TestClient) -> None:
    employer = demo_employer(db)
    scheme = schemes_of(db, employer.id)["OP"]
    cookie = _session(db)
    before = _reports(db)
    answer = _post(client, cookie, employer.id, scheme.id, b"x" * (20 * 1024 * 1024 + 1))
    assert answer.status_code == 413 and "20" in answer.json()["error"]
    assert _reports(db) == before


def test_xlsx_with_english_headers(db: Session, demo_data: None, client: TestClient) -> None:
    employer = demo_employer(db)
    scheme = schemes_of(db, employer.id)["OP"]
    rows, records = _insurer_rows(db, scheme.id or 0)
    head = ("Policy number", "BSN", "Date of birth", "Status", "Annual salary", "Part-time %", "Yearly premium")
    columns = [Column(f"c{i}", h, h) for i, h in enumerate(head)]
    data = write_workbook([Sheet("List", columns, [[*r[:4], *(x.replace(",", ".") for x in r[4:])] for r in rows])])
    answer = _post(client, _session(db), employer.id, scheme.id, data, "list.xlsx")
    view = reconciliation.report(db, principal_of(db, "adviser"), _reconciled(db, answer).report_id)
    assert view.differences == 0 and view.totals["matched"] == len(records)


@pytest.mark.parametrize(
    ("query", "field"),
    [({"money": "-1"}, "tolerance"), ({"parttime": "veel"}, "tolerance_pt"), ({"as_of": "31-02-2026"}, "as_of")],
)
def test_bad_date_or_tolerance_answered_at_its_field(
    db: Session, demo_data: None, client: TestClient, query: dict[str, str], field: str
) -> None:
    employer = demo_employer(db)
    scheme = schemes_of(db, employer.id)["OP"]
    rows, _records = _insurer_rows(db, scheme.id or 0)
    cookie = _session(db)
    client.cookies.clear()
    client.cookies.set(SESSION_COOKIE, cookie)
    headers = {"X-File-Name": "lijst.csv", "Origin": csrf.portal_origin(), csrf.HEADER: csrf.token_for(cookie)}
    params = {"employer": str(employer.id), "scheme": str(scheme.id), "as_of": AS_OF.isoformat(), **query}
    before = _reports(db)
    answer = client.post(URL, params=params, content=_csv(rows[:2]), headers=headers)
    assert answer.status_code == 422 and answer.json()["field"] == field
    assert _reports(db) == before
