"""The mail that tells an employee a form waits for their signature (DOC-5, EE-5), sent by a job after the
forms are committed (``queue_mails`` in the transaction that sends them), as the document notifications are.

Who: the employee accounts of the person the form is for (``notifications._own_account``: every employer's record
of the same person, unless they turned the mails off), at every known address (``notifications.addresses``: the
account's, the business address while in service, the confirmed private one), one mail per address listing each
form of the run with its deep link ``/employee/forms/<id>`` (it works only after signing in). No personal data:
no names, no amounts, no values of the form — only that a form waits, the employer's name and the link. A form
that no longer waits for the employee when the job runs (signed, declined, expired meanwhile) is not mailed.

Never twice: ``background.deliver`` (a ``SentMail`` row per run, user and address), as for the documents.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from functools import partial

from sqlalchemy import select
from sqlmodel import Session, col

from portal.core.config import get_settings
from portal.core.db import session_scope
from portal.domain import forms as rules
from portal.domain.documents import STATEMENT
from portal.i18n import normalise_language, t
from portal.models import Employer, Form, UserAccount
from portal.services import audit, background
from portal.services.documents import notifications

log = logging.getLogger("portal.forms.mails")
KIND = "notify_forms"  # the job run's kind (``portal.jobs.tasks.notify_forms``)
MAX_LINES = 50


def form_path(form_id: int) -> str:
    """The deep link of a form on the employee's pages."""
    return f"/employee/forms/{int(form_id)}"


def queue_mails(db: Session, forms: Iterable[Form]) -> None:
    """Record the ``notify_forms`` run for the forms just sent, in ``db``'s transaction (their own), and queue
    it once that commits; nothing when there are none."""
    rows = sorted((f for f in forms if f.id is not None), key=lambda f: f.id or 0)
    if not rows:
        return
    ids = [f.id or 0 for f in rows]
    employers = {f.employer_id for f in rows}
    subject = f"forms:{ids[0]}" if len(ids) == 1 else f"forms:{ids[0]}..{ids[-1]}"
    background.queue(
        db, KIND, subject=subject, employer_id=employers.pop() if len(employers) == 1 else None, form_ids=ids
    )


def recipients(db: Session, form_ids: Iterable[int]) -> dict[int, tuple[UserAccount, list]]:
    """user id → (account, the forms to tell them about, as mail items), for the forms still waiting for them."""
    out: dict[int, tuple[UserAccount, list]] = {}
    ids = sorted({int(i) for i in form_ids})
    if not ids:
        return out
    waiting = db.execute(
        select(Form)
        .where(col(Form.id).in_(ids), Form.status == rules.FormStatus.WAITING_FOR_EMPLOYEE)
        .order_by(col(Form.id))
    ).scalars()
    employers: dict[int, str] = {}
    for form in waiting:
        if form.employer_id not in employers:
            employer = db.get(Employer, form.employer_id)
            employers[form.employer_id] = employer.name if employer else ""
        # a statement-like item: the person's own mail, to every known address of theirs
        item = notifications._Item(
            form.id or 0, "form", STATEMENT, employers[form.employer_id], form_path(form.id or 0), form.person_id
        )
        for user in notifications._own_account(db, form.person_id):
            out.setdefault(user.id or 0, (user, []))[1].append(item)
    return out


def compose(user: UserAccount, items: list) -> tuple[str, str]:
    """Subject and body of one user's mail, in their language (no personal data)."""
    lang = normalise_language(user.language)
    base = get_settings().base_url.rstrip("/")
    subject = t("mail.forms.subject_one", lang) if len(items) == 1 else t("mail.forms.subject_many", lang, n=len(items))
    lines = [t("mail.forms.greeting", lang), "", t("mail.forms.intro", lang)]
    for item in items[:MAX_LINES]:
        lines.append(t("mail.forms.line", lang, employer=item.employer, url=base + item.path))
    if len(items) > MAX_LINES:
        lines.append(f"… {base}/employee/forms")
    lines += ["", t("mail.forms.outro", lang)]
    return subject, "\n".join(lines)


def mail_job(run: background.Run) -> int:
    """The ``notify_forms`` job run: mail every employee concerned once; how many mails this attempt sent.
    MailsNotSent (huey tries again, for those not reached) when the server could not be reached for some."""
    return deliver_forms(run, [int(i) for i in run.args.get("form_ids", [])], f"forms.job{run.id}")


def deliver_forms(run: background.Run, form_ids: list[int], tag: str) -> int:
    """Mail, as part of ``run``, every employee of the forms ``form_ids`` that still wait for them, once per
    address (``background.deliver``; ``tag`` starts the Message-IDs), audited as ``forms.notified``; how many
    mails this attempt sent. MailsNotSent when the server could not be reached for some."""
    ids = [int(i) for i in form_ids]
    if not ids:
        return 0
    with session_scope() as db:
        targets = recipients(db, ids)
        letters = [
            background.Letter(user_id, to, tuple(i.document_id for i in items), partial(compose, user, items), key)
            for user_id, (user, items) in sorted(targets.items())
            for to, key in notifications.addresses(db, user, items)
        ]
    mailing = background.Mailing(tag, "forms.mail_unconfirmed", log)
    delivery = background.deliver(run, letters, mailing)
    with session_scope() as db:
        audit.record(
            db,
            "forms.notified",
            object_type="form",
            object_id=",".join(str(i) for i in ids)[:200],
            recipients=delivery.sent,
            mails=len(delivery.sent),
        )
    background.raise_unreached(delivery)
    return len(delivery.sent)
