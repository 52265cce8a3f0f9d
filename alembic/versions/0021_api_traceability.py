"""payroll API follow-up: the employer's next participant number from an index

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-01 10:00:00

``next_participant_number`` reads an employer's highest numbers (longest first, then by text); with an index on
(employer, length of the number, number) that is a short index scan instead of sorting every participation of
the employer on each new participant.
"""

from __future__ import annotations

import sqlalchemy as sa

from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_participation_employer_number_length",
        "participation",
        ["employer_id", sa.text("length(participant_number)"), "participant_number"],
    )


def downgrade() -> None:
    op.drop_index("ix_participation_employer_number_length", table_name="participation")
