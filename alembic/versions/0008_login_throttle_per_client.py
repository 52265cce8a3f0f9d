"""login throttle per username and client (with a count over all clients); login tickets bound to a browser

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-24 09:00:00

The throttle rows are short-lived counters: they are not carried over (an upgrade lifts running locks).
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def _throttle(*key_columns: sa.Column) -> None:
    op.create_table(
        "login_throttle",
        *key_columns,
        sa.Column("failed_count", sa.Integer(), nullable=False),
        sa.Column("locked_until", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("last_failed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint(*(c.name for c in key_columns)),
    )


def upgrade() -> None:
    op.drop_table("login_throttle")
    _throttle(
        sa.Column("username", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("client", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    )
    with op.batch_alter_table("auth_session", schema=None) as batch_op:
        batch_op.add_column(sa.Column("browser_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("auth_session", schema=None) as batch_op:
        batch_op.drop_column("browser_hash")
    op.drop_table("login_throttle")
    _throttle(sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False))
