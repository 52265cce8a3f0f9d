"""Participant exports as of a date (EMP-5): requested by a user, written by a job, downloaded again later."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, col, select

from portal.models import ExportFile
from portal.models.base import utcnow

UNFINISHED = ("queued", "processing")


def unfinished(db: Session, stale_minutes: int | None = None) -> list[int]:
    """Exports not finished yet (only those requested more than ``stale_minutes`` ago when given)."""
    query = select(ExportFile.id).where(col(ExportFile.status).in_(UNFINISHED))
    if stale_minutes is not None:
        query = query.where(col(ExportFile.requested_at) < utcnow() - timedelta(minutes=stale_minutes))
    return [i for i in db.exec(query.order_by(col(ExportFile.id))).all() if i is not None]


def run_export(export_id: int) -> None:  # pragma: no cover - written with the export page
    raise NotImplementedError("export jobs arrive with the export page")
