"""invitations of employees to their front end (BULK-3): one row per invited account and address

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01 03:45:00

The link's token is random and stored only as a hash (unique), written when the mail leaves; ``used_at`` makes
it single use, ``expires_at`` ends it, ``withdrawn_at`` is set when a newer business address replaced it.
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel

from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "invitation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("employer_id", sa.Integer(), nullable=True),
        sa.Column("email", sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
        sa.Column("token_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("mailed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("expires_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("used_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("withdrawn_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["employer_id"], ["employer.id"]),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_index("ix_invitation_person_id", "invitation", ["person_id"])
    op.create_index("ix_invitation_user_id", "invitation", ["user_id"])


def downgrade() -> None:
    op.drop_index("ix_invitation_user_id", table_name="invitation")
    op.drop_index("ix_invitation_person_id", table_name="invitation")
    op.drop_table("invitation")
