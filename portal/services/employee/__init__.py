"""Employee context (EE-1, EE-6, EE-7): what an employee sees of their own participations, at every employer where
they have a record (``principal.own_person_ids``), also after leaving, and the calculators on them. Callers use
``employee.<function>``."""

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

__all__ = [
    "CalcParticipation",
    "CalculatorStart",
    "MyContract",
    "MyContracts",
    "calc_participation",
    "calculator_start",
    "deferred_compensation",
    "my_contracts",
    "savings_projection",
]
