"""API-keys page state (API-1): the employer's keys; make one (shown once, here only) and revoke one.

Which key the confirmation works on is kept on the server (``_target``); the service checks it again."""

from __future__ import annotations

import reflex as rx

from portal.i18n import formatting, t
from portal.services import api_keys
from portal.state.auth import language_of
from portal.state.forms import text_of
from portal.state.usecase import GUARDED, run


class ApiKeysState(rx.State):
    rows: list[dict[str, str]] = []
    errors: dict[str, str] = {}
    new_key: str = ""  # the key just made: shown once, gone on the next load
    form_key: int = 0
    confirm_open: bool = False
    confirm_name: str = ""
    message: str = ""
    loaded: bool = False
    _target: int | None = None

    async def _reload(self):
        done = await run(self, api_keys.list_keys, deny="/employer/api-keys", quiet=GUARDED)
        if not done:
            self.rows, self.loaded = [], False
            return done.event
        lang = await language_of(self)
        self.rows = [
            {
                "id": str(k.key_id),
                "name": k.name,
                "prefix": f"pk_{k.prefix}_…",
                "created": f"{formatting.moment(k.created_at, lang)} · {k.created_by_name}",
                "last_used": formatting.moment(k.last_used_at, lang) if k.last_used_at else "—",
                "revoked": "1" if k.revoked_at else "",
            }
            for k in done.value
        ]
        self.loaded = True
        return None

    @rx.event
    async def load(self):
        """on_load: the keys of the signed-in user's company (a key made earlier is not shown again)."""
        self.errors, self.new_key, self.message, self.confirm_open, self._target = {}, "", "", False, None
        return await self._reload()

    @rx.event
    async def create(self, form: dict):
        """Make a key with the typed name; show it once."""
        self.new_key, self.message = "", ""
        done = await run(
            self,
            api_keys.create_key,
            text_of(form, "name", 200),
            deny="/employer/api-keys#create",
            quiet=GUARDED,
            fields="errors",
        )
        if not done:
            return done.event
        self.errors, self.new_key = {}, done.value.plain
        self.form_key += 1
        return await self._reload()

    @rx.event
    def ask_revoke(self, key_id: str):
        """Ask to confirm revoking a key of the list."""
        row = next((r for r in self.rows if isinstance(key_id, str) and r["id"] == key_id), None)
        self.message = ""
        if row is None or row["revoked"]:
            return
        self._target, self.confirm_name, self.confirm_open = int(row["id"]), row["name"], True

    @rx.event
    def dialog_open_change(self, is_open: bool):
        if is_open is not True:
            self.confirm_open, self._target = False, None

    @rx.event
    async def confirm_revoke(self):
        target = self._target
        self.confirm_open, self._target = False, None
        if target is None:
            return None
        done = await run(self, api_keys.revoke_key, target, deny="/employer/api-keys#revoke", quiet=GUARDED)
        if not done:
            return done.event
        self.new_key = ""
        self.message = t("api_keys.revoked_done", await language_of(self), name=self.confirm_name)
        return await self._reload()
