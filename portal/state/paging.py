"""What the paged tables' states share: one page of formatted rows with the pager's numbers, and writing only the
vars whose value changed."""

from __future__ import annotations

import reflex as rx

PAGE_SIZE = 25


class PagedRowsState(rx.State, mixin=True):
    """One page of rows, already formatted, as lists (no key names in every row of every delta), and the pager's
    numbers. A state of its own in each table, so that a page turn (which changes only these) re-renders the
    table body and the pager, not the toolbar or the column headers."""

    page: int = 1
    total: int = 0
    rows: list[list[str]] = []

    @rx.var
    def pages(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))

    @rx.var
    def first_row(self) -> int:
        return 0 if self.total == 0 else (self.page - 1) * PAGE_SIZE + 1

    @rx.var
    def last_row(self) -> int:
        return min(self.total, self.page * PAGE_SIZE)


def assign_changed(state: rx.State, **values: object) -> None:
    """Set only the vars whose value changed: an unchanged var is neither re-sent to the browser nor marks its
    computed vars (and the page parts that show them) as changed."""
    for name, value in values.items():
        if getattr(state, name) != value:
            setattr(state, name, value)
