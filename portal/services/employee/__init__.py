"""Employee context (EE-1, EE-4, EE-7): what an employee sees of their own participations, at every employer where
they have a record (``principal.own_person_ids``), also after leaving, and their profile. Callers use
``employee.<function>``; their own statements are in ``documents.own`` (DOC-3)."""

from __future__ import annotations

from portal.services.employee.contracts import MyContract, MyContracts, my_contracts
from portal.services.employee.profile import (
    EmployerContact,
    Profile,
    confirm_private_email,
    my_profile,
    needs_private_email_step,
    remove_private_email,
    request_private_email,
    set_notify,
    set_statement_language,
    skip_private_email_step,
)

__all__ = [
    "EmployerContact",
    "MyContract",
    "MyContracts",
    "Profile",
    "confirm_private_email",
    "my_contracts",
    "my_profile",
    "needs_private_email_step",
    "remove_private_email",
    "request_private_email",
    "set_notify",
    "set_statement_language",
    "skip_private_email_step",
]
