"""Employee context (EE-1, EE-4, EE-6, EE-7): what an employee sees of their own participations, at every employer
where they have a record (``principal.own_person_ids``), also after leaving, the calculators on them, and their
profile. Callers use ``employee.<function>``; their own statements are in ``documents.own`` (DOC-3)."""

from __future__ import annotations

from portal.services.employee.calculators import (
    CalcParticipation,
    CalculatorStart,
    calc_participation,
    calculator_start,
    deferred_compensation,
    savings_projection,
)
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
    "CalcParticipation",
    "CalculatorStart",
    "EmployerContact",
    "MyContract",
    "MyContracts",
    "Profile",
    "calc_participation",
    "calculator_start",
    "confirm_private_email",
    "deferred_compensation",
    "my_contracts",
    "my_profile",
    "needs_private_email_step",
    "remove_private_email",
    "request_private_email",
    "savings_projection",
    "set_notify",
    "set_statement_language",
    "skip_private_email_step",
]
