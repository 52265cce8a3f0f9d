"""One way to say "acting on behalf of" (INT-2): an adviser's changes name the office, the audit names the employer."""

from __future__ import annotations

from portal.domain.roles import FrontEnd, Role
from portal.services.principal import Acting, Principal, acting


def _principal(front_end: FrontEnd, role: Role, office_id: int | None = None) -> Principal:
    return Principal(1, "u", "U", front_end, frozenset({role.value}), frozenset({7}), office_id=office_id)


def test_an_adviser_acts_for_the_employer_in_both_formats() -> None:
    behalf = acting(_principal(FrontEnd.INTERMEDIARY, Role.ADVISER, office_id=3), 7)
    assert behalf == Acting("office:3", "employer:7") and bool(behalf)


def test_the_employers_own_user_acts_for_no_one() -> None:
    behalf = acting(_principal(FrontEnd.EMPLOYER, Role.HR), 7)
    assert behalf == Acting("", "") and not behalf


def test_a_job_reads_the_acting_of_a_stored_change_back() -> None:
    assert Acting.recorded("office:3", 7) == Acting("office:3", "employer:7")
    assert Acting.recorded("", 7) == Acting()
