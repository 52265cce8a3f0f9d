"""Employee context (EE-1, EE-7): what an employee sees of their own participations, at every employer where
they have a record (``principal.own_person_ids``), also after leaving. Callers use ``employee.<function>``."""

from __future__ import annotations

from portal.services.employee.contracts import MyContract, MyContracts, my_contracts

__all__ = ["MyContract", "MyContracts", "my_contracts"]
