"""The payroll API under ``/api/v1`` (API-1): a payroll package submits the portal's own mutations (new
participant, salary and/or part-time change, exit) and reads the participant list as of a date, with an
employer's API key (``Authorization: Bearer pk_...``).

Each request: the key is checked, counted against its rate and audited in a transaction of its own
(``api_keys.authenticate``); a POST must carry an ``Idempotency-Key`` (the first answer is stored with the
change, in its transaction; the same key with the same request gets it again, with another request 409);
the body (at most 1 MB) is parsed by the pydantic models of ``payroll_schema`` and handed to the same use
cases as the portal's wizards. Every refusal is an RFC 9457 problem (``application/problem+json``) naming
the field and the rule; nothing is stored for a refused request. Another employer's participant or scheme
is 404, and audited (``access.denied``)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlalchemy.exc import IntegrityError
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from portal.api import payroll_openapi
from portal.api.payroll_schema import Exit as ExitBody
from portal.api.payroll_schema import ListQuery, NewParticipant, SalaryParttimeChange
from portal.core.config import get_settings
from portal.core.db import session_scope
from portal.domain import api_keys as rules
from portal.i18n import t
from portal.services import api_keys, audit
from portal.services.errors import FieldError
from portal.services.principal import NoAccess, Principal

PREFIX = "/api/v1"
MAX_BODY = 1024 * 1024
PROBLEM = "application/problem+json"
_NO_STORE = {"Cache-Control": "no-store"}
FIELD_NAMES = {"effective": "effective_date"}  # the services' field names where the API's differ


class Problem(Exception):
    """An answer that is an RFC 9457 problem."""

    def __init__(
        self, status: int, title: str, errors: list[dict[str, Any]] | None = None, detail: str = "", **headers: str
    ) -> None:
        super().__init__(title)
        self.status, self.title, self.errors, self.detail, self.headers = status, title, errors or [], detail, headers

    def response(self) -> Response:
        kind = self.title.lower().replace(" ", "-")
        body = {"type": f"{PREFIX}/problems/{kind}", "title": self.title, "status": self.status}
        body |= {"detail": self.detail or self.title, "errors": self.errors}
        return _json(body, self.status, PROBLEM, {**self.headers})


def _json(
    body: Any, status: int, media_type: str = "application/json", headers: dict[str, str] | None = None
) -> Response:
    content = json.dumps(body, ensure_ascii=False, separators=(",", ":"), default=str).encode("utf-8")
    return Response(content, status_code=status, media_type=media_type, headers={**_NO_STORE, **(headers or {})})


def _message(key: str, params: dict[str, Any]) -> str:
    try:
        return t(key, "en", **params)
    except (KeyError, IndexError, ValueError):
        return t(key, "en")


def _invalid(err: ValidationError) -> Problem:
    errors = [
        {"field": ".".join(str(p) for p in e["loc"]) or "body", "rule": e["type"], "message": e["msg"]}
        for e in err.errors(include_url=False, include_context=False, include_input=False)
    ]
    return Problem(422, "Invalid request", errors)


def _ip(request: Request) -> str:
    return request.client.host if request.client else ""


def _authenticate(request: Request) -> api_keys.Caller:
    settings = get_settings()
    with session_scope() as db:
        try:
            return api_keys.authenticate(
                db,
                request.headers.get("authorization"),
                request.method,
                request.url.path,
                ip=_ip(request),
                limit=settings.api_rate_limit,
                window_seconds=settings.api_rate_window_seconds,
            )
        except api_keys.KeyRefused as refused:
            refusal = refused
    if refusal.status == 429:
        raise Problem(
            429, "Too many requests", detail="Rate limit of this API key", **{"Retry-After": str(refusal.retry_after)}
        )
    rule = {"malformed": "key_malformed", "revoked": "key_revoked"}.get(refusal.reason, "key_unknown")
    raise Problem(
        401,
        "Unauthorized",
        [{"field": "Authorization", "rule": rule, "message": "A valid API key is required."}],
        **{"WWW-Authenticate": 'Bearer realm="api"'},
    )


def _denied(principal: Principal, request: Request, refused: NoAccess) -> Problem:
    with session_scope() as db:
        audit.access_denied(
            db, principal, f"{request.method} {request.url.path}"[:200], ip=_ip(request), reason=refused.reason
        )
    return Problem(404, "Not found")


async def _body(request: Request) -> tuple[bytes, Any]:
    """The body as sent and as parsed JSON (at most 1 MB, counted as it streams in)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY:
        raise Problem(413, "Body too large", [{"field": "body", "rule": "max_size", "message": "At most 1 MB."}])
    data = bytearray()
    async for chunk in request.stream():
        data.extend(chunk)
        if len(data) > MAX_BODY:
            raise Problem(413, "Body too large", [{"field": "body", "rule": "max_size", "message": "At most 1 MB."}])
    kind = request.headers.get("content-type", "application/json").split(";")[0].strip().lower()
    if kind != "application/json":
        raise Problem(
            415,
            "Unsupported media type",
            [{"field": "Content-Type", "rule": "json_required", "message": "Send application/json."}],
        )
    try:
        return bytes(data), json.loads(bytes(data).decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise Problem(
            400, "Malformed JSON", [{"field": "body", "rule": "json_invalid", "message": "The body is not JSON."}]
        ) from None


def _mutate(
    request: Request, caller: api_keys.Caller, idem_key: str, fingerprint: str, work: Callable[[Any], dict[str, Any]]
) -> Response:
    """Replay a stored answer, or do ``work`` and store its answer in the same transaction."""
    key_id, principal = caller.key_id, caller.principal
    for _attempt in range(2):
        try:
            with session_scope() as db:
                stored = api_keys.replay(db, key_id, idem_key)
                if stored is not None:
                    if stored.fingerprint != fingerprint:
                        raise Problem(
                            409,
                            "Idempotency key reused",
                            [
                                {
                                    "field": "Idempotency-Key",
                                    "rule": "key_reused",
                                    "message": "This key was used for another request.",
                                }
                            ],
                        )
                    return Response(
                        stored.body,
                        stored.status_code,
                        media_type="application/json",
                        headers={**_NO_STORE, "Idempotent-Replayed": "true"},
                    )
                answer = work(db)
                body = json.dumps(answer, ensure_ascii=False, separators=(",", ":"))
                api_keys.remember(db, key_id, idem_key, fingerprint, 201, body)
            return Response(body, 201, media_type="application/json", headers=_NO_STORE)
        except IntegrityError:
            continue  # a duplicate request raced this one and stored first: replay its answer
        except FieldError as err:
            field = FIELD_NAMES.get(err.field, err.field)
            error = {"field": field, "rule": err.key, "message": _message(err.key, err.params), "params": err.params}
            raise Problem(422, "Invalid request", [error]) from None
        except NoAccess as refused:
            raise _denied(principal, request, refused) from None
    raise Problem(409, "Idempotency key in use")  # pragma: no cover - a second race on one key


async def _post(
    request: Request, model: type[BaseModel], work: Callable[[Any, Principal, Any], dict[str, Any]]
) -> Response:
    try:
        caller = await run_in_threadpool(_authenticate, request)
        idem_key = request.headers.get("idempotency-key", "")
        if not rules.valid_idempotency_key(idem_key):
            raise Problem(
                400,
                "Idempotency key required",
                [
                    {
                        "field": "Idempotency-Key",
                        "rule": "required",
                        "message": "Send an Idempotency-Key header (1-100 letters, digits or ._:-).",
                    }
                ],
            )
        data, parsed = await _body(request)
        fingerprint = rules.request_fingerprint(request.method, request.url.path, parsed)
        try:
            body = model.model_validate_json(data)  # strict JSON mode: ISO dates, no coercion
        except ValidationError as err:
            raise _invalid(err) from None
        return await run_in_threadpool(
            _mutate, request, caller, idem_key, fingerprint, lambda db: work(db, caller.principal, body)
        )
    except Problem as problem:
        return problem.response()


def _iso(value: Any) -> Any:
    return value.isoformat() if value is not None else None


async def new_participant(request: Request) -> Response:
    def work(db: Any, principal: Principal, body: NewParticipant) -> dict[str, Any]:
        values = body.model_dump(exclude={"scheme_id", "acknowledge"})
        values["birth_date"], values["start_date"] = _iso(body.birth_date), _iso(body.start_date)
        return api_keys.new_participant(db, principal, body.scheme_id, values, body.acknowledge)

    return await _post(request, NewParticipant, work)


async def salary_parttime(request: Request) -> Response:
    number = str(request.path_params["number"])

    def work(db: Any, principal: Principal, body: SalaryParttimeChange) -> dict[str, Any]:
        return api_keys.salary_parttime(
            db, principal, number, _iso(body.effective_date), body.salary, body.parttime, body.acknowledge
        )

    return await _post(request, SalaryParttimeChange, work)


async def exit_participant(request: Request) -> Response:
    number = str(request.path_params["number"])

    def work(db: Any, principal: Principal, body: ExitBody) -> dict[str, Any]:
        return api_keys.exit_participant(db, principal, number, _iso(body.exit_date), body.acknowledge)

    return await _post(request, ExitBody, work)


def _list(request: Request, principal: Principal, query: ListQuery) -> dict[str, Any]:
    try:
        with session_scope() as db:
            return api_keys.participants_as_of(db, principal, query.as_of, query.page, query.page_size, query.scheme_id)
    except NoAccess as refused:
        raise _denied(principal, request, refused) from None


async def list_participants(request: Request) -> Response:
    try:
        principal = (await run_in_threadpool(_authenticate, request)).principal
        try:
            query = ListQuery.model_validate(dict(request.query_params))
        except ValidationError as err:
            raise _invalid(err) from None
        return _json(await run_in_threadpool(_list, request, principal, query), 200)
    except Problem as problem:
        return problem.response()


async def openapi(request: Request) -> Response:
    return _json(payroll_openapi.document(), 200, headers={"Cache-Control": "public, max-age=300"})


async def docs(request: Request) -> Response:
    return HTMLResponse(payroll_openapi.docs_html(), headers={"Cache-Control": "public, max-age=300"})


async def not_found(request: Request) -> Response:
    return Problem(404, "Not found", detail="No such API address.").response()


ROUTES = [
    Route(f"{PREFIX}/openapi.json", openapi, methods=["GET"]),
    Route(f"{PREFIX}/docs", docs, methods=["GET"]),
    Route(f"{PREFIX}/participants", new_participant, methods=["POST"]),
    Route(f"{PREFIX}/participants", list_participants, methods=["GET"]),
    Route(f"{PREFIX}/participants/{{number}}/salary-parttime", salary_parttime, methods=["POST"]),
    Route(f"{PREFIX}/participants/{{number}}/exit", exit_participant, methods=["POST"]),
    Route(PREFIX + "/{rest:path}", not_found, methods=["GET", "POST", "PUT", "PATCH", "DELETE"]),
]
