"""How a state handler runs a use case: one helper gives it the transaction and the session's principal, turns a
refusal into an audited redirect and field errors into messages at the fields (what ``deps.py`` is to a FastAPI
route). A handler says what to run and where its outcome goes; it opens no session and resolves nobody itself.
The use case is called as ``use_case(db, principal, *args)``, which fits the services' signatures (a public
page's as ``use_case(db, *args)``); a lambda passes keyword arguments.

    done = await run(self, company.update_my_details, name, email, deny="/employer/company#me", fields="me_errors")
    if not done:
        return done.event          # the no-access page (audited), or None with the messages at the fields
    ...                            # done.value, done.principal

Refusals (``NoAccess``) end in one of three ways, chosen by their reason: ``quiet`` reasons end the event with
nothing (the page guard has already sent the browser away and audited it), ``redirect`` reasons go to the
no-access page without an audit entry of their own (the use case wrote one, or the page never audits them),
and every other reason is denied: audited as a refusal of ``deny`` and sent to the no-access page. A caller
without a live session counts as ``not_signed_in``. Without ``deny`` the handler decides (``done.refused``).

On a page of an employer in the adviser's portfolio (``/intermediary/employers/<id>/...``, INT-2) the principal
is narrowed to that one employer before the use case runs, the id checked against the portfolio on every call:
every employer service then works for that employer only. An id outside the portfolio is always audited, and a
refusal of an employer page (``deny="/employer/..."``) is audited under the acting address the adviser was on.

Field errors (``FieldError``, several at once as ``FieldErrors``) are rolled back with everything else and shown
in the language of the session: ``fields`` names a dict var (field → message), ``message`` a text var (the
first message); ``at`` maps the service's field names to the form's. A handler that names neither lets field
errors propagate, and so does a public page's handler (``public=True``: nobody is resolved) with refusals.

In a background event (``@rx.event(background=True)``) call ``run`` outside ``async with self``: it takes the
state's lock only to read the language and write messages, so the use case never runs under the lock;
``thread=True`` runs it in a worker thread (a long read must not hold up the event loop either).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Collection
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Generic, TypeVar

import reflex as rx
from reflex.istate.proxy import StateProxy

from portal.domain.roles import acting_address
from portal.services.errors import FieldError
from portal.services.principal import OUT_OF_PORTFOLIO, NoAccess, Principal, acting_for
from portal.services.validation import errors_of
from portal.state import auth
from portal.state.auth import language_of
from portal.state.forms import message_of

T = TypeVar("T")

# Refusals the page guard (``SessionState.guard``, every protected page's first on_load) has already audited
# and redirected: a page's own on_load reads end quietly on these.
GUARDED: frozenset[str] = frozenset({"not_signed_in", "wrong_front_end", "missing_role"})
SIGNED_OUT: frozenset[str] = frozenset({"not_signed_in"})


class _Every(frozenset[str]):
    def __contains__(self, _reason: object) -> bool:
        return True


EVERY: frozenset[str] = _Every()  # every reason (for ``redirect``: a page that never audits its refusals)


@dataclass
class Done(Generic[T]):
    """What running a use case came to. True when it succeeded (``value``); otherwise ``refused`` or ``error``
    says why, ``errors`` holds the messages shown (by field) and ``event`` is what the handler returns."""

    value: T | None = None
    principal: Principal | None = None
    refused: NoAccess | None = None
    error: FieldError | None = None
    errors: dict[str, str] = field(default_factory=dict)
    event: rx.event.EventSpec | None = None

    @property
    def ok(self) -> bool:
        return self.refused is None and self.error is None

    def __bool__(self) -> bool:
        return self.ok


async def run(
    state: rx.State,
    use_case: Callable[..., T],
    *args: object,
    deny: str | None = None,
    quiet: Collection[str] = (),
    redirect: Collection[str] = (),
    fields: str | None = None,
    message: str | None = None,
    at: str | Callable[[str], str] | None = None,
    commit_on: tuple[type[Exception], ...] = (),
    touch: bool = True,
    public: bool = False,
    thread: bool = False,
) -> Done[T]:
    """Run ``use_case(db, principal, *args)`` in one transaction with the principal of the browser's session (resolved
    from the server-side record, on every call) and turn its refusal or field errors into what the page shows.

    ``commit_on``: exceptions after which the transaction is committed all the same (a use case that audits
    its own refusal in ``db``). ``touch=False``: not user activity (background polling)."""
    token = "" if public else auth.session_token(state)
    scope = None if public else auth.acting_scope(state)
    who: list[Principal | None] = [None]

    def work() -> T:
        with auth.transaction(token, touch=touch, commit_on=commit_on) as (db, principal):
            who[0] = principal
            if public:
                return use_case(db, *args)
            if scope is not None and principal is not None:
                principal = acting_for(principal, scope)  # INT-2: the one employer of the address, if in scope
                who[0] = principal
            return use_case(db, principal, *args)

    try:
        value = await asyncio.to_thread(work) if thread else work()
    except NoAccess as refused:
        if public:
            raise
        where = deny if deny is None or scope is None else acting_address(deny, scope)
        event = _refusal(state, who[0], refused.reason, where, quiet, redirect)
        return Done(principal=who[0], refused=refused, event=event)
    except FieldError as err:
        if fields is None and message is None:
            raise
        shown = await _show(state, err, fields, message, at)
        return Done(principal=who[0], error=err, errors=shown)
    return Done(value=value, principal=who[0])


def _refusal(
    state: rx.State,
    principal: Principal | None,
    reason: str,
    deny: str | None,
    quiet: Collection[str],
    redirect: Collection[str],
) -> rx.event.EventSpec | None:
    def among(reasons: Collection[str]) -> bool:
        return reason in reasons or (principal is None and "not_signed_in" in reasons)

    if reason == OUT_OF_PORTFOLIO:  # an employer outside the portfolio (INT-2): always audited, never quiet
        return auth.deny(state, principal, auth.current_path(state)[:200], reason)
    if among(quiet):
        return None
    if among(redirect):
        return rx.redirect("/no-access")
    if deny is not None:
        return auth.deny(state, principal, deny, reason)
    return None


async def _show(
    state: rx.State,
    err: FieldError,
    fields: str | None,
    message: str | None,
    at: str | Callable[[str], str] | None,
) -> dict[str, str]:
    """Put the translated messages of ``err`` at their fields (every field of a ``FieldErrors``)."""
    async with _writable(state):
        lang = await language_of(state)
        shown = {_field_of(e.field, at): message_of(e, lang) for e in errors_of(err)}
        if fields is not None:
            setattr(state, fields, shown)
        if message is not None:
            setattr(state, message, message_of(err, lang))
    return shown


def _field_of(name: str, at: str | Callable[[str], str] | None) -> str:
    if at is None:
        return name
    return at if isinstance(at, str) else at(name)


@asynccontextmanager
async def _writable(state: rx.State) -> AsyncIterator[None]:
    """The state's lock when a background event calls outside ``async with self``; nothing otherwise."""
    if isinstance(state, StateProxy) and not state._is_mutable():
        async with state:
            yield
    else:
        yield
