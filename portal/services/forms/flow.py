"""The life of a signed form (DOC-5, EE-5): prepared by the employer (or the adviser acting for it) for one or
many participants, sent to the employee, filled in and signed by the employee with a fresh second factor,
countersigned by the employer where the kind needs it, declined, expired; its PDF viewed and verified.

Every step checks the principal from the session and re-checks every id it is given (event arguments are
untrusted), is refused with a clear message key when the status machine (``portal.domain.forms``) says no, and
is an audit event with who, from which session, and the SHA-256 of the PDF at that step. A refusal is audited
and committed, then raised, with nothing else changed; a step that succeeds is committed here too, so that the
PDF file it wrote and the row that names it go together (the previous file is removed after the commit).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import false
from sqlmodel import Session, col, func, select, update

from portal.core import clock, oidc, signing
from portal.core.config import get_settings
from portal.core.db import session_scope
from portal.domain import forms as rules
from portal.domain.errors import RuleError
from portal.domain.locks import status_on
from portal.domain.roles import FrontEnd, Perm
from portal.domain.statement import full_name
from portal.i18n import t
from portal.models import CalculatorYear, EidLink, Employer, Form, Participation, Person, Scheme, UserAccount
from portal.services import accounts, audit, background, files
from portal.services.errors import FieldError
from portal.services.forms import completion, mails
from portal.services.forms.render import Header, render_pdf
from portal.services.principal import (
    NoAccess,
    Principal,
    acting,
    id_of,
    own_person_ids,
    require,
    require_employer,
)
from portal.services.rate_limits import limit_mail

FOLDER = "documents"
FILE_KIND = "form"  # the /files/ link kind of a form's PDF
PDF = "application/pdf"
MAX_AT_ONCE = 1000  # participants prepared in one call
DIRECT_MAX = 100  # ``start_prepare``: more participants than this are prepared by a background job
PREPARE_JOB = "prepare_forms"  # the job run's kind (``portal.jobs.tasks.prepare_forms``)
PROGRESS_EVERY = 25  # forms between progress reports of the job
MAX_REASON = 500
EMPLOYEE_FIELD, EMPLOYER_FIELD = "Employee", "Employer"  # the PDF signature fields


# ---------------------------------------------------------------------------------------------- helpers
def _context(db: Session, today: date) -> rules.Context:
    """Today and the deferral limits of the years a start date may fall in (the calculators' yearly limit)."""
    years = range(today.year, today.year + 2)
    rows = db.exec(select(CalculatorYear).where(col(CalculatorYear.year).in_(list(years)))).all()
    return rules.Context(today, {r.year: rules.DeferralLimits(r.year, r.deferral_limit) for r in rows})


def _values(form: Form) -> dict[str, Any]:
    return rules.from_json(form.kind, form.field_values)


def _header(db: Session, form: Form) -> Header:
    person = db.get(Person, form.person_id)
    employer = db.get(Employer, form.employer_id)
    part = db.get(Participation, form.participation_id) if form.participation_id else None
    scheme = db.get(Scheme, part.scheme_id) if part else None
    return Header(
        form_id=form.id or 0,
        employer_name=employer.name if employer else "",
        person_name=_person_name(person),
        birth_date=person.birth_date if person else None,
        participant_number=part.participant_number if part else "",
        scheme_name=scheme.name if scheme else "",
    )


def _person_name(person: Person | None) -> str:
    if person is None:
        return ""
    return full_name(person.first_name, person.initials, person.name_prefix, person.last_name)


def _write(pdf: bytes) -> str:
    name = files.new_stored_name("pdf")
    path = files.stored_path(FOLDER, name)
    path.write_bytes(pdf)
    path.chmod(0o600)
    return name


def _remove(stored_name: str) -> None:
    if stored_name:
        with contextlib.suppress(OSError, NoAccess):
            files.stored_path(FOLDER, stored_name).unlink(missing_ok=True)


@contextlib.contextmanager
def _replacing_pdf(db: Session, form: Form) -> Iterator[Callable[[bytes], str]]:
    """A step that stores a new PDF of ``form`` (the block writes it with the function it is given): when the
    block fails, the new file is removed (and on anything but a RuleError, which the caller refuses, the
    transaction rolled back); when it succeeds, the form's previous file is removed."""
    old, written = form.stored_name, []

    def write(pdf: bytes) -> str:
        written.append(_write(pdf))
        return written[-1]

    try:
        yield write
    except RuleError:
        for name in written:
            _remove(name)
        raise
    except BaseException:
        for name in written:
            _remove(name)
        db.rollback()
        raise
    _remove(old)


def _ready(form: Form) -> None:
    """RuleError ``forms.not_ready`` for a form whose PDF is not rendered yet (an exit form until the
    ``exit_forms`` job has sent it, ``portal.services.forms.exits``): it cannot be opened, filled in, signed or
    sent."""
    if not form.stored_name:
        raise RuleError("form", "forms.not_ready")


def _read(form: Form) -> bytes:
    if not form.stored_name:
        raise FieldError("form", "forms.not_ready")
    try:
        return files.stored_path(FOLDER, form.stored_name).read_bytes()
    except (OSError, NoAccess):
        raise FieldError("form", "forms.file_missing") from None


def _event(db: Session, action: str, p: Principal | None, form: Form, ip: str, sha256: str = "", **detail: Any) -> None:
    """An audit event of a form step: who (the principal; none for the system), when (now), from which session,
    for which employer (and on whose behalf, for an adviser), and the PDF's SHA-256 at that step."""
    on_behalf = acting(p, form.employer_id).for_employer if p is not None else ""
    audit.record(
        db,
        action,
        actor=p,
        object_type="form",
        object_id=form.id,
        employer_id=form.employer_id,
        on_behalf_of=on_behalf,
        ip=ip,
        session=p.session_id if p is not None else None,
        kind=form.kind,
        status=form.status,
        sha256=sha256,
        **detail,
    )


def _refuse(
    db: Session, action: str, p: Principal | None, form: Form | None, ip: str, key: str, field: str = "form"
) -> FieldError:
    """Undo whatever the step did, audit the refusal, commit it; the FieldError to raise."""
    db.rollback()
    if form is not None:
        form = db.get(Form, form.id)
    if form is not None:
        _event(db, action, p, form, ip, form_sha(form), reason=key)
    else:
        audit.record(db, action, actor=p, object_type="form", ip=ip, reason=key)
    db.commit()
    return FieldError(field, key)


def _denied(db: Session, p: Principal | None, form_id: object, reason: str, ip: str, path: str) -> NoAccess:
    db.rollback()
    audit.record(
        db,
        "access.denied",
        actor=p,
        object_type="form",
        object_id=str(form_id)[:40],
        ip=ip,
        reason=reason,
        path=path,
        session=p.session_id if p is not None else None,
    )
    db.commit()
    return NoAccess(reason)


def form_sha(form: Form) -> str:
    """The SHA-256 of the form's current PDF as recorded (the latest step's)."""
    return form.completed_sha256 or form.signed_sha256 or form.prepared_sha256


def _is_employee(p: Principal) -> bool:
    return p.front_end == FrontEnd.EMPLOYEE


def _load(
    db: Session, principal: Principal | None, form_id: object, *, ip: str, path: str, employer_perm: Perm | None
) -> tuple[Principal, Form]:
    """The form (untrusted id) for ``principal``: the employee it is for (any of their person records), or
    an employer user (or adviser acting for the form's employer) holding ``employer_perm`` (None: the employer
    side may not). Anyone else, and an unknown id, NoAccess (audited)."""
    try:
        p = require(principal)
        form = db.get(Form, id_of(form_id))
        if form is None:
            raise NoAccess("not_found")
        if _is_employee(p):
            if form.person_id not in own_person_ids(db, p):
                raise NoAccess("out_of_scope")
        else:
            if employer_perm is None:
                raise NoAccess("missing_role")
            require_employer(p, form.employer_id, employer_perm)
    except NoAccess as refused:
        raise _denied(db, principal, form_id, refused.reason, ip, path) from None
    return p, form


def _step(db: Session, form: Form, **values: Any) -> None:
    """Write the step's values if nobody else changed the form meanwhile (its version); else the step loses
    (a concurrent second signature, say) with ``forms.not_allowed``."""
    done = db.exec(
        update(Form)
        .where(col(Form.id) == form.id, col(Form.version) == form.version)
        .values(version=form.version + 1, updated_at=clock.now(), **values)
    )
    if done.rowcount != 1:
        raise RuleError("form", "forms.not_allowed")
    db.refresh(form)


def _next(form: Form, action: rules.Action, now: datetime) -> rules.FormStatus:
    return rules.next_status(form.kind, form.status, action, now=now, expires=form.expires_at)


# ---------------------------------------------------------------------------------------------- prepare, send
@dataclass(frozen=True)
class Prepared:
    """The forms prepared at once; or, for many participants (``start_prepare``), the background job that
    prepares them (``job_id``; its progress through ``background.job_progress``, the form ids in its
    checkpoint once done). ``refused``: the participations no form was prepared for, each with the message key
    of why (no longer active; a form of the kind already open for it), in the order given."""

    form_ids: tuple[int, ...]
    job_id: int = 0
    refused: tuple[tuple[int, str], ...] = ()


@dataclass(frozen=True)
class _Checked:
    p: Principal
    employer_id: int
    kind: rules.FormKind
    values: dict[str, Any]
    ids: list[int]


def _check_prepare(
    db: Session,
    principal: Principal | None,
    employer_id: object,
    kind: object,
    participation_ids: Iterable[object],
    values: Mapping[str, object] | None,
    ip: str,
) -> _Checked:
    """Everything ``prepare`` checks before it makes anything (the principal, every id, the values)."""
    try:
        p = require(principal, Perm.MUTATIONS_SUBMIT)
        if p.front_end not in (FrontEnd.EMPLOYER, FrontEnd.INTERMEDIARY):
            raise NoAccess("wrong_front_end")
        eid = require_employer(p, employer_id, Perm.MUTATIONS_SUBMIT)
        if not isinstance(participation_ids, list | tuple | set | frozenset):
            raise NoAccess("bad_id")
        ids = list(dict.fromkeys(id_of(x) for x in participation_ids))
    except NoAccess as refused:
        raise _denied(db, principal, employer_id, refused.reason, ip, "/forms/prepare") from None
    if not ids:
        raise FieldError("participants", "forms.no_participants")
    if len(ids) > MAX_AT_ONCE:
        raise FieldError("participants", "forms.too_many_participants", {"max": MAX_AT_ONCE})
    try:
        spec = rules.kind_of(kind)
        ctx = _context(db, clock.today())
        clean = rules.clean_values(spec.kind, dict(values or {}), ctx, by=rules.FilledBy.PREPARER)
    except RuleError as err:
        raise FieldError(err.field, err.key, err.params) from None
    found = db.exec(
        select(func.count())
        .select_from(Participation)
        .where(col(Participation.id).in_(ids), Participation.employer_id == eid)
    ).one()
    if found != len(ids):  # an id of another employer (or none at all): nothing is prepared
        raise _denied(db, p, ",".join(map(str, ids))[:40], "out_of_scope", ip, "/forms/prepare")
    return _Checked(p, eid, spec.kind, clean, ids)


def _blocked(db: Session, kind: rules.FormKind, parts: Iterable[Participation]) -> dict[int, str]:
    """The participations a form of ``kind`` may not be prepared for, with the message key of why
    (``rules.prepare_block``): no longer active today, or a form of the kind still open for it."""
    parts = list(parts)
    today, now = clock.today(), clock.now()
    ids = [x.id for x in parts]
    open_for: set[int] = set()
    for at in range(0, len(ids), MAX_AT_ONCE):
        rows = db.exec(
            select(Form.participation_id, Form.status, Form.expires_at).where(
                Form.kind == kind,
                col(Form.participation_id).in_(ids[at : at + MAX_AT_ONCE]),
                col(Form.status).in_(list(rules.OPEN)),
            )
        ).all()
        open_for |= {pid for pid, status, expires in rows if pid is not None and rules.is_open(status, expires, now)}
    out = {}
    for part in parts:
        key = rules.prepare_block(kind, status_on(part.status, part.end_date, today), part.id in open_for)
        if key is not None and part.id is not None:
            out[part.id] = key
    return out


def _refused_events(db: Session, c: _Checked, refused: Mapping[int, str], ip: str) -> None:
    """An audit event per participation a form was not prepared for, with the reason (not committed)."""
    on_behalf = acting(c.p, c.employer_id).for_employer
    for pid, key in refused.items():
        audit.record(
            db,
            "form.prepare_refused",
            actor=c.p,
            object_type="participation",
            object_id=pid,
            employer_id=c.employer_id,
            on_behalf_of=on_behalf,
            ip=ip,
            session=c.p.session_id,
            kind=str(c.kind),
            reason=key,
        )


def _locked(db: Session, employer_id: int, ids: list[int]) -> list[Participation]:
    """The participations, locked until the commit, so that two preparers of the same kind for the same
    participant cannot both see no open form: on PostgreSQL their rows (FOR NO KEY UPDATE, in id order: no
    deadlock); SQLite has one writer at a time, so a write (that changes nothing) first takes its write lock."""
    if db.connection().dialect.name == "sqlite":
        db.exec(update(Participation).where(false()).values(version=Participation.version))
    return list(
        db.exec(
            select(Participation)
            .where(col(Participation.id).in_(ids), Participation.employer_id == employer_id)
            .order_by(col(Participation.id))
            .with_for_update(key_share=True)
        ).all()
    )


def _make(
    db: Session,
    c: _Checked,
    send: bool,
    ip: str,
    progress: Callable[[int, int], None] | None = None,
    before_commit: Callable[[list[int], dict[int, str]], None] | None = None,
) -> tuple[list[int], dict[int, str]]:
    """Make, render, store (and with ``send`` send) the checked forms in one transaction, committed here: the new
    form ids, and the participations refused (``_blocked``, audited), each with why. The participations are
    locked first (on PostgreSQL), so that two preparers of the same kind for the same participant cannot both
    make one. ``progress(done, total)`` is told how far it is; ``before_commit(ids, refused)`` runs in the
    transaction right before the commit (a job's checkpoint)."""
    p, eid = c.p, c.employer_id
    parts = _locked(db, eid, c.ids)
    by_id = {x.id: x for x in parts}
    refused = _blocked(db, c.kind, parts)
    todo = [pid for pid in c.ids if pid not in refused]
    written: list[str] = []
    made: list[Form] = []
    acting_by = acting(p, eid).by
    total = len(todo)
    try:
        _refused_events(db, c, refused, ip)
        for n, pid in enumerate(todo, 1):
            part = by_id[pid]
            person = db.get(Person, part.person_id)
            form = Form(
                kind=c.kind,
                employer_id=eid,
                person_id=part.person_id,
                participation_id=part.id,
                status=rules.FormStatus.PREPARED,
                language=(person.language if person and person.language else get_settings().default_language),
                field_values=rules.to_json(c.values),
                created_by=p.user_id,
                created_by_name=p.display_name[:120],
                acting_by=acting_by,
            )
            db.add(form)
            db.flush()
            pdf = render_pdf(c.kind, c.values, _header(db, form), form.language)
            form.stored_name = _write(pdf)
            written.append(form.stored_name)
            form.prepared_sha256 = signing.sha256(pdf)
            _event(db, "form.prepared", p, form, ip, form.prepared_sha256)
            made.append(form)
            if progress is not None and (n % PROGRESS_EVERY == 0 or n == total):
                progress(n, total)
        if send:
            for form in made:
                _send_one(db, p, form, ip)
            mails.queue_mails(db, made)
        ids = [f.id or 0 for f in made]
        if before_commit is not None:
            before_commit(ids, refused)
        db.commit()
    except BaseException:
        db.rollback()
        for name in written:
            _remove(name)
        raise
    return ids, refused


def _prepared(c: _Checked, ids: list[int], refused: Mapping[int, str], job_id: int = 0) -> Prepared:
    return Prepared(tuple(ids), job_id, tuple((pid, refused[pid]) for pid in c.ids if pid in refused))


def prepare(
    db: Session,
    principal: Principal | None,
    employer_id: object,
    kind: object,
    participation_ids: Iterable[object],
    values: Mapping[str, object] | None = None,
    *,
    send: bool = True,
    ip: str = "",
) -> Prepared:
    """Prepare a form of ``kind`` for each participation (untrusted ids, all of employer ``employer_id``), with
    the preparer's ``values`` (the employee's fields as a proposal), render and store its PDF; with ``send``
    the forms go to the employees at once (waiting for them, expiring after ``PORTAL_FORM_EXPIRY_DAYS``; the
    mail to each follows from the commit). Only an employer user with HR or user management, or the adviser
    acting for that employer. In this call, however many (up to ``MAX_AT_ONCE``); see ``start_prepare``.
    A participation that is no longer active (but for the exit form), or that has a form of the kind open, is
    refused on its own (``Prepared.refused``, audited); the others are prepared."""
    checked = _check_prepare(db, principal, employer_id, kind, participation_ids, values, ip)
    if send:  # one action that mails the employees: counted once against the sender's mail rate
        limit_mail(db, "form_sent", field="form", ip=ip, sender=checked.p)
    made, refused = _make(db, checked, send, ip)
    return _prepared(checked, made, refused)


def start_prepare(
    db: Session,
    principal: Principal | None,
    employer_id: object,
    kind: object,
    participation_ids: Iterable[object],
    values: Mapping[str, object] | None = None,
    *,
    send: bool = True,
    ip: str = "",
) -> Prepared:
    """``prepare`` as the pages call it: up to ``DIRECT_MAX`` participants at once in this call; more as the
    background job ``prepare_forms`` (checked here, in full, before it is queued; made by the job on behalf of
    the principal, with its progress), whose id the answer carries. The participations refused on their own
    (see ``prepare``) are said at once and left out of the job (which checks the others again as it makes them)."""
    checked = _check_prepare(db, principal, employer_id, kind, participation_ids, values, ip)
    if send:  # one action that mails the employees: counted once against the sender's mail rate
        limit_mail(db, "form_sent", field="form", ip=ip, sender=checked.p)
    if len(checked.ids) <= DIRECT_MAX:
        made, refused = _make(db, checked, send, ip)
        return _prepared(checked, made, refused)
    parts = db.exec(select(Participation).where(col(Participation.id).in_(checked.ids))).all()
    refused = _blocked(db, checked.kind, parts)
    _refused_events(db, checked, refused, ip)
    if len(refused) == len(checked.ids):  # nobody left: no job
        db.commit()
        return _prepared(checked, [], refused)
    whole, checked = (
        checked,
        _Checked(
            checked.p, checked.employer_id, checked.kind, checked.values, [i for i in checked.ids if i not in refused]
        ),
    )
    p = checked.p
    job = background.queue(
        db,
        PREPARE_JOB,
        subject=prepare_subject(checked.kind, checked.employer_id),
        employer_id=checked.employer_id,
        started_by=p.user_id,
        total=len(checked.ids),
        principal=_snapshot(p),
        form_kind=str(checked.kind),
        values=rules.to_json(checked.values),
        participation_ids=checked.ids,
        send=send,
        ip=ip,
    )
    audit.record(
        db,
        "form.prepare_queued",
        actor=p,
        object_type="job_run",
        object_id=job.id,
        employer_id=checked.employer_id,
        on_behalf_of=acting(p, checked.employer_id).for_employer,
        ip=ip,
        kind=str(checked.kind),
        participants=len(checked.ids),
        session=p.session_id,
    )
    db.commit()
    return _prepared(whole, [], refused, job_id=job.id or 0)


def prepare_subject(kind: rules.FormKind | str, employer_id: int) -> str:
    """What a ``prepare_forms`` run works on (``background.latest`` finds the newest by it)."""
    return f"forms:{kind}:{employer_id}"


def _snapshot(p: Principal) -> dict[str, Any]:
    """The principal that started a job, as the job run keeps it (established from the session then)."""
    return {
        "user_id": p.user_id,
        "username": p.username,
        "display_name": p.display_name,
        "front_end": str(p.front_end),
        "roles": sorted(p.roles),
        "employer_ids": sorted(p.employer_ids),
        "office_id": p.office_id,
        "language": p.language,
        "session_id": p.session_id,
        "perms": sorted(str(x) for x in p.perms),
        "acting_employer_id": p.acting_employer_id,
    }


def _principal(data: Mapping[str, Any]) -> Principal:
    return Principal(
        user_id=int(data["user_id"]),
        username=str(data["username"]),
        display_name=str(data["display_name"]),
        front_end=FrontEnd(data["front_end"]),
        roles=frozenset(data["roles"]),
        employer_ids=frozenset(int(x) for x in data["employer_ids"]),
        office_id=data.get("office_id"),
        language=str(data.get("language") or "nl"),
        session_id=data.get("session_id"),
        perms=frozenset(Perm(x) for x in data["perms"]),
        acting_employer_id=data.get("acting_employer_id"),
    )


def prepare_job(run: background.Run) -> int:
    """The ``prepare_forms`` job run: make the forms ``start_prepare`` checked and queued, all or nothing, once
    (the form ids are kept in the run's checkpoint in the same transaction: an attempt after one that
    committed does nothing); progress as it goes; the participations refused meanwhile (a form of the kind
    prepared for them since it was queued, say) in its checkpoint too (``refused``). How many forms were made."""
    if run.checkpoint.get("form_ids") is not None:
        return len(run.checkpoint["form_ids"])
    a = run.args
    p = _principal(a["principal"])
    kind = rules.kind_of(a["form_kind"]).kind
    ids = [int(x) for x in a["participation_ids"]]
    checked = _Checked(p, int(run.employer_id or 0), kind, rules.from_json(kind, a["values"]), ids)
    with session_scope() as db:
        made, _refused = _make(
            db,
            checked,
            bool(a.get("send", True)),
            str(a.get("ip", "")),
            progress=run.report_volatile,
            before_commit=lambda new, refused: run.save(
                db,
                done=len(new),
                total=len(new),
                form_ids=new,
                refused={str(k): v for k, v in refused.items()},
                figures={"made": len(new), "refused": len(refused)},
            ),
        )
    return len(made)


def _send_one(db: Session, p: Principal, form: Form, ip: str) -> None:
    now = clock.now()
    status = _next(form, rules.Action.SEND, now)
    form.status, form.sent_at = status, now
    form.expires_at = rules.expires_at(now, get_settings().form_expiry_days)
    form.updated_at, form.version = now, form.version + 1
    _event(db, "form.sent", p, form, ip, form.prepared_sha256, expires_at=form.expires_at)


def send(db: Session, principal: Principal | None, form_id: object, ip: str = "") -> Form:
    """Send a prepared form to its employee (the employer side only)."""
    p, form = _load(db, principal, form_id, ip=ip, path="/forms/send", employer_perm=Perm.MUTATIONS_SUBMIT)
    limit_mail(db, "form_sent", field="form", ip=ip, sender=p)
    try:
        _ready(form)
        _send_one(db, p, form, ip)
    except RuleError as err:
        raise _refuse(db, "form.send_refused", p, form, ip, err.key) from None
    mails.queue_mails(db, [form])
    db.commit()
    return form


# ---------------------------------------------------------------------------------------------- view, fill
def pdf_of(db: Session, principal: Principal | None, form_id: object, ip: str = "") -> tuple[Form, bytes]:
    """The form's current PDF for its employee or the employer side (audited as viewed, with its SHA-256)."""
    p, form = _load(db, principal, form_id, ip=ip, path="/forms/view", employer_perm=Perm.PARTICIPANTS_VIEW)
    pdf = _read(form)
    _event(db, "form.viewed", p, form, ip, signing.sha256(pdf))
    db.commit()
    return form, pdf


@files.register(FILE_KIND)
def _served(db: Session, principal: Principal, form_id: int) -> files.Served:
    """A form's PDF through a signed link: only its employee or the employer side in scope."""
    require(principal)
    form = db.get(Form, form_id)
    if form is None:
        raise NoAccess("not_found")
    if _is_employee(principal):
        if form.person_id not in own_person_ids(db, principal):
            raise NoAccess("out_of_scope")
    else:
        require_employer(principal, form.employer_id, Perm.PARTICIPANTS_VIEW)
    if not form.stored_name:  # not rendered yet (an exit form before its job ran)
        raise NoAccess("not_ready")
    title = rules.kind_of(form.kind).title.get(form.language, "form")
    return files.Served(files.stored_path(FOLDER, form.stored_name), f"{title} {form.id}.pdf", PDF, inline=True)


def fill(db: Session, principal: Principal | None, form_id: object, values: Mapping[str, object], ip: str = "") -> Form:
    """The employee enters their part (before signing): the values are checked, the PDF rendered again (its
    new SHA-256 is what they then review and sign)."""
    p, form = _load(db, principal, form_id, ip=ip, path="/forms/fill", employer_perm=None)
    try:
        with _replacing_pdf(db, form) as write:
            _ready(form)
            _next(form, rules.Action.FILL, clock.now())
            if not isinstance(values, Mapping):
                raise RuleError("form", "forms.not_allowed")
            cleaned = rules.clean_values(form.kind, values, _context(db, clock.today()), by=rules.FilledBy.EMPLOYEE)
            merged = rules.merge(_values(form), cleaned)
            pdf = render_pdf(form.kind, merged, _header(db, form), form.language)
            _step(
                db,
                form,
                field_values=rules.to_json(merged),
                stored_name=write(pdf),
                prepared_sha256=signing.sha256(pdf),
            )
            _event(db, "form.filled", p, form, ip, form.prepared_sha256, fields=sorted(cleaned))
            db.commit()
    except RuleError as err:
        if err.field != "form":  # a value's rule: shown at its field, nothing stored (no audit: not a step)
            db.rollback()
            raise FieldError(err.field, err.key, err.params) from None
        raise _refuse(db, "form.fill_refused", p, form, ip, err.key) from None
    return form


# ---------------------------------------------------------------------------------------------- sign
EID_NOT_FRESH = "forms.eid_not_fresh"  # the ID token shows no authentication since the signing began
EID_OTHER_PERSON = "forms.eid_other_person"  # the eID subject is not the one linked to the signer's account
EID_NOT_LINKED = "forms.eid_not_linked"  # the signer's account has no eID subject linked


@dataclass(frozen=True)
class SignMethods:
    """How the signed-in employee can confirm a signature: a code of their authenticator app (the account has
    TOTP) and/or a fresh eID sign-in (the account is linked to an eID subject and eID is configured)."""

    totp: bool
    eid: bool


def sign_methods(db: Session, principal: Principal | None) -> SignMethods:
    p = require(principal)
    user = db.get(UserAccount, p.user_id)
    return SignMethods(totp=bool(user and user.totp_secret), eid=_eid_linked(db, p) and oidc.configured(get_settings()))


def _sign_checks(
    db: Session, p: Principal, form: Form, seen_sha256: object, ip: str, now: datetime
) -> tuple[rules.FormStatus, bytes, str]:
    """What every signature needs before the second factor: the form waits for this employee, is complete and
    not expired, and its stored PDF is the one shown (``seen_sha256``). The status it goes to, the PDF and its
    SHA-256; else refused (audited, committed; an expired form is marked so)."""
    try:
        _ready(form)
        target = _next(form, rules.Action.SIGN, now)
        rules.clean_values(form.kind, _values(form), _context(db, clock.today()), complete=True)
        pdf = _read(form)
        sha = signing.sha256(pdf)
        if not isinstance(seen_sha256, str) or seen_sha256 != sha or sha != form.prepared_sha256:
            raise RuleError("form", "forms.changed_since_viewed")
    except RuleError as err:
        if err.key == "forms.expired" and rules.FormStatus(form.status) in rules.EXPIRING:
            _expire_one(db, form, now)
            db.commit()
        raise _refuse(db, "form.sign_refused", p, form, ip, err.key, err.field) from None
    except FieldError as err:
        raise _refuse(db, "form.sign_refused", p, form, ip, err.key) from None
    return target, pdf, sha


def _put_signature(
    db: Session,
    p: Principal,
    form: Form,
    pdf: bytes,
    sha: str,
    target: rules.FormStatus,
    now: datetime,
    ip: str,
    method: str,
) -> Form:
    """The employee's PAdES signature (name, role, time) on the checked PDF, stored and audited
    (``form.signed`` with the ``method`` of the second factor); the form completed when it needs no
    countersignature. A signature that lost a race with another is refused as already signed."""
    lang = form.language
    signed = signing.sign(
        pdf, field=EMPLOYEE_FIELD, name=p.display_name, role=t("forms.role.employee", lang), location=""
    )
    signed_sha = signing.sha256(signed)
    try:
        with _replacing_pdf(db, form) as write:
            done = {"completed_sha256": signed_sha} if target is rules.FormStatus.COMPLETED else {}
            _step(
                db,
                form,
                status=target,
                stored_name=write(signed),
                signed_sha256=signed_sha,
                signed_at=now,
                signed_by=p.user_id,
                **done,
            )
            _event(db, "form.signed", p, form, ip, signed_sha, signed_from_sha256=sha, method=method)
            if target is rules.FormStatus.COMPLETED:
                completion.complete(db, form, signed, p.user_id, p.display_name)
            db.commit()
    except RuleError:
        raise _refuse(db, "form.sign_refused", p, form, ip, "forms.already_signed") from None
    return form


def sign(
    db: Session, principal: Principal | None, form_id: object, code: object, seen_sha256: object, ip: str = ""
) -> Form:
    """The employee signs the PDF they reviewed (``seen_sha256``: the SHA-256 of the PDF shown to them) by
    confirming with a fresh code of their authenticator app (a replayed or wrong code is refused, counted
    towards the lock-out and audited). Only the form's own person; a second signature, an expired form, or a
    PDF that changed since it was shown: refused, nothing signed, audited. The PAdES signature carries the
    employee's name, their role and the time."""
    p, form = _load(db, principal, form_id, ip=ip, path="/forms/sign", employer_perm=None)
    now = clock.now()
    target, pdf, sha = _sign_checks(db, p, form, seen_sha256, ip, now)
    try:
        accounts.verify_totp(db, p.user_id, code if isinstance(code, str) else "", ip=ip, now=now)
    except FieldError as err:  # counted and audited (login.totp_failed) and committed by verify_totp
        raise _refuse(db, "form.sign_refused", p, form, ip, err.key, "code") from None
    return _put_signature(db, p, form, pdf, sha, target, now, ip, "totp")


def _eid_linked(db: Session, p: Principal) -> bool:
    return db.exec(select(EidLink.id).where(EidLink.user_id == p.user_id)).first() is not None


def sign_ready(db: Session, principal: Principal | None, form_id: object, seen_sha256: object, ip: str = "") -> Form:
    """Before the browser goes to the eID to sign: the form is this employee's (else NoAccess, audited), waits for
    their signature with the PDF shown (``sign``'s checks), and their account is linked to an eID subject. A
    refusal is audited (``form.sign_refused``) and raised; nothing changes."""
    p, form = _load(db, principal, form_id, ip=ip, path="/forms/sign", employer_perm=None)
    _sign_checks(db, p, form, seen_sha256, ip, clock.now())
    if not _eid_linked(db, p):
        raise _refuse(db, "form.sign_refused", p, form, ip, EID_NOT_LINKED)
    db.rollback()  # nothing to keep (the checks wrote nothing)
    return form


def _epoch(moment: object) -> float | None:
    if isinstance(moment, datetime):
        return moment.timestamp()
    if isinstance(moment, int | float) and not isinstance(moment, bool):
        return float(moment)
    return None


def sign_with_eid(
    db: Session,
    principal: Principal | None,
    form_id: object,
    seen_sha256: object,
    claims: Mapping[str, Any],
    flow_started_at: datetime | float,
    ip: str = "",
) -> Form:
    """The employee signs the PDF they reviewed by a fresh eID sign-in instead of a TOTP code: ``claims`` are the
    verified ID token's (``oidc.finish``: signature, issuer, audience, expiry, nonce), ``flow_started_at`` the
    moment the signing flow began (the browser's signed flow cookie). The token must show an authentication at
    the provider since then (``auth_time``, with the ID token leeway; else ``forms.eid_not_fresh``) by the eID
    subject (``iss`` + ``sub``) linked to the signer's own account (else ``forms.eid_other_person``). Every other
    rule as ``sign``; a refusal is audited with its reason, nothing signed."""
    p, form = _load(db, principal, form_id, ip=ip, path="/forms/sign", employer_perm=None)
    now = clock.now()
    target, pdf, sha = _sign_checks(db, p, form, seen_sha256, ip, now)
    data = claims if isinstance(claims, Mapping) else {}
    started, auth_time = _epoch(flow_started_at), _epoch(data.get("auth_time"))
    if started is None or auth_time is None or auth_time < started - oidc.LEEWAY_SECONDS:
        raise _refuse(db, "form.sign_refused", p, form, ip, EID_NOT_FRESH, "eid")
    issuer, subject = data.get("iss"), data.get("sub")
    linked = (
        isinstance(issuer, str)
        and isinstance(subject, str)
        and db.exec(
            select(EidLink.id).where(EidLink.issuer == issuer, EidLink.subject == subject, EidLink.user_id == p.user_id)
        ).first()
        is not None
    )
    if not linked:
        raise _refuse(db, "form.sign_refused", p, form, ip, EID_OTHER_PERSON, "eid")
    return _put_signature(db, p, form, pdf, sha, target, now, ip, "eid")


def eid_sign_refused(db: Session, principal: Principal | None, form_id: object, reason: str, ip: str = "") -> None:
    """Record an eID signing that failed before the service's own checks (the eID flow: state, token, the
    session changed...): ``form.sign_refused`` with ``eid.<reason>`` on the form (its id re-checked)."""
    p, form = _load(db, principal, form_id, ip=ip, path="/forms/sign", employer_perm=None)
    _refuse(db, "form.sign_refused", p, form, ip, f"eid.{reason}"[:64], "eid")


def countersign(db: Session, principal: Principal | None, form_id: object, code: object, ip: str = "") -> Form:
    """The employer (HR or user management, or the adviser acting for it) countersigns a form the employee
    signed, confirming with a fresh code of their own authenticator app (a signature made on their behalf: a
    wrong or replayed code is refused, counted towards the lock-out and audited, as the employee's). Refused when
    the PDF is not the one the employee signed (its SHA-256), or the form is not waiting for a
    countersignature. An incremental update: the employee's signature stays valid."""
    p, form = _load(db, principal, form_id, ip=ip, path="/forms/countersign", employer_perm=Perm.MUTATIONS_SUBMIT)
    now = clock.now()
    if _is_employee(p):  # pragma: no cover - _load refuses the employee side without a permission
        raise _denied(db, p, form_id, "missing_role", ip, "/forms/countersign")
    try:
        target = _next(form, rules.Action.COUNTERSIGN, now)
        pdf = _read(form)
        sha = signing.sha256(pdf)
        rules.check_unchanged(form.signed_sha256, sha)
    except (RuleError, FieldError) as err:
        raise _refuse(db, "form.countersign_refused", p, form, ip, err.key) from None
    try:
        accounts.verify_totp(db, p.user_id, code if isinstance(code, str) else "", ip=ip, now=now)
    except FieldError as err:  # counted and audited (login.totp_failed) and committed by verify_totp
        raise _refuse(db, "form.countersign_refused", p, form, ip, err.key, "code") from None
    lang = form.language
    role = t("forms.role.adviser" if p.front_end == FrontEnd.INTERMEDIARY else "forms.role.employer", lang)
    signed = signing.sign(pdf, field=EMPLOYER_FIELD, name=p.display_name, role=role)
    final_sha = signing.sha256(signed)
    try:
        with _replacing_pdf(db, form) as write:
            _step(
                db,
                form,
                status=target,
                stored_name=write(signed),
                completed_sha256=final_sha,
                countersigned_at=now,
                countersigned_by=p.user_id,
                countersigned_by_name=p.display_name[:120],
            )
            _event(db, "form.countersigned", p, form, ip, final_sha, employee_sha256=sha)
            completion.complete(db, form, signed, p.user_id, p.display_name)
            db.commit()
    except RuleError as err:
        raise _refuse(db, "form.countersign_refused", p, form, ip, err.key) from None
    return form


# ---------------------------------------------------------------------------------------------- decline, expire
def decline(db: Session, principal: Principal | None, form_id: object, reason: object = "", ip: str = "") -> Form:
    """Decline a form: the employee while it waits for them, the employer side while it is open."""
    p, form = _load(db, principal, form_id, ip=ip, path="/forms/decline", employer_perm=Perm.MUTATIONS_SUBMIT)
    text = reason.strip() if isinstance(reason, str) else ""
    if len(text) > MAX_REASON:
        raise FieldError("reason", "forms.reason_too_long", {"max": MAX_REASON})
    now = clock.now()
    try:
        target = _next(form, rules.Action.DECLINE, now)
        if _is_employee(p) and rules.FormStatus(form.status) is not rules.FormStatus.WAITING_FOR_EMPLOYEE:
            raise RuleError("form", "forms.not_allowed")
        _step(db, form, status=target, closed_at=now, closed_by=p.user_id, decline_reason=text)
    except RuleError as err:
        raise _refuse(db, "form.decline_refused", p, form, ip, err.key) from None
    _event(db, "form.declined", p, form, ip, form_sha(form), reason=text)
    db.commit()
    return form


def _expire_one(db: Session, form: Form, now: datetime) -> None:
    target = _next(form, rules.Action.EXPIRE, now)
    _step(db, form, status=target, closed_at=now)
    _event(db, "form.expired", None, form, "", form_sha(form))


def expire_due(db: Session, now: datetime | None = None) -> int:
    """Mark every form past its expiry that still waits for the employee as expired (audited, by the system);
    the number expired. Meant for a periodic job."""
    now = now or clock.now()
    due = db.exec(
        select(Form)
        .where(col(Form.status).in_(list(rules.EXPIRING)), col(Form.expires_at) <= now)
        .order_by(col(Form.id))
    ).all()
    count = 0
    for form in due:
        try:
            _expire_one(db, form, now)
        except RuleError:  # changed meanwhile (signed just now): not expired
            continue
        count += 1
    db.commit()
    return count


# ---------------------------------------------------------------------------------------------- verify
def verify(db: Session, principal: Principal | None, form_id: object, ip: str = "") -> signing.Verification:
    """Whether every signature of the form's PDF is intact and which certificate made it (pyHanko's validator
    against the portal's trust root); audited with the PDF's SHA-256 and the outcome."""
    p, form = _load(db, principal, form_id, ip=ip, path="/forms/verify", employer_perm=Perm.PARTICIPANTS_VIEW)
    pdf = _read(form)
    result = signing.verify(pdf)
    _event(
        db,
        "form.verified",
        p,
        form,
        ip,
        signing.sha256(pdf),
        ok=result.ok,
        signatures=[{"field": s.field, "ok": s.ok, "certificate": s.certificate} for s in result.signatures],
    )
    db.commit()
    return result
