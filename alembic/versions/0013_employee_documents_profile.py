"""the employee's documents and profile (EE-3, EE-4): private e-mail with confirmation, statement language, the
first-sign-in question, the personal archive of opened statements, and statement mails per address

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 03:20:00

``user_account`` gains plain columns (ADD COLUMN: no table copy on SQLite, where rows referring to accounts
would stop the copy's DROP TABLE). ``sent_mail`` gains ``address`` ("" for the mails so far) and its unique key
becomes (job, user, address): a statement mail goes once to each address of a person in a run. Nothing refers
to ``sent_mail``, so its copy on SQLite is safe.
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    text = sqlmodel.sql.sqltypes.AutoString
    stamp = sqlmodel.sql.sqltypes.UTCDateTime
    op.add_column("user_account", sa.Column("private_email", text(length=254), nullable=False, server_default=""))
    op.add_column("user_account", sa.Column("statement_language", text(length=5), nullable=False, server_default=""))
    op.add_column("user_account", sa.Column("private_email_asked_at", stamp(), nullable=True))
    op.create_table(
        "email_confirmation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("email", text(length=254), nullable=False),
        sa.Column("token_hash", text(length=64), nullable=False),
        sa.Column("created_at", stamp(), nullable=False),
        sa.Column("expires_at", stamp(), nullable=False),
        sa.Column("used_at", stamp(), nullable=True),
        sa.Column("superseded_at", stamp(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_email_confirmation_user_id", "email_confirmation", ["user_id"])
    op.create_index("ix_email_confirmation_token_hash", "email_confirmation", ["token_hash"], unique=True)
    op.create_table(
        "document_opened",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("opened_at", stamp(), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["document.id"]),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("document_id", "user_id"),
    )
    op.create_index("ix_document_opened_document_id", "document_opened", ["document_id"])
    op.create_index("ix_document_opened_user_id", "document_opened", ["user_id"])
    with op.batch_alter_table("sent_mail", schema=None) as batch_op:
        batch_op.add_column(sa.Column("address", text(length=254), nullable=False, server_default=""))
        batch_op.drop_constraint("uq_sent_mail_job_user", type_="unique")
        batch_op.create_unique_constraint("uq_sent_mail_job_user", ["job_id", "user_id", "address"])


def downgrade() -> None:
    with op.batch_alter_table("sent_mail", schema=None) as batch_op:
        batch_op.drop_constraint("uq_sent_mail_job_user", type_="unique")
        batch_op.create_unique_constraint("uq_sent_mail_job_user", ["job_id", "user_id"])
        batch_op.drop_column("address")
    op.drop_index("ix_document_opened_user_id", table_name="document_opened")
    op.drop_index("ix_document_opened_document_id", table_name="document_opened")
    op.drop_table("document_opened")
    op.drop_index("ix_email_confirmation_token_hash", table_name="email_confirmation")
    op.drop_index("ix_email_confirmation_user_id", table_name="email_confirmation")
    op.drop_table("email_confirmation")
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_column("private_email_asked_at")
        batch_op.drop_column("statement_language")
        batch_op.drop_column("private_email")
