"""signed forms filed and taking effect (DOC-5): the filed document and the mutation a completed form made

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-01 11:00:00

A completed form's final PDF is filed as a document (the employee's archive, the employer's document list) and,
for a deferred-compensation agreement or a decision to join, recorded as a processed mutation; the form names both.
"""

from __future__ import annotations

import sqlalchemy as sa

from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("form") as batch:
        batch.add_column(sa.Column("document_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("mutation_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("form") as batch:
        batch.drop_column("mutation_id")
        batch.drop_column("document_id")
