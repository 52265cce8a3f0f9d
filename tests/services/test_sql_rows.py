"""Driver-level bulk reads and writes give exactly what SQLAlchemy gives (``portal.core.sql``)."""

from __future__ import annotations

from sqlmodel import Session, col, select

from portal.core.sql import db_values, fetch
from portal.demo.seed import generate_employer
from portal.models import Employment, EmploymentVersion, ParticipantListRow, Participation, Person


def test_fetch_converts_every_type_as_sqlalchemy_does(db: Session) -> None:
    employer_id = generate_employer(db, 150, seed=5)
    conn = db.connection()
    queries = [
        select(EmploymentVersion).order_by(col(EmploymentVersion.id)),  # dates, money, part-time, UTC moments
        select(Participation.id, Participation.start_date, Participation.end_date, Employment.end_date, Person.initials)
        .join(Employment, col(Employment.id) == Participation.employment_id)
        .join(Person, col(Person.id) == Participation.person_id)
        .where(Participation.employer_id == employer_id, col(Participation.id).in_(list(range(1, 400, 3))))
        .order_by(col(Participation.id)),
        select(ParticipantListRow).where(ParticipantListRow.employer_id == employer_id),
    ]
    for query in queries:
        expected = [tuple(r) for r in conn.execute(query)]
        assert expected and fetch(conn, query) == expected
        assert [type(v) for v in fetch(conn, query)[0]] == [type(v) for v in expected[0]]


def test_db_values_are_the_bind_processed_values(db: Session) -> None:
    generate_employer(db, 40, seed=6)
    conn = db.connection()
    for table in (EmploymentVersion.__table__, ParticipantListRow.__table__, Person.__table__):  # type: ignore[attr-defined]
        cols = [c.name for c in table.columns]
        rows = [dict(r._mapping) for r in conn.execute(table.select())]
        processed = db_values(conn, table, cols, rows)
        for row, values in zip(rows, processed, strict=True):
            for c, value in zip(cols, values, strict=True):
                proc = table.c[c].type.dialect_impl(conn.dialect).bind_processor(conn.dialect)
                assert value == (row[c] if row[c] is None or proc is None else proc(row[c]))
        assert rows
