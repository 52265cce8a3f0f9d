"""An account's own preferences: language and light/dark theme (EMP-10)."""

from __future__ import annotations

from sqlmodel import Session

from portal.models import (
    UserAccount,
)
from portal.services.accounts._common import LANGUAGES, THEMES
from portal.services.errors import FieldError
from portal.services.principal import NoAccess, Principal, require


def set_preferences(db: Session, principal: Principal, language: str | None = None, theme: str | None = None) -> None:
    """Store language and/or theme of the signed-in user (allow-listed values only)."""
    if language is not None and language not in LANGUAGES:
        raise FieldError("language", "language_invalid")
    if theme is not None and theme not in THEMES:
        raise FieldError("theme", "theme_invalid")
    user = db.get(UserAccount, require(principal).user_id)
    if user is None:
        raise NoAccess("not_signed_in")
    if language is not None:
        user.language = language
    if theme is not None:
        user.theme = theme
    db.flush()
