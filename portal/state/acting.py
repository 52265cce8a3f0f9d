"""Which employer an employer page works for: the employer user's own (``/employer/...``), or the one an adviser
acts for (``/intermediary/employers/<id>/...``, INT-2). The pages build every link from ``ActingState.base``."""

from __future__ import annotations

import reflex as rx

from portal.domain.roles import EMPLOYER_BASE, acting_base, acting_menu
from portal.services.organisation import acting
from portal.state.auth import access_rules, acting_scope
from portal.state.usecase import GUARDED, run


class ActingState(rx.State):
    """The prefix of the employer pages' links, and for an adviser the employer's name and pages (banner,
    menu). The employer front end never loads it: its defaults are the employer's own addresses."""

    base: str = EMPLOYER_BASE
    employer_name: str = ""
    task_link: str = ""  # a new task about this employer on the tasks page (INT-3); '' outside an acting page
    menu: list[list[str]] = []  # [route, message key] of the employer's pages under ``base``

    @rx.event
    async def load(self):
        """on_load of an acting page (after the guard): the employer of the address, checked on the server
        against the portfolio (``usecase.run`` narrows the principal to it)."""
        self.base, self.employer_name, self.menu, self.task_link = EMPLOYER_BASE, "", [], ""
        if acting_scope(self) is None:
            return None
        done = await run(self, acting.employer_acted_for, quiet=GUARDED)
        if not done or done.value is None or done.principal is None:
            return done.event
        employer = done.value
        self.base = acting_base(employer.id)
        self.employer_name = employer.name
        self.task_link = f"/intermediary/tasks?employer={employer.id}"
        self.menu = [list(entry) for entry in acting_menu(access_rules(), employer.id, done.principal.perms)]
        return None
