"""TOTP secrets encrypted at rest (AUTH-2, ASVS 2.9.1 / 6.4): every read and write of a stored TOTP secret goes
through ``seal`` and ``unseal`` here; the database holds only Fernet tokens (AES-128-CBC with HMAC-SHA256, from
``cryptography``), never a base32 secret.

The keys come from ``PORTAL_TOTP_KEY``: Fernet keys separated by commas, newest first. The newest encrypts;
every listed key decrypts (``MultiFernet``), so a rotation can list the new key before the old one, re-encrypt
every secret under the new one (``portal rotate-totp-key``), and then drop the old one. When the setting is
empty, a key is made once under ``var/totp.key`` (one key a line, newest first; for the demo and tests, never
committed), as ``portal.core.signing`` does for its local certificate.
"""

from __future__ import annotations

import os
import tempfile
import threading
from functools import lru_cache
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from portal.core.config import get_settings

KEY_FILE = "totp.key"
TOKEN_START = "gAAAAA"  # every Fernet token (version byte 0x80, then the time stamp) starts so; base32 never does
_lock = threading.Lock()
NO_KEY = (
    "no configured key decrypts a stored TOTP secret: PORTAL_TOTP_KEY (or var/totp.key) does not hold the key it "
    "was encrypted with"
)


class TotpKeyError(RuntimeError):
    """The configured TOTP keys cannot be used: malformed, or none of them decrypts a stored secret."""


def is_sealed(stored: str) -> bool:
    """Whether ``stored`` is an encrypted secret (a Fernet token) rather than a plain base32 one."""
    return stored.startswith(TOKEN_START)


def seal(secret: str) -> str:
    """The stored form of a base32 TOTP secret: encrypted under the newest key ("" stays "": no second factor)."""
    if not secret:
        return ""
    return _box(*_key_source()).encrypt(secret.encode("ascii")).decode("ascii")


def unseal(stored: str) -> str:
    """The base32 secret of a stored value ("" stays ""). ``TotpKeyError`` when no configured key decrypts it
    (a wrong or missing key), or when it is not encrypted at all (a plain secret that no migration sealed)."""
    if not stored:
        return ""
    if not is_sealed(stored):
        raise TotpKeyError("a stored TOTP secret is not encrypted: run `portal migrate`")
    try:
        return _box(*_key_source()).decrypt(stored.encode("ascii")).decode("ascii")
    except InvalidToken:
        raise TotpKeyError(NO_KEY) from None


def reseal(stored: str, keys: list[str] | None = None) -> str:
    """``stored`` encrypted again under the newest of ``keys`` (default: the configured keys), decrypted with
    any of them (key rotation). ``TotpKeyError`` as ``unseal``."""
    if not stored:
        return ""
    box = _box(*keys) if keys else _box(*_key_source())
    try:
        return box.rotate(stored.encode("ascii")).decode("ascii")
    except InvalidToken:
        raise TotpKeyError(NO_KEY) from None


def opens_with(stored: str, keys: list[str]) -> bool:
    """Whether ``keys`` alone decrypt ``stored`` (before older keys are dropped after a rotation)."""
    try:
        _box(*keys).decrypt(stored.encode("ascii"))
    except InvalidToken:
        return False
    return True


def new_key() -> str:
    """A fresh Fernet key (url-safe base64 of 32 random bytes)."""
    return Fernet.generate_key().decode("ascii")


def configured_keys() -> list[str]:
    """The keys in use, newest first: ``PORTAL_TOTP_KEY`` when set, else those of ``var/totp.key`` (made once)."""
    return list(_key_source())


def uses_key_file() -> bool:
    """Whether the keys come from the local file ``var/totp.key`` (``PORTAL_TOTP_KEY`` empty)."""
    return not get_settings().totp_key.strip()


def key_file() -> Path:
    """The local key file (``var/totp.key``)."""
    return get_settings().var_dir / KEY_FILE


def write_key_file(keys: list[str]) -> None:
    """Replace the local key file with ``keys`` (newest first) in one step: written beside it, then renamed."""
    _check(keys)
    path = key_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".totp-", dir=path.parent)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write("\n".join(keys) + "\n")
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def ensure_key_file() -> Path:
    """The local key file, made with one new key when missing (idempotent; two processes racing keep one)."""
    path = key_file()
    if path.is_file():
        return path
    with _lock:
        if not path.is_file():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".totp-", dir=path.parent)
            with os.fdopen(fd, "w") as out:
                out.write(new_key() + "\n")
            os.chmod(tmp, 0o600)
            try:
                os.link(tmp, path)  # fails when another process was first: its key stays
            except FileExistsError:
                pass
            finally:
                os.unlink(tmp)
    return path


def _key_source() -> tuple[str, ...]:
    setting = get_settings().totp_key.strip()
    if setting:
        return tuple(k.strip() for k in setting.split(",") if k.strip())
    path = ensure_key_file()
    return _file_keys(path, path.stat().st_mtime_ns)


@lru_cache(maxsize=8)
def _file_keys(path: Path, stamp: int) -> tuple[str, ...]:
    """The key file's keys, read again only when the file changed (a rotation replaces it)."""
    return tuple(line.strip() for line in path.read_text().splitlines() if line.strip())


@lru_cache(maxsize=8)
def _box(*keys: str) -> MultiFernet:
    _check(list(keys))
    return MultiFernet([Fernet(k.encode("ascii")) for k in keys])


def _check(keys: list[str]) -> None:
    if not keys:
        raise TotpKeyError("no TOTP key configured (PORTAL_TOTP_KEY)")
    for key in keys:
        try:
            Fernet(key.encode("ascii"))
        except (ValueError, UnicodeEncodeError):
            raise TotpKeyError(
                "PORTAL_TOTP_KEY holds a malformed key: each key is 32 url-safe base64-encoded bytes "
                "(make one with `portal rotate-totp-key --print-new-key`)"
            ) from None
