"""coupling readiness (INT-4): auto-enrolment of new employees per scheme ("aan bij WN")

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-01 06:50:00
"""

from __future__ import annotations

import sqlalchemy as sa

from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("scheme", sa.Column("auto_enrol", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    # A plain DROP COLUMN (SQLite 3.35+): a batch copy of ``scheme`` would break the foreign keys to it.
    op.drop_column("scheme", "auto_enrol")
