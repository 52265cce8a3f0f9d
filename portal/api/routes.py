"""HTTP routes beside the Reflex pages: turning a login ticket into an HttpOnly session cookie, sign-in with
the national eID (``/auth/eid/start`` and its callback, AUTH-6) and signing a form with a fresh eID sign-in
(``/auth/eid/sign``, the same callback), logout, the upload of collective-change
files, and the one route through which stored files are served (``/files/<signed link>``).

A route that changes something for the signed-in user (logout, upload) answers only a POST from the portal's
own origin that carries the session's CSRF token (``portal.core.csrf``): the session cookie alone is not
enough. Reflex's own ``/_upload`` endpoint is not used (it trusts the client token of a websocket)."""

from __future__ import annotations

import contextlib
import hashlib
import secrets
from urllib.parse import quote, unquote

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from portal.api import payroll
from portal.core import clock, csrf, oidc
from portal.core.config import get_settings
from portal.core.db import session_scope
from portal.domain.bulk import MAX_FILE_BYTES
from portal.i18n import normalise_language, t
from portal.services import accounts, audit, collective, files, forms, privacy, reconciliation
from portal.services.errors import FieldError
from portal.services.exports import participant_file as exports
from portal.services.principal import NoAccess, Principal, acting_for

SESSION_COOKIE = "portal_session"
# importing a service registers its file resolvers (``files.register``)
FILE_KINDS = (exports, reconciliation, forms, privacy)


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
        if result is not None:  # a fresh session id at every sign-in: the one this browser held is ended
            accounts.replace_session(db, request.cookies.get(SESSION_COOKIE, "")[:128], result[0])
    response = _signed_in(result) if result is not None else RedirectResponse("/login", status_code=303)
    response.delete_cookie(accounts.BROWSER_COOKIE, path=accounts.BROWSER_COOKIE_PATH)
    response.headers["Cache-Control"] = "no-store"
    return response


def _signed_in(redeemed: tuple[str, str]) -> RedirectResponse:
    """To the home of a session just opened, with its token in the HttpOnly session cookie (living as long as
    the session may, ``PORTAL_SESSION_HOURS``)."""
    settings = get_settings()
    token, home = redeemed
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
    return response


EID_COOKIE = "portal_eid_flow"  # state, nonce and PKCE verifier of the browser's pending eID sign-in
EID_COOKIE_PATH = "/auth/eid"
EID_FLOW_SECONDS = 600  # a sign-in at the eID must come back within ten minutes


def _eid_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(get_settings().secret, salt="portal.eid.flow")


def _eid_refused(reason: str) -> RedirectResponse:
    """To the login page, which explains the refusal (NL/EN); the flow cookie goes."""
    response = RedirectResponse(f"/login?eid={quote(reason)}", status_code=303, headers={"Cache-Control": "no-store"})
    response.delete_cookie(EID_COOKIE, path=EID_COOKIE_PATH)
    return response


async def eid_start(request: Request) -> Response:
    """Begin a sign-in at the national eID (authorization code flow with PKCE S256, state and nonce): keep the
    flow in a signed, HttpOnly cookie of this browser (ten minutes) and send the browser to the provider."""
    settings = get_settings()
    if not oidc.configured(settings):
        return RedirectResponse("/login", status_code=303)
    try:
        url, flow = await run_in_threadpool(oidc.start, settings)
    except oidc.OidcError as err:
        with session_scope() as db:
            accounts.refuse_eid(db, err.reason, settings.oidc_issuer, ip=_client_ip(request))
        return _eid_refused(err.reason)
    response = RedirectResponse(url, status_code=303, headers={"Cache-Control": "no-store"})
    response.set_cookie(
        EID_COOKIE,
        _eid_serializer().dumps([flow.state, flow.nonce, flow.verifier]),
        max_age=EID_FLOW_SECONDS,
        httponly=True,
        samesite="lax",  # sent on the provider's top-level redirect back to the callback
        secure=settings.base_url.startswith("https://"),
        path=EID_COOKIE_PATH,
    )
    return response


def _eid_finish(
    flow: oidc.Flow | None, params: dict[str, str], agent: str, ip: str, old_token: str = ""
) -> tuple[str, str] | str:
    """The callback's work (blocking HTTP to the provider, the database): the redeemed session (token, home),
    or the refusal reason, audited."""
    settings = get_settings()
    try:
        if params["error"]:
            raise oidc.OidcError("provider_error")
        if flow is None:
            raise oidc.OidcError("state")
        claims = oidc.finish(settings, flow, params["state"], params["code"])
    except oidc.OidcError as err:
        with session_scope() as db:
            accounts.refuse_eid(db, err.reason, settings.oidc_issuer, ip=ip)
        return err.reason
    with session_scope() as db:
        outcome = accounts.sign_in_with_eid(db, settings.oidc_issuer, claims, agent, ip)
        if outcome.ticket is None:
            return outcome.reason
        redeemed = accounts.redeem_ticket(db, outcome.ticket.ticket, outcome.ticket.browser_key, ip=ip)
        if redeemed is not None:  # a fresh session id at every sign-in: the one this browser held is ended
            accounts.replace_session(db, old_token, redeemed[0])
    return redeemed if redeemed is not None else "session"


async def eid_callback(request: Request) -> Response:
    """The eID sends the browser back here with ``code`` and ``state``: only the browser holding the flow
    cookie of that state gets on; the code is exchanged, the ID token verified and the national id matched to
    one person (``accounts.sign_in_with_eid``). Success: the session cookie, as after password + TOTP, and the
    employee's home. Anything else: the login page with the reason, nothing linked, an audit entry."""
    raw = request.cookies.get(EID_COOKIE, "")[:2048]
    flow = None
    try:
        values = _eid_serializer().loads(raw, max_age=EID_FLOW_SECONDS) if raw else None
        if isinstance(values, list) and len(values) == 3 and all(isinstance(v, str) for v in values):
            flow = oidc.Flow(*values)
        elif isinstance(values, dict) and values.get("purpose") == "sign":
            return await _eid_sign_callback(request, values)
    except BadSignature:
        flow = None
    params = {k: request.query_params.get(k, "")[:512] for k in ("state", "code", "error")}
    agent = request.headers.get("user-agent", "")[:200]
    old_token = request.cookies.get(SESSION_COOKIE, "")[:128]
    result = await run_in_threadpool(_eid_finish, flow, params, agent, _client_ip(request), old_token)
    if isinstance(result, str):
        return _eid_refused(result)
    response = _signed_in(result)
    response.delete_cookie(EID_COOKIE, path=EID_COOKIE_PATH)
    response.headers["Cache-Control"] = "no-store"
    return response


# Signing a form with a fresh eID sign-in (EE-5): the same flow, with ``prompt=login`` and ``max_age=0``, and the
# same cookie, holding what to sign (the form, the SHA-256 of the PDF shown), when it began and which session asked.
EID_SIGN_RESULT = "eid"  # the form page's query flag: "signed", a refusal's message key, or "failed"


def _session_hash(token: str) -> str:
    """What the flow cookie keeps of the session that started a signing (never the token itself)."""
    return hashlib.sha256(f"eid-sign:{token}".encode()).hexdigest()


def _form_page(form_id: str, result: str = "") -> RedirectResponse:
    """Back to the employee's form page (the list for an id that is not a number), with the result flag."""
    path = f"/employee/forms/{form_id}" if form_id.isdigit() else "/employee/forms"
    query = f"?{EID_SIGN_RESULT}={quote(result)}" if result and form_id.isdigit() else ""
    response = RedirectResponse(path + query, status_code=303, headers={"Cache-Control": "no-store"})
    response.delete_cookie(EID_COOKIE, path=EID_COOKIE_PATH)
    return response


def _sign_ready(principal: Principal, form_id: str, sha: str, ip: str) -> str:
    """'' when the form may be signed with the eID now; else the result flag for the form page (refusals are
    audited by the service)."""
    try:
        with session_scope() as db:
            forms.sign_ready(db, principal, form_id, sha, ip)
    except NoAccess:
        return "failed"
    except FieldError as err:
        return err.key
    return ""


async def eid_sign(request: Request) -> Response:
    """``GET /auth/eid/sign?form=<id>&sha=<SHA-256 of the PDF shown>&csrf=<the session's CSRF token>`` from the
    employee's form page (a link, as the login's eID button: a form may post to the portal only): with the live
    session cookie and its CSRF token (a link sent by someone else starts nothing: back to the form to review), for
    a form of theirs that waits for their signature, and an account linked to an eID
    subject (checked before anything else, refusals audited), the browser goes to the eID with ``prompt=login``
    and ``max_age=0`` (a new authentication, ``auth_time`` in the token); the flow cookie keeps state, nonce,
    verifier, the form, the SHA-256, the start time and the session token's hash. Anything else: back to the form
    page with the reason."""
    settings = get_settings()
    form_id = request.query_params.get("form", "")[:20]
    sha = request.query_params.get("sha", "")[:64]
    token = request.cookies.get(SESSION_COOKIE, "")[:128]
    principal = await run_in_threadpool(_live_principal, token)
    if principal is None:
        return RedirectResponse("/login", status_code=303, headers={"Cache-Control": "no-store"})
    if not csrf.valid(token, request.query_params.get(csrf.FIELD, "")[:128]):
        # not from the portal's own page (a link someone sent): the employee has to review the form first
        _audit_refused(request, principal, "csrf_token")
        return _form_page(form_id)
    if not oidc.configured(settings):
        return _form_page(form_id, "failed")
    refused = await run_in_threadpool(_sign_ready, principal, form_id, sha, _client_ip(request))
    if refused:
        return _form_page(form_id, refused)
    started = clock.now().timestamp()
    try:
        url, flow = await run_in_threadpool(oidc.start, settings, oidc.FRESH_LOGIN)
    except oidc.OidcError as err:
        with session_scope() as db:
            forms.eid_sign_refused(db, principal, form_id, err.reason, _client_ip(request))
        return _form_page(form_id, "failed")
    values = {
        "purpose": "sign",
        "state": flow.state,
        "nonce": flow.nonce,
        "verifier": flow.verifier,
        "form": form_id,
        "sha": sha,
        "started_at": started,
        "session": _session_hash(token),
    }
    response = RedirectResponse(url, status_code=303, headers={"Cache-Control": "no-store"})
    response.set_cookie(
        EID_COOKIE,
        _eid_serializer().dumps(values),
        max_age=EID_FLOW_SECONDS,
        httponly=True,
        samesite="lax",
        secure=settings.base_url.startswith("https://"),
        path=EID_COOKIE_PATH,
    )
    return response


def _eid_sign_finish(values: dict, params: dict[str, str], token: str, ip: str) -> str:
    """The signing callback's work (HTTP to the provider, the database, pyHanko): the result flag for the form
    page ("signed", a refusal's message key, "failed"), or "login" when the session is gone."""
    settings = get_settings()
    form_id = str(values.get("form", ""))[:20]
    with session_scope() as db:
        principal = accounts.resolve_session(db, token) if token else None
    same = isinstance(values.get("session"), str) and secrets.compare_digest(
        values["session"].encode(), _session_hash(token).encode()
    )
    if principal is None or not same:
        if principal is not None:  # another live session than the one that started: audited on its form
            with contextlib.suppress(NoAccess), session_scope() as db:
                forms.eid_sign_refused(db, principal, form_id, "session", ip)
            return "failed"
        with contextlib.suppress(NoAccess), session_scope() as db:  # audited as a denied access (no session)
            forms.eid_sign_refused(db, None, form_id, "session", ip)
        return "login"
    try:
        if params["error"]:
            raise oidc.OidcError("provider_error")
        flow = oidc.Flow(str(values.get("state", "")), str(values.get("nonce", "")), str(values.get("verifier", "")))
        claims = oidc.finish(settings, flow, params["state"], params["code"])
    except oidc.OidcError as err:
        with contextlib.suppress(NoAccess), session_scope() as db:
            forms.eid_sign_refused(db, principal, form_id, err.reason, ip)
        return "failed"
    started = values.get("started_at")
    try:
        with session_scope() as db:
            forms.sign_with_eid(db, principal, form_id, values.get("sha", ""), claims, started, ip)
    except NoAccess:
        return "failed"
    except FieldError as err:
        return err.key
    return "signed"


async def _eid_sign_callback(request: Request, values: dict) -> Response:
    """The eID sends the browser back after a signing sign-in: finish the flow, check the session is the live one
    that started it, and sign (``forms.sign_with_eid``, in the thread pool: pyHanko runs its own event loop); back
    to the form page with the result."""
    params = {k: request.query_params.get(k, "")[:512] for k in ("state", "code", "error")}
    token = request.cookies.get(SESSION_COOKIE, "")[:128]
    result = await run_in_threadpool(_eid_sign_finish, values, params, token, _client_ip(request))
    if result == "login":
        response = RedirectResponse("/login", status_code=303, headers={"Cache-Control": "no-store"})
        response.delete_cookie(EID_COOKIE, path=EID_COOKIE_PATH)
        return response
    return _form_page(str(values.get("form", ""))[:20], result)


def _client_ip(request: Request) -> str:
    return request.client.host if request.client else ""


def _forged(request: Request, cookie: str, token: object, principal: Principal | None = None) -> bool:
    """Whether a state-changing request lacks the portal's own Origin or the session's CSRF token. A refusal
    for a live session is audited: someone may be acting in that user's name."""
    origin_ok = csrf.same_origin(request.headers.get("origin"))
    if origin_ok and csrf.valid(cookie, token):
        return False
    principal = principal or _live_principal(cookie)
    if principal is not None:
        _audit_refused(request, principal, "origin" if not origin_ok else "csrf_token")
    return True


def _audit_refused(request: Request, principal: Principal, reason: str) -> None:
    """A request of a live session refused as possibly forged (``request.refused``: the route and the reason)."""
    with session_scope() as db:
        audit.record(
            db,
            "request.refused",
            actor=principal,
            object_type="route",
            object_id=request.url.path,
            ip=_client_ip(request),
            reason=reason,
        )


def _live_principal(cookie: str) -> Principal | None:
    """The principal of the session in the cookie (None without a cookie or a live session)."""
    if not cookie:
        return None
    with session_scope() as db:
        return accounts.resolve_session(db, cookie)


async def logout(request: Request) -> Response:
    """End the server-side session and clear the cookie: a POST from the portal's own page with the session's
    CSRF token (a link or another site cannot sign a user out)."""
    token = request.cookies.get(SESSION_COOKIE, "")
    form = await request.form(max_files=0, max_fields=8, max_part_size=4096)
    if token and _forged(request, token, form.get(csrf.FIELD)):
        return PlainTextResponse(
            "Uitloggen geweigerd: laad de pagina opnieuw. / Logout refused: reload the page.",
            status_code=403,
            headers={"Cache-Control": "no-store"},
        )
    if token:
        with session_scope() as db:
            accounts.end_session(db, token)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    response.headers["Cache-Control"] = "no-store"
    return response


async def _body_within(request: Request, limit: int) -> bytes | None:
    """The request body, read while it streams in; None as soon as it is larger than ``limit`` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        return None
    data = bytearray()
    async for chunk in request.stream():
        data.extend(chunk)
        if len(data) > limit:
            return None
    return bytes(data)


def _store_upload(principal: Principal, params: dict[str, str], name: str, data: bytes, lang: str) -> int:
    with session_scope() as db:
        batch = collective.upload(
            db, principal, params["scheme"], params["kind"], name, data, params["effective"], lang
        )
    return batch.id or 0


URL_UPLOAD = "/api/collective/upload"


NO_STORE = {"Cache-Control": "no-store"}


async def _guarded_upload(request: Request) -> tuple[Principal, str, bytes] | JSONResponse:
    """The guards of every file upload from a portal page: a live session (cookie), the portal's own Origin and the
    session's CSRF token, at most 20 MB counted as it streams in. The principal, the language and the file's bytes;
    or the refusal to answer (nothing read beyond the limit)."""
    cookie = request.cookies.get(SESSION_COOKIE, "")
    principal = _live_principal(cookie)
    lang = normalise_language(request.cookies.get("portal_lang"), principal.language if principal else "nl")
    if principal is None:
        return JSONResponse({"ok": False, "redirect": "/login"}, status_code=401, headers=NO_STORE)
    if _forged(request, cookie, request.headers.get(csrf.HEADER), principal):
        message = t("bulk.upload_refused", lang)
        return JSONResponse({"ok": False, "field": "file", "error": message}, status_code=403, headers=NO_STORE)
    data = await _body_within(request, MAX_FILE_BYTES)
    if data is None:
        message = t("file_too_large", lang, limit_mb=MAX_FILE_BYTES // (1024 * 1024))
        return JSONResponse({"ok": False, "field": "file", "error": message}, status_code=413, headers=NO_STORE)
    return principal, lang, data


async def collective_upload(request: Request) -> JSONResponse:
    """BULK upload: the raw file as the body of a POST from the collective page (``X-File-Name`` its
    URL-encoded name; scheme, kind and effective date in the query, and ``acting`` the employer an adviser
    acts for on an acting page, checked against the portfolio). Only with the session cookie, the
    portal's own Origin and the session's CSRF token (``X-CSRF-Token``); at most 20 MB, counted as it
    streams in. The file goes to the same service as every upload (scope, type, size, duplicates)."""
    guarded = await _guarded_upload(request)
    if isinstance(guarded, JSONResponse):
        return guarded
    principal, lang, data = guarded
    headers = dict(NO_STORE)
    params = {k: request.query_params.get(k, "")[:64] for k in ("scheme", "kind", "effective")}
    name = unquote(request.headers.get("x-file-name", ""))[:255]
    acting_raw = request.query_params.get("acting")
    try:
        if acting_raw is not None:  # from an employer's page in the portfolio (INT-2): for that employer only
            principal = acting_for(principal, acting_raw[:20])
        batch_id = await run_in_threadpool(_store_upload, principal, params, name, data, lang)
    except NoAccess as refused:
        with session_scope() as db:
            ip = request.client.host if request.client else ""
            audit.access_denied(db, principal, URL_UPLOAD, ip=ip, reason=refused.reason)
        return JSONResponse({"ok": False, "redirect": "/no-access"}, status_code=403, headers=headers)
    except FieldError as err:
        field = err.field if err.field in ("effective", "file") else "file"
        message = t(err.key, lang, **err.params)
        return JSONResponse({"ok": False, "field": field, "error": message}, status_code=422, headers=headers)
    return JSONResponse({"ok": True, "batch": batch_id}, status_code=201, headers=headers)


URL_RECONCILIATION = "/api/reconciliation/upload"
RECONCILIATION_PARAMS = ("employer", "scheme", "as_of", "money", "parttime")


def _reconcile(principal: Principal, params: dict[str, str], name: str, data: bytes, lang: str) -> int:
    with session_scope() as db:
        return reconciliation.queue_file(
            db, principal, params["employer"], params["scheme"], params["as_of"], name, data,
            params["money"], params["parttime"], lang,
        )  # fmt: skip


async def reconciliation_upload(request: Request) -> JSONResponse:
    """INT-7 upload: the insurer's list (xlsx or csv) as the raw body of a POST from the reconciliation page
    (``X-File-Name`` its URL-encoded name; employer, scheme, as-of date and tolerances in the query). The same
    guards as the collective upload: session cookie, own Origin, the session's CSRF token, at most 20 MB counted
    as it streams in. A foreign employer or scheme is audited and refused; a bad date, tolerance or file (empty,
    too large, neither xlsx nor csv) gets its reason at the field and nothing is stored. Else the file is kept for
    a reconciliation job (``reconciliation.queue_file``) and the answer names the job run the page follows."""
    guarded = await _guarded_upload(request)
    if isinstance(guarded, JSONResponse):
        return guarded
    principal, lang, data = guarded
    headers = dict(NO_STORE)
    params = {k: request.query_params.get(k, "")[:64] for k in RECONCILIATION_PARAMS}
    name = unquote(request.headers.get("x-file-name", ""))[:255]
    try:
        job_id = await run_in_threadpool(_reconcile, principal, params, name, data, lang)
    except NoAccess as refused:
        with session_scope() as db:
            audit.access_denied(db, principal, URL_RECONCILIATION, ip=_client_ip(request), reason=refused.reason)
        return JSONResponse({"ok": False, "redirect": "/no-access"}, status_code=403, headers=headers)
    except FieldError as err:
        field = err.field if err.field in ("as_of", "tolerance", "tolerance_pt", "file") else "file"
        message = t(err.key, lang, **err.params)
        return JSONResponse({"ok": False, "field": field, "error": message}, status_code=422, headers=headers)
    return JSONResponse({"ok": True, "job": job_id}, status_code=202, headers=headers)


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
    headers = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}
    disposition = "inline" if served.inline else "attachment"
    if served.data is not None:  # made for this download only (personal data): sent from memory, never stored
        name = quote(served.download_name)
        headers["Content-Disposition"] = (
            f'{disposition}; filename="{name}"'
            if name == served.download_name
            else f"{disposition}; filename*=utf-8''{name}"
        )
        return Response(served.data, media_type=served.media_type, headers=headers)
    return FileResponse(
        served.path,
        media_type=served.media_type,
        filename=served.download_name,
        content_disposition_type=disposition,
        headers=headers,
    )


api = Starlette(
    routes=[
        Route("/auth/complete", complete_login, methods=["GET"]),
        Route("/auth/eid/start", eid_start, methods=["GET"]),
        Route("/auth/eid/sign", eid_sign, methods=["GET"]),
        Route(oidc.CALLBACK_PATH, eid_callback, methods=["GET"]),
        Route("/auth/logout", logout, methods=["POST"]),
        Route(URL_UPLOAD, collective_upload, methods=["POST"]),
        Route(URL_RECONCILIATION, reconciliation_upload, methods=["POST"]),
        Route("/files/{token:str}", download, methods=["GET"]),
        *payroll.ROUTES,  # the payroll API under /api/v1 (API-1)
    ]
)
