"""Employer home state (EMP-1): small counts on the tiles, where they are cheap to get."""

from __future__ import annotations

import logging
from collections.abc import Callable

import reflex as rx
from sqlmodel import Session

from portal.domain.roles import Perm
from portal.i18n import formatting as fmt
from portal.i18n import t
from portal.services import participants
from portal.services.documents import library as documents
from portal.services.organisation.company import employer_in_scope
from portal.services.principal import Principal
from portal.state.auth import language_of
from portal.state.usecase import run

log = logging.getLogger(__name__)


def _unread_documents(db: Session, me: Principal | None) -> int | None:
    """Unread documents of the employer in scope (None: the roles show no documents)."""
    if me is None or not documents.categories_of(me):
        return None
    return documents.unread_count(db, me, employer_in_scope(me))


def _participant_counts(db: Session, me: Principal | None) -> dict[str, int] | None:
    """Active participants and open changes (None: the roles show no participants)."""
    if me is None or not me.can(Perm.PARTICIPANTS_VIEW):
        return None
    return participants.home_counts(db, me, employer_in_scope(me))


class HomeState(rx.State):
    """route → a short count line for its tile (e.g. "312 actief"); tiles without a count show none."""

    counts: dict[str, str] = {}

    async def _count(self, use_case: Callable[[Session, Principal | None], object], what: str) -> object:
        """One tile's count (None when refused or failed: the home page must open even when a count cannot be
        made)."""
        try:
            return (await run(self, use_case)).value
        except Exception:
            log.exception("%s failed", what)
            return None

    @rx.event
    async def load(self):
        """on_load of /employer: counts for the tiles this user sees (the services check scope and roles)."""
        lang = await language_of(self)
        self.counts = {}
        out: dict[str, str] = {}
        unread = await self._count(_unread_documents, "unread documents count")
        if isinstance(unread, int):
            out["/employer/documents"] = t("home.count.unread", lang, n=fmt.number(unread, lang))
        counts = await self._count(_participant_counts, "home counts")
        if isinstance(counts, dict) and counts:
            out["/employer/participants"] = t("home.count.active", lang, n=fmt.number(counts.get("active", 0), lang))
            out["/employer/changes"] = t(
                "home.count.open_changes", lang, n=fmt.number(counts.get("open_changes", 0), lang)
            )
        self.counts = out
