"""Portal accounts page state (EMP-9): the company's accounts, invite, change roles, disable / enable.

Which account a dialog works on is kept on the server (``_target``); the service checks it again.
"""

from __future__ import annotations

from collections.abc import Callable

import reflex as rx

from portal.i18n import t
from portal.services.accounts import users
from portal.state.auth import client_ip, language_of
from portal.state.forms import text_of
from portal.state.usecase import GUARDED, Done, run


def _roles_of(form: object) -> list[str]:
    """The role checkboxes of a form (``role_<name>`` = "on" when ticked)."""
    return [role for role in users.ROLE_ORDER if text_of(form, f"role_{role}", 8) == "on"]


class UsersState(rx.State):
    rows: list[dict[str, str]] = []
    create_errors: dict[str, str] = {}
    created: str = ""  # status message after an invitation
    form_key: int = 0  # bumped to clear the create form after a success
    edit_open: bool = False
    edit_name: str = ""
    edit_roles: list[str] = []
    edit_errors: dict[str, str] = {}
    confirm_open: bool = False
    confirm_disable: bool = True
    confirm_name: str = ""
    row_message: str = ""
    row_ok: bool = True
    loaded: bool = False
    _target: int | None = None

    async def _reload(self):
        done = await run(self, users.list_accounts, deny="/employer/users", quiet=GUARDED)
        if not done:
            self.rows, self.loaded = [], False
            return done.event
        self.rows = [
            {
                "id": str(r.id),
                "username": r.username or "—",
                "name": r.display_name or "—",
                "email": r.email,
                "who": r.display_name or r.email,
                "role_list": ",".join(r.roles),
                "status": r.status,
                "self": "1" if r.is_self else "",
            }
            for r in done.value
        ]
        self.loaded = True
        return None

    def _row(self, user_id: object) -> dict[str, str] | None:
        return next((r for r in self.rows if isinstance(user_id, str) and r["id"] == user_id), None)

    async def _act(self, what: str, use_case: Callable[..., object], *args: object, **shown: str) -> Done[object]:
        """Run an action of the page; a refusal (audited unless the page guard has handled it) closes the
        dialogs, field errors go where ``shown`` says."""
        done = await run(self, use_case, *args, deny=f"/employer/users#{what}", quiet=GUARDED, **shown)
        if done.refused:
            self._close()
        return done

    @rx.event
    async def load(self):
        """on_load: the accounts of the signed-in user's company."""
        self.create_errors, self.created, self.row_message = {}, "", ""
        self.edit_open = self.confirm_open = False
        self._target = None
        return await self._reload()

    @rx.event
    async def create(self, form: dict):
        """Invite a new account with the ticked roles (the invitee receives the activation mail)."""
        name, email = text_of(form, "display_name", 200), text_of(form, "email", 300)
        self.created, self.row_message = "", ""
        roles, ip = _roles_of(form), client_ip(self)
        done = await self._act("create", users.create_account, name, email, roles, None, ip, fields="create_errors")
        if not done:
            return done.event
        self.create_errors = {}
        self.created = t("users.invited", await language_of(self), email=email.lower())
        self.form_key += 1
        return await self._reload()

    @rx.event
    def open_roles(self, user_id: str):
        """Open the role dialog for one account of the list (not one's own)."""
        row = self._row(user_id)
        self.row_message = ""
        if row is None or row["self"]:
            return
        self._target = int(row["id"])
        self.edit_name = row["who"]
        self.edit_roles = [r for r in row["role_list"].split(",") if r]
        self.edit_errors = {}
        self.edit_open = True

    def _close(self) -> None:
        self.edit_open = self.confirm_open = False
        self._target = None

    @rx.event
    def close_dialogs(self):
        self._close()

    @rx.event
    def dialog_open_change(self, is_open: bool):
        """Escape or a click outside closes a dialog (opening only happens through the row buttons)."""
        if is_open is not True:
            self._close()

    @rx.event
    async def save_roles(self, form: dict):
        """Store the ticked roles of the account in the dialog."""
        if self._target is None:
            self.edit_open = False
            return None
        done = await self._act("roles", users.change_roles, self._target, _roles_of(form), fields="edit_errors")
        if not done:
            return done.event
        self.edit_open, self._target, self.edit_errors = False, None, {}
        self.row_message, self.row_ok = t("users.roles_saved", await language_of(self), name=self.edit_name), True
        return await self._reload()

    @rx.event
    def ask_status(self, user_id: str):
        """Ask to confirm disabling (or enabling) an account of the list."""
        row = self._row(user_id)
        self.row_message = ""
        if row is None or row["self"]:
            return
        self._target = int(row["id"])
        self.confirm_name = row["who"]
        self.confirm_disable = row["status"] != "disabled"
        self.confirm_open = True

    @rx.event
    async def confirm_status(self):
        target, disable = self._target, self.confirm_disable
        self.confirm_open, self._target = False, None
        if target is None:
            return None
        done = await self._act("status", users.set_disabled, target, disable, message="row_message")
        if done.error:
            self.row_ok = False
        if not done:
            return done.event
        key = "users.disabled_done" if disable else "users.enabled_done"
        self.row_message, self.row_ok = t(key, await language_of(self), name=self.confirm_name), True
        return await self._reload()
