"""a mail that goes once per user whatever run sends it: ``sent_mail.once_key``, unique per user

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30 23:45:00

The advisers' daily task mail (INT-3) must go once per adviser per day, also when two runs for one day exist
(a doubled schedule, two workers): its ``sent_mail`` rows carry ``task_digest:<day>`` and the unique index on
(``once_key``, ``user_id``) lets only one of them be written. Existing rows (document mails) keep NULL, and
NULLs never collide. A plain ADD COLUMN and CREATE INDEX: no table copy on SQLite.
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("sent_mail", sa.Column("once_key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
    op.create_index("uq_sent_mail_once_user", "sent_mail", ["once_key", "user_id"], unique=True)


def downgrade() -> None:
    op.drop_index("uq_sent_mail_once_user", table_name="sent_mail")
    with op.batch_alter_table("sent_mail", schema=None) as batch_op:
        batch_op.drop_column("once_key")
