"""A file upload from a portal page, shared by the pages that take one (collective changes, reconciliation), and
the following of the job that works on it (``follow``).

The browser posts the chosen file to our own route (session cookie, own Origin, the session's CSRF token; see
``portal.api.routes._guarded_upload``) and hands the route's JSON answer to the page's callback. That answer has
come through the browser, so it is untrusted: ``read_answer`` takes from it only a redirect we know, the id of
what was made (an int; the page reads that object again through its service with the session's principal), or a
message for one of the form's own fields.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import reflex as rx

from portal.core import csrf
from portal.domain.bulk import MAX_FILE_BYTES
from portal.i18n import t
from portal.state.auth import current_principal, full_page_redirect, language_of, polling

# Runs in the browser: post the chosen file to our own route and hand its JSON answer to the callback.
UPLOAD_SCRIPT = """(async () => {
  const input = document.getElementById(%(input)s);
  const file = input && input.files && input.files[0];
  if (!file) return {ok: false, field: "file", code: "no_file"};
  if (file.size > %(limit)d) return {ok: false, field: "file", code: "too_large"};
  try {
    const response = await fetch(%(url)s, {
      method: "POST",
      credentials: "same-origin",
      headers: {%(header)s: %(token)s, "Content-Type": "application/octet-stream",
                "X-File-Name": encodeURIComponent(file.name)},
      body: file,
    });
    const answer = await response.json().catch(() => ({}));
    input.value = "";
    return answer;
  } catch (e) {
    return {ok: false, field: "file"};
  }
})()"""


async def post_file(state: Any, input_id: str, route: str, params: dict[str, str], callback: Any) -> Any:
    """Ask the browser to post the file of input ``input_id`` to ``route`` with ``params`` in the query; the
    answer goes to ``callback``. Sets the state's ``busy`` and clears its ``errors``."""
    from portal.state.auth import SessionState

    session = await state.get_state(SessionState)
    state.busy, state.errors = True, {}
    script = UPLOAD_SCRIPT % {
        "input": json.dumps(input_id),
        "url": json.dumps(f"{route}?{urlencode(params)}"),
        "header": json.dumps(csrf.HEADER),
        "token": json.dumps(session.csrf_token),
        "limit": MAX_FILE_BYTES,
    }
    return rx.call_script(script, callback=callback)


@dataclass(frozen=True)
class Answer:
    """What an upload route's answer means for the page: an ``event`` to return (sign-in, no access), the
    ``made`` id (the page reads it again through its service), or neither (the message is at its field)."""

    event: Any = None
    made: int | None = None


async def read_answer(
    state: Any, result: object, key: str, fields: tuple[str, ...], no_file: str, failed: str, chars: int = 500
) -> Answer:
    """The route's answer as the browser passed it on (untrusted): ``key`` names the id of what was made;
    ``fields`` the form's fields a message may belong to (else ``file``); ``no_file`` and ``failed`` the
    messages for no file chosen and an answer without a message. Clears the state's ``busy``; a message goes
    to its ``errors``."""
    lang = await language_of(state)
    state.busy = False
    answer = result if isinstance(result, dict) else {}
    if current_principal(state) is None:
        return Answer(event=full_page_redirect("/login"))
    if answer.get("redirect") == "/no-access":
        return Answer(event=rx.redirect("/no-access"))
    made = answer.get(key)
    if answer.get("ok") is True and isinstance(made, int) and not isinstance(made, bool):
        state.errors = {}
        return Answer(made=made)
    field = answer.get("field") if answer.get("field") in fields else "file"
    code = answer.get("code")
    if code == "no_file":
        message = t(no_file, lang)
    elif code == "too_large":
        message = t("file_too_large", lang, limit_mb=MAX_FILE_BYTES // (1024 * 1024))
    elif isinstance(answer.get("error"), str) and answer["error"]:
        message = answer["error"][:chars]
    else:
        message = t(failed, lang)
    state.errors = {str(field): message}
    return Answer()


async def follow(state: Any, refresh: str, running: str) -> None:
    """The body of a page's ``watch`` background event: about twice a second (and at once on a committed change),
    while the page is open, call the state's ``refresh`` method under the state's lock until its ``running`` is
    false. A newer follower of the same page (a reload, another upload) ends this one."""
    async with state:
        state._watch_id += 1  # an earlier follower of this page stops
    async for _principal in polling(state, 0.5, 3600):
        async with state:
            await getattr(state, refresh)()
            if not getattr(state, running):
                return
