"""Couplings context (INT-4, INT-5, API-2): coupling settings per office, insurer and scope (``settings``), the
readiness check before switching on (``readiness``), what the couplings page shows (``overview``), and the outbox
writing of processed mutations in their own transaction (``outbox``). The delivery of the outbox lives in
``portal.services.delivery``. Callers use ``couplings.<function>``."""

from __future__ import annotations

from portal.services.couplings.outbox import record, record_batch
from portal.services.couplings.overview import InsurerCouplings, ScopeRow, overview
from portal.services.couplings.readiness import ParticipantGap, Readiness, SchemeReadiness, readiness
from portal.services.couplings.settings import (
    adviser,
    check_readiness,
    coupled_insurer,
    office_scope,
    office_settings,
    set_auto_enrol,
    set_coupling,
)

__all__ = [
    "InsurerCouplings",
    "ParticipantGap",
    "Readiness",
    "SchemeReadiness",
    "ScopeRow",
    "adviser",
    "check_readiness",
    "coupled_insurer",
    "office_scope",
    "office_settings",
    "overview",
    "readiness",
    "record",
    "record_batch",
    "set_auto_enrol",
    "set_coupling",
]
