"""FAQ state (EE-2, EMP-1): the questions of one audience (employee or employer) that match the search, searched on
the server by ``portal.domain.faq``; on the employee's page also the matching terms of the glossary. The matches
are sent in both languages, so that the globe switches them at once; the search itself is in the session's."""

from __future__ import annotations

import reflex as rx

from portal.domain import faq
from portal.i18n import LANGUAGES, t
from portal.i18n.faq_content import questions
from portal.i18n.term_messages import TERMS
from portal.state.auth import language_of
from portal.state.forms import text_of


def _terms(lang: str) -> list[faq.Entry]:
    return [faq.Entry(k, t(f"term.{k}.name", lang), t(f"term.{k}.text", lang)) for k in TERMS]


class FaqState(rx.State):
    """The query and what matches it: questions (key, and question and answer per language) and term keys."""

    query: str = ""
    items: list[dict[str, str]] = []
    terms: list[str] = []
    with_terms: bool = False
    _audience: str = "employee"

    async def _search(self, query: object) -> None:
        self.query = query[: faq.QUERY_LIMIT] if isinstance(query, str) else ""
        lang = await language_of(self)
        found = faq.search([faq.Entry(*q) for q in questions(self._audience, lang)], self.query)
        texts = {other: {k: (q, a) for k, q, a in questions(self._audience, other)} for other in LANGUAGES}
        self.items = [
            {"key": e.key} | {f"{part}_{other}": texts[other][e.key][i] for other in LANGUAGES for i, part in
                              enumerate(("q", "a"))}
            for e in found
        ]  # fmt: skip
        self.terms = [e.key for e in faq.search(_terms(lang), self.query)] if self.with_terms else []

    @rx.event
    async def load_employee(self):
        """on_load of ``/employee/faq``: every question of the employee, and the glossary."""
        self._audience, self.with_terms = "employee", True
        await self._search("")

    @rx.event
    async def load_employer(self):
        """on_load of ``/employer/service``: every question of the employer (no glossary)."""
        self._audience, self.with_terms = "employer", False
        await self._search("")

    @rx.event
    async def search(self, form: dict):
        """The search form (untrusted: only a string counts, cut to the query limit)."""
        await self._search(text_of(form, "q", faq.QUERY_LIMIT))

    @rx.event
    async def clear(self):
        """Show every question again (and empty the search field)."""
        await self._search("")
        return rx.set_value("faq-search", "")
