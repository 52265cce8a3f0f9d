"""The alembic migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.engine import Connection
from sqlmodel import Session, SQLModel, select

import portal.models  # noqa: F401
from portal.core import migrate
from portal.core.db import get_engine
from portal.models import (
    BatchLine,
    Document,
    Employment,
    JobRun,
    Mutation,
    ParticipantListRow,
    Participation,
    Person,
    Relation,
    UserAccount,
)
from tests.conftest import _wipe


def test_migrated_schema_matches_the_models(database: str) -> None:
    with get_engine().connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, SQLModel.metadata)
    assert diff == [], f"models and migrations differ: {diff}"


def test_downgrade_and_upgrade_again(database: str) -> None:
    migrate.downgrade("base")
    migrate.upgrade()
    with get_engine().connect() as conn:
        context = MigrationContext.configure(conn)
        assert context.get_current_revision() == migrate.head()


def _insert(conn: Connection, tables: dict[str, sa.Table], table_name: str, **values: object) -> int:
    """Insert a row with ``values``; other required columns get a plain value of their type."""
    table = tables[table_name]
    for column in table.columns:
        if column.name in values or column.nullable or column.primary_key:
            continue
        kind = column.type.python_type
        values[column.name] = {str: "", int: 0, bool: False, date: date(2020, 1, 1), Decimal: Decimal("0")}.get(
            kind, datetime(2020, 1, 1, tzinfo=UTC)
        )
    result = conn.execute(sa.insert(table).values(**values))
    return result.inserted_primary_key[0] if result.inserted_primary_key else 0


def _shared_person_at_0006(conn: Connection) -> dict[str, int]:
    """A person employed at employers A (since 2015) and B (since 2021) with rows of each kind, and a person
    only at A, in the 0006 schema."""
    meta = sa.MetaData()
    meta.reflect(conn)
    t = dict(meta.tables)
    ids: dict[str, int] = {"insurer": _insert(conn, t, "insurer", code="x", name="X")}
    for e in ("a", "b"):
        ids[e] = _insert(conn, t, "employer", name=e.upper(), kvk_number="12345678")
        contract = _insert(conn, t, "contract", employer_id=ids[e], insurer_id=ids["insurer"], number=f"C-{e}")
        ids[f"scheme_{e}"] = _insert(
            conn, t, "scheme", contract_id=contract, employer_id=ids[e], kind="OP", number="01", name="OP"
        )
    person = {"bsn": "111222333", "last_name": "Gedeeld", "street": "Kade", "birth_date": date(1980, 1, 1)}
    ids["shared"] = _insert(conn, t, "person", **person)
    ids["single"] = _insert(conn, t, "person", bsn="123456782", last_name="Alleen", birth_date=date(1981, 1, 1))
    for who, e, start in (("shared", "a", date(2015, 1, 1)), ("shared", "b", date(2021, 1, 1)), ("single", "a", None)):
        emp = _insert(
            conn, t, "employment", person_id=ids[who], employer_id=ids[e], start_date=start or date(2019, 1, 1)
        )
        ids[f"employment_{who}_{e}"] = emp
        part = {"person_id": ids[who], "employment_id": emp, "scheme_id": ids[f"scheme_{e}"], "employer_id": ids[e]}
        ids[f"participation_{who}_{e}"] = _insert(conn, t, "participation", **part, participant_number=f"{who}{e}")
        if who == "shared":
            ids[f"mutation_{e}"] = _insert(conn, t, "mutation", employer_id=ids[e], person_id=ids[who], kind="exit")
            ids[f"document_{e}"] = _insert(conn, t, "document", employer_id=ids[e], person_id=ids[who])
            ids[f"list_{e}"] = _insert(
                conn, t, "participant_list", participation_id=ids[f"participation_{who}_{e}"], employer_id=ids[e],
                person_id=ids[who],
            )  # fmt: skip
            batch = _insert(conn, t, "batch", employer_id=ids[e], scheme_id=ids[f"scheme_{e}"])
            _insert(
                conn, t, "batch_line", batch_id=batch, seq=1, participation_id=0, employment_id=emp, person_id=ids[who]
            )
            ids[f"batch_{e}"] = batch
    for kind, bsn in (("partner", "999999990"), ("child", "999999991")):
        _insert(conn, t, "relation", person_id=ids["shared"], kind=kind, bsn=bsn, start_date=date(2010, 1, 1))
    # B entered the child (its change says so); the partner has no recorded change: it stays with A only
    _insert(
        conn, t, "mutation", employer_id=ids["b"], person_id=ids["shared"], kind="child",
        new_values='{"kind": "child", "bsn": "999999991"}',
    )  # fmt: skip
    ids["account"] = _insert(conn, t, "user_account", email="g@example.com", person_id=ids["shared"])
    return ids


def test_a_person_at_two_employers_is_split_into_a_record_per_employer(database: str) -> None:
    migrate.downgrade("0006")
    try:
        with get_engine().begin() as conn:
            ids = _shared_person_at_0006(conn)
        migrate.upgrade()
        with Session(get_engine()) as db:
            records = {p.employer_id: p for p in db.exec(select(Person).where(Person.bsn == "111222333")).all()}
            assert set(records) == {ids["a"], ids["b"]}
            kept, copy = records[ids["a"]], records[ids["b"]]
            assert kept.id == ids["shared"] and copy.id != ids["shared"]  # the earliest employment keeps it
            assert (copy.last_name, copy.street, copy.birth_date) == ("Gedeeld", "Kade", date(1980, 1, 1))
            assert db.get(Person, ids["single"]).employer_id == ids["a"]
            for e, record in (("a", kept), ("b", copy)):
                assert db.get(Employment, ids[f"employment_shared_{e}"]).person_id == record.id
                assert db.get(Participation, ids[f"participation_shared_{e}"]).person_id == record.id
                assert db.get(Mutation, ids[f"mutation_{e}"]).person_id == record.id
                assert db.get(Document, ids[f"document_{e}"]).person_id == record.id
                plist = db.exec(select(ParticipantListRow).where(ParticipantListRow.employer_id == ids[e])).one()
                assert plist.person_id == record.id
                line = db.exec(select(BatchLine).where(BatchLine.batch_id == ids[f"batch_{e}"])).one()
                assert line.person_id == record.id
            for record, expected in ((kept, [("partner", "999999990")]), (copy, [("child", "999999991")])):
                relations = db.exec(select(Relation).where(Relation.person_id == record.id)).all()
                assert sorted((r.kind, r.bsn) for r in relations) == expected, "each employer sees what it entered"
            assert db.get(UserAccount, ids["account"]).person_id == kept.id
        migrate.downgrade("0006")  # and back: one record per BSN again, its rows and relations merged
        with get_engine().connect() as conn:
            people = conn.execute(sa.text("SELECT id FROM person WHERE bsn = '111222333'")).scalars().all()
            assert people == [ids["shared"]]
            owners = conn.execute(sa.text("SELECT DISTINCT person_id FROM employment")).scalars().all()
            assert sorted(owners) == sorted([ids["shared"], ids["single"]])
            assert conn.execute(sa.text("SELECT count(*) FROM relation")).scalar_one() == 2
    finally:
        migrate.upgrade()
        _wipe()


def test_work_unfinished_at_the_upgrade_to_job_runs_gets_a_queued_run(database: str) -> None:
    """0009: batches being checked or applied and exports being written are queued again through job runs."""
    migrate.downgrade("0008")
    try:
        with get_engine().begin() as conn:
            meta = sa.MetaData()
            meta.reflect(conn)
            t = dict(meta.tables)
            insurer = _insert(conn, t, "insurer", code="x", name="X")
            employer = _insert(conn, t, "employer", name="A", kvk_number="12345678")
            contract = _insert(conn, t, "contract", employer_id=employer, insurer_id=insurer, number="C-a")
            scheme = _insert(conn, t, "scheme", contract_id=contract, employer_id=employer, kind="OP", number="01")
            user = _insert(conn, t, "user_account", email="hr@example.com")
            ids = {
                status: _insert(
                    conn, t, "batch", employer_id=employer, scheme_id=scheme, status=status, uploaded_by=user
                )
                for status in ("validating", "ready", "queued", "processing", "processed")
            }
            day = date(2026, 1, 1)
            export = _insert(
                conn, t, "export_file", employer_id=employer, scheme_id=scheme, status="processing", as_of=day
            )
            _insert(conn, t, "export_file", employer_id=employer, scheme_id=scheme, status="ready", as_of=day)
        migrate.upgrade()
        with Session(get_engine()) as db:
            runs = db.exec(select(JobRun)).all()
            wanted = [
                ("apply_batch", "batch", ids["queued"]),
                ("apply_batch", "batch", ids["processing"]),
                ("build_export", "export", export),
                ("validate_batch", "batch", ids["validating"]),
            ]
            expected = [(k, f"{o}:{i}", json.dumps({f"{o}_id": i}), "queued", employer) for k, o, i in wanted]
            assert sorted((r.kind, r.subject, r.args, r.status, r.employer_id) for r in runs) == sorted(expected)
            assert {r.started_by for r in runs if r.kind != "build_export"} == {user}
    finally:
        migrate.upgrade()
        _wipe()
