"""Domain errors: a broken rule on one input field, independent of any service or UI."""

from __future__ import annotations

from typing import Any


class RuleError(ValueError):
    """Input ``field`` breaks the rule named ``key`` (a message key); ``params`` fill the message.

    Services turn it into ``portal.services.errors.FieldError`` with the same field, key and params.
    """

    def __init__(self, field: str, key: str, params: dict[str, Any] | None = None) -> None:
        super().__init__(f"{field}: {key}")
        self.field = field
        self.key = key
        self.params: dict[str, Any] = dict(params or {})
