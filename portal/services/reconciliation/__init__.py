"""Reconciliation context (INT-7): an adviser compares an insurer's participant/premium list of a scheme (an
uploaded xlsx or csv, or rows from an insurer adapter's ``fetch_records``) with the portal's participants as of
a date in a background job (``runs``), keeps the report (its differences and an xlsx), and turns differences
into tasks (INT-3). Callers use ``reconciliation.<function>``."""

from __future__ import annotations

from portal.services.reconciliation.reports import (
    PAGE_SIZE,
    DifferenceRow,
    ReportView,
    SchemeChoice,
    latest_report,
    portal_records,
    read_upload,
    reconcile_file,
    reconcile_rows,
    report,
    schemes,
    to_task,
)
from portal.services.reconciliation.runs import (
    JobView,
    fetchable_insurer,
    job,
    queue_fetch,
    queue_file,
    reconcile_job,
    running_job,
)

__all__ = [
    "PAGE_SIZE",
    "DifferenceRow",
    "JobView",
    "ReportView",
    "SchemeChoice",
    "fetchable_insurer",
    "job",
    "latest_report",
    "portal_records",
    "queue_fetch",
    "queue_file",
    "read_upload",
    "reconcile_file",
    "reconcile_job",
    "reconcile_rows",
    "report",
    "running_job",
    "schemes",
    "to_task",
]
