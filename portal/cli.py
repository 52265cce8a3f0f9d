"""The ``portal`` command: migrate the database, load demo data (and the demo eID provider's configuration),
generate big employers for benchmarks, and run job workers (scaled out on Redis).

Importing this module does not import Reflex, so the commands start quickly and run anywhere.
"""

from __future__ import annotations

import time

import typer

app = typer.Typer(help="Benefits portal administration.", no_args_is_help=True, add_completion=False)


def _migrate() -> None:
    from portal.core.migrate import upgrade

    upgrade()


def _seed_if_empty() -> None:
    from portal.core.db import session_scope
    from portal.demo.seed import database_is_empty, demo_invited_emails, seed_demo

    with session_scope() as db:
        if not database_is_empty(db):
            typer.echo("Database already holds data; demo data not loaded.")
            return
        started = time.perf_counter()
        counts = seed_demo(db)
        elapsed = time.perf_counter() - started
        typer.echo(f"Demo data loaded in {elapsed:.1f} s:")
        for name, value in counts.items():
            typer.echo(f"  {name:<20} {value:>8}")
        typer.echo("Invited accounts (not yet activated): " + ", ".join(demo_invited_emails(db)))


def _signing_credentials() -> None:
    """Without a configured document-signing certificate (``PORTAL_SIGNING_CERT``), make the local demo CA and
    signing certificate under var/signing once (signed forms, DOC-5)."""
    from portal.core.config import get_settings
    from portal.core.signing import ensure_local_credentials

    if not get_settings().signing_cert:
        typer.echo(f"Local document-signing certificate: {ensure_local_credentials()}")


def _totp_key() -> None:
    """Without ``PORTAL_TOTP_KEY``, make the local key that encrypts the TOTP secrets (var/totp.key) once."""
    from portal.core import totp_secrets

    if totp_secrets.uses_key_file():
        typer.echo(f"Local TOTP secret key (set PORTAL_TOTP_KEY in production): {totp_secrets.ensure_key_file()}")


@app.command()
def migrate() -> None:
    """Bring the database schema up to date (alembic upgrade head)."""
    _migrate()
    typer.echo("Database migrated.")


@app.command()
def seed() -> None:
    """Migrate, then load the demo data set when the database is empty."""
    _migrate()
    _seed_if_empty()


@app.command()
def setup(
    demo: bool | None = typer.Option(
        None,
        "--demo/--no-demo",
        help="Load the demo accounts (published passwords and TOTP secrets) and data into an empty database. "
        "Default: PORTAL_DEMO (off). `make run` passes --demo.",
    ),
) -> None:
    """Migrate; with --demo (or PORTAL_DEMO=1) also load demo data into an empty database (``make run``)."""
    from portal.core.config import get_settings

    _migrate()
    _signing_credentials()
    _totp_key()
    if demo if demo is not None else get_settings().demo:
        _seed_if_empty()
    else:
        typer.echo("Database migrated; demo data not loaded (a production set-up: pass --demo for the demo).")


@app.command("rotate-totp-key")
def rotate_totp_key(
    print_new_key: bool = typer.Option(False, "--print-new-key", help="Only print a new key (for PORTAL_TOTP_KEY)."),
) -> None:
    """Encrypt every stored TOTP secret again under a new key, in one transaction (all or nothing).

    With the local key file (PORTAL_TOTP_KEY empty): a new key is put first in var/totp.key beside the old ones
    (running app processes read both), every secret is re-encrypted under it, then the old keys are dropped.
    With PORTAL_TOTP_KEY: list the new key first and the old one(s) after it (``--print-new-key`` makes one),
    restart, run this; afterwards only the first key is needed."""
    from portal.core import totp_secrets
    from portal.core.db import session_scope
    from portal.services import accounts

    if print_new_key:
        typer.echo(totp_secrets.new_key())
        return
    local = totp_secrets.uses_key_file()
    old = totp_secrets.configured_keys()
    keys = [totp_secrets.new_key(), *old] if local else old
    try:
        if local:
            totp_secrets.write_key_file(keys)  # new first, old still readable while the secrets are re-encrypted
        with session_scope() as db:
            count = accounts.reencrypt_totp_secrets(db, keys)
        for _ in range(3):  # a secret set up with an older key while this ran is re-encrypted too
            with session_scope() as db:
                if accounts.totp_secrets_not_under(db, keys[0]) == 0:
                    break
                accounts.reencrypt_totp_secrets(db, keys)
        else:
            raise totp_secrets.TotpKeyError("secrets kept appearing under an older key; run the command again")
    except totp_secrets.TotpKeyError as err:
        if local:
            totp_secrets.write_key_file(old)
        typer.echo(f"TOTP key rotation failed, nothing changed: {err}", err=True)
        raise typer.Exit(1) from None
    if local:
        totp_secrets.write_key_file(keys[:1])
        typer.echo(f"{count} TOTP secrets re-encrypted under a new key in {totp_secrets.key_file()}; old keys removed.")
    else:
        extra = " Remove the older keys from PORTAL_TOTP_KEY now." if len(keys) > 1 else ""
        typer.echo(f"{count} TOTP secrets re-encrypted under the first key of PORTAL_TOTP_KEY.{extra}")


@app.command("eid-demo-config")
def eid_demo_config(
    port: int = typer.Option(3900, help="Loopback port of the demo eID provider."),
    base_url: str = typer.Option("", help="The portal's address (default PORTAL_BASE_URL)."),
) -> None:
    """Write the demo eID provider's configuration (the demo employee's national id) to var/eid-demo.json and
    print its path (``make run`` starts ``tests/oidc/provider.mjs`` with it)."""
    import json

    from portal.core.config import get_settings
    from portal.core.db import session_scope
    from portal.demo.eid import demo_provider_config

    settings = get_settings()
    with session_scope() as db:
        config = demo_provider_config(db, port, base_url or settings.base_url)
    path = settings.var_dir / "eid-demo.json"
    path.write_text(json.dumps(config, indent=2))
    typer.echo(str(path))


@app.command("generate-employer")
def generate_employer(
    participants: int = typer.Option(..., "--participants", "-n", min=1, help="Number of participants."),
    name: str | None = typer.Option(None, "--name", help="Employer name (default: a generated one)."),
    seed: int = typer.Option(1, "--seed", help="Random seed (same seed, same data)."),
) -> None:
    """Generate an employer with N participants in bulk (for benchmarks); prints its id and the time."""
    from portal.core.db import session_scope
    from portal.demo.seed import generate_employer as generate

    started = time.perf_counter()
    with session_scope() as db:
        employer_id = generate(db, participants, name=name, seed=seed)
    elapsed = time.perf_counter() - started
    typer.echo(f"employer_id={employer_id} participants={participants} seconds={elapsed:.2f}")


@app.command("generate-portfolio")
def generate_portfolio(
    employers: int = typer.Option(200, "--employers", min=1, help="Number of employers."),
    participants: int = typer.Option(250_000, "--participants", "-n", min=1, help="Participants in all."),
    seed: int = typer.Option(7, "--seed", help="Random seed (same seed, same data)."),
) -> None:
    """Generate a portfolio for the dashboard benchmark (INT-1): employers of skewed sizes in the first office."""
    from portal.core.db import session_scope
    from portal.demo.portfolio import generate_portfolio as generate

    started = time.perf_counter()
    with session_scope() as db:
        ids = generate(db, employers, participants, seed=seed)
    elapsed = time.perf_counter() - started
    typer.echo(f"employers={len(ids)} participants={participants} seconds={elapsed:.2f}")


@app.command()
def worker(
    workers: int = typer.Option(2, "--workers", "-w", min=1, max=32, help="Worker threads."),
) -> None:
    """Run a job worker (PLT-3): needed when scaled out with PORTAL_REDIS_URL; the embedded set-up runs its
    jobs inside the app process."""
    import logging

    from portal.jobs.consumer import run_worker

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    run_worker(workers)


if __name__ == "__main__":  # pragma: no cover
    app()
