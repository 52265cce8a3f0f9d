"""couplings to insurers (INT-4, INT-5): coupling settings per scope, the outbox of changes and its attempts

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-01 06:20:00

A setting's scope is "portfolio", "group:<id>" or "scheme:<id>" (one per office, insurer and scope; the most
specific wins). An outbox message is written in the transaction of the mutation it carries; its idempotency key is
unique; the delivery job finds due messages by status and time, and keeps the order per participation by id.
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel

from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "coupling_setting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("insurer_id", sa.Integer(), nullable=False),
        sa.Column("scope", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("employer_id", sa.Integer(), nullable=True),
        sa.Column("scheme_id", sa.Integer(), nullable=True),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("set_by_name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("set_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["office_id"], ["intermediary_office.id"]),
        sa.ForeignKeyConstraint(["insurer_id"], ["insurer.id"]),
        sa.ForeignKeyConstraint(["group_id"], ["company_group.id"]),
        sa.ForeignKeyConstraint(["employer_id"], ["employer.id"]),
        sa.ForeignKeyConstraint(["scheme_id"], ["scheme.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("office_id", "insurer_id", "scope"),
    )
    op.create_index("ix_coupling_setting_office_id", "coupling_setting", ["office_id"])
    op.create_index("ix_coupling_setting_insurer_id", "coupling_setting", ["insurer_id"])
    op.create_table(
        "outbox_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("insurer_id", sa.Integer(), nullable=False),
        sa.Column("employer_id", sa.Integer(), nullable=False),
        sa.Column("scheme_id", sa.Integer(), nullable=False),
        sa.Column("participation_id", sa.Integer(), nullable=False),
        sa.Column("mutation_id", sa.Integer(), nullable=True),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
        sa.Column("payload", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("idempotency_key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("sent_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("last_error", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("insurer_reference", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.ForeignKeyConstraint(["insurer_id"], ["insurer.id"]),
        sa.ForeignKeyConstraint(["employer_id"], ["employer.id"]),
        sa.ForeignKeyConstraint(["scheme_id"], ["scheme.id"]),
        sa.ForeignKeyConstraint(["participation_id"], ["participation.id"]),
        sa.ForeignKeyConstraint(["mutation_id"], ["mutation.id"]),
        sa.ForeignKeyConstraint(["batch_id"], ["batch.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("idempotency_key"),
    )
    op.create_index("ix_outbox_message_employer_id", "outbox_message", ["employer_id"])
    op.create_index("ix_outbox_message_mutation_id", "outbox_message", ["mutation_id"])
    op.create_index("ix_outbox_message_batch_id", "outbox_message", ["batch_id"])
    op.create_index("ix_outbox_message_due", "outbox_message", ["status", "next_attempt_at"])
    op.create_index("ix_outbox_message_participation", "outbox_message", ["participation_id", "id"])
    op.create_index("ix_outbox_message_insurer_status", "outbox_message", ["insurer_id", "status"])
    op.create_table(
        "outbox_attempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("outcome", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("http_status", sa.Integer(), nullable=True),
        sa.Column("answer", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("duration_ms", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["message_id"], ["outbox_message.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_outbox_attempt_message_id", "outbox_attempt", ["message_id"])


def downgrade() -> None:
    op.drop_index("ix_outbox_attempt_message_id", table_name="outbox_attempt")
    op.drop_table("outbox_attempt")
    for name in (
        "ix_outbox_message_insurer_status",
        "ix_outbox_message_participation",
        "ix_outbox_message_due",
        "ix_outbox_message_batch_id",
        "ix_outbox_message_mutation_id",
        "ix_outbox_message_employer_id",
    ):
        op.drop_index(name, table_name="outbox_message")
    op.drop_table("outbox_message")
    op.drop_index("ix_coupling_setting_insurer_id", table_name="coupling_setting")
    op.drop_index("ix_coupling_setting_office_id", table_name="coupling_setting")
    op.drop_table("coupling_setting")
