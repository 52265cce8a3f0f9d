"""Fixtures for service tests: a real SMTP server that the portal's mail service delivers to."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from portal.core.config import get_settings
from tests.smtp import SmtpCapture


@pytest.fixture
def smtp_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[SmtpCapture]:
    """An aiosmtpd server on a free port; PORTAL_SMTP_URL points at it for the duration of the test."""
    with SmtpCapture() as server:
        monkeypatch.setenv("PORTAL_SMTP_URL", server.url)
        get_settings.cache_clear()
        try:
            yield server
        finally:
            monkeypatch.undo()
            get_settings.cache_clear()
