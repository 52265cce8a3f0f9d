"""The payroll API's request and answer bodies (API-1) as pydantic models: unknown fields refused, no type
coercion (a number where a string is asked is refused), dates ISO, amounts as decimal strings (salary at
most two decimals, part-time at most three). The rules on the values themselves (BSN eleven-test, date
windows, ranges, review) are the portal's own, applied by the services; the OpenAPI components are these
models' JSON schemas."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Amount = Annotated[str, StringConstraints(pattern=r"^[0-9]{1,7}(\.[0-9]{1,2})?$")]
Percentage = Annotated[str, StringConstraints(pattern=r"^[0-9]{1,3}(\.[0-9]{1,3})?$")]
Text = Annotated[str, StringConstraints(max_length=200)]
Acknowledged = Annotated[list[Annotated[str, StringConstraints(max_length=64)]], Field(max_length=20)]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class NewParticipant(_Body):
    """A new participant (the portal's new-participant wizard)."""

    scheme_id: int = Field(ge=1, le=2**31 - 1, description="The scheme to register in (and its contract's others).")
    bsn: Annotated[str, StringConstraints(max_length=20)] = Field(description="Dutch national id (eleven-test).")
    last_name: Text
    birth_date: date
    start_date: date = Field(description="Date in service, at most three months ahead (MUT-1).")
    salary: Amount = Field(description="Full-time annual salary in euro, e.g. 42000.00.")
    parttime: Percentage = Field(description="Part-time percentage 0-100, e.g. 80.000.")
    initials: Text = ""
    first_name: Text = ""
    name_prefix: Text = ""
    gender: Annotated[str, StringConstraints(max_length=1)] = Field("", description="M, F, X or U.")
    nationality: Annotated[str, StringConstraints(max_length=2)] = "NL"
    street: Text = ""
    house_number: Text = ""
    postcode: Text = ""
    city: Text = ""
    country: Annotated[str, StringConstraints(max_length=2)] = "NL"
    foreign_address: Text = ""
    business_email: Text = ""
    private_email: Text = ""
    language: Literal["nl", "en"] = "nl"
    takes_over_previous_contract: bool = False
    acknowledge: Acknowledged = Field(default_factory=list, description="Plausibility warnings acknowledged (MUT-5).")


class SalaryParttimeChange(_Body):
    """A salary and/or part-time change (at least one of the two)."""

    effective_date: date = Field(description="At most three months ahead; far back needs review (MUT-1, MUT-6).")
    salary: Amount | None = None
    parttime: Percentage | None = None
    acknowledge: Acknowledged = Field(default_factory=list)


class Exit(_Body):
    """An exit: the last day in service."""

    exit_date: date
    acknowledge: Acknowledged = Field(default_factory=list)


class ListQuery(BaseModel):
    """The query of the participant list (strings from the URL, parsed)."""

    model_config = ConfigDict(extra="forbid")
    as_of: date | None = None
    page: int = Field(1, ge=1, le=1_000_000)
    page_size: int = Field(25, ge=1, le=100)
    scheme_id: int | None = Field(None, ge=1, le=2**31 - 1)


class MutationAnswer(BaseModel):
    """A submitted mutation: ``processed`` (applied) or ``needs_review`` (MUT-6, applied once approved)."""

    mutation_id: int
    kind: str
    status: Literal["processed", "needs_review"]
    participant_number: str | None
    effective_date: date
    warnings: list[str]


class ParticipantItem(BaseModel):
    participant_number: str
    name: str
    date_in_service: date
    salary: str | None
    parttime: str | None
    status: str


class ParticipantList(BaseModel):
    """One page of the participant list of a scheme as of a date."""

    as_of: date
    scheme_id: int
    page: int
    page_size: int
    total: int
    pages: int
    items: list[ParticipantItem]


class ProblemError(BaseModel):
    """One broken rule: the field, the rule's key, a message (English) and the rule's parameters (for
    ``warnings_unacknowledged``: ``keys``, the warnings to acknowledge)."""

    field: str
    rule: str
    message: str
    params: dict[str, Any] = Field(default_factory=dict)


class Problem(BaseModel):
    """RFC 9457 problem details, with the fields and rules that failed."""

    type: str
    title: str
    status: int
    detail: str = ""
    errors: list[ProblemError] = Field(default_factory=list)
