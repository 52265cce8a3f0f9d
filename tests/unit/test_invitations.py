"""Who is invited to the employee front end, and when a link still works (BULK-3): pure rules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from portal.domain.invitations import Candidate, decide, expires_at, link_usable, new_token

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def _c(**kw: object) -> Candidate:
    base: dict[str, object] = {
        "business_email": "a.b@firma.example",
        "has_participation": True,
        "own_account": None,
        "other_account": False,
        "open_invitation_email": None,
    }
    return Candidate(**(base | kw))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kw", "decision"),
    [
        ({}, "invite"),
        ({"business_email": "  "}, "none"),  # no address: nobody to mail
        ({"has_participation": False}, "none"),  # an employee without a participation has nothing to see
        ({"other_account": True}, "none"),  # the same human has an account via another record: no second one
        ({"own_account": "active"}, "none"),  # activated: never invited again
        ({"own_account": "disabled"}, "none"),
        ({"own_account": "invited", "open_invitation_email": "a.b@firma.example"}, "none"),  # same address again
        (
            {
                "own_account": "invited",
                "business_email": "A.B@Firma.example ",
                "open_invitation_email": "a.b@firma.example",
            },
            "none",
        ),
        ({"own_account": "invited", "open_invitation_email": "old@firma.example"}, "readdress"),
        ({"own_account": "invited"}, "readdress"),  # invited before invitations existed: gets one now
    ],
)
def test_who_is_invited(kw: dict[str, object], decision: str) -> None:
    assert decide(_c(**kw)) == decision


def test_a_link_works_once_until_it_expires() -> None:
    end = expires_at(NOW, 14)
    assert end == NOW + timedelta(days=14)
    assert link_usable(end, None, None, "invited", end - timedelta(seconds=1))
    assert not link_usable(end, None, None, "invited", end)  # the boundary: expired
    assert not link_usable(end, NOW, None, "invited", NOW)  # used
    assert not link_usable(end, None, NOW, "invited", NOW)  # withdrawn for a newer address
    assert not link_usable(end, None, None, "active", NOW)  # activated another way
    assert not link_usable(None, None, None, "invited", NOW)  # never mailed


def test_tokens_are_random_and_long() -> None:
    tokens = {new_token() for _ in range(100)}
    assert len(tokens) == 100 and all(len(t) >= 43 for t in tokens)
