"""Reconciliation context (INT-7): an adviser compares an insurer's participant/premium list of a scheme (an
uploaded xlsx or csv, or rows from an insurer adapter's ``fetch_records``) with the portal's participants as of
a date, keeps the report (its differences and an xlsx), and turns differences into tasks (INT-3). Callers use
``reconciliation.<function>``."""

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

__all__ = [
    "PAGE_SIZE",
    "DifferenceRow",
    "ReportView",
    "SchemeChoice",
    "latest_report",
    "portal_records",
    "read_upload",
    "reconcile_file",
    "reconcile_rows",
    "report",
    "schemes",
    "to_task",
]
