"""The changes ``bench/dashboard_browser.py`` makes while the dashboard is open, the way another session makes
them: a task about an employer (by a colleague of the adviser), a salary change (by the employer's HR user).
Made either in the bench's own process (another process: the dashboard hears of it through PostgreSQL's NOTIFY,
or at its next poll on SQLite) or inside the app's process through ``bench._live_app``'s ``/bench/change`` route
(as another browser session of the same app would)."""

from __future__ import annotations

import time
from datetime import timedelta

ADVISER = "bench.adviser"
HR = "bench.hr"


class Changes:
    """Changes made outside the browser through the services, the way another session makes them: a task about an
    employer (by a colleague of the adviser), a salary change (by the employer's HR user)."""

    def __init__(self, office: int, ids: list[int], employer: int) -> None:
        from sqlalchemy import and_
        from sqlmodel import col, select

        from portal.core.db import session_scope
        from portal.domain.roles import FrontEnd
        from portal.models import ParticipantListRow, Participation, UserAccount
        from portal.services.principal import Principal

        L = ParticipantListRow
        with session_scope() as db:
            adviser = db.exec(select(UserAccount.id).where(UserAccount.username == ADVISER)).one()
            hr = db.exec(select(UserAccount.id).where(UserAccount.username == HR)).one()
            found = db.exec(
                select(L.participation_id, L.salary)
                .join(Participation, and_(col(Participation.id) == L.participation_id))
                .where(L.employer_id == employer, L.status == "active", col(L.salary).between(35_000, 60_000))
                .order_by(L.participation_id)
            ).first()
            assert found is not None, "no active participant with a salary to change"
        self.participation, self.salary = int(found[0]), int(found[1])
        self.employer = employer
        self.adviser = Principal(
            adviser or 0, ADVISER, "Bench Adviser", FrontEnd.INTERMEDIARY, frozenset({"adviser"}), frozenset(ids),
            office_id=office,
        )  # fmt: skip
        self.hr = Principal(hr or 0, HR, "Bench HR", FrontEnd.EMPLOYER, frozenset({"hr"}), frozenset({employer}))
        self.made = 0

    def task(self) -> float:
        """Create a task about the employer; the commit's wall-clock time in ms."""
        from portal.core import clock
        from portal.core.db import session_scope
        from portal.services import tasks

        self.made += 1
        due = (clock.today() + timedelta(days=14)).isoformat()
        with session_scope() as db:
            tasks.create(db, self.adviser, self.employer, "general", f"Bench change {self.made}", due)
        return time.time() * 1000

    def salary_change(self) -> float:
        """Submit a salary change of one active participant effective this month; the commit's time in ms."""
        from portal.core import clock
        from portal.core.db import session_scope
        from portal.models import Participation
        from portal.services import mutations

        self.made += 1
        effective = clock.today().replace(day=1).isoformat()
        salary = str(self.salary + 250 * self.made)
        with session_scope() as db:
            version = db.get(Participation, self.participation).version  # type: ignore[union-attr]
            preview = mutations.preview_salary_parttime(db, self.hr, self.participation, effective, salary, "")
            mutations.submit_salary_parttime(
                db, self.hr, self.participation, effective, salary, "", version, acknowledged=preview.warning_keys
            )
        return time.time() * 1000
