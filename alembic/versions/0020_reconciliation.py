"""reconciliation against the insurer (INT-7): reports and their differences

Revision ID: 0020
Revises: 0017
Create Date: 2026-12-01 07:00:00

A report is one comparison of an insurer's participant/premium list with a scheme's participants as of a date
(tolerances, totals, the stored xlsx); each difference can become a task (``task_id``).
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel

from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reconciliation_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("employer_id", sa.Integer(), nullable=False),
        sa.Column("scheme_id", sa.Integer(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("file_name", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("money_tolerance", sa.Numeric(14, 2), nullable=False),
        sa.Column("parttime_tolerance", sa.Numeric(7, 3), nullable=False),
        sa.Column("insurer_rows", sa.Integer(), nullable=False),
        sa.Column("portal_rows", sa.Integer(), nullable=False),
        sa.Column("differences", sa.Integer(), nullable=False),
        sa.Column("totals", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("stored_name", sqlmodel.sql.sqltypes.AutoString(length=48), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["office_id"], ["intermediary_office.id"]),
        sa.ForeignKeyConstraint(["employer_id"], ["employer.id"]),
        sa.ForeignKeyConstraint(["scheme_id"], ["scheme.id"]),
        sa.ForeignKeyConstraint(["created_by"], ["user_account.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_reconciliation_report_office_id", "reconciliation_report", ["office_id"])
    op.create_index("ix_reconciliation_report_employer_id", "reconciliation_report", ["employer_id"])
    op.create_index("ix_reconciliation_report_scheme_id", "reconciliation_report", ["scheme_id"])
    op.create_table(
        "reconciliation_difference",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
        sa.Column("number", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("participation_id", sa.Integer(), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("line", sa.Integer(), nullable=True),
        sa.Column("portal_value", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("insurer_value", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("delta", sa.Numeric(14, 3), nullable=True),
        sa.Column("task_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["report_id"], ["reconciliation_report.id"]),
        sa.ForeignKeyConstraint(["participation_id"], ["participation.id"]),
        sa.ForeignKeyConstraint(["task_id"], ["task.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_reconciliation_difference_report", "reconciliation_difference", ["report_id", "position"])


def downgrade() -> None:
    op.drop_index("ix_reconciliation_difference_report", table_name="reconciliation_difference")
    op.drop_table("reconciliation_difference")
    op.drop_index("ix_reconciliation_report_scheme_id", table_name="reconciliation_report")
    op.drop_index("ix_reconciliation_report_employer_id", table_name="reconciliation_report")
    op.drop_index("ix_reconciliation_report_office_id", table_name="reconciliation_report")
    op.drop_table("reconciliation_report")
