"""Employer home state (EMP-1): small counts on the tiles, where they are cheap to get."""

from __future__ import annotations

import logging

import reflex as rx

from portal.core.db import session_scope
from portal.domain.roles import Perm
from portal.i18n import formatting as fmt
from portal.i18n import t
from portal.services import participants
from portal.services.documents import library as documents
from portal.services.organisation.company import employer_in_scope
from portal.services.principal import NoAccess
from portal.state.auth import current_principal, language_of

log = logging.getLogger(__name__)


class HomeState(rx.State):
    """route → a short count line for its tile (e.g. "312 actief"); tiles without a count show none."""

    counts: dict[str, str] = {}

    @rx.event
    async def load(self):
        """on_load of /employer: counts for the tiles this user sees (the services check scope and roles)."""
        principal = current_principal(self)
        lang = await language_of(self)
        self.counts = {}
        if principal is None:
            return
        out: dict[str, str] = {}
        if documents.categories_of(principal):
            try:
                with session_scope() as db:
                    unread = documents.unread_count(db, principal, employer_in_scope(principal))
                out["/employer/documents"] = t("home.count.unread", lang, n=fmt.number(unread, lang))
            except NoAccess:
                pass
            except Exception:  # the home page must open even when a count cannot be made
                log.exception("unread documents count failed")
        if principal.can(Perm.PARTICIPANTS_VIEW):
            try:
                eid = employer_in_scope(principal)
                with session_scope() as db:
                    counts = participants.home_counts(db, principal, eid)
            except NoAccess:
                counts = {}
            except Exception:  # the home page must open even when a count cannot be made
                log.exception("home counts failed")
                counts = {}
            if counts:
                out["/employer/participants"] = t(
                    "home.count.active", lang, n=fmt.number(counts.get("active", 0), lang)
                )
                out["/employer/changes"] = t(
                    "home.count.open_changes", lang, n=fmt.number(counts.get("open_changes", 0), lang)
                )
        self.counts = out
