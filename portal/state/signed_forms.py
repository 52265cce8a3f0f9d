"""What the form pages of both sides share (DOC-5, EE-5): the opened form (its PDF through a signed link, the
SHA-256 of the PDF shown, its fields) and display rows. Every form id comes from the browser (an event argument
or the URL) and is untrusted: the forms services check it again, audit a refusal, and the page only says
"not available"."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlmodel import Session

from portal.core import clock
from portal.domain import forms as rules
from portal.i18n import formatting as fmt
from portal.i18n import t
from portal.services import files
from portal.services import forms as flow
from portal.services.principal import Principal


@dataclass(frozen=True)
class Opened:
    """A form opened for its reader: the PDF's SHA-256 (what they review, and sign), the links, the values."""

    form_id: int
    kind: str
    status: str
    language: str
    values: dict[str, Any]
    sha256: str
    link: str
    expires: date | None


def open_form(db: Session, principal: Principal | None, form_id: object, ip: str = "") -> Opened:
    """The form's PDF as its reader sees it (``pdf_of`` checks the id and the principal, audits the view)."""
    form, pdf = flow.pdf_of(db, principal, form_id, ip)
    assert principal is not None  # pdf_of refuses without one
    sha = hashlib.sha256(pdf).hexdigest()
    return Opened(
        form_id=form.id or 0,
        kind=form.kind,
        # a form past its expiry shows as expired before the periodic job marks it (as the lists do)
        status=rules.FormStatus.EXPIRED.value
        if rules.is_expired(form.status, form.expires_at, clock.now())
        else form.status,
        language=form.language,
        values=rules.from_json(form.kind, form.field_values),
        sha256=sha,
        # ``v``: a new rendering is a new address (the frame reloads, the fields start again from the stored values)
        link=f"{files.link(principal, flow.FILE_KIND, form.id or 0)}?v={sha[:16]}",
        expires=form.expires_at.date() if form.expires_at else None,
    )


def plain_id(raw: object) -> str:
    """An id from the browser as short text ('' for anything that is not a string or number)."""
    if isinstance(raw, bool) or not isinstance(raw, str | int):
        return ""
    return str(raw).strip()[:20]


def row_of(r: flow.FormRow, lang: str) -> dict[str, str]:
    """One form of a list, display strings only."""
    return {
        "id": str(r.id),
        "kind": r.kind,
        "title": r.title,
        "employer": r.employer_name,
        "person": r.person_name,
        "number": r.participant_number,
        "status": r.status,
        "status_label": r.status_label,
        "colour": r.colour,
        "date": fmt.day(r.created_at.date(), lang),
        "expires": fmt.day(r.expires_at.date(), lang) if r.expires_at else "",
        "open_label": t("formpage.open_label", lang, title=r.title, name=r.person_name),
        "reason": r.decline_reason,
    }


def shown_value(spec: rules.FieldSpec, value: Any, lang: str) -> str:
    """A stored value in words (money, dates and choices in the reader's language)."""
    if value in (None, "", []):
        return "—"
    if isinstance(value, Decimal):
        return fmt.money(value, lang)
    if isinstance(value, date):
        return fmt.day(value, lang)
    if spec.type is rules.FieldType.CHOICE:
        return rules.CHOICE_LABELS.get(str(value), {}).get(lang, str(value))
    if spec.type is rules.FieldType.PERSONS:
        return "; ".join(
            f"{p['name']} ({fmt.day(p['birth_date'], lang)}, {rules.CHOICE_LABELS[p['relation']][lang]})" for p in value
        )
    return str(value)


def status_label(status: str, lang: str) -> str:
    return rules.STATUS_LABELS[rules.FormStatus(status)][lang]


def status_colour(status: str) -> str:
    return rules.STATUS_COLOURS[rules.FormStatus(status)]
