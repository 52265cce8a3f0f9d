"""Password strength while typing (shared by activation and reset)."""

from __future__ import annotations

import reflex as rx

from portal.domain.auth import password_strength


class PasswordStrengthState(rx.State):
    """The strength (weak / fair / strong) of the password being chosen; the password itself is not kept."""

    strength: str = ""

    @rx.event
    def measure(self, value: str):
        """Rate the typed password with the domain rule."""
        self.strength = password_strength(value[:256]) if isinstance(value, str) and value else ""

    @rx.event
    def clear(self):
        self.strength = ""
