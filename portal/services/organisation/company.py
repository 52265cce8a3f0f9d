"""The company page (EMP-8): my details, my company, my adviser.

Only the postal address and the contact person of the company can be changed here (users with
``Perm.COMPANY_EDIT_CONTACT``: Finance, User management); name, KvK number and the adviser are read only
(they change through the insurer or the adviser). Every signed-in user may change their own name and
e-mail address. Every change is validated field by field (all messages at once, nothing saved on error),
audited with old and new values, and bumps ``Employer.data_version`` for live views.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from babel import Locale
from sqlmodel import Session, col, select

from portal.core.mail import send_mail
from portal.domain.roles import FrontEnd, Perm
from portal.i18n import t
from portal.models import Employer, IntermediaryOffice, UserAccount
from portal.services import audit
from portal.services.errors import FieldError
from portal.services.principal import NoAccess, Principal, require, require_employer
from portal.services.rate_limits import limit_mail
from portal.services.validation import Checker

# The company's contact data (AUTH-4: Finance may "edit own and company contact data"): the postal address and
# the contact person. Everything else of the company (name, KvK number, adviser's office, company group) is read
# only in the portal.
CONTACT_FIELDS = (
    "postal_street",
    "postal_house_number",
    "postal_code",
    "postal_city",
    "postal_country",
    "contact_name",
    "contact_email",
    "contact_phone",
)
COMPANY_FIELDS = frozenset(Employer.model_fields)  # every stored field of a company (editable or not)
_NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"})


@lru_cache
def country_codes() -> frozenset[str]:
    """ISO 3166 alpha-2 codes that a postal address may use."""
    return frozenset(
        code for code in Locale("en").territories if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES
    )


@lru_cache
def country_options(lang: str) -> tuple[tuple[str, str], ...]:
    """(code, name) pairs for a country selector in ``lang``: the Netherlands and Belgium first, then by name."""
    names = Locale.parse({"nl": "nl_NL", "en": "en_GB"}.get(lang, "nl_NL")).territories
    first = ("NL", "BE", "DE")
    rest = sorted((c for c in country_codes() if c not in first), key=lambda c: names.get(c, c).casefold())
    return tuple((c, names.get(c, c)) for c in (*first, *rest))


def employer_in_scope(principal: Principal | None, employer_id: object = None, perm: Perm | None = None) -> int:
    """The employer a page works on: ``employer_id`` (untrusted; must be in scope) or, when empty, the
    principal's own company (the first of a company group). Raises NoAccess otherwise."""
    p = require(principal, perm)
    if employer_id is not None and employer_id != "":
        return require_employer(p, employer_id, perm)
    if not p.employer_ids:
        raise NoAccess("out_of_scope")
    if len(p.employer_ids) > 1 and p.front_end != FrontEnd.EMPLOYER:
        raise NoAccess("employer_required")  # an adviser must say which employer they act for
    return min(p.employer_ids)


@dataclass(frozen=True)
class CompanyProfile:
    """My details, my company and my adviser, as shown on the company page."""

    employer_id: int
    my_name: str
    my_email: str
    my_username: str
    company_name: str
    kvk_number: str
    postal_street: str
    postal_house_number: str
    postal_code: str
    postal_city: str
    postal_country: str
    contact_name: str
    contact_email: str
    contact_phone: str
    adviser_name: str
    adviser_email: str
    adviser_phone: str
    can_edit_company: bool
    employers: tuple[tuple[int, str], ...]  # (id, name) of the companies in scope, for a selector
    my_notify_mail: bool = True  # DOC-4 / PLT-2: notification mails about new documents


def company_profile(db: Session, principal: Principal | None, employer_id: object = None) -> CompanyProfile:
    """The company page of the employer in scope (``employer_id`` untrusted; default: own company)."""
    p = require(principal, Perm.COMPANY_VIEW)
    eid = employer_in_scope(p, employer_id, Perm.COMPANY_VIEW)
    employer = db.get(Employer, eid)
    user = db.get(UserAccount, p.user_id)
    if employer is None or user is None:
        raise NoAccess("not_found")
    office = db.get(IntermediaryOffice, employer.office_id) if employer.office_id else None
    employers = tuple(
        (e.id or 0, e.name)
        for e in db.exec(select(Employer).where(col(Employer.id).in_(sorted(p.employer_ids))).order_by(Employer.name))
    )
    return CompanyProfile(
        employer_id=eid,
        my_name=user.display_name,
        my_email=user.email,
        my_username=user.username or "",
        company_name=employer.name,
        kvk_number=employer.kvk_number,
        postal_street=employer.postal_street,
        postal_house_number=employer.postal_house_number,
        postal_code=employer.postal_code,
        postal_city=employer.postal_city,
        postal_country=employer.postal_country,
        contact_name=employer.contact_name,
        contact_email=employer.contact_email,
        contact_phone=employer.contact_phone,
        adviser_name=office.name if office else "",
        adviser_email=office.email if office else "",
        adviser_phone=office.phone if office else "",
        can_edit_company=p.can(Perm.COMPANY_EDIT_CONTACT),
        employers=employers,
        my_notify_mail=user.notify_mail,
    )


def update_company_contact(
    db: Session, principal: Principal | None, fields: Mapping[str, object], employer_id: object = None
) -> bool:
    """Change the company's contact data — postal address and contact person (``CONTACT_FIELDS``) — and
    nothing else. Returns whether anything changed.

    ``fields`` maps field names to new values (untrusted, from an event handler). A principal without
    ``Perm.COMPANY_EDIT_CONTACT`` or outside the employer's scope gets NoAccess. Any other field (name, KvK
    number, adviser, group, ...) is refused as a whole: NoAccess("not_editable") with an audit entry in
    ``db`` (the caller commits it) and nothing changed. Bad values raise ``FieldErrors`` (every bad field)
    and change nothing.
    """
    p = require(principal, Perm.COMPANY_EDIT_CONTACT)
    eid = employer_in_scope(p, employer_id, Perm.COMPANY_EDIT_CONTACT)
    given = fields if isinstance(fields, Mapping) else {}
    others = sorted(str(name)[:40] for name in given if name not in CONTACT_FIELDS)
    if others:
        audit.record(
            db,
            "company.change_refused",
            actor=p,
            object_type="employer",
            object_id=eid,
            employer_id=eid,
            reason="not_editable",
            fields=others[:20],
        )
        raise NoAccess("not_editable")
    check = Checker()
    country = check.country("postal_country", given.get("postal_country"), country_codes())
    new = {
        "postal_street": check.text("postal_street", given.get("postal_street"), limit=100),
        "postal_house_number": check.text("postal_house_number", given.get("postal_house_number"), limit=20),
        "postal_code": check.postcode("postal_code", given.get("postal_code"), country) if country else "",
        "postal_city": check.text("postal_city", given.get("postal_city"), limit=80),
        "postal_country": country,
        "contact_name": check.text("contact_name", given.get("contact_name"), limit=100),
        "contact_email": check.email("contact_email", given.get("contact_email")),
        "contact_phone": check.phone("contact_phone", given.get("contact_phone")),
    }
    check.done()
    employer = db.get(Employer, eid)
    if employer is None:
        raise NoAccess("not_found")
    old = {name: getattr(employer, name) for name in CONTACT_FIELDS}
    changed = {name for name in CONTACT_FIELDS if old[name] != new[name]}
    if not changed:
        return False
    for name in changed:
        setattr(employer, name, new[name])
    employer.data_version += 1
    audit.record(
        db,
        "company.contact_changed",
        actor=p,
        object_type="employer",
        object_id=eid,
        employer_id=eid,
        old={k: old[k] for k in sorted(changed)},
        new={k: new[k] for k in sorted(changed)},
    )
    db.flush()
    return True


def update_my_details(
    db: Session, principal: Principal | None, display_name: object, email: object, ip: str = ""
) -> bool:
    """Change the signed-in user's own name and e-mail address. Returns whether anything changed.

    The old address is told about a change of address (so a hijacked session cannot move the account
    away silently). Bad input raises ``FieldErrors``; an address of another account is refused.
    """
    p = require(principal)
    check = Checker()
    name = check.text("display_name", display_name, limit=100)
    address = check.email("email", email)
    check.done()
    user = db.get(UserAccount, p.user_id)
    if user is None:
        raise NoAccess("not_signed_in")
    if address != user.email:
        taken = db.exec(
            select(UserAccount.id).where(
                UserAccount.email == address,
                col(UserAccount.status).in_(["invited", "active"]),
                UserAccount.id != user.id,
            )
        ).first()
        if taken is not None:
            check.fail("email", "email_taken")
            check.done()
    old = {"display_name": user.display_name, "email": user.email}
    new = {"display_name": name, "email": address}
    changed = sorted(k for k in old if old[k] != new[k])
    if not changed:
        return False
    if "email" in changed:  # the old address is told: no mail bombing by changing the address back and forth
        limit_mail(db, "email_changed", field="email", ip=ip, account=f"user:{user.id}", actor=p)
    user.display_name, user.email = name, address
    employer_id = min(p.employer_ids) if len(p.employer_ids) == 1 else None
    audit.record(
        db,
        "account.details_changed",
        actor=p,
        object_type="user_account",
        object_id=user.id,
        employer_id=employer_id,
        old={k: old[k] for k in changed},
        new={k: new[k] for k in changed},
    )
    db.flush()
    if "email" in changed:
        lang = user.language
        send_mail(
            old["email"],
            t("mail.email_changed.subject", lang),
            t("mail.email_changed.body", lang, name=name),
        )
    return True


def update_notify_mail(db: Session, principal: Principal | None, enabled: object) -> bool:
    """Turn the signed-in user's notification mails about new documents on or off (PLT-2). ``enabled`` is
    untrusted: only a real boolean is taken (FieldError otherwise). Returns whether anything changed."""
    p = require(principal)
    if not isinstance(enabled, bool):
        raise FieldError("notify_mail", "doc.notify_invalid")
    user = db.get(UserAccount, p.user_id)
    if user is None:
        raise NoAccess("not_signed_in")
    if user.notify_mail == enabled:
        return False
    user.notify_mail = enabled
    audit.record(
        db,
        "account.notify_mail_changed",
        actor=p,
        object_type="user_account",
        object_id=user.id,
        employer_id=min(p.employer_ids) if len(p.employer_ids) == 1 else None,
        old=not enabled,
        new=enabled,
    )
    db.flush()
    return True
