"""The portal's one table: a caption that names it, header cells, a row per item, optional sort buttons, and on a
phone optionally a list of cards instead.

Rows and cells are plain table elements carrying Radix Themes' own class names (the markup rx.table.row,
rx.table.cell and rx.table.column_header_cell render), not a Radix component per cell: the participant overview
re-renders 25 rows on every page turn, sort or filter, and a component per cell (with its own emotion styles)
cost more time in the browser than the server took for the query. Every table gets the same markup that way.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import reflex as rx

from portal.components.fields import text
from portal.state.auth import SessionState

_CELL = "rt-TableCell"
_HEAD = "rt-TableCell rt-TableColumnHeaderCell"
_ROW_HEAD = "rt-TableCell rt-TableRowHeaderCell"
_ROW = "rt-TableRow"
_SORT_BUTTON = "rt-reset rt-BaseButton rt-r-size-2 rt-variant-ghost rt-high-contrast rt-Button sort-button"
# Lucide's arrow-up, arrow-down and arrow-up-down as one SVG whose paths follow the sort ("M0 0" draws nothing):
# one element instead of an icon component switched per column.
_UP = ("m5 12 7-7 7 7", "M12 19V5", "M0 0", "M0 0")
_DOWN = ("M12 5v14", "m19 12-7 7-7-7", "M0 0", "M0 0")
_UP_DOWN = ("m21 16-4 4-4-4", "M17 20V4", "m3 8 4-4 4 4", "M7 4v16")


@dataclass(frozen=True)
class Column:
    """A column: its header (a message key, or a Var holding the text) and its cell for a row."""

    label: str | rx.Var
    cell: Callable[[rx.Var], Any]  # the cell's content (a component, a Var, or a tuple of them) from the row
    right: bool = False  # amounts and numbers: header and cells aligned right
    nowrap: bool = False  # dates and amounts stay on one line
    wrap_anywhere: bool = False  # long e-mail addresses may break anywhere
    names_row: bool = False  # the cell that names its row: <th scope="row">
    sort: str = ""  # the column's sort key: the header becomes a sort button (the table needs ``sorting``)
    shown: Any = None  # a Var: the column (header and cells) is shown only while it holds


@dataclass(frozen=True)
class ColumnPerItem:
    """One column per item of ``labels`` (a list Var, e.g. years); ``cells(row)`` is the row's list of values."""

    labels: rx.Var
    cells: Callable[[rx.Var], rx.Var]
    right: bool = False


@dataclass(frozen=True)
class Sorting:
    """How a table sorts: the sorted column's key, whether ascending, and the event a header's click sends."""

    column: rx.Var
    ascending: rx.Var
    on_sort: Callable[[str], Any]


def _classes(base: str, right: bool = False, nowrap: bool = False, wrap_anywhere: bool = False) -> str:
    extra = [name for name, on in (("cell-right", right), ("cell-nowrap", nowrap), ("cell-wrap", wrap_anywhere)) if on]
    return " ".join([base, *extra])


def _label(label: str | rx.Var) -> Any:
    return text(label) if isinstance(label, str) else label


def _sort_header(col: Column, sorting: Sorting) -> rx.Component:
    active = sorting.column == col.sort
    up = sorting.ascending
    arrow = rx.el.svg(
        *(rx.el.svg.path(d=rx.cond(active, rx.cond(up, _UP[i], _DOWN[i]), _UP_DOWN[i])) for i in range(4)),
        xmlns="http://www.w3.org/2000/svg",
        width="14",
        height="14",
        view_box="0 0 24 24",
        class_name=rx.cond(active, "lucide sort-arrow", "lucide sort-arrow sort-arrow-idle"),
        aria_hidden="true",
    )
    return rx.el.th(
        rx.el.button(
            _label(col.label),
            arrow,
            id="sort-" + col.sort,
            on_click=sorting.on_sort(col.sort),
            data_accent_color="gray",
            class_name=_SORT_BUTTON,
        ),
        scope="col",
        aria_sort=rx.cond(active, rx.cond(up, "ascending", "descending"), "none"),
        class_name=_classes(_HEAD, col.right),
    )


def _header(col: Column | ColumnPerItem, sorting: Sorting | None) -> rx.Component:
    if isinstance(col, ColumnPerItem):
        cls = _classes(_HEAD, col.right)
        return rx.foreach(col.labels, lambda label: rx.el.th(label, scope="col", class_name=cls))
    if col.sort:
        if sorting is None:
            raise ValueError(f"column {col.label!r} sorts, but its table has no sorting")
        head = _sort_header(col, sorting)
    else:
        head = rx.el.th(_label(col.label), scope="col", class_name=_classes(_HEAD, col.right))
    return head if col.shown is None else rx.cond(col.shown, head)


def _cell(col: Column | ColumnPerItem, row: rx.Var) -> rx.Component:
    if isinstance(col, ColumnPerItem):
        cls = _classes(_CELL, col.right)
        return rx.foreach(col.cells(row), lambda value: rx.el.td(value, class_name=cls))
    content = col.cell(row)
    children = content if isinstance(content, tuple) else (content,)
    classes = _classes(_ROW_HEAD if col.names_row else _CELL, col.right, col.nowrap, col.wrap_anywhere)
    if col.names_row:
        cell = rx.el.th(*children, scope="row", class_name=classes)
    else:
        cell = rx.el.td(*children, class_name=classes)
    return cell if col.shown is None else rx.cond(col.shown, cell)


def data_table(
    columns: Sequence[Column | ColumnPerItem],
    rows: rx.Var,
    *,
    name: str | rx.Var,
    table_id: str | None = None,
    caption: Literal["hidden", "visible"] = "hidden",
    head: bool = True,
    sorting: Sorting | None = None,
    row_props: Callable[[rx.Var], dict[str, Any]] | None = None,
    size: str | None = None,
    variant: Literal["surface", "ghost"] = "ghost",
    busy: rx.Var | None = None,
    card: Callable[[rx.Var], rx.Component] | None = None,
    wide: str = "md",
    **box_props: Any,
) -> rx.Component:
    """A table of ``rows`` (a list Var), one cell per column each. ``name`` (a message key or a Var) is its
    caption, read out by screen readers (``caption="visible"`` shows it too). With ``card``, a phone (below
    breakpoint ``wide``) gets a list of ``card(row)`` named the same instead of the table. ``box_props`` go to
    the box around the table (it scrolls sideways when the table is wider than the screen)."""

    def row(item: rx.Var) -> rx.Component:
        props = dict(row_props(item)) if row_props else {}
        extra = props.pop("class_name", None)
        if extra is None:
            cls: Any = _ROW
        else:
            cls = f"{_ROW} {extra}" if isinstance(extra, str) else rx.Var.create(f"{_ROW} ") + extra
        return rx.el.tr(*(_cell(col, item) for col in columns), class_name=cls, **props)

    label = _label(name)
    root_props: dict[str, Any] = {"variant": variant}
    if size is not None:
        root_props["size"] = size
    if busy is not None:
        root_props["aria_busy"] = rx.cond(busy, "true", "false")
    if table_id is not None:
        root_props["id"] = table_id
    table = rx.table.root(
        rx.el.caption(label, class_name="sr-only" if caption == "hidden" else "table-caption"),
        *([rx.table.header(rx.el.tr(*(_header(col, sorting) for col in columns), class_name=_ROW))] if head else []),
        rx.table.body(rx.foreach(rows, row)),
        width="100%",
        class_name="portal-table",
        **root_props,
    )
    if card is None:
        return rx.box(table, overflow_x="auto", **box_props)
    return rx.fragment(
        rx.box(table, overflow_x="auto", display=rx.breakpoints(initial="none", **{wide: "block"}), **box_props),
        rx.el.ul(
            rx.foreach(rows, card),
            aria_label=label,
            display=rx.breakpoints(initial="flex", **{wide: "none"}),
            flex_direction="column",
            gap="0.75rem",
            padding="0",
            margin="0",
        ),
    )


def titled_section(title_key: str, title_id: str, *children: rx.Component, **props: Any) -> rx.Component:
    """A section with an h2 title that names it (a table or list of its own follows)."""
    return rx.el.section(
        rx.heading(text(title_key), as_="h2", size="4", margin_bottom="0.75rem", id=title_id),
        *children,
        aria_labelledby=title_id,
        **props,
    )


def none_yet(key: str, when: Any, gap: str = "0.75rem", **props: Any) -> rx.Component:
    """The text for an empty table (``key``), shown while ``when`` holds."""
    return rx.cond(when, rx.text(text(key), margin_top=gap, **props))


def pager(rows: type[rx.State], previous: Any, following: Any, messages: str, name: str) -> rx.Component:
    """The line under a paged table: "first–last of total", and the previous and next buttons around "page p of
    n". ``rows`` is the state holding ``page``, ``pages``, ``total``, ``first_row`` and ``last_row``; ``messages``
    the prefix of its texts (``<messages>.range``, ``.previous``, ``.page_of``, ``.next``); ``name`` the prefix of
    its ids (``<name>-range``, ``<name>-page``)."""
    page, pages = rows.page, rows.pages  # type: ignore[attr-defined]
    return rx.flex(
        rx.text(
            SessionState.t[f"{messages}.range"]
            .to(str)
            .replace("{first}", rows.first_row.to(str))  # type: ignore[attr-defined]
            .replace("{last}", rows.last_row.to(str))  # type: ignore[attr-defined]
            .replace("{total}", rows.total.to(str)),  # type: ignore[attr-defined]
            id=f"{name}-range",
            aria_live="polite",
        ),
        rx.spacer(),
        rx.button(
            rx.icon("chevron-left", size=16, aria_hidden="true"),
            text(f"{messages}.previous"),
            variant="soft",
            disabled=page <= 1,
            on_click=previous,
        ),
        rx.text(
            SessionState.t[f"{messages}.page_of"]
            .to(str)
            .replace("{page}", page.to(str))
            .replace("{pages}", pages.to(str)),
            id=f"{name}-page",
        ),
        rx.button(
            text(f"{messages}.next"),
            rx.icon("chevron-right", size=16, aria_hidden="true"),
            variant="soft",
            disabled=page >= pages,
            on_click=following,
        ),
        spacing="3",
        align="center",
        wrap="wrap",
        margin_top="1rem",
    )
