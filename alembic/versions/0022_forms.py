"""signed forms (DOC-5, EE-5): a form per person and kind, its status, values, PDF and SHA-256 per step

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-01 10:30:00

A form is prepared by the employer (or an adviser acting for it) for one person (and participation), signed by
the employee and, where its kind needs it, countersigned by the employer; declined or expired ends it early.
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel

from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "form",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("employer_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("participation_id", sa.Integer(), nullable=True),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("language", sqlmodel.sql.sqltypes.AutoString(length=5), nullable=False),
        sa.Column("field_values", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("stored_name", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("prepared_sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("signed_sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("completed_sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("expires_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("source_key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("created_by_name", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("acting_by", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("sent_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("signed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("signed_by", sa.Integer(), nullable=True),
        sa.Column("countersigned_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("countersigned_by", sa.Integer(), nullable=True),
        sa.Column("countersigned_by_name", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("closed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("closed_by", sa.Integer(), nullable=True),
        sa.Column("decline_reason", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["employer_id"], ["employer.id"]),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
        sa.ForeignKeyConstraint(["participation_id"], ["participation.id"]),
        sa.ForeignKeyConstraint(["created_by"], ["user_account.id"]),
        sa.ForeignKeyConstraint(["signed_by"], ["user_account.id"]),
        sa.ForeignKeyConstraint(["countersigned_by"], ["user_account.id"]),
        sa.ForeignKeyConstraint(["closed_by"], ["user_account.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_form_employer_status", "form", ["employer_id", "status", "created_at"])
    op.create_index("ix_form_person_status", "form", ["person_id", "status"])
    op.create_index("ix_form_status_expires", "form", ["status", "expires_at"])
    op.create_index("ix_form_participation_id", "form", ["participation_id"])
    op.create_index("ix_form_source_key", "form", ["source_key"])


def downgrade() -> None:
    op.drop_index("ix_form_source_key", table_name="form")
    op.drop_index("ix_form_participation_id", table_name="form")
    op.drop_index("ix_form_status_expires", table_name="form")
    op.drop_index("ix_form_person_status", table_name="form")
    op.drop_index("ix_form_employer_status", table_name="form")
    op.drop_table("form")
