"""Service & contact for employers (EMP-1, INT-3): whom to contact (the adviser's office, the insurers of the
employer's contracts) and "Have a good idea?", whose message reaches the office as a task. Callers use
``contact.<function>``."""

from __future__ import annotations

from portal.services.contact.service import Contact, ServiceContacts, service_contacts, submit_idea

__all__ = ["Contact", "ServiceContacts", "service_contacts", "submit_idea"]
