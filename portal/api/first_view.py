"""The first view of the employee's home (``/employee``, EE-1 on a phone): the contract cards in the page's HTML
itself, so that an employee on a slow mobile connection sees them before the app has loaded.

Reflex serves every page as a prerendered HTML shell; the page's own content comes later, over the websocket, once
about 300 KB of scripts have arrived and started (on DevTools' "Fast 3G" with a 4× slower CPU that took 6 to 9 s).
For a ``GET /employee`` with a live employee session this middleware answers instead with that same shell plus:

- a *first view*: the header, the contract cards (``portal.i18n.contract_cards``, the live page's own display
  strings, from the same use case ``employee.my_contracts`` with the session's principal) and the bottom tab
  bar, as plain HTML with a small stylesheet of its own;
- the app's stylesheet turned from render-blocking into loaded-beside (``media="print"`` until it has arrived), so
  the first paint needs nothing but this document.

The app starts as usual behind it (hidden), and a small script (``SCRIPT``, allowed by its hash in the CSP)
removes the first view once the app shows its own cards (or its empty state, or another page) and its
stylesheet is in, so the employee never sees both or neither. React never claims the first view: it sits between
the app's root and its scripts, where React 19's hydration skips unknown elements of ``<body>``.

Anything else (no session, another role, the first sign-in's private-e-mail step, an unexpected shell) gets the
prerendered shell unchanged, and the app handles it as it always did. The answer is personal: ``no-store``.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import re
from collections.abc import Callable
from datetime import date
from functools import cache
from html import escape
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from portal.api.routes import SESSION_COOKIE
from portal.api.security_headers import build_dir
from portal.core import clock
from portal.core.db import session_scope
from portal.domain.roles import menu_for
from portal.i18n import formatting as fmt
from portal.i18n import normalise_language, table
from portal.i18n.contract_cards import contract_cards
from portal.services import accounts, employee
from portal.services.principal import NoAccess

ROUTE = "/employee"
STATUSES = ("active", "passive", "ended")  # the cards' statuses (their class names and icons)

# Runs once the first view is parsed: applies the app's stylesheet when it has arrived, and removes the first view
# when the app shows its own page (its cards, its empty state, or any page other than a loading /employee).
SCRIPT = (
    "(function(){var d=document,left=0,seen=new MutationObserver(settle);"
    "function waiting(){return d.getElementById('page-loading')||"
    "(d.querySelector('#contracts:empty')&&!d.getElementById('contracts-empty'))}"
    "function settle(){if(left>0||waiting())return;var f=d.getElementById('first-view');"
    "if(f)f.remove();seen.disconnect()}"
    'd.querySelectorAll(\'link[rel="stylesheet"][media="print"]\').forEach(function(l){'
    "function on(){l.media='all';left-=1;settle()}"
    "if(l.sheet){l.media='all'}else{left+=1;l.addEventListener('load',on);l.addEventListener('error',on)}});"
    "seen.observe(d.body,{childList:true,subtree:true});settle()})();"
)
SCRIPT_HASH = "'sha256-" + base64.b64encode(hashlib.sha256(SCRIPT.encode()).digest()).decode() + "'"

_STYLESHEET = re.compile(r'<link(?=[^>]*\brel="stylesheet")([^>]*?)\s*/?>')

# The look of the live page (Radix themes' slate, green, amber and indigo; measured from the rendered page), in
# light and dark. While the first view is there, the app's own root stays hidden.
STYLE = """
body{margin:0}body>.radix-themes{display:none}#first-view,#first-view *{box-sizing:border-box}
#first-view{--fg:#1c2024;--muted:#0007149f;--line:#0009321f;--bg:#fff;--panel:#fff;--green:#30a46c;--amber:#ffc53d;
--gray:#b9bbc6;--accent:#3e63dd;--green-bg:#00a43319;--green-fg:#193b2d;--amber-bg:#ffde003d;--amber-fg:#4f3422;
--gray-bg:#0000330f;font-family:-apple-system,BlinkMacSystemFont,"Segoe UI (Custom)",Roboto,"Helvetica Neue",
"Open Sans (Custom)",system-ui,sans-serif,"Apple Color Emoji","Segoe UI Emoji";font-size:16px;line-height:24px;
color:var(--fg);background:var(--bg);min-height:100vh;-webkit-text-size-adjust:100%}
html.dark #first-view{--fg:#edeef0;--muted:#f1f7feb5;--line:#d9edfe25;--bg:#111113;--panel:#18191b;--green:#33b074;
--gray:#5a6169;--green-bg:#02f99920;--green-fg:#b1f1cb;--amber-bg:#fa820022;--amber-fg:#ffe7b3;--gray-bg:#dde7f70f}
#first-view p,#first-view h1,#first-view h2,#first-view h3,#first-view dl,#first-view dd{margin:0}
#first-view h1,#first-view h2,#first-view h3{font-weight:700}
.fv-header{display:flex;align-items:center;min-height:65px;padding:.75rem;border-bottom:1px solid var(--line);
position:sticky;top:0;background:var(--bg);z-index:2}
.fv-user{font-size:12px;line-height:16px;color:var(--muted)}
.fv-main{padding:1rem 1rem 9rem;max-width:40rem;margin:0 auto;overflow-wrap:anywhere}
#first-view h1{font-size:20px;line-height:26px;letter-spacing:-.1px;margin-bottom:12px}
.fv-muted{color:var(--muted)}
.fv-small{font-size:14px;line-height:20px}
.fv-asof{font-size:14px;line-height:20px;font-weight:500;margin-top:4px!important}
.fv-cards{list-style:none;padding:0;margin:16px 0 0;display:flex;flex-direction:column;gap:16px}
.fv-card{display:flex;flex-direction:column;gap:12px;padding:16px;border-radius:8px;background:var(--panel);
box-shadow:0 0 0 1px var(--line);border-left:4px solid var(--gray)}
.fv-active{border-left-color:var(--green)}.fv-passive{border-left-color:var(--amber)}
.fv-top{display:flex;justify-content:space-between;align-items:flex-start;gap:4px 8px;flex-wrap:wrap}
.fv-top .fv-i{margin:-6px 0}
#first-view h2{font-size:18px;line-height:24px;letter-spacing:-.045px;overflow-wrap:anywhere}
.fv-badge{display:inline-flex;align-items:center;gap:8px;font-size:14px;line-height:20px;font-weight:500;
padding:4px 10px;border-radius:9999px;background:var(--gray-bg);color:var(--fg);white-space:nowrap}
.fv-badge-active{background:var(--green-bg);color:var(--green-fg)}
.fv-badge-passive{background:var(--amber-bg);color:var(--amber-fg)}
.fv-former{font-size:14px;line-height:20px;font-weight:500}
.fv-dl{display:flex;flex-direction:column;gap:16px;font-size:14px;line-height:20px}
.fv-dl>div{display:flex;flex-direction:column;gap:4px}
.fv-dl dt{color:var(--muted)}.fv-dl dd{overflow-wrap:anywhere}.fv-strong{font-weight:700}
@media (min-width:768px){.fv-dl>div{flex-direction:row;gap:16px}.fv-dl dt{min-width:18rem}}
.fv-scheme hr{border:0;height:1px;background:var(--line);margin:0 0 12px}
#first-view h3{font-size:16px;line-height:22px;overflow-wrap:break-word;min-width:0}
.fv-note{font-size:14px;line-height:20px;margin-top:8px;display:flex;align-items:center;gap:4px}
.fv-i{display:inline-flex;align-items:center;justify-content:center;flex:none;width:44px;height:44px;margin:-4px 0}
.fv-dl dt{display:flex;align-items:center;gap:4px}.fv-status{display:flex;align-items:center;gap:4px}
.fv-h3{display:flex;align-items:center;flex-wrap:wrap;column-gap:4px;margin-bottom:8px}
.fv-until{font-size:14px;line-height:20px;color:var(--muted);margin-top:4px!important}
.fv-tabs{position:fixed;bottom:0;left:0;right:0;border-top:1px solid var(--line);background:var(--bg);z-index:2;
display:grid;grid-template-columns:repeat(auto-fit,minmax(3.75rem,1fr))}
.fv-tabs a{display:flex;flex-direction:column;align-items:center;justify-content:center;gap:4px;padding:.6rem 0;
min-height:3.5rem;color:var(--fg);text-decoration:none;font-size:12px;line-height:16px}
.fv-tabs span{max-width:100%;overflow-wrap:anywhere;text-align:center}
.fv-tabs a[aria-current=page]{font-weight:700;box-shadow:inset 0 3px 0 var(--accent)}
.fv-tabs a:focus-visible{outline:2px solid var(--accent);outline-offset:-2px}
#first-view svg{fill:none;stroke:currentColor;stroke-width:2;stroke-linecap:round;stroke-linejoin:round;flex:none}
""".replace("\n", "")

# Lucide's icons, as the live page draws them (its tabs and the status badges).
ICONS = {
    "/employee": '<path d="M6 22a2 2 0 0 1-2-2V4a2 2 0 0 1 2-2h8a2.4 2.4 0 0 1 1.704.706l3.588 3.588A2.4 2.4 0 0 1 '
    '20 8v12a2 2 0 0 1-2 2z"/><path d="M14 2v5a1 1 0 0 0 1 1h5"/><path d="M10 9H8"/><path d="M16 13H8"/>'
    '<path d="M16 17H8"/>',
    "/employee/documents": '<path d="m6 14 1.5-2.9A2 2 0 0 1 9.24 10H20a2 2 0 0 1 1.94 2.5l-1.54 6a2 2 0 0 1-1.95 '
    '1.5H4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2h3.9a2 2 0 0 1 1.69.9l.81 1.2a2 2 0 0 0 1.67.9H18a2 2 0 0 1 2 2v2"/>',
    "/employee/profile": '<circle cx="12" cy="8" r="5"/><path d="M20 21a8 8 0 0 0-16 0"/>',
    "/employee/calculators": '<rect width="16" height="20" x="4" y="2" rx="2"/><line x1="8" x2="16" y1="6" y2="6"/>'
    '<line x1="16" x2="16" y1="14" y2="18"/><path d="M16 10h.01"/><path d="M12 10h.01"/><path d="M8 10h.01"/>'
    '<path d="M12 14h.01"/><path d="M8 14h.01"/><path d="M12 18h.01"/><path d="M8 18h.01"/>',
    "help": '<circle cx="12" cy="12" r="10"/><path d="M9.09 9a3 3 0 0 1 5.83 1c0 2-3 3-3 3"/><path d="M12 17h.01"/>',
    "active": '<circle cx="12" cy="12" r="10"/><path d="m9 12 2 2 4-4"/>',
    "passive": '<circle cx="12" cy="12" r="10"/><line x1="10" x2="10" y1="15" y2="9"/>'
    '<line x1="14" x2="14" y1="15" y2="9"/>',
    "ended": '<circle cx="12" cy="12" r="10"/><path d="m15 9-6 6"/><path d="m9 9 6 6"/>',
    "info": '<circle cx="12" cy="12" r="10"/><path d="M12 16v-4"/><path d="M12 8h.01"/>',
}


class Html(str):
    """Markup that is already escaped (every other value is escaped where it is placed)."""


def _text(value: object) -> str:
    return value if isinstance(value, Html) else escape(str(value), quote=True)


def tag(name: str, attrs: dict[str, str | None] | None = None, *children: object) -> Html:
    """``<name attrs>children</name>``; attribute values and text children escaped, ``None`` attributes left out."""
    shown = "".join(f' {k}="{escape(v, quote=True)}"' for k, v in (attrs or {}).items() if v is not None)
    return Html(f"<{name}{shown}>" + "".join(_text(c) for c in children) + f"</{name}>")


def _icon(key: str, size: int) -> Html:
    return Html(f'<svg width="{size}" height="{size}" viewBox="0 0 24 24" aria-hidden="true">{ICONS[key]}</svg>')


def _i(count: int = 1) -> Html:
    """The place of the app's "i" buttons (EE-2; they work once the app has taken over): drawn, not focusable."""
    return Html(f'<span class="fv-i" aria-hidden="true">{_icon("info", 18)}</span>' * count)


def _fact(label: str, value: str, strong: bool = False, term: bool = False) -> Html:
    dt = tag("dt", None, label, _i()) if term else tag("dt", None, label)
    return tag("div", None, dt, tag("dd", {"class": "fv-strong" if strong else None}, value))


def _scheme(line: dict[str, str], texts: dict[str, str]) -> Html:
    """One scheme of a contract, as the live card shows it (without its "i"s, which need the app)."""
    period = (
        texts["contracts.from_to"].replace("{start}", line["start"]).replace("{end}", line["end"])
        if line["end"]
        else texts["contracts.since"].replace("{start}", line["start"])
    )
    facts = [
        _fact(texts["contracts.period"], period),
        _fact(texts["contracts.premium"], line["premium"] or texts["contracts.no_premium"], strong=True, term=True),
    ]
    if line["salary"]:
        key = "contracts.pensionable_salary_at_exit" if line["status"] == "passive" else "contracts.pensionable_salary"
        facts.append(_fact(texts[key], line["salary"], term=True))
    if line["amount_key"] and line["amount"]:
        facts.append(_fact(texts.get(line["amount_key"], ""), line["amount"], strong=True))
    marks = tag("span", {"class": "fv-status"}, _i(2 if line["scheme_term"] else 1))
    heading = tag("div", {"class": "fv-h3"}, tag("h3", None, line["scheme"]), marks)
    parts: list[object] = [Html("<hr>"), heading, tag("dl", {"class": "fv-dl"}, *facts)]
    if line["coverage_key"]:
        note = tag("p", None, texts.get(line["coverage_key"], ""))
        parts.append(tag("div", {"class": "fv-note"}, note, _i() if line["coverage_term"] else ""))
    if line["shown_until"]:
        parts.append(
            tag("p", {"class": "fv-until"}, texts["contracts.shown_until"].replace("{day}", line["shown_until"]))
        )
    return tag("div", {"class": "fv-scheme"}, *parts)


def _card(card: dict[str, str], lines: list[dict[str, str]], texts: dict[str, str], first: bool) -> Html:
    status = card["status"] if card["status"] in STATUSES else "ended"
    top = tag(
        "div",
        {"class": "fv-top"},
        tag("h2", {"elementtiming": "contracts" if first else None}, card["employer"]),
        tag(
            "div",
            {"class": "fv-status"},
            tag(
                "span", {"class": f"fv-badge fv-badge-{status}"}, _icon(status, 16), texts[f"contracts.status.{status}"]
            ),
            _i(),
        ),
    )
    parts: list[object] = [top]
    if card["former"]:
        parts.append(tag("p", {"class": "fv-former"}, texts["contracts.former_employer_note"]))
    parts += [
        tag("p", {"class": "fv-small fv-muted"}, texts[f"contracts.status_help.{status}"]),
        tag(
            "dl",
            {"class": "fv-dl"},
            _fact(texts["contracts.insurer"], card["insurer"]),
            _fact(texts["contracts.contract_number"], card["contract_number"], term=True),
            _fact(texts["contracts.participant_number"], card["participant_number"], term=True),
        ),
        *(_scheme(line, texts) for line in lines),
    ]
    return tag("li", {"class": f"fv-card fv-{status}"}, *parts)


def render(
    name: str, lang: str, as_of: date, contracts: tuple[employee.MyContract, ...], menu: list[tuple[str, str]]
) -> Html:
    """The first view: header, title, "as of" line, the cards (or the empty state), and the tab bar."""
    texts = table(lang)
    cards, lines = contract_cards(contracts, lang)
    listing: object = (
        tag(
            "ul",
            {"class": "fv-cards", "id": "fv-contracts", "aria-label": texts["contracts.list"]},
            *(_card(card, shown, texts, i == 0) for i, (card, shown) in enumerate(zip(cards, lines, strict=True))),
        )
        if cards
        else tag("p", {"class": "fv-note"}, texts["contracts.none"])
    )
    tabs = [
        tag(
            "a",
            {"href": route, "aria-current": "page" if route == ROUTE else None},
            _icon(route if route in ICONS else "help", 20),
            tag("span", None, texts.get(key, key)),
        )
        for route, key in menu
    ]
    return tag(
        "div",
        {"id": "first-view", "lang": lang},
        Html(f"<style>{STYLE}</style>"),
        tag(
            "div",
            {"class": "fv-header"},
            tag(
                "div",
                None,
                tag("p", {"class": "fv-strong"}, texts["frontend.employee"]),
                tag("p", {"class": "fv-user"}, name),
            ),
        ),
        tag(
            "main",
            {"class": "fv-main"},
            tag("h1", None, texts["title.contracts"]),
            tag("p", {"class": "fv-muted"}, texts["contracts.intro"]),
            tag("p", {"class": "fv-asof"}, texts["contracts.as_of"].replace("{day}", fmt.day(as_of, lang))),
            listing,
        ),
        tag("nav", {"class": "fv-tabs", "aria-label": texts["common.main_navigation"]}, *tabs),
        Html(f"<script>{SCRIPT}</script>"),
    )


def with_first_view(shell: str, first_view: str) -> str | None:
    """The prerendered shell with the app's stylesheets loaded beside the first paint and the first view placed
    after the app's root (before the first script of ``<body>``); None when the shell is not as expected."""
    body = shell.find("<body")
    script = shell.find("<script", body) if body >= 0 else -1
    if script < 0 or not _STYLESHEET.search(shell, 0, body):
        return None
    head = _STYLESHEET.sub(lambda m: f'<link{m.group(1)} media="print"/>', shell[:body])
    return head + shell[body:script] + first_view + shell[script:]


@cache
def _shell(path: Path, mtime_ns: int) -> str:
    return path.read_text(encoding="utf-8")


def prerendered_shell() -> str | None:
    """The built ``/employee`` page (read again when a new build replaced it); None before a build."""
    path = build_dir() / "employee.html"
    try:
        return _shell(path, path.stat().st_mtime_ns)
    except OSError:
        return None


def first_view_for(token: str) -> Html | None:
    """The first view of the session's employee, or None when the app must decide (no live session, not an
    employee, the first sign-in's step still to do)."""
    from portal.pages.routes import ACCESS  # the route table also gives the tab bar (as ``SessionState.menu``)

    if not token:
        return None
    with session_scope() as db:
        principal = accounts.resolve_session(db, token)
        if principal is None:
            return None
        try:
            if employee.needs_private_email_step(db, principal):
                return None
            mine = employee.my_contracts(db, principal, clock.today())
        except NoAccess:
            return None
        lang = normalise_language(principal.language)
        menu = menu_for(ACCESS, principal.front_end, principal.perms)
        return render(principal.display_name or principal.username, lang, mine.as_of, mine.contracts, menu)


class FirstView:
    """ASGI middleware: ``GET /employee`` with an employee's session gets the page with its first view."""

    def __init__(self, app: ASGIApp, shell: Callable[[], str | None] = prerendered_shell) -> None:
        self.app, self.shell = app, shell

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "GET" or scope.get("path") not in (ROUTE, ROUTE + "/"):
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        shell = self.shell()
        fragment = await run_in_threadpool(first_view_for, request.cookies.get(SESSION_COOKIE, "")[:128])
        page = with_first_view(shell, fragment) if shell is not None and fragment is not None else None
        if page is None:
            await self.app(scope, receive, send)
            return
        body, headers = page.encode(), {"Cache-Control": "no-store", "Vary": "Cookie, Accept-Encoding"}
        if "gzip" in request.headers.get("accept-encoding", ""):
            body, headers["Content-Encoding"] = gzip.compress(body, 6), "gzip"
        await Response(body, media_type="text/html; charset=utf-8", headers=headers)(scope, receive, send)
