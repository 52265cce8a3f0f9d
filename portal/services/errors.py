"""Errors that services raise for the user interface to show next to a form field."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from portal.domain.errors import RuleError

T = TypeVar("T")


class FieldError(Exception):
    """A rejected input: ``key`` is a message key (see ``portal.i18n``), shown at form field ``field``.

    ``params`` fill the message's ``{placeholders}`` (e.g. ``{"minutes": 15}``).
    """

    def __init__(self, field: str, key: str, params: dict[str, Any] | None = None) -> None:
        super().__init__(f"{field}: {key}")
        self.field = field
        self.key = key
        self.params: dict[str, Any] = dict(params or {})


def by_rules(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Call a domain rule (or a builder made of them); a broken rule (``RuleError``) becomes a FieldError with the
    same field, key and params, for the form to show at that field."""
    try:
        return fn(*args, **kwargs)
    except RuleError as err:
        raise FieldError(err.field, err.key, err.params) from None
