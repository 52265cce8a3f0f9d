"""Insurer couplings (INT-4): per insurer the portfolio setting, the groups and each employer's schemes with their
effective value and where it comes from; the readiness check of a scope before switching it on. Insurer ids and
scopes from the browser are re-checked by the services (the adviser's office and portfolio)."""

from __future__ import annotations

from typing import Any

import reflex as rx

from portal.i18n import t
from portal.services import couplings
from portal.state.auth import language_of
from portal.state.usecase import run

DENY = "/intermediary/couplings"


class CouplingsState(rx.State):
    """The rows of the settings (flat: an insurer heading, then its scopes) and the opened readiness check."""

    rows: list[dict[str, str]] = []
    check_rows: list[dict[str, str]] = []
    check_title: str = ""
    check_insurer: str = ""
    check_scope: str = ""
    check_label: str = ""
    check_ready: bool = False
    message: str = ""
    error: str = ""

    async def _query(self) -> Any:
        done = await run(self, couplings.overview, deny=DENY)
        if not done:
            self.rows = []
            return done.event
        lang = await language_of(self)
        rows: list[dict[str, str]] = []
        for ins in done.value:
            rows.append(
                {
                    "type": "insurer",
                    "label": ins.insurer_name,
                    "insurer": str(ins.insurer_id),
                    "no_address": "" if ins.configured else t("coupling.missing.insurer_address", lang),
                }
            )
            for kind, found in (("portfolio", [ins.portfolio]), ("group", ins.groups), ("scheme", ins.schemes)):
                for row in found:
                    label = t("coupling.portfolio", lang) if kind == "portfolio" else row.label
                    source = t(f"coupling.source.{row.source}", lang, name=row.source_name)
                    rows.append(
                        {
                            "type": kind,
                            "kind": t(f"coupling.{kind}", lang),
                            "label": label,
                            "insurer": str(ins.insurer_id),
                            "insurer_name": ins.insurer_name,
                            "scope": row.scope,
                            "on": "1" if row.enabled else "",
                            "value": t("coupling.on" if row.enabled else "coupling.off", lang),
                            "source": source,
                            "id": f"{ins.insurer_id}-{row.scope.replace(':', '-')}",
                        }
                    )
        self.rows = rows
        return None

    @rx.event
    async def load(self):
        self.message, self.error, self.check_rows, self.check_title = "", "", [], ""
        return await self._query()

    @rx.event
    async def check(self, insurer_id: str, scope: str, label: str):
        """Show the readiness check of a scope (before switching it on)."""
        self.message, self.error = "", ""
        done = await run(self, couplings.check_readiness, insurer_id, scope, deny=DENY + "#check", message="error")
        if not done:
            self.check_rows, self.check_title = [], ""
            return done.event
        lang = await language_of(self)
        ready = done.value
        out: list[dict[str, str]] = [
            {"what": ready.insurer_name, "missing": t(f"coupling.missing.{key}", lang), "link": "", "scheme": ""}
            for key in ready.insurer_missing
        ]
        for s in ready.schemes:
            head = f"{s.employer_name} · {s.scheme_name} ({s.scheme_number or '—'}, {s.contract_number or '—'})"
            for key in s.missing:
                scheme = str(s.scheme_id) if key == "auto_enrol" else ""  # switched on right here
                link = s.link_of(key)
                row = {"what": head, "missing": t(f"coupling.missing.{key}", lang), "link": link, "scheme": scheme}
                out.append(row)
            for gap in s.participants:
                missing = ", ".join(t(f"coupling.missing.{k}", lang) for k in gap.missing)
                out.append({"what": f"{gap.number} {gap.name}", "missing": missing, "link": gap.link, "scheme": ""})
            more = s.participants_missing - len(s.participants)
            if more > 0:
                more_text = t("coupling.more_participants", lang, count=more)
                out.append({"what": head, "missing": more_text, "link": "", "scheme": ""})
        self.check_rows = out
        self.check_ready = ready.ready
        self.check_insurer, self.check_scope = str(insurer_id)[:12], str(scope)[:32]
        self.check_label = str(label)[:200]
        self.check_title = t("coupling.check_title", lang, scope=self.check_label)
        return None

    async def _set(self, insurer_id: str, scope: str, enabled: bool) -> Any:
        self.message, self.error = "", ""
        done = await run(self, couplings.set_coupling, insurer_id, scope, enabled, deny=DENY + "#set", message="error")
        if not done:
            return done.event
        lang = await language_of(self)
        self.message = t("coupling.saved_on" if enabled else "coupling.saved_off", lang)
        self.check_rows, self.check_title = [], ""
        return await self._query()

    @rx.event
    async def auto_enrol(self, scheme_id: str):
        """Switch auto-enrolment of new employees on for a scheme of the check, then check again."""
        self.message, self.error = "", ""
        done = await run(self, couplings.set_auto_enrol, scheme_id, True, deny=DENY + "#auto_enrol", message="error")
        if not done:
            return done.event
        return await self.check(self.check_insurer, self.check_scope, self.check_label)

    @rx.event
    async def switch_on(self):
        return await self._set(self.check_insurer, self.check_scope, True)

    @rx.event
    async def switch_off(self, insurer_id: str, scope: str):
        return await self._set(insurer_id, scope, False)
