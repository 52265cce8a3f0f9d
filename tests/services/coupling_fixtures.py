"""Helpers for the coupling tests: complete what an insurer needs of an employer (its schemes and participants)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Connection

from portal.core.config import get_settings

ADDRESS = "http://127.0.0.1:9"  # never called by these tests: a coupling only needs an insurer address to exist


@pytest.fixture
def insurer_address(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Every insurer has an address (a readiness prerequisite of switching a coupling on)."""
    monkeypatch.setenv("PORTAL_INSURER_URLS", ADDRESS)
    get_settings.cache_clear()
    try:
        yield ADDRESS
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()


def uncouple(conn: Connection) -> None:
    """Undo the demo's coupling (Bakkerij ter Horst's a.s.r. schemes, switched on and auto-enrolled by the seed), so
    that a test starts from a portfolio without any coupling setting."""
    conn.execute(text("DELETE FROM coupling_setting"))
    conn.execute(text("UPDATE scheme SET auto_enrol = :f"), {"f": False})


def fill_gaps(conn: Connection, employer_id: int) -> None:
    """Fill only what is missing for the coupling's readiness check of ``employer_id``: auto-enrolment of its
    schemes, policy numbers, nationality, a communication e-mail, the country of a foreign address and a partner's
    start date (nothing already there is changed)."""
    e = {"e": employer_id}
    conn.execute(text("UPDATE scheme SET auto_enrol = :t WHERE employer_id = :e"), {**e, "t": True})
    conn.execute(
        text("UPDATE participation SET policy_number = 'R' || id WHERE employer_id = :e AND policy_number = ''"), e
    )
    conn.execute(text("UPDATE person SET nationality = 'NL' WHERE employer_id = :e AND nationality = ''"), e)
    conn.execute(
        text(
            "UPDATE person SET private_email = 'p' || id || '@mail.example' "
            "WHERE employer_id = :e AND business_email = '' AND private_email = ''"
        ),
        e,
    )
    conn.execute(
        text(
            "UPDATE person SET country = 'BE' "
            "WHERE employer_id = :e AND foreign_address <> '' AND country IN ('', 'NL')"
        ),
        e,
    )
    conn.execute(
        text(
            "UPDATE relation SET start_date = :d WHERE start_date IS NULL AND kind = 'partner' AND person_id IN "
            "(SELECT id FROM person WHERE employer_id = :e)"
        ),
        {**e, "d": date(2010, 1, 1)},
    )
