"""eID sign-in (AUTH-6): ``eid_link`` ties a provider's subject (issuer + ``sub``) to an employee account

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 03:20:00

Written at an employee's first sign-in with the national eID (matched by national id); later sign-ins with
the same subject must resolve to the same account. A new table only.
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel

from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    text = sqlmodel.sql.sqltypes.AutoString
    stamp = sqlmodel.sql.sqltypes.UTCDateTime
    op.create_table(
        "eid_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("issuer", text(length=255), nullable=False),
        sa.Column("subject", text(length=255), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", stamp(), nullable=False),
        sa.Column("last_used_at", stamp(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("issuer", "subject"),
    )
    op.create_index("ix_eid_link_user_id", "eid_link", ["user_id"])


def downgrade() -> None:
    op.drop_index("ix_eid_link_user_id", table_name="eid_link")
    op.drop_table("eid_link")
