"""A page load resets the states of every page that is no longer shown (security issue, finding 1: personal
data stays in state no longer than the page needs), and a change of session resets them all."""

from __future__ import annotations

import reflex as rx

from portal.state.auth import SessionState
from portal.state.binding import forget_other_pages, page_shows, portal_states, session_key, wipe_all
from portal.state.employer.detail import DetailState
from portal.state.employer.participants import ParticipantRowsState, ParticipantsState
from portal.state.login import LoginState


async def _filled() -> tuple[rx.State, DetailState, ParticipantRowsState, SessionState]:
    root = rx.State(_reflex_internal_init=True)
    detail = await root.get_state(DetailState)
    detail.person = [["BSN", "123456782"]]
    detail.name = "Assob, G., ter"
    detail._participation_id = 5
    rows = await root.get_state(ParticipantRowsState)
    rows.total = 7
    session = await root.get_state(SessionState)
    session.user_name = "HR"
    session.lang = "en"
    return root, detail, rows, session


async def test_a_page_load_resets_what_the_new_page_does_not_show() -> None:
    page_shows("/test/overview", ParticipantsState, ParticipantRowsState)
    root, detail, rows, session = await _filled()
    await forget_other_pages(root, "/test/overview/")
    assert detail.person == [] and detail.name == "" and detail._participation_id is None
    assert rows.total == 7, "the overview shows its rows: they stay"
    assert session.user_name == "HR", "who is signed in stays while the session lives"


async def test_an_unknown_page_keeps_only_the_session() -> None:
    root, detail, rows, session = await _filled()
    await forget_other_pages(root, "/nowhere")
    assert detail.person == [] and rows.total == 0
    assert session.user_name == "HR"


async def test_a_change_of_session_resets_every_state_but_the_language() -> None:
    root, detail, rows, session = await _filled()
    await wipe_all(root)
    assert detail.person == [] and rows.total == 0 and session.user_name == ""
    assert session.lang == "en", "the language is no personal data and stays with the browser"


def test_every_portal_state_is_covered_and_the_key_hides_the_token() -> None:
    assert {DetailState, ParticipantRowsState, SessionState, LoginState} <= set(portal_states())
    assert session_key("") == ""
    assert session_key("abc") != session_key("abd") and "abc" not in session_key("abc")
