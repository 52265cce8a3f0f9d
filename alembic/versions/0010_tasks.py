"""tasks and tickets of an intermediary office, their comments, and the adviser's daily task mail (INT-3, INT-6)

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30 19:45:00

New tables, and ``user_account.notify_tasks`` (on for every existing account, as the document mails are).
``source_key`` is unique per office (NULL for a task made by hand, and NULLs never collide), so an event never
makes two tasks.
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # a plain ADD COLUMN (no table copy on SQLite: rows referring to accounts would stop the copy's DROP TABLE)
    op.add_column("user_account", sa.Column("notify_tasks", sa.Boolean(), nullable=False, server_default=sa.true()))
    text = sqlmodel.sql.sqltypes.AutoString
    stamp = sqlmodel.sql.sqltypes.UTCDateTime
    op.create_table(
        "task",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("kind", text(length=24), nullable=False),
        sa.Column("title", text(length=200), nullable=False),
        sa.Column("title_key", text(length=64), nullable=False),
        sa.Column("detail", text(), nullable=False),
        sa.Column("employer_id", sa.Integer(), nullable=False),
        sa.Column("participation_id", sa.Integer(), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("assignee_id", sa.Integer(), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("follow_up_date", sa.Date(), nullable=True),
        sa.Column("status", text(length=12), nullable=False),
        sa.Column("needs_check", sa.Boolean(), nullable=False),
        sa.Column("completed_by", sa.Integer(), nullable=True),
        sa.Column("checked_by", sa.Integer(), nullable=True),
        sa.Column("closed_at", stamp(), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("source_key", text(length=64), nullable=True),
        sa.Column("lock_version", sa.Integer(), nullable=False),
        sa.Column("created_at", stamp(), nullable=False),
        sa.Column("updated_at", stamp(), nullable=False),
        sa.ForeignKeyConstraint(["office_id"], ["intermediary_office.id"]),
        sa.ForeignKeyConstraint(["employer_id"], ["employer.id"]),
        sa.ForeignKeyConstraint(["participation_id"], ["participation.id"]),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
        sa.ForeignKeyConstraint(["assignee_id"], ["user_account.id"]),
        sa.ForeignKeyConstraint(["completed_by"], ["user_account.id"]),
        sa.ForeignKeyConstraint(["checked_by"], ["user_account.id"]),
        sa.ForeignKeyConstraint(["created_by"], ["user_account.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.create_index(
            "ix_task_office_status_assignee_due", ["office_id", "status", "assignee_id", "due_date"], unique=False
        )
        batch_op.create_index("ix_task_office_employer", ["office_id", "employer_id"], unique=False)
        batch_op.create_index("ix_task_office_source", ["office_id", "source_key"], unique=True)
    op.create_table(
        "task_comment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("author_name", text(), nullable=False),
        sa.Column("at", stamp(), nullable=False),
        sa.Column("text", text(), nullable=False),
        sa.ForeignKeyConstraint(["task_id"], ["task.id"]),
        sa.ForeignKeyConstraint(["author_id"], ["user_account.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("task_comment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_task_comment_task_id"), ["task_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("task_comment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_task_comment_task_id"))
    op.drop_table("task_comment")
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.drop_index("ix_task_office_source")
        batch_op.drop_index("ix_task_office_employer")
        batch_op.drop_index("ix_task_office_status_assignee_due")
    op.drop_table("task")
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_column("notify_tasks")
