"""Data protection (issue 16, part 6): the access request of a person (``export``: everything the portal holds
about them as one ZIP, for user management) and retention (``retention``: ended contracts leave the overview,
old audit events are removed by the nightly job). Rules in ``portal.domain.retention``."""

from __future__ import annotations

from portal.services.privacy.export import (
    FILE_KIND,
    ExportLink,
    PersonExport,
    export_link,
    export_person,
    may_export,
)
from portal.services.privacy.retention import RetentionReport, purge_audit, relist, run_retention

__all__ = [
    "FILE_KIND",
    "ExportLink",
    "PersonExport",
    "RetentionReport",
    "export_link",
    "export_person",
    "may_export",
    "purge_audit",
    "relist",
    "run_retention",
]
