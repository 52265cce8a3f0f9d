"""Portal accounts page state (EMP-9): the company's accounts, invite, change roles, disable / enable.

Which account a dialog works on is kept on the server (``_target``); the service checks it again.
"""

from __future__ import annotations

import reflex as rx

from portal.core.db import session_scope
from portal.i18n import t
from portal.services.accounts import users
from portal.services.errors import FieldError
from portal.services.principal import NoAccess
from portal.services.validation import errors_of
from portal.state.auth import current_principal, deny, language_of
from portal.state.forms import message_of, text_of

GUARDED = ("not_signed_in", "wrong_front_end", "missing_role")


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
        principal = current_principal(self)
        try:
            with session_scope() as db:
                rows = users.list_accounts(db, principal)
        except NoAccess as refused:
            self.rows, self.loaded = [], False
            if principal is None or refused.reason in GUARDED:
                return None
            return deny(self, principal, "/employer/users", refused.reason)
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
            for r in rows
        ]
        self.loaded = True
        return None

    def _row(self, user_id: object) -> dict[str, str] | None:
        return next((r for r in self.rows if isinstance(user_id, str) and r["id"] == user_id), None)

    async def _refused(self, refused: NoAccess, what: str):
        principal = current_principal(self)
        self.edit_open = self.confirm_open = False
        self._target = None
        if principal is None or refused.reason in GUARDED:
            return None
        return deny(self, principal, f"/employer/users#{what}", refused.reason)

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
        principal = current_principal(self)
        lang = await language_of(self)
        name, email = text_of(form, "display_name", 200), text_of(form, "email", 300)
        self.created, self.row_message = "", ""
        try:
            with session_scope() as db:
                users.create_account(db, principal, name, email, _roles_of(form))
        except FieldError as err:
            self.create_errors = {e.field: message_of(e, lang) for e in errors_of(err)}
            return None
        except NoAccess as refused:
            return await self._refused(refused, "create")
        self.create_errors = {}
        self.created = t("users.invited", lang, email=email.lower())
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
        principal = current_principal(self)
        lang = await language_of(self)
        if self._target is None:
            self.edit_open = False
            return None
        try:
            with session_scope() as db:
                users.change_roles(db, principal, self._target, _roles_of(form))
        except FieldError as err:
            self.edit_errors = {e.field: message_of(e, lang) for e in errors_of(err)}
            return None
        except NoAccess as refused:
            return await self._refused(refused, "roles")
        self.edit_open, self._target, self.edit_errors = False, None, {}
        self.row_message, self.row_ok = t("users.roles_saved", lang, name=self.edit_name), True
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
        principal = current_principal(self)
        lang = await language_of(self)
        target, disable = self._target, self.confirm_disable
        self.confirm_open, self._target = False, None
        if target is None:
            return None
        try:
            with session_scope() as db:
                users.set_disabled(db, principal, target, disable)
        except FieldError as err:
            self.row_message, self.row_ok = message_of(err, lang), False
            return None
        except NoAccess as refused:
            return await self._refused(refused, "status")
        key = "users.disabled_done" if disable else "users.enabled_done"
        self.row_message, self.row_ok = t(key, lang, name=self.confirm_name), True
        return await self._reload()
