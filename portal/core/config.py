"""Configuration from ``PORTAL_``-prefixed environment variables, with working defaults."""

from __future__ import annotations

import secrets
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parents[2]


class Settings(BaseSettings):
    """All settings of the portal; every field can be set as ``PORTAL_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="PORTAL_", extra="ignore")

    var_dir: Path = ROOT / "var"
    database_url: str = ""  # default: sqlite file var/portal.db
    smtp_url: str = ""  # e.g. smtp://user:pass@host:587?starttls=1 ; empty: write mails to var/mail
    mail_from: str = "Benefits portal <no-reply@portal.example>"
    mail_dir: Path | None = None
    base_url: str = "http://localhost:3000"
    secret_key: str = ""  # empty: generated once into var/secret.key
    # Keys that encrypt the stored TOTP secrets (Fernet keys, comma-separated, newest first: the newest encrypts,
    # each decrypts; ``portal rotate-totp-key``). Empty: one key generated once into var/totp.key (demo, tests).
    totp_key: str = ""
    idle_minutes: int = Field(30, ge=1)
    session_hours: int = Field(12, ge=1)  # absolute session lifetime, however active (and the cookie's Max-Age)
    lockout_attempts: int = Field(5, ge=1)  # failures of one username from one client before that client is locked
    lockout_all_attempts: int = Field(50, ge=1)  # failures of one username from all clients together: locks everyone
    lockout_minutes: int = Field(15, ge=1)
    # Argon2id cost of password hashes (RFC 9106's second recommendation: 3 passes over 64 MiB). A stored hash
    # made with other costs is re-made at the next correct sign-in. Lower only where hashing speed matters more
    # than resistance to guessing, e.g. a test run.
    password_hash_time_cost: int = Field(3, ge=1, le=20)
    password_hash_memory_kib: int = Field(65536, ge=1024, le=4 * 1024 * 1024)
    code_minutes: int = 15
    # Mail-sending actions (codes, reminders, invitations, confirmations, forms sent; portal.services.rate_limits):
    # at most this many per window of ``mail_rate_window_seconds``: mails about one account (or about the address
    # or username a public page was given, known or not), actions of one signed-in user that mail others, and
    # actions from one client address. Over a limit the action is refused with the minutes to wait, and audited.
    mail_rate_per_account: int = Field(5, ge=1)
    mail_rate_per_sender: int = Field(60, ge=1)
    mail_rate_per_ip: int = Field(30, ge=1)
    mail_rate_window_seconds: int = Field(3600, ge=60, le=86400)
    invitation_days: int = Field(14, ge=1, le=365)  # how long an employee's invitation link works (BULK-3)
    default_language: str = "nl"
    redis_url: str = ""
    # Sign-in with the national eID over OpenID Connect (AUTH-6); offered on the login page when issuer and
    # client id are set. The redirect URI to register at the provider is PORTAL_BASE_URL + /auth/eid/callback.
    oidc_issuer: str = ""
    oidc_client_id: str = ""
    oidc_client_secret: str = ""
    # Insurer couplings (INT-5, API-2): the insurers' base URLs, "code=url,code=url", where an entry without a
    # code ("url" or "*=url") is the default for every insurer; an insurer without a URL gets nothing sent.
    insurer_urls: str = ""
    insurer_connect_timeout: float = Field(5.0, gt=0, le=120)  # seconds to open a connection to an insurer
    insurer_read_timeout: float = Field(30.0, gt=0, le=600)  # seconds to wait for an insurer's answer
    outbox_max_attempts: int = Field(8, ge=1, le=100)  # attempts before a message becomes a dead letter (failed)
    outbox_backoff_base: float = Field(10.0, gt=0)  # seconds: the longest wait after the first failed attempt
    outbox_backoff_cap: float = Field(3600.0, gt=0)  # seconds: the longest wait between attempts
    outbox_batch: int = Field(200, ge=1, le=5000)  # messages claimed per round
    outbox_concurrency: int = Field(8, ge=1, le=64)  # requests in flight (each for another participation)
    # a claimed message not answered within this many seconds is presumed lost with its worker and sent again
    # (same idempotency key: the insurer applies it once)
    outbox_lease_seconds: float = Field(120.0, gt=0)
    # Payroll API (API-1): requests per API key in a fixed window of ``api_rate_window_seconds`` (then 429).
    api_rate_limit: int = Field(1200, ge=1)
    api_rate_window_seconds: int = Field(60, ge=1, le=3600)
    # days an answer stored under an Idempotency-Key is kept (and replayed); after it the same key is a new request
    api_idempotency_days: int = Field(7, ge=1, le=365)
    # Signed forms (DOC-5): the portal's document-signing certificate and its key (PEM files), and the trust root
    # that "verify" checks signatures against (default: the certificate itself). Empty: a local CA and signing
    # certificate are made under var/signing at set-up (for the demo and tests; never for production).
    signing_cert: str = ""
    signing_key: str = ""
    signing_ca: str = ""
    form_expiry_days: int = Field(30, ge=1, le=365)  # a form waiting for the employee expires after this many days
    # Data protection (``portal.domain.retention``): an ended contract (terminated, retired) leaves the employer's
    # participant overview this many months after its end date (EE-1: six); the audit trail is kept this many
    # years, older events are removed by the nightly retention job (no figure in SPEC: the fiscal seven years).
    retention_ended_months: int = Field(6, ge=0, le=1200)
    audit_retention_years: int = Field(7, ge=1, le=100)
    demo: bool = False  # ``portal setup`` loads the demo accounts and data into an empty database only when set
    # Fault injection for the kill tests only (0 everywhere else): seconds a job pauses per unit of work (a row
    # of a collective apply, a statement, a mail), so that a test can kill a worker in the middle of a job.
    fault_job_delay: float = Field(0.0, ge=0, le=10)

    @property
    def db_url(self) -> str:
        """The SQLAlchemy URL, defaulting to the embedded SQLite file."""
        if self.database_url:
            url = self.database_url
            if url.startswith("postgresql://"):
                url = "postgresql+psycopg://" + url[len("postgresql://") :]
            return url
        self.var_dir.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{self.var_dir / 'portal.db'}"

    @property
    def mailbox(self) -> Path:
        """Folder where mails are written when no SMTP server is configured."""
        return self.mail_dir or self.var_dir / "mail"

    @property
    def secret(self) -> str:
        """Server secret for HMACs and signed links (generated and kept under var/ by default)."""
        if self.secret_key:
            return self.secret_key
        path = self.var_dir / "secret.key"
        try:
            stamp = path.stat().st_mtime_ns
        except FileNotFoundError:
            self.var_dir.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_urlsafe(48))
            path.chmod(0o600)
            stamp = path.stat().st_mtime_ns
        return _read_secret(path, stamp)


def own_origins(base_url: str) -> list[str]:
    """The origins allowed to talk to the app (websocket and HTTP with credentials): the portal's own, from
    ``PORTAL_BASE_URL``. For a loopback address the other loopback names of the same port count as the same
    machine (``make run`` prints localhost, a newcomer may type 127.0.0.1); any other port or host does not."""
    parts = urlsplit(base_url.strip().rstrip("/"))
    origin = f"{parts.scheme}://{parts.netloc}"
    if parts.hostname not in LOOPBACK_HOSTS:
        return [origin]
    port = f":{parts.port}" if parts.port else ""
    others = [host for name, host in LOOPBACK_HOSTS.items() if name != parts.hostname]
    return [origin] + [f"{parts.scheme}://{host}{port}" for host in others]


LOOPBACK_HOSTS = {"localhost": "localhost", "127.0.0.1": "127.0.0.1", "::1": "[::1]"}  # hostname: in a URL


@lru_cache(maxsize=8)
def _read_secret(path: Path, stamp: int) -> str:
    """The secret file's text, read again only when the file changed (every event hashes its session token)."""
    return path.read_text().strip()


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings (cached; tests call ``get_settings.cache_clear()``)."""
    return Settings()
