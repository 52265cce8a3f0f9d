"""The portal's one table component (``portal.components.table``): every table is drawn by it, named by its
caption, with header cells for the columns and a header cell that names each row; sortable headers are buttons
that say how the table is sorted; on a phone its cards are a list with the table's name."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import reflex as rx

from portal.components.table import Column, ColumnPerItem, Sorting, data_table
from portal.pages.employer.participants import COLUMNS as PARTICIPANT_COLUMNS
from portal.state.employer.participants import SORTABLE

PORTAL = Path(__file__).resolve().parents[2] / "portal"


class TableTestState(rx.State):
    rows: list[list[str]] = []  # noqa: RUF012 (Reflex state vars are declared with mutable defaults)
    years: list[str] = []  # noqa: RUF012
    sort: str = "a"
    ascending: bool = True

    @rx.event
    def sort_by(self, column: str):
        self.sort = column


S = TableTestState
COLUMNS = (
    Column("t.a", lambda r: r[0], names_row=True, sort="a"),
    Column("t.b", lambda r: r[1], right=True, nowrap=True),
)


def _jsx(component: rx.Component) -> str:
    return str(component)


def test_a_table_is_named_by_its_caption_and_its_cells_say_what_they_are() -> None:
    sorting = Sorting(S.sort, S.ascending, S.sort_by)
    out = _jsx(data_table(COLUMNS, S.rows, name="t.name", table_id="t", sorting=sorting))
    assert re.search(r'jsx\("caption",\{className:"sr-only"\},[^)]*\["t\.name"\]', out), "hidden caption = its name"
    assert out.count('scope:"col"') == 2
    assert re.search(r'jsx\("th",\{className:"rt-TableCell rt-TableRowHeaderCell",scope:"row"\}', out)
    assert 'className:"rt-TableCell cell-right cell-nowrap"' in out
    assert 'className:"rt-TableCell rt-TableColumnHeaderCell cell-right",scope:"col"' in out
    assert 'id:"t"' in out


def test_a_visible_caption_and_a_table_without_header_row() -> None:
    out = _jsx(data_table(COLUMNS[1:], S.rows, name="t.name", caption="visible", head=False))
    assert 'jsx("caption",{className:"table-caption"}' in out
    assert "RadixThemesTable.Header" not in out and 'scope:"col"' not in out


def test_a_sortable_header_is_a_button_that_says_how_the_table_is_sorted() -> None:
    out = _jsx(data_table(COLUMNS, S.rows, name="t.name", sorting=Sorting(S.sort, S.ascending, S.sort_by)))
    assert '"aria-sort":' in out and '"ascending"' in out and '"descending"' in out
    assert 'jsx("button",{' in out and 'id:"sort-a"' in out
    assert "sort_by" in out
    assert out.count('"aria-sort"') == 1, "only the sortable column says how it is sorted"


def test_a_sortable_column_needs_its_table_to_sort() -> None:
    with pytest.raises(ValueError, match="sorts"):
        data_table(COLUMNS, S.rows, name="t.name")


def test_on_a_phone_the_cards_are_a_list_named_like_the_table() -> None:
    out = _jsx(data_table(COLUMNS[1:], S.rows, name="t.name", card=lambda r: rx.el.li(r[0]), wide="sm"))
    assert re.search(r'jsx\("ul",\{"aria-label":[^,]*\["t\.name"\]', out)
    assert "min-width: 48em" in out, "the table from the breakpoint up (sm), the cards below it"


def test_a_column_per_item_and_a_column_shown_only_sometimes() -> None:
    columns = (
        Column("t.a", lambda r: r[0], names_row=True, shown=S.ascending),
        ColumnPerItem(S.years, lambda r: r[1:], right=True),
    )
    out = _jsx(data_table(columns, S.rows, name="t.name"))
    assert "years_rx_state_" in out and 'className:"rt-TableCell cell-right"' in out
    assert out.count("ascending_rx_state_?(") == 2, "header and cell follow the condition"


def test_the_participant_overview_sorts_by_the_keys_its_state_accepts() -> None:
    assert tuple(c.sort for c in PARTICIPANT_COLUMNS if c.sort) == tuple(SORTABLE)


def test_no_page_or_component_draws_a_table_of_its_own() -> None:
    own = PORTAL / "components" / "table.py"
    found = [
        f"{path.relative_to(PORTAL)}: {match.group(0)}"
        for path in sorted(PORTAL.rglob("*.py"))
        if path != own
        for match in re.finditer(r"rx\.(table\.\w+|el\.(table|thead|tbody|tr|th|td)\b|data_table)", path.read_text())
    ]
    assert found == []
