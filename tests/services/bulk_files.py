"""Helpers for the collective-change tests: the demo world as of 2026-11-01 and files made the way users make
them (openpyxl, as Excel would save them)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from typing import Any

import openpyxl
from sqlmodel import Session, col, select

from portal.models import Participation, Scheme
from portal.services import collective
from portal.services.principal import Principal
from tests.services.employer_fixtures import demo_employer, foreign_tenant, principal_of

TODAY = date(2026, 11, 1)
EFFECTIVE = date(2026, 12, 1)


@dataclass
class World:
    employer_id: int
    scheme_id: int  # the OP scheme of Noordkade Logistiek
    hr: Principal
    finance: Principal
    adviser: Principal
    other: Principal  # user management of another employer


def world(db: Session) -> World:
    """The demo employer's OP scheme and principals; ``db`` holds the demo data (the test asks for ``demo_data``)."""
    employer = demo_employer(db)
    scheme = db.exec(
        select(Scheme).where(Scheme.employer_id == employer.id, Scheme.kind == "OP").order_by(col(Scheme.id))
    ).first()
    assert scheme is not None
    _, _, other = foreign_tenant(db)
    return World(
        employer.id or 0,
        scheme.id or 0,
        principal_of(db, "employer.hr"),
        principal_of(db, "employer.finance"),
        principal_of(db, "adviser"),
        other,
    )


def rows_of(data: bytes) -> list[list[Any]]:
    """The first sheet's values (header included), as openpyxl reads them."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]


def workbook(rows: list[list[Any]]) -> bytes:
    """An xlsx with ``rows`` in its first sheet (header first)."""
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def salary_template(db: Session, w: World, effective: date = EFFECTIVE) -> list[list[Any]]:
    _, data = collective.template(db, w.hr, w.scheme_id, "salary_parttime", effective.isoformat(), "nl", today=TODAY)
    db.commit()
    return rows_of(data)


def fill(rows: list[list[Any]], changes: dict[str, tuple[Any, Any]]) -> list[list[Any]]:
    """Put new salary (F) and part-time (G) values in the rows of the given participant numbers."""
    out = [list(rows[0])]
    for row in rows[1:]:
        row = list(row)
        if str(row[0]) in changes:
            row[5], row[6] = changes[str(row[0])]
        out.append(row)
    return out


def participation(db: Session, scheme_id: int, number: str) -> Participation:
    return db.exec(
        select(Participation).where(Participation.scheme_id == scheme_id, Participation.participant_number == number)
    ).one()
