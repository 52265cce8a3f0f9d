"""Participants context (EMP-1, EMP-2, EMP-4 detail, charts): the overview's read table (``read_table``, kept up to
date on every change), the overview's queries and counts (``overview``), one participant's detail as of a day
(``detail``) and the charts of a scheme (``charts``). Callers use ``participants.<function>``."""

from __future__ import annotations

from portal.services.organisation.scheme_access import SchemeOption, schemes_of
from portal.services.participants.detail import ParticipantDetail, participant_detail, scheme_year_params
from portal.services.participants.overview import (
    MAX_PAGE_SIZE,
    SORT_COLUMNS,
    STATUSES,
    AsOf,
    ParticipantPage,
    ParticipantRow,
    TotalsMemo,
    as_of_view,
    data_version,
    home_counts,
    list_participants,
)

__all__ = [
    "MAX_PAGE_SIZE",
    "SORT_COLUMNS",
    "STATUSES",
    "AsOf",
    "ParticipantDetail",
    "ParticipantPage",
    "ParticipantRow",
    "SchemeOption",
    "TotalsMemo",
    "as_of_view",
    "data_version",
    "home_counts",
    "list_participants",
    "participant_detail",
    "scheme_year_params",
    "schemes_of",
]
