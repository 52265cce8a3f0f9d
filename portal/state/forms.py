"""Helpers for states that handle forms: untrusted input and translated field errors."""

from __future__ import annotations

from typing import Any

from portal.domain.forms import CHOICE_LABELS
from portal.i18n import formatting as fmt
from portal.i18n import t
from portal.services.errors import FieldError
from portal.services.organisation.acting import KeyName


def text_of(form: Any, name: str, limit: int = 254) -> str:
    """A trimmed string field from untrusted form data (anything else becomes '')."""
    value = form.get(name, "") if isinstance(form, dict) else ""
    return value.strip()[:limit] if isinstance(value, str) else ""


def message_of(err: FieldError, lang: str) -> str:
    """The translated text of a field error."""
    return t(err.key, lang, **(err.params or {}))


def requested_by(name: str, api_key: KeyName | None, lang: str) -> str:
    """Who asked for a change: the user's name, or the API key a payroll package sent it with (its name and
    the start of the key, as on the API-keys page)."""
    if api_key is None:
        return name
    return t("api_keys.requested_by", lang, name=api_key.name, prefix=api_key.prefix)


def display(key: str, value: str, lang: str) -> str:
    """A preview value (ISO dates, plain decimals) in the user's locale."""
    from datetime import date
    from decimal import Decimal, InvalidOperation

    if value in ("", None):
        return "—"
    try:
        if key in ("salary",) or key.endswith("salary") or key.endswith("amount"):
            return fmt.money(Decimal(value), lang)
        if key in ("parttime",) or key.endswith("parttime"):
            return fmt.percent(Decimal(value), lang)
        if key.endswith("date") or key in ("effective", "effective_date", "deferral_start"):
            return fmt.day(date.fromisoformat(value), lang)
    except (InvalidOperation, ValueError):
        return value
    if key == "partner_type":
        return t(f"partner_type.{value}", lang)
    if key == "gender":
        return t(f"gender.{value}", lang)
    if key == "status":
        return t(f"status.{value}", lang)
    if key == "join_decision":  # a signed decision to join (DOC-5)
        return CHOICE_LABELS.get(value, {}).get(lang, value)
    return value
