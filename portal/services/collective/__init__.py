"""Collective changes (BULK-1..5, EMP-6 collective): Excel templates, uploads, checking and applying a batch,
the integral raise. One module per step: ``templates``, ``batches`` (upload, confirm, discard, the list),
``checking`` and ``applying`` (the jobs), ``integral_raise``; ``scheme_state`` reads what the rules need.
Callers use ``collective.<function>``."""

from __future__ import annotations

from portal.services.collective.applying import apply_job, run_apply
from portal.services.collective.batches import (
    DISCARDABLE,
    FILE_KINDS,
    KINDS,
    REPORT_LIMIT,
    STATUSES,
    BatchRow,
    batch,
    batches,
    check_effective,
    confirm,
    count_open,
    discard,
    issue_text,
    upload,
)
from portal.services.collective.checking import run_validation, validation_job
from portal.services.collective.integral_raise import RaisePreview, preview_raise, submit_raise
from portal.services.collective.scheme_state import SchemeState, live_versions, load_scheme
from portal.services.collective.templates import template

__all__ = [
    "DISCARDABLE",
    "FILE_KINDS",
    "KINDS",
    "REPORT_LIMIT",
    "STATUSES",
    "BatchRow",
    "RaisePreview",
    "SchemeState",
    "apply_job",
    "batch",
    "batches",
    "check_effective",
    "confirm",
    "count_open",
    "discard",
    "issue_text",
    "live_versions",
    "load_scheme",
    "preview_raise",
    "run_apply",
    "run_validation",
    "submit_raise",
    "template",
    "upload",
    "validation_job",
]
