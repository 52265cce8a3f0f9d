"""HTTP routes beside the Reflex pages: turning a login ticket into an HttpOnly session cookie, logout, and
the one route through which stored files are served (``/files/<signed link>``)."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import Route

from portal.config import get_settings
from portal.db import session_scope
from portal.services import accounts, exports, files
from portal.services.principal import NoAccess

SESSION_COOKIE = "portal_session"
FILE_KINDS = (exports,)  # importing a service registers its file resolver (``files.register``)


async def complete_login(request: Request) -> RedirectResponse:
    """Exchange the one-time ticket of a finished login for the session cookie; land on the home. The ticket
    counts only with the browser key that the login page set in this browser (a ticket URL opened in another
    browser gives no session); that cookie is cleared either way. The session cookie lives as long as the
    session may (``PORTAL_SESSION_HOURS``)."""
    ticket = request.query_params.get("ticket", "")[:128]
    browser_key = request.cookies.get(accounts.BROWSER_COOKIE, "")[:128]
    ip = request.client.host if request.client else ""
    with session_scope() as db:
        result = accounts.redeem_ticket(db, ticket, browser_key, ip=ip) if ticket else None
    settings = get_settings()
    if result is None:
        response = RedirectResponse("/login", status_code=303)
    else:
        token, home = result
        response = RedirectResponse(home, status_code=303)
        response.set_cookie(
            SESSION_COOKIE,
            token,
            max_age=settings.session_hours * 3600,
            httponly=True,
            samesite="lax",
            secure=settings.base_url.startswith("https://"),
            path="/",
        )
    response.delete_cookie(accounts.BROWSER_COOKIE, path=accounts.BROWSER_COOKIE_PATH)
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


async def download(request: Request) -> Response:
    """Serve a stored file to the signed-in user the link was made for (scope checked again); anything
    else goes to the "no access" page, with an audit entry."""
    token = str(request.path_params.get("token", ""))[:1024]
    cookie = request.cookies.get(SESSION_COOKIE, "")
    ip = request.client.host if request.client else ""
    with session_scope() as db:
        principal = accounts.resolve_session(db, cookie) if cookie else None
        try:
            served = files.serve(db, principal, token, ip=ip)
        except NoAccess:
            served = None  # the denial is audited in this transaction, which commits
    if served is None:
        return RedirectResponse("/no-access", status_code=303, headers={"Cache-Control": "no-store"})
    return FileResponse(
        served.path,
        media_type=served.media_type,
        filename=served.download_name,
        content_disposition_type="inline" if served.inline else "attachment",
        headers={"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"},
    )


api = Starlette(
    routes=[
        Route("/auth/complete", complete_login, methods=["GET"]),
        Route("/auth/logout", logout, methods=["GET"]),
        Route("/files/{token:str}", download, methods=["GET"]),
    ]
)
