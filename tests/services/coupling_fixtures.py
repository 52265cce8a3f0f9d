"""Helpers for the coupling tests: complete what an insurer needs of an employer (its schemes and participants)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import text
from sqlalchemy.engine import Connection


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
