"""insurers' contact data for employers: ``insurer.phone``, ``insurer.email``, ``insurer.website``

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01 03:30:00

The employer's "Service & contact" page (EMP-1) shows the contact data of the insurers of the employer's
contracts. Plain ADD COLUMNs with an empty default (existing insurers show no contact data until filled in).
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel

from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

_COLUMNS = (("phone", 32), ("email", 254), ("website", 200))


def upgrade() -> None:
    for name, length in _COLUMNS:
        op.add_column(
            "insurer",
            sa.Column(name, sqlmodel.sql.sqltypes.AutoString(length=length), nullable=False, server_default=""),
        )


def downgrade() -> None:
    # A plain DROP COLUMN (SQLite 3.35+): a batch copy of ``insurer`` would break the contracts' foreign keys.
    for name, _length in reversed(_COLUMNS):
        op.drop_column("insurer", name)
