"""Alembic environment: migrates the database configured by PORTAL_ settings (or a URL passed in)."""

from __future__ import annotations

from sqlmodel import SQLModel

import portal.models  # noqa: F401  (registers every table)
from alembic import context
from portal.core.db import get_engine

config = context.config
target_metadata = SQLModel.metadata


def run_migrations_online() -> None:
    with get_engine().connect() as connection:
        _run(connection)
        connection.commit()


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
