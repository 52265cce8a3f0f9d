"""The mail service: SMTP delivery to a real server, the local mailbox fallback, and the message texts."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from portal.core import mail
from portal.core.config import get_settings
from portal.i18n.auth_messages import MESSAGES, auth_message
from portal.services import accounts
from portal.services.accounts import mail_texts
from tests.smtp import SmtpCapture, body_of


@pytest.fixture
def mailbox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """No SMTP server: mails go to ``tmp_path`` as .eml files."""
    monkeypatch.delenv("PORTAL_SMTP_URL", raising=False)
    monkeypatch.setenv("PORTAL_MAIL_DIR", str(tmp_path / "mail"))
    get_settings.cache_clear()
    yield tmp_path / "mail"
    monkeypatch.undo()
    get_settings.cache_clear()


def test_smtp_delivery(smtp_server: SmtpCapture) -> None:
    mail.send_mail(["a@example.nl", "b@example.nl"], "Hallo", "Één regel tekst.")
    msg = smtp_server.wait_for("b@example.nl", "hallo")
    assert msg["From"] == get_settings().mail_from
    assert body_of(msg).strip() == "Één regel tekst."
    assert smtp_server.messages_to("a@example.nl") == [msg]


def test_mailbox_fallback_writes_unique_eml_files(mailbox: Path) -> None:
    assert mail.read_mailbox(mailbox) == []
    mail.send_mail("a@example.nl", "Eerste", "body 1")
    mail.send_mail(["a@example.nl", "b@example.nl"], "Tweede", "body 2")
    files = sorted(mailbox.glob("*.eml"))
    assert len(files) == 2 and files[0].name != files[1].name
    first, second = mail.read_mailbox()
    assert (first["Subject"], second["Subject"]) == ("Eerste", "Tweede")
    assert second["To"] == "a@example.nl, b@example.nl"
    assert body_of(second).strip() == "body 2"


def test_every_error_key_of_the_services_has_both_languages() -> None:
    source = "\n".join(p.read_text() for p in sorted(Path(accounts.__file__).parent.glob("*.py")))
    keys = set(re.findall(r'FieldError\(\s*(?:"\w+"|\w+),\s*"(\w+)"', source))
    keys |= set(re.findall(r'"(\w+)",\s*now, ip, "login\.', source))  # keys passed to _fail
    assert {"login_invalid", "login_locked", "totp_invalid", "recovery_invalid", "code_invalid"} <= keys
    for key in keys:
        assert set(MESSAGES[key]) == {"nl", "en"}, key
    assert auth_message("login_invalid", "en") == "Username or password is incorrect."
    assert auth_message("login_locked", "nl", minutes=15).endswith("over 15 minuten opnieuw.")


def test_mail_texts_render_in_both_languages() -> None:
    params = {
        "name": "Anna",
        "code": "123456",
        "minutes": 15,
        "days": 14,
        "url": "http://x/activate",
        "username": "anna",
    }
    for kind, texts in mail_texts.TEXTS.items():
        assert set(texts) == {"nl", "en"}, kind
        for lang in texts:
            subject, body = mail_texts.render(kind, lang, **params)
            assert subject and "{" not in subject + body
    assert mail_texts.render("invitation", "xx", **params) == mail_texts.render("invitation", "nl", **params)
