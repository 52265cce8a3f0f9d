"""payroll API follow-up: changes and audit events traced to the API key, idempotent answers expire, the next
participant number from an index

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-01 10:00:00

A change sent through the payroll API has no user account behind it: ``mutation.requested_by_api_key_id`` and
``audit_event.actor_api_key_id`` record the API key instead (plain columns, like ``mutation.batch_id``: a key is
never deleted, only revoked, and SQLite cannot drop a column with a foreign key). Stored idempotent answers are
removed after ``PORTAL_API_IDEMPOTENCY_DAYS`` by their ``created_at`` (indexed). ``next_participant_number``
reads an employer's highest numbers (longest first, then by text); with an index on (employer, length of the
number, number) that is a short index scan instead of sorting every participation of the employer.
"""

from __future__ import annotations

import sqlalchemy as sa

from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("mutation", sa.Column("requested_by_api_key_id", sa.Integer(), nullable=True))
    op.add_column("audit_event", sa.Column("actor_api_key_id", sa.Integer(), nullable=True))
    op.create_index("ix_api_idempotency_created_at", "api_idempotency", ["created_at"])
    op.create_index(
        "ix_participation_employer_number_length",
        "participation",
        ["employer_id", sa.text("length(participant_number)"), "participant_number"],
    )


def downgrade() -> None:
    op.drop_index("ix_participation_employer_number_length", table_name="participation")
    op.drop_index("ix_api_idempotency_created_at", table_name="api_idempotency")
    # plain DROP COLUMNs (SQLite 3.35+): a batch copy of these tables would break the foreign keys to them
    op.drop_column("audit_event", "actor_api_key_id")
    op.drop_column("mutation", "requested_by_api_key_id")
