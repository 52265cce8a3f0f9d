"""The demo eID provider's configuration (``make run``): the stand-in for a national eID service that lets a
newcomer try "Sign in with eID" as the demo employee. Demo only: a published client secret, accounts chosen on
the provider's own page, loopback only."""

from __future__ import annotations

from sqlmodel import Session, select

from portal.models import Person, UserAccount

DEMO_CLIENT_ID = "portal-demo"
DEMO_CLIENT_SECRET = "demo-eid-not-secret"  # published on purpose: the demo provider runs on loopback only
DEMO_LABEL = "DEMO eID provider (a stand-in: not a real national eID)"
UNKNOWN_DEMO_BSN = "111222333"  # valid, and no demo person has it: shows the refusal page


def demo_provider_config(db: Session, port: int, base_url: str) -> dict:
    """The configuration for ``tests/oidc/provider.mjs``: the demo employee (their BSN and birth date from the
    database) and someone the portal does not know."""
    employee = db.exec(select(UserAccount).where(UserAccount.username == "employee")).first()
    person = db.get(Person, employee.person_id) if employee is not None and employee.person_id else None
    accounts = [{"id": "unknown-person", "name": "Someone unknown to the portal", "national_id": UNKNOWN_DEMO_BSN}]
    if person is not None:
        name = " ".join(p for p in (person.first_name, person.name_prefix, person.last_name) if p)
        demo = {"id": "demo-employee", "name": f"{name} (demo employee)", "national_id": person.bsn}
        accounts.insert(0, demo | {"birthdate": person.birth_date.isoformat()})
    return {
        "issuer": f"http://127.0.0.1:{port}",
        "port": port,
        "label": DEMO_LABEL,
        "clients": [
            {
                "client_id": DEMO_CLIENT_ID,
                "client_secret": DEMO_CLIENT_SECRET,
                "redirect_uris": [base_url.rstrip("/") + "/auth/eid/callback"],
            }
        ],
        "accounts": accounts,
    }
