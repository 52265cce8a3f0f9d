"""My documents page state (EE-3): the latest statement per contract, the personal archive, and the viewer of
one statement. Display strings only; every id from the browser (an event argument, or ``?doc=`` of a mail's
deep link) is checked again by the service, a refused one is audited there and only said here."""

from __future__ import annotations

import reflex as rx

from portal.i18n import formatting as fmt
from portal.i18n import t
from portal.services.documents import own
from portal.services.principal import NoAccess
from portal.state.auth import client_ip, language_of
from portal.state.usecase import GUARDED, run


def _card(s: own.OwnStatement, lang: str) -> dict[str, str]:
    # a filed form (DOC-5) carries its own title; a statement's is made of its year
    title = s.title if s.kind != own.KIND and s.title else t("mydocs.statement_title", lang, year=s.year)
    return {
        "id": str(s.id),
        "title": title,
        "employer": s.employer_name,
        "scheme": f"{s.scheme_name} ({s.scheme_kind})" if s.scheme_kind else s.scheme_name,
        "participant_number": s.participant_number,
        "date": fmt.day(s.created_at.date(), lang),
        "language": t(f"mydocs.language.{s.language}", lang),
        "new": "" if s.opened else "1",
        "open_label": t("mydocs.open_label", lang, title=title, employer=s.employer_name),
    }


class MyDocumentsState(rx.State):
    latest: list[dict[str, str]] = []
    archive: list[dict[str, str]] = []
    selected: dict[str, str] = {}  # id, title, meta, view_link, download_link, frame_title, download_label
    message: str = ""
    loaded: bool = False

    async def _list(self) -> rx.event.EventSpec | None:
        done = await run(self, own.my_documents, deny="/employee/documents", quiet=GUARDED, touch=False)
        if not done or done.value is None:
            message = self.message
            self.reset()  # nothing of an earlier list or viewer stays
            self.message = message
            return done.event
        lang = await language_of(self)
        self.latest = [_card(s, lang) for s in done.value.latest]
        self.archive = [_card(s, lang) for s in done.value.archive]
        self.loaded = True
        return None

    @rx.event
    async def load(self):
        """on_load: the lists; ``?doc=<id>`` (a notification mail's deep link) opens that statement."""
        self.message, self.selected, self.loaded = "", {}, False
        wanted = self.router.url.query_parameters.get("doc", "")
        if wanted:
            return await self._open(wanted if isinstance(wanted, str) else "")
        return await self._list()

    @rx.event
    async def open_statement(self, document_id: str):
        """Show a statement in the viewer (the id is untrusted: the service checks it is the person's own)."""
        return await self._open(document_id)

    async def _open(self, document_id: object):
        raw = document_id if isinstance(document_id, str | int) and not isinstance(document_id, bool) else ""
        done = await run(self, own.open_statement, str(raw)[:20], client_ip(self), commit_on=(NoAccess,))
        lang = await language_of(self)
        if not done or done.value is None:
            self.selected = {}
            if done.principal is None:
                self.reset()  # signed out: the lists go too
                return rx.redirect("/login")
            self.message = t("mydocs.not_available", lang)
            return await self._list()
        opened = done.value
        card = _card(opened.statement, lang)
        self.message = ""
        self.selected = {
            "id": card["id"],
            "title": card["title"],
            "meta": " · ".join(x for x in (card["employer"], card["scheme"]) if x),
            "view_link": opened.view_link,
            "download_link": opened.download_link,
            "frame_title": t("doc.viewer_frame", lang, title=card["title"]),
            "open_label": t("doc.open_new_tab_label", lang, title=card["title"]),
            "download_label": t("doc.download_label", lang, title=card["title"]),
        }
        await self._list()
        return rx.scroll_to("statement-viewer")

    @rx.event
    def close_viewer(self):
        self.selected = {}
