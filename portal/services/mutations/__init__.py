"""Mutations context (EMP-3..5, MUT-1..7): one participant's change (salary/part-time, exit, partner/child,
new participant) from untrusted input to a draft (``drafts``, ``person_drafts``), a preview and a submission
(``submit``), a review where one is needed (``review``), and the lists of what was submitted (``queries``).
Callers use ``mutations.<function>``."""

from __future__ import annotations

from portal.services.mutations.inputs import NEW_PARTICIPANT_FIELDS, RELATION_FIELDS, NewParticipantInput, Preview
from portal.services.mutations.queries import (
    STATUSES,
    ChangeRow,
    ChangesPage,
    HistoryRow,
    ReviewRow,
    history,
    latest_changes,
    review_queue,
)
from portal.services.mutations.review import review
from portal.services.mutations.submit import (
    participation_for,
    preview_exit,
    preview_new_participant,
    preview_relation,
    preview_salary_parttime,
    scheme_locked,
    submit_exit,
    submit_new_participant,
    submit_relation,
    submit_salary_parttime,
)

__all__ = [
    "NEW_PARTICIPANT_FIELDS",
    "RELATION_FIELDS",
    "STATUSES",
    "ChangeRow",
    "ChangesPage",
    "HistoryRow",
    "NewParticipantInput",
    "Preview",
    "ReviewRow",
    "history",
    "latest_changes",
    "participation_for",
    "preview_exit",
    "preview_new_participant",
    "preview_relation",
    "preview_salary_parttime",
    "review",
    "review_queue",
    "scheme_locked",
    "submit_exit",
    "submit_new_participant",
    "submit_relation",
    "submit_salary_parttime",
]
