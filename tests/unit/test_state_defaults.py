"""A new tab's hydration builds the whole state tree's values (``State.dict()``, every substate). A state var
whose default is a value (not a factory) is deep-copied each time; for a plotly figure that is about 20 ms, so
nine chart figures once cost about 200 ms on every new tab and reload of every front end."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest
from reflex.state import State

import portal.portal  # noqa: F401 - registers every page's states


def test_hydrating_a_new_tab_copies_no_figure(monkeypatch: pytest.MonkeyPatch) -> None:
    copied: list[object] = []

    def refuse_copy(figure: go.Figure, memo: dict) -> go.Figure:
        copied.append(figure)
        return go.Figure()

    monkeypatch.setattr(go.Figure, "__deepcopy__", refuse_copy, raising=False)
    values = State(_reflex_internal_init=True).dict()
    figures = [
        name
        for substate in values.values()
        if isinstance(substate, dict)
        for name, value in substate.items()
        if isinstance(value, go.Figure)
    ]
    assert len(figures) >= 9  # the employer's five charts and the dashboard's four are there ...
    assert copied == []  # ... each built new, none copied from a class default
