"""Bulk reads and writes at the driver level, with SQLAlchemy's own type conversions (bulk paths only).

Reading 100,000 rows through SQLAlchemy's ``Result`` costs far more than the query: every value passes
through its row machinery. ``fetch`` runs the same ``select`` (compiled by SQLAlchemy for the dialect) on
the driver's cursor and converts each column with the column type's own result processor, so the values
are exactly those ``conn.execute(stmt).all()`` would give. ``db_values`` is the other direction: values
in the form the driver stores (each column through its type's bind processor), for executemany and for
comparing with stored rows read by ``fetch_stored``. ``bulk_insert`` (COPY on PostgreSQL) and ``reserve_ids``
write many rows with known ids.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Select, Table, bindparam, func, literal_column, select, text, type_coerce
from sqlalchemy.engine import Connection
from sqlalchemy.types import NullType

FEW = 64  # at most this many ids: bound parameters and SQLAlchemy's statement cache (``few_ids``, ``fetch_few``)
INSERT_CHUNK = 5_000  # rows per executemany batch of ``bulk_insert`` on SQLite
_BY_VALUE = {int, str, date, type(None)}  # types whose equal values always convert alike


def _run(conn: Connection, stmt: Select[Any]) -> tuple[list[Any], list[tuple[Any, ...]]]:
    """(cursor description, raw rows) of ``stmt`` on the connection's driver cursor, in its transaction."""
    sql = str(stmt.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))
    raw = conn.connection.dbapi_connection
    assert raw is not None
    cur = raw.cursor()
    try:
        cur.execute(sql)
        return list(cur.description or []), cur.fetchall()
    finally:
        cur.close()


def fetch(conn: Connection, stmt: Select[Any]) -> list[tuple[Any, ...]]:
    """The rows of ``stmt`` as tuples, each value converted as SQLAlchemy converts it (``stmt`` must only
    hold literal-renderable parameters: numbers, text, dates)."""
    description, rows = _run(conn, stmt)
    if not rows or not any(_processors(conn, stmt, description)):
        return rows
    return list(zip(*_columns(conn, stmt, description, rows), strict=True))


def fetch_columns(conn: Connection, stmt: Select[Any]) -> list[list[Any]]:
    """Like ``fetch``, column by column (iterate ``zip(*columns)``: no list of row tuples is built)."""
    description, rows = _run(conn, stmt)
    if not rows:
        return [[] for _ in stmt.selected_columns]
    return _columns(conn, stmt, description, rows)


def _processors(conn: Connection, stmt: Select[Any], description: list[Any]) -> list[Any]:
    dialect = conn.dialect
    return [
        c.type.dialect_impl(dialect).result_processor(dialect, d[1])
        for c, d in zip(stmt.selected_columns, description, strict=True)
    ]


def _columns(conn: Connection, stmt: Select[Any], description: list[Any], rows: list[Any]) -> list[list[Any]]:
    procs = _processors(conn, stmt, description)
    return [_convert(list(values), proc) for values, proc in zip(zip(*rows, strict=True), procs, strict=True)]


def fetch_stored(conn: Connection, stmt: Select[Any]) -> list[tuple[Any, ...]]:
    """The rows of ``stmt`` as the driver returns them (no conversion): compare with ``db_values``."""
    return _run(conn, stmt)[1]


def db_values(
    conn: Connection, table: Table, cols: Sequence[str], rows: Iterable[dict[str, Any]] | Iterable[Sequence[Any]]
) -> list[tuple[Any, ...]]:
    """``rows`` (dicts with at least ``cols``, or tuples in ``cols`` order) as tuples, in ``cols`` order, of
    the values the driver is given: each column converted by its type's bind processor (exactly what an
    ORM write would store)."""
    dialect = conn.dialect
    rows = list(rows)
    if not rows:
        return []
    if isinstance(rows[0], dict):
        columns = [[r[c] for r in rows] for c in cols]  # type: ignore[call-overload]
    else:
        columns = [list(values) for values in zip(*rows, strict=True)]
    for i, c in enumerate(cols):
        proc = table.c[c].type.dialect_impl(dialect).bind_processor(dialect)
        columns[i] = _convert(columns[i], proc)
    return list(zip(*columns, strict=True))


def _convert(values: list[Any], proc: Callable[[Any], Any] | None) -> list[Any]:
    """``values`` through ``proc`` (None stays None). A column of few distinct values (dates, the same moment
    object in every row) is converted once per distinct value: by value for ints, text and dates (equal
    values convert alike), else by object identity."""
    if proc is None:
        return values
    keys = values if set(map(type, values)) <= _BY_VALUE else list(map(id, values))
    distinct = dict(zip(keys, values, strict=True))
    if len(distinct) * 2 > len(values):
        return [None if v is None else proc(v) for v in values]
    done = {k: None if v is None else proc(v) for k, v in distinct.items()}
    return list(map(done.__getitem__, keys))


def fetch_few(conn: Connection, stmt: Select[Any], params: dict[str, Any] | None = None) -> list[tuple[Any, ...]]:
    """``fetch`` for a statement of a few rows that runs often with other ids (the change of one employment):
    executed through SQLAlchemy with bound ``params`` (ids: ``FEW_IDS``), so it is compiled once and then comes
    from its statement cache; compiling it with literal values on every call would cost more than the query.
    Build such a statement once and keep it. The same values as ``fetch``."""
    return [tuple(row) for row in conn.execute(stmt, params)]


def stored_form(stmt: Select[Any]) -> Select[Any]:
    """``stmt`` reading every column without a type, so that nothing converts the driver's values (for
    ``fetch_few``: the rows ``fetch_stored`` would give)."""
    return stmt.with_only_columns(*(type_coerce(c, NullType()) for c in stmt.selected_columns))


def few_ids() -> Any:
    """The bound parameter ``ids`` of a statement for ``fetch_few`` (``column.in_(few_ids())``, executed with
    ``{"ids": [...]}``: at most ``FEW`` of them)."""
    return bindparam("ids", expanding=True)


def in_ids(column: Any, ids: Iterable[int]) -> Any:
    """``column IN (ids)`` with the integers written into the SQL text: compiling thousands of bound
    literals costs more than the query itself."""
    return column.in_([literal_column(",".join(str(int(i)) for i in ids) or "NULL")])


def placeholder(conn: Connection) -> str:
    """The driver's positional parameter marker (``?`` for sqlite3, ``%s`` for psycopg)."""
    return "?" if conn.dialect.paramstyle == "qmark" else "%s"


def reserve_ids(conn: Connection, table: Table, n: int) -> list[int]:
    """Reserve ``n`` primary keys of ``table`` so that rows can be inserted in bulk with known ids.

    PostgreSQL: drawn from the table's sequence (safe with concurrent writers). SQLite: max(id) + 1 onwards;
    the caller must already hold the write lock (it wrote something in this transaction) so no other
    writer can take them.
    """
    if n <= 0:
        return []
    if conn.dialect.name == "postgresql":
        rows = conn.execute(
            text("SELECT nextval(pg_get_serial_sequence(:t, 'id')) FROM generate_series(1, :n)"),
            {"t": table.name, "n": n},
        )
        return sorted(r[0] for r in rows)
    start = (conn.execute(select(func.max(table.c.id))).scalar() or 0) + 1
    return list(range(start, start + n))


def bulk_insert(
    conn: Connection, table: Table, rows: list[dict[str, Any]] | list[tuple[Any, ...]], cols: Sequence[str] = ()
) -> None:
    """Insert ``rows`` (dicts with the same keys, or tuples in ``cols`` order) into ``table`` within the
    connection's transaction.

    PostgreSQL: one COPY (psycopg adapts dates, Decimals and aware datetimes). SQLite: the driver's
    executemany in batches, each value converted by its column type's own SQLAlchemy bind processor, so
    the stored form is exactly what the ORM would write (column by column, a repeated value converted
    once: ``db_values``).
    """
    if not rows:
        return
    cols = list(cols or rows[0])
    names = ", ".join(f'"{c}"' for c in cols)
    if conn.dialect.name == "postgresql":
        raw = conn.connection.dbapi_connection
        assert raw is not None
        with raw.cursor() as cur, cur.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row([row[c] for c in cols] if isinstance(row, dict) else row)
        return
    sql = f'INSERT INTO "{table.name}" ({names}) VALUES ({", ".join("?" for _ in cols)})'
    for i in range(0, len(rows), INSERT_CHUNK):
        conn.exec_driver_sql(sql, db_values(conn, table, cols, rows[i : i + INSERT_CHUNK]))


def insert_once(conn: Connection, table: Table, values: dict[str, Any], keys: list[str]) -> bool:
    """Insert a row unless one with the same unique ``keys`` exists (two at once: exactly one wins); True when
    this call inserted it (a Core insert: RETURNING says so reliably, on PostgreSQL and SQLite alike)."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    stmt = insert(table).values(**values).on_conflict_do_nothing(index_elements=keys).returning(table.c.id)
    return conn.execute(stmt).first() is not None
