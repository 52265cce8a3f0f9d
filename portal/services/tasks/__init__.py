"""Tasks context (INT-3, INT-6): an office's tasks and tickets — made by hand (``commands``) or by events in
the event's own transaction (``events``; also an employer's idea from "Service & contact"), read as a to-do list,
a board and dashboard counts (``queries``);
who may touch which task is decided in ``access``. Callers use ``tasks.<function>``."""

from __future__ import annotations

from portal.services.tasks.commands import Saved, check, comment, complete, create, reassign, update_task
from portal.services.tasks.digest import digest_job, digest_setting, queue_digest, queue_today, set_digest
from portal.services.tasks.events import (
    on_batch_failed,
    on_idea,
    on_mutation,
    on_reconciliation,
    on_review_done,
    on_uncarried,
)
from portal.services.tasks.queries import (
    PAGE_SIZES,
    SORTS,
    STATUS_FILTERS,
    CommentRow,
    TaskDetail,
    TaskFilter,
    TaskPage,
    TaskRow,
    advisers,
    board_counts,
    counts_by_assignee,
    employers,
    filter_of,
    list_tasks,
    subject_of,
    task_counts,
    task_detail,
)

__all__ = [
    "PAGE_SIZES",
    "SORTS",
    "STATUS_FILTERS",
    "CommentRow",
    "Saved",
    "TaskDetail",
    "TaskFilter",
    "TaskPage",
    "TaskRow",
    "advisers",
    "board_counts",
    "check",
    "comment",
    "complete",
    "counts_by_assignee",
    "create",
    "digest_job",
    "digest_setting",
    "employers",
    "filter_of",
    "list_tasks",
    "on_batch_failed",
    "on_idea",
    "on_mutation",
    "on_reconciliation",
    "on_review_done",
    "on_uncarried",
    "queue_digest",
    "queue_today",
    "reassign",
    "set_digest",
    "subject_of",
    "task_counts",
    "task_detail",
    "update_task",
]
