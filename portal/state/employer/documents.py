"""Documents page state (DOC-1, DOC-2): scheme choice, category (by role), the list with unread markers, and
the viewer of one document.

The state holds display strings only. Every id that comes back from the browser (scheme, category, document,
the ``?doc=`` of a mail's deep link) is checked again by the documents service; a refused document shows a
clear message and is audited, nothing is served. Links are signed on the server for the signed-in user each
time a document is opened (they expire after a quarter of an hour).
"""

from __future__ import annotations

import re
from datetime import date

import reflex as rx
from babel.dates import format_date
from sqlmodel import Session

from portal.i18n import formatting as fmt
from portal.i18n import t
from portal.services.documents import library as documents
from portal.services.principal import NoAccess, Principal
from portal.state.auth import client_ip, language_of
from portal.state.usecase import GUARDED, run

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")


def period_text(period: str, lang: str) -> str:
    """``2026-11`` → ``november 2026``, ``2026-Q3`` → ``Q3 2026``; anything else as it is."""
    if m := _MONTH.match(period):
        year, month = int(m.group(1)), int(m.group(2))
        if 1 <= month <= 12:
            return format_date(date(year, month, 1), "MMMM yyyy", locale=fmt.LOCALES.get(lang, "nl_NL"))
    if m := _QUARTER.match(period):
        return f"Q{m.group(2)} {m.group(1)}"
    return period


class DocumentsState(rx.State):
    """Schemes, categories, the rows of the list, the opened document and a message."""

    schemes: list[dict[str, str]] = []  # id, label ("" = all schemes)
    scheme_id: str = ""
    categories: list[str] = []  # the categories the roles allow (financial, legal)
    category: str = ""
    rows: list[dict[str, str]] = []
    unread: dict[str, str] = {}  # category → count of unread documents (for the category buttons)
    selected: dict[str, str] = {}  # id, title, view_link, download_link, frame_title, open_label, download_label
    message: str = ""
    loaded: bool = False

    async def _list(self) -> rx.event.EventSpec | None:
        scheme_id, category = self.scheme_id or None, self.category or None

        def listing(db: Session, me: Principal | None) -> tuple[list, list]:
            shown = documents.list_documents(db, me, None, scheme_id, category)
            return shown, documents.list_documents(db, me, None, scheme_id)

        done = await run(self, listing, deny="/employer/documents", quiet=GUARDED, touch=False)
        if not done:
            self.rows = []
            return done.event
        (entries, everything), lang = done.value, await language_of(self)
        labels = {s["id"]: s["label"] for s in self.schemes}
        self.rows = [
            {
                "id": str(e.id),
                "title": e.title,
                "kind": t(f"doc.kind.{e.kind}", lang),
                "period": period_text(e.period, lang),
                "date": fmt.day(e.created_at.date(), lang),
                "scheme": labels.get(str(e.scheme_id), e.scheme_label),
                "unread": "1" if e.unread else "",
                "open_label": t("doc.open_label", lang, title=e.title),
            }
            for e in entries
        ]
        self.unread = {
            c: fmt.number(sum(1 for e in everything if e.unread and e.category == c), lang) for c in self.categories
        }
        return None

    @rx.event
    async def load(self):
        """on_load: the schemes and categories this user may see, the list; ``?doc=<id>`` opens a document."""
        self.message, self.selected, self.loaded = "", {}, False
        done = await run(self, documents.document_schemes)
        if not done:
            self.schemes, self.rows, self.categories = [], [], []
            return None  # the page guard has sent the browser to the no-access page
        all_label = t("doc.all_schemes", await language_of(self))
        options = done.value
        self.schemes = [{"id": "", "label": all_label}] + [{"id": str(o.scheme_id), "label": o.label} for o in options]
        if self.scheme_id not in {s["id"] for s in self.schemes}:
            self.scheme_id = ""
        self.categories = documents.categories_of(done.principal)
        if self.category not in self.categories:
            self.category = self.categories[0] if self.categories else ""
        wanted = self.router.url.query_parameters.get("doc", "")
        if wanted:
            return await self._open(wanted if isinstance(wanted, str) else "", from_link=True)
        refused = await self._list()
        self.loaded = True
        return refused

    @rx.event
    async def set_scheme(self, scheme_id: str):
        """The scheme selector (only a listed id is taken; the service checks scope again)."""
        if isinstance(scheme_id, str) and scheme_id in {s["id"] for s in self.schemes}:
            self.scheme_id = scheme_id
            self.message = ""
            return await self._list()
        return None

    @rx.event
    async def set_category(self, category: str):
        """Financial / Legal (only a category the roles allow is taken)."""
        if isinstance(category, str) and category in self.categories:
            self.category = category
            self.message = ""
            return await self._list()
        return None

    @rx.event
    async def open_document(self, document_id: str):
        """Show a document in the viewer (the id is untrusted: the service checks scope and role again)."""
        return await self._open(document_id)

    async def _open(self, document_id: object, from_link: bool = False):
        """Show a document; a refusal is audited by the service (committed), and said here, not served."""
        raw = document_id if isinstance(document_id, str | int) and not isinstance(document_id, bool) else ""
        done = await run(self, documents.open_document, str(raw)[:20], client_ip(self), commit_on=(NoAccess,))
        lang = await language_of(self)
        if not done:
            self.selected = {}
            if done.principal is None:
                return rx.redirect("/login")
            self.message = t("doc.not_available", lang)
            await self._list()
            self.loaded = True
            return None
        opened = done.value
        entry = opened.entry
        if entry.category in self.categories and entry.category != self.category:
            self.category = entry.category
        if from_link:
            self.scheme_id = ""
        self.message = ""
        labels = {s["id"]: s["label"] for s in self.schemes}
        scheme_label = labels.get(str(entry.scheme_id), entry.scheme_label)
        self.selected = {
            "id": str(entry.id),
            "title": entry.title,
            "meta": " · ".join(
                x for x in (t(f"doc.kind.{entry.kind}", lang), period_text(entry.period, lang), scheme_label) if x
            ),
            "view_link": opened.view_link,
            "download_link": opened.download_link,
            "frame_title": t("doc.viewer_frame", lang, title=entry.title),
            "open_label": t("doc.open_new_tab_label", lang, title=entry.title),
            "download_label": t("doc.download_label", lang, title=entry.title),
        }
        await self._list()
        self.loaded = True
        return rx.scroll_to("doc-viewer")

    @rx.event
    def close_viewer(self):
        self.selected = {}
