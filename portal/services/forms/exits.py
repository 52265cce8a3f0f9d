"""The exit form (DOC-5): recorded with every processed exit, rendered and sent by a job after the commit.

``on_exit`` runs in the exit's own transaction (a single change, the payroll API, a review, a collective exit)
and only records the form: status ``prepared``, the values pre-filled from the exit, no PDF yet (an empty
``stored_name``), once per exit (``source_key``). Its PDF is rendered, stored and the form sent (waiting for the
employee, expiring after ``PORTAL_FORM_EXPIRY_DAYS`` from then; audited ``form.prepared`` and ``form.sent`` with
the PDF's SHA-256) by the ``exit_forms`` job run (``portal.jobs.tasks.exit_forms``), which then mails the
employees it sent forms to (``mails.deliver_forms``: one mail per address, never twice). A form without its PDF
cannot be opened, filled in, signed or sent (``forms.not_ready``) and the employee does not see it yet.

One run per transaction at most: the first exit form of a transaction records the run, the others of the same
transaction (several exits in one transaction, a collective exit) go with it. No new run either while one that has
not been attempted yet is queued: the transaction touches that run's row instead (``total`` + 1; on PostgreSQL a
run row another open transaction holds is skipped, not waited for) and the run picks the form up, since the job
takes every exit form still without a PDF when it starts. That is safe because the claim of a run
(``background.claim``) is a conditional write of the same row: it waits for the touching transaction to commit
(PostgreSQL's row lock, SQLite's single writer) and the job reads the forms after its claim; a run claimed before
the touch is no longer queued, so the touch changes nothing and the transaction records a run of its own. A run
attempted before (queued again for a retry) is never joined, and a run that has begun mailing takes no new forms:
it mails nobody twice, so it could not tell an employee it mailed already about a new form.

Exactly once: the job writes each form's step with a conditional update (still prepared, still without a PDF,
the version it read) in a transaction that also keeps the sent form ids in the run's checkpoint; a retried
attempt finds those forms sent and renders nothing again, and mails only the addresses not reached
(``background.deliver``). Two runs at once skip each other's rows (``FOR UPDATE SKIP LOCKED`` on PostgreSQL;
on SQLite the loser of a conditional update removes the PDF it wrote).
"""

from __future__ import annotations

import json
import logging

from sqlalchemy import func, update
from sqlalchemy.engine import Connection
from sqlmodel import Session, col, select

from portal.core import clock, signing
from portal.core.config import get_settings
from portal.core.db import session_scope
from portal.domain import forms as rules
from portal.domain import tasks as task_rules
from portal.models import Form, JobRun, Mutation, Person, Task
from portal.services import audit, background
from portal.services.background.runs import UNFINISHED
from portal.services.forms import flow, mails
from portal.services.forms.render import render_pdf

log = logging.getLogger("portal.forms.exits")
KIND = "exit_forms"  # the job run's kind (``portal.jobs.tasks.exit_forms``)
CHUNK = 50  # forms rendered and sent per transaction of the job
_RUN_OF_TRANSACTION = "forms.exit_run"  # db.info: (the transaction, the run id) that takes its exit forms


def exit_source(mutation_id: int) -> str:
    return f"mutation:{mutation_id}"


# ---------------------------------------------------------------------------------------------- in the exit
def on_exit(db: Session, mutation: Mutation) -> Form | None:
    """On every processed exit (called by the mutation services after ``tasks.on_mutation``), record the exit
    form pre-filled from it (the exit date; the portal holds no reserves, so the dormant rights are left for the
    insurer's figure), to be rendered and sent to the employee by the ``exit_forms`` job, by the portal on
    behalf of whoever submitted the exit, and name it in the adviser's exit advice task. Once per exit
    (``source_key``); None for any other change (and for an exit that has its form). In the caller's
    transaction (not committed here); nothing is rendered or written to disk here."""
    form = _record(db, mutation)
    _link_exit_task(db, mutation)
    return form


def _record(db: Session, mutation: Mutation) -> Form | None:
    if mutation.kind != "exit" or mutation.status != "processed" or mutation.id is None:
        return None
    if mutation.participation_id is None or mutation.person_id is None:
        return None
    source = exit_source(mutation.id)
    if db.exec(select(Form.id).where(Form.source_key == source)).first() is not None:
        return None
    person = db.get(Person, mutation.person_id)
    form = Form(
        kind=rules.FormKind.EXIT,
        employer_id=mutation.employer_id,
        person_id=mutation.person_id,
        participation_id=mutation.participation_id,
        status=rules.FormStatus.PREPARED,
        language=(person.language if person and person.language else get_settings().default_language),
        field_values=rules.to_json(rules.exit_values(mutation.effective_date)),
        created_by=mutation.requested_by,
        created_by_name=(mutation.requested_by_name or "")[:120],
        acting_by=mutation.on_behalf_of or "",
        source_key=source,
    )
    db.add(form)
    db.flush()
    queue_sending(db)
    return form


def _link_exit_task(db: Session, mutation: Mutation) -> None:
    """The exit advice task of a processed exit names the exit form made for it (INT-6, DOC-5): ``form_id`` and
    ``form_kind`` in its detail, so that the adviser's task leads to the form and its status."""
    if mutation.kind != "exit" or mutation.status != "processed" or mutation.id is None:
        return
    form_id = db.exec(select(Form.id).where(Form.source_key == exit_source(mutation.id))).first()
    if form_id is None:
        return
    for task in db.exec(select(Task).where(Task.source_key == task_rules.exit_source(mutation.id))).all():
        detail = json.loads(task.detail or "{}")
        if detail.get("form_id") == form_id:
            continue
        detail.update(form_id=form_id, form_kind="exit")
        task.detail = json.dumps(detail, ensure_ascii=False, default=str)
        db.add(task)
        audit.record(
            db, "task.form_linked", object_type="task", object_id=task.id, employer_id=task.employer_id,
            form_id=form_id, mutation_id=mutation.id,
        )  # fmt: skip
    db.flush()


def queue_sending(db: Session) -> None:
    """Make sure an ``exit_forms`` run takes the exit form just recorded in ``db``'s transaction once that has
    committed: the run this transaction already has, else a queued run not attempted yet (touched, see the module
    docstring), else a new one. The run's ``total`` counts the forms it was given."""
    transaction = db.get_transaction()
    known = db.info.get(_RUN_OF_TRANSACTION)
    conn = db.connection()
    if known is not None and known[0] is transaction:  # one more form for the run this transaction has
        conn.execute(update(JobRun).where(col(JobRun.id) == known[1]).values(total=col(JobRun.total) + 1))
        return
    run_id = _join_queued(conn)
    if run_id is None:
        run_id = background.queue(db, KIND, subject=KIND, total=1).id
    db.info[_RUN_OF_TRANSACTION] = (transaction, run_id)


def _join_queued(conn: Connection) -> int | None:
    """Touch the oldest queued, never attempted ``exit_forms`` run (``total`` + 1) in this transaction; its id,
    or None when there is none (or it was claimed meanwhile). On PostgreSQL a run another open transaction (or a
    claim) holds is skipped rather than waited for, so that exits at the same moment do not queue up behind one
    another (each then has a run of its own, which later exits join)."""
    query = (
        select(JobRun.id)
        .where(JobRun.kind == KIND, JobRun.status == "queued", JobRun.attempts == 0)
        .order_by(col(JobRun.id))
        .limit(1)
    )
    if conn.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    candidate = conn.execute(query).scalar()
    if candidate is None:
        return None
    touched = conn.execute(
        update(JobRun)
        .where(col(JobRun.id) == candidate, col(JobRun.status) == "queued", col(JobRun.attempts) == 0)
        .values(total=col(JobRun.total) + 1)
    )
    return int(candidate) if touched.rowcount == 1 else None


_PENDING = (  # an exit form whose PDF is not rendered yet
    Form.status == rules.FormStatus.PREPARED,
    Form.kind == rules.FormKind.EXIT,
    Form.stored_name == "",
    Form.source_key != "",
)


def queue_stranded(db: Session) -> int | None:
    """The periodic safety net: when exit forms still wait for their PDF but no ``exit_forms`` run is unfinished
    (the last one failed after its retries, say), queue a run for them (committed by the caller); its id, or
    None when nothing is stranded."""
    unfinished = db.exec(
        select(JobRun.id).where(JobRun.kind == KIND, col(JobRun.status).in_(UNFINISHED)).limit(1)
    ).first()
    if unfinished is not None:
        return None
    stranded = db.exec(select(func.count()).select_from(Form).where(*_PENDING)).one()
    if not stranded:
        return None
    log.warning("%d exit form(s) without a run to send them: queued one", stranded)
    return background.queue(db, KIND, subject=KIND, total=int(stranded)).id


# ---------------------------------------------------------------------------------------------- the job
def _pending(db: Session, skip: set[int]) -> list[Form]:
    """The next exit forms still without their PDF (oldest first), locked for this attempt where the database
    can (another run skips them)."""
    query = select(Form).where(*_PENDING).order_by(col(Form.id)).limit(CHUNK + len(skip))
    if db.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return [f for f in db.exec(query).all() if f.id not in skip][:CHUNK]


def _send_rendered(db: Session, form: Form, written: list[str]) -> bool:
    """Render, store and send one exit form (its step conditional on the form as read); False when it changed
    meanwhile (declined, sent by another run): nothing of it is kept."""
    values = rules.from_json(form.kind, form.field_values)
    pdf = render_pdf(form.kind, values, flow._header(db, form), form.language)
    name = flow._write(pdf)
    written.append(name)
    sha, now = signing.sha256(pdf), clock.now()
    status = flow._next(form, rules.Action.SEND, now)
    expires = rules.expires_at(now, get_settings().form_expiry_days)
    done = db.exec(
        update(Form)
        .where(
            col(Form.id) == form.id,
            col(Form.version) == form.version,
            col(Form.status) == rules.FormStatus.PREPARED,
            col(Form.stored_name) == "",
        )
        .values(
            status=status,
            stored_name=name,
            prepared_sha256=sha,
            sent_at=now,
            expires_at=expires,
            version=form.version + 1,
            updated_at=now,
        )
    )
    if done.rowcount != 1:
        flow._remove(name)
        written.remove(name)
        return False
    for action, shown in (("form.prepared", rules.FormStatus.PREPARED), ("form.sent", status)):
        audit.record(
            db,
            action,
            actor_user_id=form.created_by,
            object_type="form",
            object_id=form.id,
            employer_id=form.employer_id,
            kind=form.kind,
            status=shown,
            sha256=sha,
            source=form.source_key,
            session=None,
            **({"expires_at": expires} if action == "form.sent" else {}),
        )
    return True


def send_job(run: background.Run) -> int:
    """The ``exit_forms`` job run: render, store and send every exit form still without its PDF, a chunk per
    transaction (the sent ids kept in the run's checkpoint in the same transaction), then mail the employees
    of the forms this run sent, once. How many forms this attempt sent."""
    sent: list[int] = [int(i) for i in run.checkpoint.get("form_ids", [])]
    tried: set[int] = set(sent)
    now_sent = 0
    while not run.checkpoint.get("mailing"):  # an attempt after the mails began sends no new forms (see below)
        written: list[str] = []
        try:
            with session_scope() as db:
                batch = _pending(db, tried)
                if not batch:
                    break
                for form in batch:
                    tried.add(form.id or 0)
                    try:
                        ok = _send_rendered(db, form, written)
                    except Exception:
                        log.exception("exit form %s could not be rendered", form.id)
                        raise
                    if ok:
                        sent.append(form.id or 0)
                        now_sent += 1
                run.save(db, done=len(sent), total=len(sent), form_ids=sent)
        except BaseException:
            for name in written:
                flow._remove(name)
            raise
    if not run.checkpoint.get("mailing"):
        # From here on this run sends no more forms: a retry (the mail server was unreachable) mails only the
        # forms it sent before, since an address it has mailed is never mailed again by it (``deliver``), so a
        # form it took up now would not reach that employee. Forms of later exits wait for a run of their own.
        with session_scope() as db:
            run.save(db, mailing=True)
    mails.deliver_forms(run, sent, f"forms.exit.job{run.id}")
    return now_sent
