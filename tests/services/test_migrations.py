"""The alembic migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

import portal.models  # noqa: F401
from portal import migrate
from portal.db import get_engine


def test_migrated_schema_matches_the_models(database: str) -> None:
    with get_engine().connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, SQLModel.metadata)
    assert diff == [], f"models and migrations differ: {diff}"


def test_downgrade_and_upgrade_again(database: str) -> None:
    migrate.downgrade("base")
    migrate.upgrade()
    with get_engine().connect() as conn:
        context = MigrationContext.configure(conn)
        assert context.get_current_revision() == migrate.head()
