"""Task rules (INT-3, INT-6): kinds and their completion check, status transitions, input checks, and which
event makes which task. Pure: the caller passes ``today`` and plain values."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from portal.domain.errors import RuleError
from portal.domain.validation import clean_text, parse_date

# ------------------------------------------------------------------------------------------ kinds, statuses
ADVICE_EXIT = "advice_exit"  # an exit: inform the employee and the insurer, offer value transfer / continuation
ADVICE_WARNING = "advice_warning"  # an acknowledged plausibility warning that calls for advice (MUT-5, INT-6)
REVIEW = "review"  # a change that needs review (MUT-6); closed when the review is done
BATCH_FAILED = "batch_failed"  # a collective change that failed
DATA_MISSING = "data_missing"  # a new participant whose data is incomplete for the insurer
GENERAL = "general"  # made by hand
EMPLOYER_IDEA = "employer_idea"  # an idea or improvement an employer user sent from "Service & contact" (EMP-1)
COUPLING_MANUAL = "coupling_manual"  # a change of a coupled scheme the coupling does not carry: by hand (INT-4)
RECONCILIATION = "reconciliation"  # a difference with the insurer's records, turned into a task (INT-7)
KINDS: tuple[str, ...] = (
    ADVICE_EXIT,
    ADVICE_WARNING,
    REVIEW,
    BATCH_FAILED,
    DATA_MISSING,
    GENERAL,
    EMPLOYER_IDEA,
    COUPLING_MANUAL,
    RECONCILIATION,
)
HAND_KINDS: tuple[str, ...] = (GENERAL, ADVICE_EXIT, ADVICE_WARNING, DATA_MISSING)  # kinds a person may choose
# Advice given to an employee is checked by a second adviser before the task is done (Erledigungskontrolle).
CHECKED_KINDS = frozenset({ADVICE_EXIT, ADVICE_WARNING})

OPEN, IN_PROGRESS, WAITING, DONE, CANCELLED = "open", "in_progress", "waiting", "done", "cancelled"
STATUSES: tuple[str, ...] = (OPEN, IN_PROGRESS, WAITING, DONE, CANCELLED)
OPEN_STATUSES: tuple[str, ...] = (OPEN, IN_PROGRESS, WAITING)
# Status changes by hand; ``done`` only through completion (and its check), never set directly.
TRANSITIONS: dict[str, frozenset[str]] = {
    OPEN: frozenset({IN_PROGRESS, WAITING, CANCELLED}),
    IN_PROGRESS: frozenset({OPEN, WAITING, CANCELLED}),
    WAITING: frozenset({OPEN, IN_PROGRESS, CANCELLED}),
    DONE: frozenset({OPEN}),  # reopen
    CANCELLED: frozenset({OPEN}),  # reopen
}
# Advice warnings (MUT-5) that make an advice task (INT-6: long illness, a previous employer's contract).
ADVICE_WARNINGS = frozenset({"illness_premium_waiver_disability", "previous_employer_contract"})
# Days from the event to the task's due date.
DUE_DAYS: dict[str, int] = {
    ADVICE_EXIT: 14,
    ADVICE_WARNING: 14,
    REVIEW: 5,
    BATCH_FAILED: 2,
    DATA_MISSING: 14,
    EMPLOYER_IDEA: 14,
    COUPLING_MANUAL: 5,
    RECONCILIATION: 14,
}

REASSIGN_LIMIT = 500  # tasks selected and reassigned at once
TITLE_LIMIT = 200
COMMENT_LIMIT = 5000
IDEA_SUBJECT_LIMIT = 120
IDEA_MESSAGE_LIMIT = 2000


def needs_check(kind: str) -> bool:
    """Whether completing a task of ``kind`` needs a second adviser's check."""
    return kind in CHECKED_KINDS


def check_kind(kind: object, allowed: Sequence[str] = HAND_KINDS) -> str:
    """A task kind from untrusted input, one of ``allowed``."""
    if not isinstance(kind, str) or kind not in allowed:
        raise RuleError("kind", "task_kind_invalid")
    return kind


def check_transition(old: str, new: object) -> str:
    """A status change by hand: ``new`` must be reachable from ``old`` (``done`` only by completing)."""
    if not isinstance(new, str) or new not in STATUSES:
        raise RuleError("status", "task_status_invalid")
    if new != old and new not in TRANSITIONS.get(old, frozenset()):
        raise RuleError("status", "task_status_transition", {"old": old, "new": new})
    return new


def is_open(status: str) -> bool:
    return status in OPEN_STATUSES


def awaiting_check(needs_check: bool, status: str, completed_by: int | None) -> bool:
    """Handed in and waiting for a second adviser's check (an open task of a checked kind with ``completed_by``)."""
    return needs_check and completed_by is not None and is_open(status)


def completable(status: str, completed_by: int | None) -> bool:
    """Whether a task can be completed: open and not handed in yet."""
    return is_open(status) and completed_by is None


def status_on_completion(needs_check: bool) -> str:
    """The status a completed task takes: waiting for the second check, or done at once."""
    return WAITING if needs_check else DONE


def check_selection(count: int) -> None:
    """At most ``REASSIGN_LIMIT`` tasks are selected (and reassigned) at once."""
    if count > REASSIGN_LIMIT:
        raise RuleError("tasks", "task_too_many", {"limit": REASSIGN_LIMIT})


def is_overdue(status: str, due: date | None, today: date) -> bool:
    """An open task whose due date has passed (due today is not overdue)."""
    return is_open(status) and due is not None and due < today


# ---------------------------------------------------------------------------------------------- input
@dataclass(frozen=True)
class TaskDates:
    """Checked due and follow-up dates, with the warnings (keys) that do not block saving."""

    due: date | None
    follow_up: date | None
    warnings: tuple[str, ...] = ()


def check_title(title: object) -> str:
    """A task's title: required, one line, at most 200 characters."""
    return clean_text(title, "title", required=True, limit=TITLE_LIMIT, key="task_title_required")


def check_dates(due: object, follow_up: object, today: date) -> TaskDates:
    """Due and follow-up (Wiedervorlage) date: both optional; a follow-up after the due date is refused; a date
    in the past is allowed with a warning."""
    due_on = parse_date(due, "due_date", required=False)
    follow = parse_date(follow_up, "follow_up_date", required=False)
    if due_on is not None and follow is not None and follow > due_on:
        raise RuleError("follow_up_date", "task_follow_up_after_due")
    warnings = []
    if due_on is not None and due_on < today:
        warnings.append("task_due_in_past")
    if follow is not None and follow < today:
        warnings.append("task_follow_up_in_past")
    return TaskDates(due_on, follow, tuple(warnings))


def check_comment(text: object) -> str:
    """A comment: required, at most 5,000 characters; line breaks allowed, other control characters not."""
    return clean_text(text, "comment", required=True, limit=COMMENT_LIMIT, key="task_comment_required", lines=True)


def check_idea_subject(subject: object) -> str:
    """The subject of an employer's idea: required, one line, at most ``IDEA_SUBJECT_LIMIT`` characters."""
    return clean_text(subject, "subject", required=True, limit=IDEA_SUBJECT_LIMIT, key="idea_subject_required")


def check_idea_message(message: object) -> str:
    """The message of an employer's idea: required, at most ``IDEA_MESSAGE_LIMIT`` characters, line breaks allowed."""
    return clean_text(
        message, "message", required=True, limit=IDEA_MESSAGE_LIMIT, key="idea_message_required", lines=True
    )


def check_checker(checker_id: int, assignee_id: int | None, completed_by: int | None) -> None:
    """The second check is by another adviser: not the assignee, not who handed the task in."""
    if checker_id in (assignee_id, completed_by):
        raise RuleError("check", "task_check_by_other")


# ------------------------------------------------------------------------------------ event → task rules
@dataclass(frozen=True)
class TaskSpec:
    """A task an event calls for: ``source_key`` names the event (one task per event and office)."""

    kind: str
    title_key: str
    source_key: str
    due: date
    detail: dict[str, Any] = field(default_factory=dict)

    @property
    def needs_check(self) -> bool:
        return needs_check(self.kind)


def _spec(kind: str, source: str, today: date, **detail: Any) -> TaskSpec:
    return TaskSpec(kind, f"task.title.{kind}", source, today + timedelta(days=DUE_DAYS[kind]), detail)


# Statuses of a mutation (MUT-6) as the event rules read them.
PROCESSED, NEEDS_REVIEW, REJECTED = "processed", "needs_review", "rejected"


def reconciliation_source(difference_id: int) -> str:
    """The source key of the task made from reconciliation difference ``difference_id`` (one task each)."""
    return f"reconciliation:{difference_id}"


def for_reconciliation(difference_id: int, today: date, **detail: Any) -> TaskSpec:
    """The task for one reconciliation difference (INT-7), due in DUE_DAYS; once per difference."""
    return _spec(RECONCILIATION, reconciliation_source(difference_id), today, **detail)


def review_source(mutation_id: int) -> str:
    """The source key of the review task of mutation ``mutation_id`` (to close it when the review is done)."""
    return f"mutation:{mutation_id}:review"


def exit_source(mutation_id: int) -> str:
    """The source key of the exit advice task of exit mutation ``mutation_id``."""
    return f"mutation:{mutation_id}:exit"


def for_mutation(
    mutation_id: int, kind: str, status: str, warnings: Iterable[dict[str, Any]], today: date
) -> list[TaskSpec]:
    """Tasks a change calls for in its state ``status``: an exit that takes effect (``processed``: at once, or
    approved in review) → exit advice, never while it waits for review or once rejected; ``needs_review`` → a
    review task; each acknowledged advice warning (``ADVICE_WARNINGS``) → an advice task with the warning's key
    and params, made while the change waits for review (the advice is for that review) and never for a rejected
    change. Called again when a review is done: the source keys keep every task to one per event."""
    out = []
    if kind == "exit" and status == PROCESSED:
        out.append(_spec(ADVICE_EXIT, exit_source(mutation_id), today))
    if status == NEEDS_REVIEW:
        out.append(_spec(REVIEW, review_source(mutation_id), today))
    for warning in [] if status == REJECTED else warnings:
        key = warning.get("key")
        if key in ADVICE_WARNINGS:
            source = warning_source(mutation_id, key)
            out.append(_spec(ADVICE_WARNING, source, today, warning=key, params=dict(warning.get("params") or {})))
    return out


def warning_source(mutation_id: int, warning: str) -> str:
    """The source key of the advice task an acknowledged warning of a change makes."""
    return f"mutation:{mutation_id}:warning:{warning}"


def moot_after(mutation_id: int, kind: str, status: str, warnings: Iterable[dict[str, Any]] = ()) -> tuple[str, ...]:
    """Source keys of the tasks a change makes moot in its state ``status``: a rejected change never takes
    effect, so an exit's advice (if one exists, e.g. made before this rule) and the advice tasks of its
    acknowledged warnings (made while it waited for review) are to be cancelled."""
    if status != REJECTED:
        return ()
    advice = tuple(warning_source(mutation_id, k) for w in warnings if (k := w.get("key")) in ADVICE_WARNINGS)
    return ((exit_source(mutation_id),) if kind == "exit" else ()) + advice


def for_failed_batch(batch_id: int, batch_kind: str, message: str, rows_failed: int, today: date) -> TaskSpec:
    """A collective change that failed → a task to sort it out with the employer."""
    return _spec(BATCH_FAILED, f"batch:{batch_id}:failed", today, batch_kind=batch_kind, message=message,
                 rows_failed=rows_failed)  # fmt: skip


@dataclass(frozen=True)
class InsurerData:
    """What the insurer needs of a participant (INT-4 readiness), as plain values."""

    nationality: str
    business_email: str
    private_email: str
    country: str
    foreign_address: str
    partner_start_dates: tuple[date | None, ...] = ()


def missing_for_insurer(data: InsurerData) -> list[str]:
    """The fields the insurer needs that are missing: nationality, a communication e-mail, the country of an
    address abroad (foreign address lines with country NL or none), a partner's start date."""
    missing = []
    if not data.nationality.strip():
        missing.append("nationality")
    if not data.business_email.strip() and not data.private_email.strip():
        missing.append("communication_email")
    if data.foreign_address.strip() and data.country.strip().upper() in ("", "NL"):
        missing.append("country")
    if any(start is None for start in data.partner_start_dates):
        missing.append("partner_start_date")
    return missing


def for_new_participant(mutation_id: int, data: InsurerData, today: date) -> TaskSpec | None:
    """A new participant whose data is incomplete for the insurer → a data task naming what is missing."""
    missing = missing_for_insurer(data)
    return _spec(DATA_MISSING, f"mutation:{mutation_id}:data", today, missing=missing) if missing else None


def for_uncarried(mutation_id: int, mutation_kind: str, insurer: str, today: date) -> TaskSpec:
    """A processed change of a coupled scheme that the coupling does not carry (address, civil status, partner,
    partner-pension participation) → a task to pass it on in the insurer's own portal (INT-4)."""
    source = f"mutation:{mutation_id}:coupling"
    return _spec(COUPLING_MANUAL, source, today, mutation_kind=mutation_kind, insurer=insurer)
