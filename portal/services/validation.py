"""Form validation for the employer's own data (company, my details, accounts): every bad field at once.

A form with several bad fields should show every message at its field in one go, not one per submit.
``FieldErrors`` is a ``FieldError`` (the first problem) that also carries all the others, so callers that
only know ``FieldError`` keep working.
"""

from __future__ import annotations

import re

from stdnum.exceptions import ValidationError
from stdnum.nl import postcode as nl_postcode

from portal.domain import auth as rules
from portal.services.errors import FieldError

_PHONE = re.compile(r"\+?[0-9 ()\-./]{6,32}")
_FOREIGN_POSTCODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9 \-]{1,11}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class FieldErrors(FieldError):
    """Several rejected fields of one form; ``errors`` lists them all (the first is also ``field``/``key``)."""

    def __init__(self, errors: list[FieldError]) -> None:
        first = errors[0]
        super().__init__(first.field, first.key, first.params)
        self.errors = list(errors)


def errors_of(err: FieldError) -> list[FieldError]:
    """Every field error carried by ``err`` (one for a plain FieldError)."""
    return list(err.errors) if isinstance(err, FieldErrors) else [err]


class Checker:
    """Collects field errors while cleaning the values of one form; ``done()`` raises them together."""

    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def fail(self, field: str, key: str, **params: object) -> str:
        self.errors.append(FieldError(field, key, params))
        return ""

    def text(self, field: str, value: object, *, required: bool = True, limit: int = 100) -> str:
        """A trimmed single-line text; required and length checked; control characters refused."""
        clean = value.strip() if isinstance(value, str) else ""
        if not clean:
            return self.fail(field, "common.required") if required else ""
        if len(clean) > limit:
            return self.fail(field, "form.too_long", limit=limit)
        if _CONTROL.search(clean):
            return self.fail(field, "form.invalid_characters")
        return clean

    def email(self, field: str, value: object, *, required: bool = True) -> str:
        """A lower-case e-mail address that looks deliverable."""
        clean = rules.normalise_email(value if isinstance(value, str) else "")
        if not clean:
            return self.fail(field, "common.required") if required else ""
        if not rules.email_valid(clean):
            return self.fail(field, "email_invalid")
        return clean

    def phone(self, field: str, value: object, *, required: bool = False) -> str:
        """A telephone number: digits with the usual separators, at least six digits."""
        clean = " ".join(value.split()) if isinstance(value, str) else ""
        if not clean:
            return self.fail(field, "common.required") if required else ""
        if not _PHONE.fullmatch(clean) or sum(ch.isdigit() for ch in clean) < 6:
            return self.fail(field, "form.phone_invalid")
        return clean

    def country(self, field: str, value: object, allowed: frozenset[str]) -> str:
        """An ISO 3166 alpha-2 country code from ``allowed``."""
        clean = value.strip().upper() if isinstance(value, str) else ""
        if clean not in allowed:
            return self.fail(field, "form.country_invalid")
        return clean

    def postcode(self, field: str, value: object, country: str) -> str:
        """A Dutch postcode through python-stdnum (``3000 BD``), else a plausible foreign one."""
        raw = value.strip() if isinstance(value, str) else ""
        if not raw:
            return self.fail(field, "common.required")
        if country == "NL":
            try:
                return nl_postcode.validate(raw)
            except ValidationError:
                return self.fail(field, "form.postcode_invalid")
        if not _FOREIGN_POSTCODE.fullmatch(raw):
            return self.fail(field, "form.postcode_foreign_invalid")
        return raw.upper()

    def done(self) -> None:
        """Raise every collected error at once (nothing is saved by the caller)."""
        if self.errors:
            raise FieldErrors(self.errors)
