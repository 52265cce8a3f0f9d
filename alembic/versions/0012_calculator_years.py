"""yearly parameters of the employee's calculators (EE-6): ``calculator_year`` and its wage-tax brackets

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 03:20:00

Deferred compensation and the projection of a retirement capital compute from figures that change every year
(wage-tax brackets, the social contribution and its ceiling, the deferral limit, the retirement age, the return
scenarios): they are rows, one per calendar year, never constants in code. New tables only.
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    text = sqlmodel.sql.sqltypes.AutoString
    money = sa.Numeric(14, 2)
    pct = sa.Numeric(7, 3)
    op.create_table(
        "calculator_year",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("social_rate", pct, nullable=False),
        sa.Column("social_ceiling", money, nullable=False),
        sa.Column("deferral_limit", money, nullable=False),
        sa.Column("retirement_age", sa.Integer(), nullable=False),
        sa.Column("return_pessimistic", pct, nullable=False),
        sa.Column("return_neutral", pct, nullable=False),
        sa.Column("return_optimistic", pct, nullable=False),
        sa.Column("source_note", text(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("year"),
    )
    op.create_table(
        "calculator_tax_bracket",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("calculator_year_id", sa.Integer(), nullable=False),
        sa.Column("income_from", money, nullable=False),
        sa.Column("rate", pct, nullable=False),
        sa.ForeignKeyConstraint(["calculator_year_id"], ["calculator_year.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("calculator_year_id", "income_from"),
    )
    with op.batch_alter_table("calculator_tax_bracket", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_calculator_tax_bracket_calculator_year_id"), ["calculator_year_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("calculator_tax_bracket", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_calculator_tax_bracket_calculator_year_id"))
    op.drop_table("calculator_tax_bracket")
    op.drop_table("calculator_year")
