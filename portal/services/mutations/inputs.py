"""What the mutation wizards send and get back: the fields of a partner/child and of a new participant, and
the preview of a change (old and new values, warnings, whether it needs review)."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date

from portal.domain.plausibility import Warning

RELATION_FIELDS = (
    "kind",
    "bsn",
    "initials",
    "first_name",
    "name_prefix",
    "last_name",
    "birth_date",
    "gender",
    "partner_type",
    "start_date",
)


@dataclass(frozen=True)
class NewParticipantInput:
    """What a new-participant request carries (untrusted values; the rules parse and check them)."""

    bsn: object
    last_name: object
    birth_date: object
    start_date: object
    salary: object
    parttime: object
    initials: object = ""
    first_name: object = ""
    name_prefix: object = ""
    gender: object = ""
    nationality: object = "NL"
    street: object = ""
    house_number: object = ""
    postcode: object = ""
    city: object = ""
    country: object = "NL"
    foreign_address: object = ""
    business_email: object = ""
    private_email: object = ""
    language: object = "nl"
    takes_over_previous_contract: object = False


NEW_PARTICIPANT_FIELDS = tuple(f.name for f in fields(NewParticipantInput))


@dataclass(frozen=True)
class Preview:
    """What a change would do, for the wizard's summary: old and new values side by side (strings: ISO
    dates, plain decimals), the warnings to acknowledge, and whether it will need review (and why:
    ``retroactive``, ``plausibility``)."""

    kind: str
    participation_id: int | None
    effective_date: date
    old_values: dict[str, str]
    new_values: dict[str, str]
    warnings: list[Warning] = field(default_factory=list)
    needs_review: bool = False
    review_reasons: list[str] = field(default_factory=list)

    @property
    def warning_keys(self) -> list[str]:
        """The keys to acknowledge (pass them as ``acknowledged`` when submitting)."""
        return [w.key for w in self.warnings]
