"""person records per employer: person.employer_id, a BSN unique per employer instead of globally

A person with employments at more than one employer is split into one record per employer: the record stays
with the employer of the earliest employment (lowest employer id on a tie), every other employer gets a copy
of the person, the relations that employer's own partner/child changes recorded (a relation without such a
change stays with the keeping employer only), and that employer's employments, participations, mutations, documents,
participant-list rows and batch lines are repointed to its copy. A record that nothing ties to an employer
keeps ``employer_id`` NULL (no employer finds or shows it). The downgrade merges the records of a BSN again;
on SQLite it leaves the (then unused) column in place, see ``downgrade``.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24 09:00:00.000000
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date

import sqlalchemy as sa

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# tables with both person_id and employer_id: their rows follow the employer's copy
_EMPLOYER_ROWS = ("employment", "participation", "mutation", "document", "participant_list")


def _tables(bind: sa.engine.Connection) -> dict[str, sa.Table]:
    meta = sa.MetaData()
    names = ("person", "relation", "batch", "batch_line", *_EMPLOYER_ROWS)
    return {name: sa.Table(name, meta, autoload_with=bind) for name in names}


def _employers_of_people(bind: sa.engine.Connection, t: dict[str, sa.Table]) -> dict[int, list[int]]:
    """person id → the employers holding rows of that person, the keeping employer (earliest employment) first."""
    starts: dict[int, dict[int, date | None]] = defaultdict(dict)
    emp = t["employment"]
    for person_id, employer_id, start in bind.execute(sa.select(emp.c.person_id, emp.c.employer_id, emp.c.start_date)):
        known = starts[person_id].get(employer_id)
        starts[person_id][employer_id] = start if known is None else min(known, start)
    for name in ("participation", "mutation", "document", "participant_list"):
        table = t[name]
        query = sa.select(table.c.person_id, table.c.employer_id).where(table.c.person_id.is_not(None)).distinct()
        for person_id, employer_id in bind.execute(query):
            starts[person_id].setdefault(employer_id, None)
    return {
        pid: sorted(found, key=lambda e, f=found: (f[e] is None, f[e] or date.min, e)) for pid, found in starts.items()
    }


def _relation_origins(bind: sa.engine.Connection, t: dict[str, sa.Table]) -> dict[tuple[int, str, str], int]:
    """(person id, kind, relation BSN) → the employer whose partner/child change recorded that relation."""
    mut = t["mutation"]
    origins: dict[tuple[int, str, str], int] = {}
    query = (
        sa.select(mut.c.person_id, mut.c.kind, mut.c.new_values, mut.c.employer_id)
        .where(mut.c.kind.in_(("partner", "child")), mut.c.person_id.is_not(None))
        .order_by(mut.c.id)
    )
    for person_id, kind, new_values, employer_id in bind.execute(query):
        try:
            bsn = json.loads(new_values or "{}").get("bsn")
        except (ValueError, AttributeError):
            continue
        if isinstance(bsn, str) and bsn:
            origins[(person_id, kind, bsn)] = employer_id
    return origins


def _split(bind: sa.engine.Connection) -> None:
    """One record per employer: the earliest employer keeps the record; every other one gets a copy of the
    person and the rows it holds. A relation goes to the employer whose partner/child change recorded it; one
    without such a change (loaded otherwise) stays with the keeping employer only, so that no employer is
    shown a partner or child another employer entered."""
    t = _tables(bind)
    person, relation = t["person"], t["relation"]
    origins = _relation_origins(bind, t)
    for person_id, employers in sorted(_employers_of_people(bind, t).items()):
        keep, *others = employers
        bind.execute(sa.update(person).where(person.c.id == person_id).values(employer_id=keep))
        if not others:
            continue
        columns = [c for c in person.c if c.name not in ("id", "employer_id")]  # the schema as it is at 0007
        values = bind.execute(sa.select(*columns).where(person.c.id == person_id)).one()
        relations = bind.execute(
            sa.select(relation.c.id, relation.c.kind, relation.c.bsn).where(relation.c.person_id == person_id)
        ).all()
        for employer_id in others:
            row = dict(zip((c.name for c in columns), values, strict=True)) | {"employer_id": employer_id}
            copy_id = bind.execute(sa.insert(person).values(**row)).inserted_primary_key[0]
            entered_here = [r.id for r in relations if origins.get((person_id, r.kind, r.bsn)) == employer_id]
            if entered_here:
                bind.execute(sa.update(relation).where(relation.c.id.in_(entered_here)).values(person_id=copy_id))
            for name in _EMPLOYER_ROWS:
                table = t[name]
                bind.execute(
                    sa.update(table)
                    .where(table.c.person_id == person_id, table.c.employer_id == employer_id)
                    .values(person_id=copy_id)
                )
            batch, line = t["batch"], t["batch_line"]
            of_employer = sa.select(batch.c.id).where(batch.c.employer_id == employer_id)
            bind.execute(
                sa.update(line)
                .where(line.c.person_id == person_id, line.c.batch_id.in_(of_employer))
                .values(person_id=copy_id)
            )


def _merge(bind: sa.engine.Connection) -> None:
    """Back to one record per BSN: the lowest id keeps, the others' rows and new relations move to it."""
    t = _tables(bind)
    person, relation = t["person"], t["relation"]
    groups: dict[str, list[int]] = defaultdict(list)
    for pid, bsn in bind.execute(sa.select(person.c.id, person.c.bsn).order_by(person.c.id)).all():
        groups[bsn].append(pid)
    for keep, *others in (ids for ids in groups.values() if len(ids) > 1):
        key = (relation.c.kind, relation.c.bsn, relation.c.start_date)
        known = set(bind.execute(sa.select(*key).where(relation.c.person_id == keep)).all())
        for other in others:
            for rid, *rel_key in bind.execute(
                sa.select(relation.c.id, *key).where(relation.c.person_id == other)
            ).all():
                if tuple(rel_key) in known:
                    bind.execute(sa.delete(relation).where(relation.c.id == rid))
                else:
                    known.add(tuple(rel_key))
                    bind.execute(sa.update(relation).where(relation.c.id == rid).values(person_id=keep))
            for name in (*_EMPLOYER_ROWS, "batch_line"):
                table = t[name]
                bind.execute(sa.update(table).where(table.c.person_id == other).values(person_id=keep))
            users = sa.table("user_account", sa.column("person_id"))
            bind.execute(sa.update(users).where(users.c.person_id == other).values(person_id=keep))
            bind.execute(sa.delete(person).where(person.c.id == other))


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        # the column with its reference in place: a batch copy of ``person`` would drop a referenced table
        # (a downgrade on SQLite leaves the column in place: take it up again)
        if "employer_id" not in {c["name"] for c in sa.inspect(bind).get_columns("person")}:
            op.execute("ALTER TABLE person ADD COLUMN employer_id INTEGER REFERENCES employer (id)")
    else:
        op.add_column("person", sa.Column("employer_id", sa.Integer(), nullable=True))
        op.create_foreign_key("fk_person_employer_id_employer", "person", "employer", ["employer_id"], ["id"])
    op.drop_index("ix_person_bsn", table_name="person")  # unique until now: the copies share the BSN
    _split(bind)
    op.create_index("ix_person_bsn", "person", ["bsn"], unique=False)
    op.create_index("ix_person_employer_bsn", "person", ["employer_id", "bsn"], unique=True)


def downgrade() -> None:
    _merge(op.get_bind())
    op.drop_index("ix_person_employer_bsn", table_name="person")
    op.drop_index("ix_person_bsn", table_name="person")
    op.create_index("ix_person_bsn", "person", ["bsn"], unique=True)
    if op.get_bind().dialect.name == "sqlite":
        # SQLite cannot drop a referencing column in place, and a copy of ``person`` (batch mode) would drop a
        # table that other tables reference while foreign keys are enforced: the unused column stays there
        # (NULL, nothing reads it) and a later upgrade takes it up again.
        op.execute("UPDATE person SET employer_id = NULL")
        return
    op.drop_constraint("fk_person_employer_id_employer", "person", type_="foreignkey")
    op.drop_column("person", "employer_id")
