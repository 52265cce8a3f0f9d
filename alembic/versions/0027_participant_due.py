"""collective apply on PostgreSQL (issue 16): rows due on a later day kept apart, HOT lock-version bumps

Revision ID: 0027
Revises: 0025
Create Date: 2026-12-01 13:40:00

``participant_due`` holds the overview rows that must be recomputed on a later day (a future-dated change),
or one mark for every row of an employer (a change of most of them): an insert into this narrow table instead
of an update of ``participant_list``'s ``fresh_until``, which is indexed and so rewrote all ten indexes of
every row (``read_table.mark_due``).
PostgreSQL only: ``participation`` gets a fillfactor of 50 (and is rewritten once to get it) so that raising
the lock versions of every participation in a collective apply (``version`` is in no index) is a heap-only
update on the same page, not a new entry in each of its seven indexes.
"""

from __future__ import annotations

import sqlalchemy as sa

from alembic import op

revision = "0027"
down_revision = "0025"
branch_labels = None
depends_on = None

FILLFACTOR = 50  # every row of a page can be updated once on the page (measured: 50k-row apply, 8 s → 1.3 s)


def upgrade() -> None:
    op.create_table(
        "participant_due",
        sa.Column("employer_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("participation_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.PrimaryKeyConstraint("employer_id", "due", "participation_id"),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"ALTER TABLE participation SET (fillfactor = {FILLFACTOR})")
        op.execute("CLUSTER participation USING participation_pkey")  # rewrites the table at the new fillfactor
        op.execute("ALTER TABLE participation SET WITHOUT CLUSTER")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE participation RESET (fillfactor)")
    op.drop_table("participant_due")
