"""The allowed origins come from PORTAL_BASE_URL; inline scripts are allowed by their hash only."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

from portal.api.security_headers import content_security_policy, inline_script_hashes
from portal.core.config import own_origins


def test_own_origin_only_for_a_real_host() -> None:
    assert own_origins("https://portal.example.nl/") == ["https://portal.example.nl"]
    assert own_origins("https://portal.example.nl:8443/x") == ["https://portal.example.nl:8443"]


def test_loopback_names_of_the_same_port_count_as_the_same_machine() -> None:
    assert own_origins("http://localhost:3000") == [
        "http://localhost:3000",
        "http://127.0.0.1:3000",
        "http://[::1]:3000",
    ]
    assert "http://localhost:3001" not in own_origins("http://localhost:3000")


def test_inline_scripts_are_hashed_and_external_ones_are_not(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.html").write_bytes(b'<script>alert(1)</script><script src="/x.js"></script>')
    (tmp_path / "sub" / "b.html").write_bytes(
        b'<script type="module">import "/y.js";</script><script>alert(1)</script>'
    )
    expected = {
        "'sha256-" + base64.b64encode(hashlib.sha256(body).digest()).decode() + "'"
        for body in (b"alert(1)", b'import "/y.js";')
    }
    assert set(inline_script_hashes(tmp_path)) == expected
    policy = content_security_policy("https://portal.example.nl", tuple(sorted(expected)))
    script_src = next(p for p in policy.split("; ") if p.startswith("script-src"))
    assert "'unsafe-inline'" not in script_src
    assert all(h in script_src for h in expected)
    assert "connect-src 'self' wss://portal.example.nl" in policy
