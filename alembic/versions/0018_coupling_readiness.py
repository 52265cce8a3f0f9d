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
    with op.batch_alter_table("scheme") as batch:
        batch.add_column(sa.Column("auto_enrol", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("scheme") as batch:
        batch.drop_column("auto_enrol")
