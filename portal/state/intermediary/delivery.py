"""Delivery to insurers (INT-5): the adviser's view of the outbox of the portfolio, and retrying or cancelling a
failed message. The message id from the browser is checked again by the service (own office, own portfolio,
status); a foreign id is refused and audited."""

from __future__ import annotations

import reflex as rx

from portal.i18n import formatting as fmt
from portal.i18n import t
from portal.services import delivery
from portal.state.auth import language_of
from portal.state.usecase import GUARDED, run

PAGE = "/intermediary/couplings/delivery"
KINDS = ("hire", "exit", "salary", "parttime", "salary_parttime", "retro_after_exit", "deferred_compensation")


class DeliveryState(rx.State):
    insurers: list[dict[str, str]] = []
    failed: list[dict[str, str]] = []
    done: str = ""
    errors: dict[str, str] = {}

    async def _query(self) -> None:
        done = await run(self, delivery.overview, deny=PAGE, quiet=GUARDED)
        if not done or done.value is None:
            self.insurers, self.failed = [], []
            return
        lang = await language_of(self)
        view = done.value
        self.insurers = [
            {
                "id": str(c.insurer_id),
                "insurer": c.insurer,
                "sent": fmt.number(c.sent, lang),
                "waiting": fmt.number(c.waiting, lang),
                "retrying": fmt.number(c.retrying, lang),
                "failed": fmt.number(c.failed, lang),
                "no_address": "" if c.configured else "1",
            }
            for c in view.insurers
        ]
        self.failed = [
            {
                "id": str(f.id),
                "insurer": f.insurer,
                "employer": f.employer,
                "participant": f.participant,
                "kind": t(f"delivery.kind.{f.kind}", lang) if f.kind in KINDS else f.kind,
                "attempts": str(f.attempts),
                "created": fmt.moment(f.created_at, lang),
                "answer": f.last_error or "—",
            }
            for f in view.failed
        ]

    @rx.event
    async def load(self):
        self.done, self.errors = "", {}
        await self._query()

    async def _decide(self, message_id: str, action: str):
        key = str(message_id)[:12]
        use_case = delivery.retry if action == "retry" else delivery.cancel
        done = await run(self, use_case, message_id, deny=f"{PAGE}#{action}", fields="errors", at=key)
        if not done:
            return done.event  # the no-access page (audited), or the message at the row
        lang = await language_of(self)
        self.errors = {}
        self.done = t("delivery.retried" if action == "retry" else "delivery.cancelled", lang)
        await self._query()
        return None

    @rx.event
    async def retry(self, message_id: str):
        return await self._decide(message_id, "retry")

    @rx.event
    async def cancel(self, message_id: str):
        return await self._decide(message_id, "cancel")
