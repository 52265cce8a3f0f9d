"""The bulk employer generator used for benchmarks (``portal generate-employer``)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Table, func
from sqlalchemy.engine import Connection
from sqlmodel import Session, col, select
from typer.testing import CliRunner

from portal.demo import basics as demo_basics
from portal.demo.seed import generate_employer
from portal.domain.identifiers import is_valid_bsn
from portal.models import Employer, Employment, EmploymentVersion, Participation, Person, Scheme, UserAccount


def test_generate_employer_creates_participants(db: Session) -> None:
    employer_id = generate_employer(db, 2000, name="Bench B.V.")
    employer = db.get(Employer, employer_id)
    assert employer is not None and employer.name == "Bench B.V."
    op = db.exec(select(Scheme).where(Scheme.employer_id == employer_id, Scheme.kind == "OP")).one()
    op_count = db.exec(select(func.count()).select_from(Participation).where(Participation.scheme_id == op.id)).one()
    assert op_count == 2000
    assert db.exec(select(func.count()).select_from(Person)).one() == 2000
    assert db.exec(select(func.count()).select_from(Employment)).one() == 2000
    versions = db.exec(select(func.count(func.distinct(EmploymentVersion.employment_id)))).one()
    assert versions == 2000
    bsns = db.exec(select(Person.bsn)).all()
    assert all(is_valid_bsn(b) for b in bsns) and len(set(bsns)) == 2000


def test_generate_twice_with_the_same_seed_keeps_bsns_unique(db: Session) -> None:
    first = generate_employer(db, 300, seed=7)
    second = generate_employer(db, 300, seed=7)
    assert first != second
    bsns = db.exec(select(Person.bsn)).all()
    assert len(bsns) == 600 and len(set(bsns)) == 600
    numbers = db.exec(
        select(Participation.participant_number)
        .where(Participation.employer_id == second)
        .order_by(col(Participation.id))
    ).all()
    assert numbers[0] == "100001"


def test_generated_bsns_avoid_numbers_already_in_use(db: Session) -> None:
    from datetime import UTC, date, datetime

    from portal.domain.identifiers import make_bsn

    taken = make_bsn(2)  # what the generator would give the next person (id 2)
    db.add(Person(bsn=taken, last_name="Eerder", birth_date=date(1980, 1, 1), created_at=datetime.now(UTC)))
    db.commit()
    generate_employer(db, 50)
    bsns = db.exec(select(Person.bsn)).all()
    assert len(bsns) == 51 and len(set(bsns)) == 51 and bsns.count(taken) == 1
    assert all(is_valid_bsn(b) for b in bsns)


def test_a_failed_generation_leaves_nothing_behind(db: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = {"participation": 0}
    real = demo_basics.bulk_insert

    def failing(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
        if table.name == "participation":
            calls["participation"] += 1
            if calls["participation"] == 2:
                raise RuntimeError("disk full")
        real(conn, table, rows)

    monkeypatch.setattr(demo_basics, "bulk_insert", failing)
    with pytest.raises(RuntimeError, match="disk full"):
        generate_employer(db, demo_basics.CHUNK + 10)
    db.rollback()
    for model in (Employer, Person, Employment, Participation):
        assert db.exec(select(func.count()).select_from(model)).one() == 0


def test_cli_generate_employer_and_setup(db: Session) -> None:
    from portal.cli import app

    runner = CliRunner()
    result = runner.invoke(app, ["generate-employer", "--participants", "40", "--name", "Cli B.V."])
    assert result.exit_code == 0, result.output
    assert "employer_id=" in result.output and "seconds=" in result.output
    assert db.exec(select(Employer.name)).all() == ["Cli B.V."]
    result = runner.invoke(app, ["setup"])  # not empty any more: no demo data
    assert result.exit_code == 0, result.output
    assert "not loaded" in result.output
    assert db.exec(select(func.count()).select_from(UserAccount)).one() == 0


def test_cli_seed_loads_demo_data_once(db: Session) -> None:
    from portal.cli import app

    runner = CliRunner()
    first = runner.invoke(app, ["seed"])
    assert first.exit_code == 0, first.output
    assert "persons" in first.output and "new.hr@" in first.output
    second = runner.invoke(app, ["seed"])
    assert second.exit_code == 0 and "not loaded" in second.output
    assert db.exec(select(func.count()).select_from(Employer)).one() == 4


def test_cli_setup_without_demo_creates_no_demo_accounts(db: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    """A production set-up: an empty database is migrated and stays empty (no published passwords)."""
    from portal.cli import app
    from portal.core.config import get_settings

    monkeypatch.delenv("PORTAL_DEMO", raising=False)
    get_settings.cache_clear()
    runner = CliRunner()
    for args in (["setup"], ["setup", "--no-demo"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
        assert "demo data not loaded" in result.output
    monkeypatch.setenv("PORTAL_DEMO", "1")
    get_settings.cache_clear()
    try:
        result = runner.invoke(app, ["setup", "--no-demo"])  # the flag wins over the setting
    finally:
        monkeypatch.delenv("PORTAL_DEMO")
        get_settings.cache_clear()
    assert result.exit_code == 0 and "not loaded" in result.output
    assert db.exec(select(func.count()).select_from(UserAccount)).one() == 0
    assert db.exec(select(func.count()).select_from(Employer)).one() == 0


@pytest.mark.parametrize("how", ["flag", "setting"])
def test_cli_setup_loads_demo_data_when_asked(db: Session, monkeypatch: pytest.MonkeyPatch, how: str) -> None:
    from portal.cli import app
    from portal.core.config import get_settings

    if how == "setting":
        monkeypatch.setenv("PORTAL_DEMO", "1")
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["setup", "--demo"] if how == "flag" else ["setup"])
    finally:
        monkeypatch.delenv("PORTAL_DEMO", raising=False)
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert "Demo data loaded" in result.output
    assert db.exec(select(UserAccount).where(UserAccount.username == "employer.hr")).one().totp_secret
