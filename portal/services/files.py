"""Files we keep (uploads, reports, exports, later documents): stored under ``var/files`` with names we
generate, never in a public folder, and served only through ``/files/<link>``.

A link is signed with the server secret (itsdangerous), expires after ``LINK_MINUTES`` and names the user it
was made for (and, made by an adviser acting for an employer, that employer): the route serves it only to that
user's live session, and only after the owner of the file kind has checked the principal's scope again
(``register``). A copied, tampered or expired link gives
no access and an audit entry.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlmodel import Session

from portal.core.config import get_settings
from portal.services import audit
from portal.services.principal import NoAccess, Principal, acting_for

LINK_MINUTES = 15
FOLDERS = ("uploads", "reports", "exports", "documents")
_STORED = re.compile(r"^[0-9a-f]{32}\.[a-z]{2,5}$")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Served:
    """What the route sends: a file on disk, under the name the browser should save it as."""

    path: Path
    download_name: str
    media_type: str
    inline: bool = False
    # the file's bytes when it is made for this one download and never stored (an access-request ZIP): ``path``
    # is then unused, and nothing of it is left on disk
    data: bytes | None = None


Resolver = Callable[[Session, Principal, int], Served]
_resolvers: dict[str, Resolver] = {}


def register(kind: str) -> Callable[[Resolver], Resolver]:
    """Declare who may fetch a file kind: the resolver checks scope (NoAccess) and returns the file."""

    def wrap(fn: Resolver) -> Resolver:
        _resolvers[kind] = fn
        return fn

    return wrap


def folder(name: str) -> Path:
    """One of the private folders (created with owner-only permissions)."""
    if name not in FOLDERS:
        raise ValueError(name)
    path = get_settings().var_dir / "files" / name
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def new_stored_name(suffix: str) -> str:
    """A fresh random file name (the uploaded name is never used as a path)."""
    return f"{secrets.token_hex(16)}.{suffix.lstrip('.').lower()}"


def stored_path(folder_name: str, stored_name: str) -> Path:
    """The path of a stored file; refuses anything that is not one of our generated names."""
    if not _STORED.match(stored_name or ""):
        raise NoAccess("not_found")
    return folder(folder_name) / stored_name


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(get_settings().secret, salt="portal.files")


def link(principal: Principal, kind: str, object_id: int) -> str:
    """A signed, expiring link for ``principal`` to fetch file ``kind``/``object_id`` (scope is checked
    again when it is used)."""
    data: dict[str, int | str] = {"k": kind, "i": int(object_id), "u": principal.user_id}
    if principal.acting_employer_id is not None:  # made on an acting page: served for that employer only (INT-2)
        data["a"] = principal.acting_employer_id
    return f"/files/{_serializer().dumps(data)}"


def serve(db: Session, principal: Principal | None, token: str, ip: str = "") -> Served:
    """The file behind a link, for the signed-in ``principal``; NoAccess (audited) for a missing session, a
    tampered or expired link, a link made for someone else, or a file out of scope."""
    try:
        data = _serializer().loads(token, max_age=LINK_MINUTES * 60)
        kind, object_id, user_id = str(data["k"]), int(data["i"]), int(data["u"])
    except SignatureExpired:
        reason, kind, object_id = "link_expired", "", 0
    except (BadSignature, KeyError, TypeError, ValueError):
        reason, kind, object_id = "link_invalid", "", 0
    else:
        reason = ""
        if principal is None:
            reason = "not_signed_in"
        elif user_id != principal.user_id:
            reason = "link_of_other_user"
        elif kind not in _resolvers:
            reason = "link_invalid"
    if not reason:
        assert principal is not None
        try:
            if "a" in data:  # the adviser acts for the link's employer, still in the portfolio on this request
                principal = acting_for(principal, data["a"])
            served = _resolvers[kind](db, principal, object_id)
            if served.data is None and not served.path.is_file():
                raise NoAccess("not_found")
        except NoAccess as err:
            reason = err.reason
        else:
            audit.record(db, "file.downloaded", actor=principal, object_type=kind, object_id=object_id, ip=ip)
            return served
    audit.record(
        db,
        "access.denied",
        actor=principal,
        object_type=kind or "file",
        object_id=object_id,
        ip=ip,
        reason=reason,
        path="/files",
    )
    raise NoAccess(reason)
