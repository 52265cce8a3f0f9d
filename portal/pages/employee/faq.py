"""Questions (EE-2): the employee's FAQ with search, the glossary of terms with their "i", and whom to contact."""

from __future__ import annotations

import reflex as rx

from portal.components.faq import faq_block
from portal.components.fields import text
from portal.components.shell import employee_shell


def faq_page() -> rx.Component:
    """``/employee/faq``: phone first; the search and the answers are the page."""
    return employee_shell(
        "menu.faq",
        rx.text(text("faq.intro"), color_scheme="gray", margin_bottom="1rem"),
        faq_block(),
        rx.callout(text("faq.employee_contact"), icon="info", color_scheme="gray", margin_top="1.5rem"),
    )
