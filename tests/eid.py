"""The national eID stand-in for tests: panva's ``oidc-provider`` (``tests/oidc/provider.mjs``, installed under
.tools by ``make test-deps``) started on a loopback port, and a browserless walk through its sign-in page.

Everything it issues is real (codes, signed ID tokens, its JWKS); only its sign-in page is a stand-in (pick an
account). Two clients: ``portal`` (the app's) and ``other-app`` (for tokens meant for another audience)."""

from __future__ import annotations

import json
import re
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urljoin

import httpx

from tests.harness import free_port, stop_group

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "tests" / "oidc" / "provider.mjs"
CLIENT_ID, CLIENT_SECRET = "portal", "portal-test-secret"
OTHER_CLIENT_ID, OTHER_CLIENT_SECRET = "other-app", "other-app-secret"


@contextmanager
def running_provider(
    folder: Path, redirect_uris: list[str], accounts: list[dict], id_token_ttl: int = 600
) -> Iterator[str]:
    """Start the provider with ``accounts`` (``id``, ``name``, ``national_id``, ``birthdate``; a key left out
    is not sent) for both clients at ``redirect_uris``; yield its issuer URL; stop it after."""
    port = free_port()
    issuer = f"http://127.0.0.1:{port}"
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / f"eid-provider-{port}.json"
    clients = [
        {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "redirect_uris": redirect_uris},
        {"client_id": OTHER_CLIENT_ID, "client_secret": OTHER_CLIENT_SECRET, "redirect_uris": redirect_uris},
    ]
    body = {"issuer": issuer, "port": port, "label": "Test eID provider", "clients": clients, "accounts": accounts}
    config.write_text(json.dumps(body | {"id_token_ttl": id_token_ttl}))
    log_path = folder / f"eid-provider-{port}.log"
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            ["node", str(SCRIPT), str(config)], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        deadline = time.monotonic() + 30
        while "ready" not in log_path.read_text():
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"eID provider did not start: {log_path.read_text()[-2000:]}")
            time.sleep(0.1)
        yield issuer
    finally:
        stop_group(proc, 10)


_FORM = re.compile(r'<form method="post" action="([^"]+)"')


def sign_in_at(authorize_url: str, account: str, issuer: str) -> str:
    """Walk a browser's way through the provider from ``authorize_url``: pick ``account`` on its sign-in page,
    follow its redirects; return the URL it finally sends the browser to (the relying party's callback)."""
    with httpx.Client(follow_redirects=False, timeout=10) as client:
        answer = client.get(authorize_url)
        for _ in range(12):
            if answer.status_code in (302, 303):
                target = urljoin(str(answer.url), answer.headers["location"])
                if not target.startswith(issuer):
                    return target
                answer = client.get(target)
            elif answer.status_code == 200 and (form := _FORM.search(answer.text)):
                answer = client.post(urljoin(str(answer.url), form.group(1)), data={"account": account})
            else:
                raise AssertionError(f"unexpected answer {answer.status_code}: {answer.text[:300]}")
    raise AssertionError("the provider never sent the browser back")
