"""Errors that services raise for the user interface to show next to a form field."""

from __future__ import annotations

from typing import Any


class FieldError(Exception):
    """A rejected input: ``key`` is a message key (see ``portal.i18n``), shown at form field ``field``.

    ``params`` fill the message's ``{placeholders}`` (e.g. ``{"minutes": 15}``).
    """

    def __init__(self, field: str, key: str, params: dict[str, Any] | None = None) -> None:
        super().__init__(f"{field}: {key}")
        self.field = field
        self.key = key
        self.params: dict[str, Any] = dict(params or {})
