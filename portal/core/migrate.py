"""Apply the alembic migrations programmatically (used by the CLI, ``make run`` and the tests)."""

from __future__ import annotations

from alembic.config import Config

from alembic import command
from portal.core.config import ROOT


def alembic_config() -> Config:
    """The project's alembic configuration."""
    return Config(str(ROOT / "alembic.ini"))


def upgrade(revision: str = "head") -> None:
    """Bring the configured database to ``revision``."""
    command.upgrade(alembic_config(), revision)


def downgrade(revision: str) -> None:
    """Take the configured database back to ``revision`` (``base`` empties it)."""
    command.downgrade(alembic_config(), revision)


def head() -> str | None:
    """The newest revision of the migration scripts."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()
