"""Security headers on every HTTP response of the app: pages, ``/files``, ``/auth`` and Reflex's own routes.

One ASGI middleware (``rx.App(api_transformer=[..., SecurityHeaders])``) so that no route can forget them.
The Content-Security-Policy allows scripts only from the portal itself plus the inline scripts of the
compiled pages, by hash (read once from the built HTML files), so an injected inline script does not run.
Two allowances are needed by Reflex itself and are kept as narrow as it allows: ``'unsafe-eval'`` (a script
sent by the server, ``rx.call_script``, is run with ``eval``) and inline styles (Emotion and Radix write
``<style>`` elements at run time).
"""

from __future__ import annotations

import base64
import hashlib
import re
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from portal.core.config import get_settings

_INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.S | re.I)


def build_dir() -> Path:
    """Where Reflex's compiled front end lies (the pages whose inline scripts are allowed)."""
    from reflex.utils import prerequisites
    from reflex_base import constants

    return prerequisites.get_web_dir() / constants.Dirs.STATIC


@cache
def inline_script_hashes(root: Path | None = None) -> tuple[str, ...]:
    """CSP hash sources of every inline script in the compiled HTML pages (sorted, without repeats)."""
    found: set[str] = set()
    for page in sorted((root or build_dir()).rglob("*.html")):
        for body in _INLINE_SCRIPT.findall(page.read_bytes()):
            found.add("'sha256-" + base64.b64encode(hashlib.sha256(body).digest()).decode() + "'")
    return tuple(sorted(found))


def content_security_policy(base_url: str, script_hashes: tuple[str, ...]) -> str:
    """The policy of the portal's pages."""
    parts = urlsplit(base_url)
    ws = ("wss://" if parts.scheme == "https" else "ws://") + parts.netloc
    return "; ".join(
        (
            "default-src 'self'",
            " ".join(("script-src 'self' 'unsafe-eval'", *script_hashes)),
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            f"connect-src 'self' {ws}",
            "frame-src 'self'",
            "worker-src 'self' blob:",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'self'",
        )
    )


# A stored file (a PDF shown in the document viewer's frame) runs no script and is framed only by the portal.
FILE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'"


@cache
def _headers(base_url: str, for_files: bool) -> tuple[tuple[bytes, bytes], ...]:
    from portal.api.first_view import SCRIPT_HASH  # the first view's one script (``portal.api.first_view``)

    hashes = tuple(sorted({*inline_script_hashes(), SCRIPT_HASH}))
    policy = FILE_POLICY if for_files else content_security_policy(base_url, hashes)
    headers = {
        "Content-Security-Policy": policy,
        "X-Frame-Options": "SAMEORIGIN",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "Cross-Origin-Opener-Policy": "same-origin",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    }
    if base_url.startswith("https://"):
        headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    return tuple((k.lower().encode(), v.encode()) for k, v in headers.items())


class SecurityHeaders:
    """ASGI middleware: adds the security headers to every HTTP response (a header a route set itself wins)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = _headers(get_settings().base_url, str(scope.get("path", "")).startswith("/files/"))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for key, value in extra:
                    name = key.decode()
                    if name not in headers:
                        headers.append(name, value.decode())
            await send(message)

        await self.app(scope, receive, send_with_headers)
