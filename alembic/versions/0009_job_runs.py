"""one job-run table for all background work; the mails a job has sent

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-26 09:00:00

Work that is unfinished at the upgrade (batches being checked or applied, exports being written) gets a
queued job run, so the consumer's start-up queues it again as before. Messages still in the queue from before
the upgrade carry a batch or export id where a job id is now expected: a task runs only a job run of its own
kind that is unfinished and not held by a live worker, so such a message does nothing harmful, and the work it
meant is done through the job run made here. Statement runs kept their status in the queue's storage: a run
that was under way at the upgrade is not carried over (start it again; statements are replaced, not doubled).
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_UNFINISHED = (
    ("validate_batch", "batch", "batch_id", "uploaded_by", "created_at", "status = 'validating'"),
    ("apply_batch", "batch", "batch_id", "uploaded_by", "created_at", "status IN ('queued', 'processing')"),
    ("build_export", "export_file", "export_id", "requested_by", "requested_at", "status IN ('queued', 'processing')"),
)


def upgrade() -> None:
    text = sqlmodel.sql.sqltypes.AutoString
    op.create_table(
        "job_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", text(length=32), nullable=False),
        sa.Column("status", text(length=12), nullable=False),
        sa.Column("subject", text(length=64), nullable=False),
        sa.Column("args", text(), nullable=False),
        sa.Column("employer_id", sa.Integer(), nullable=True),
        sa.Column("started_by", sa.Integer(), nullable=True),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("owner", text(length=160), nullable=False),
        sa.Column("checkpoint", text(), nullable=False),
        sa.Column("error", text(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("started_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("heartbeat_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("finished_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["employer_id"], ["employer.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("job_run", schema=None) as batch_op:
        batch_op.create_index("ix_job_run_employer", ["employer_id", "created_at"], unique=False)
        batch_op.create_index("ix_job_run_status", ["status"], unique=False)
        batch_op.create_index("ix_job_run_subject", ["kind", "subject"], unique=False)
    op.create_table(
        "sent_mail",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("document_ids", text(), nullable=False),
        sa.Column("message_id", text(length=200), nullable=False),
        sa.Column("status", text(length=12), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("sent_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["job_id"], ["job_run.id"]),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("job_id", "user_id", name="uq_sent_mail_job_user"),
    )
    for kind, table, arg, by, at, unfinished in _UNFINISHED:
        op.execute(
            "INSERT INTO job_run (kind, status, subject, args, employer_id, started_by, done, total, attempts, "
            "owner, checkpoint, error, created_at) "
            f"SELECT '{kind}', 'queued', '{table.split('_')[0]}:' || id, '{{\"{arg}\": ' || id || '}}', "
            f"employer_id, {by}, 0, 0, 0, '', '{{}}', '', {at} FROM {table} WHERE {unfinished}"
        )


def downgrade() -> None:
    op.drop_table("sent_mail")
    with op.batch_alter_table("job_run", schema=None) as batch_op:
        batch_op.drop_index("ix_job_run_subject")
        batch_op.drop_index("ix_job_run_status")
        batch_op.drop_index("ix_job_run_employer")
    op.drop_table("job_run")
