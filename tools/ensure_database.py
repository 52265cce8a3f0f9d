"""Create the PostgreSQL database a URL names when it does not exist yet (``make run-scaled``): connects to
the server's ``postgres`` database as the URL's user. Prints what it did."""

from __future__ import annotations

import sys

import psycopg
from psycopg import sql
from sqlalchemy.engine import make_url


def main(url_text: str) -> None:
    url = make_url(url_text)
    if not url.drivername.startswith("postgresql") or not url.database:
        raise SystemExit(f"not a PostgreSQL database URL: {url.render_as_string(hide_password=True)}")
    admin = url.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (url.database,)).fetchone():
            print(f"PostgreSQL database {url.database} on {url.host or 'localhost'}: there")
            return
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(url.database)))
        print(f"PostgreSQL database {url.database} on {url.host or 'localhost'}: created")


if __name__ == "__main__":
    main(sys.argv[1])
