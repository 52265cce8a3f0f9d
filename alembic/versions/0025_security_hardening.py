"""security hardening (issue 16): TOTP secrets encrypted at rest, and the rate-limit windows of mail actions

Revision ID: 0025
Revises: 0023
Create Date: 2026-12-01 13:00:00

Every stored TOTP secret is encrypted with the configured key (``portal.core.totp_secrets``: PORTAL_TOTP_KEY, or
the key made once under var/totp.key); the downgrade decrypts them again. ``rate_window`` holds the fixed-window
counts of the mail-sending actions (``portal.services.rate_limits``).
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel

from alembic import op
from portal.core import totp_secrets

revision = "0025"
down_revision = "0023"
branch_labels = None
depends_on = None

_users = sa.table("user_account", sa.column("id", sa.Integer()), sa.column("totp_secret", sa.String()))


def _convert(keep: bool) -> None:
    """Encrypt (``keep`` False: the plain ones) or decrypt (``keep`` True: the sealed ones) every secret."""
    conn = op.get_bind()
    rows = conn.execute(sa.select(_users.c.id, _users.c.totp_secret).where(_users.c.totp_secret != "")).all()
    for user_id, stored in rows:
        if totp_secrets.is_sealed(stored) == keep:
            value = totp_secrets.unseal(stored) if keep else totp_secrets.seal(stored)
            conn.execute(sa.update(_users).where(_users.c.id == user_id).values(totp_secret=value))


def upgrade() -> None:
    op.create_table(
        "rate_window",
        sa.Column("scope", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("subject", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column("window_start", sa.Integer(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("scope", "subject"),
    )
    _convert(keep=False)


def downgrade() -> None:
    _convert(keep=True)
    op.drop_table("rate_window")
