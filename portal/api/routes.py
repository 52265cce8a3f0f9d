"""HTTP routes beside the Reflex pages: turning a login ticket into an HttpOnly session cookie, logout."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import Route

from portal.config import get_settings
from portal.db import session_scope
from portal.services import accounts

SESSION_COOKIE = "portal_session"


async def complete_login(request: Request) -> RedirectResponse:
    """Exchange the one-time ticket of a finished login for the session cookie; land on the home."""
    ticket = request.query_params.get("ticket", "")[:128]
    with session_scope() as db:
        result = accounts.redeem_ticket(db, ticket) if ticket else None
    if result is None:
        return RedirectResponse("/login", status_code=303)
    token, home = result
    response = RedirectResponse(home, status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        httponly=True,
        samesite="lax",
        secure=get_settings().base_url.startswith("https://"),
        path="/",
    )
    response.headers["Cache-Control"] = "no-store"
    return response


async def logout(request: Request) -> RedirectResponse:
    """End the server-side session and clear the cookie."""
    token = request.cookies.get(SESSION_COOKIE, "")
    if token:
        with session_scope() as db:
            accounts.end_session(db, token)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    response.headers["Cache-Control"] = "no-store"
    return response


api = Starlette(
    routes=[
        Route("/auth/complete", complete_login, methods=["GET"]),
        Route("/auth/logout", logout, methods=["GET"]),
    ]
)
