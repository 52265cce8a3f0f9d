"""Coupling rules (INT-4, API-2): where a coupling to an insurer is on (the most specific setting wins), what must be
in place before it may be switched on (the readiness check, after the a.s.r. coupling's "werkwijze"), which
processed mutations a coupling carries and which become a task for the adviser, and the message a carried mutation
becomes. Pure: the caller passes plain values."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from portal.domain.errors import RuleError
from portal.domain.tasks import InsurerData, missing_for_insurer

# ------------------------------------------------------------------------------------------------ scopes
PORTFOLIO, GROUP, SCHEME, NONE = "portfolio", "group", "scheme", "none"
ASR = "asr"  # a.s.r.'s insurer code (portal.demo.basics): its scheme number is the contract number's last two digits


def scope_of(kind: str, ident: int | None = None) -> str:
    """The stored scope text: ``portfolio``, ``group:<id>`` or ``scheme:<id>``."""
    if kind == PORTFOLIO:
        return PORTFOLIO
    if kind in (GROUP, SCHEME) and isinstance(ident, int) and not isinstance(ident, bool) and ident > 0:
        return f"{kind}:{ident}"
    raise RuleError("scope", "coupling_scope_invalid")


def parse_scope(text: object) -> tuple[str, int | None]:
    """(kind, id) of a scope text from untrusted input; RuleError for anything else."""
    if text == PORTFOLIO:
        return PORTFOLIO, None
    if isinstance(text, str) and ":" in text:
        kind, _, raw = text.partition(":")
        if kind in (GROUP, SCHEME) and raw.isascii() and raw.isdigit() and 0 < len(raw) <= 10:
            return kind, int(raw)
    raise RuleError("scope", "coupling_scope_invalid")


@dataclass(frozen=True)
class Effective:
    """Whether the coupling is on for a scheme, and the setting it comes from (``source``: scheme, group,
    portfolio or none when nothing is set)."""

    enabled: bool
    source: str
    scope: str = ""


def effective(settings: Mapping[str, bool], group_id: int | None, scheme_id: int) -> Effective:
    """The setting that holds for scheme ``scheme_id`` of an employer in group ``group_id`` (None: no group), given
    an office's settings for one insurer (scope text → enabled): the scheme's own setting, else its group's, else
    the portfolio's; nothing set is off."""
    order = [(SCHEME, f"scheme:{scheme_id}")]
    if group_id is not None:
        order.append((GROUP, f"group:{group_id}"))
    order.append((PORTFOLIO, PORTFOLIO))
    for source, scope in order:
        if scope in settings:
            return Effective(bool(settings[scope]), source, scope)
    return Effective(False, NONE)


def effective_group(settings: Mapping[str, bool], group_id: int | None) -> Effective:
    """What holds for a group as a whole (its own setting, else the portfolio's)."""
    if group_id is not None and f"group:{group_id}" in settings:
        return Effective(bool(settings[f"group:{group_id}"]), GROUP, f"group:{group_id}")
    if PORTFOLIO in settings:
        return Effective(bool(settings[PORTFOLIO]), PORTFOLIO, PORTFOLIO)
    return Effective(False, NONE)


# --------------------------------------------------------------------------------------------- readiness
@dataclass(frozen=True)
class SchemeData:
    """What the insurer needs of an employer and one of its schemes."""

    insurer_code: str
    kvk_number: str
    contract_number: str
    scheme_number: str
    scheme_kind: str
    auto_enrol: bool


def asr_scheme_number(contract_number: str) -> str:
    """a.s.r.: the scheme number is the last two digits of the contract number ('' when there are none)."""
    digits = contract_number.strip()
    return digits[-2:] if len(digits) >= 2 and digits[-2:].isdigit() else ""


def scheme_missing(data: SchemeData) -> list[str]:
    """What is missing for the employer and scheme: KvK number (8 digits), contract number, scheme number (for
    a.s.r.'s retirement scheme, OP, the last two digits of the contract number: another OP number is wrong; the
    partner-pension scheme under the same contract needs a number of its own, so there only a number is
    required), auto-enrolment of new employees ("aan bij WN")."""
    missing = []
    kvk = data.kvk_number.strip()
    if not (len(kvk) == 8 and kvk.isascii() and kvk.isdigit()):
        missing.append("kvk_number")
    if not data.contract_number.strip():
        missing.append("contract_number")
    number = data.scheme_number.strip()
    if not number:
        missing.append("scheme_number")
    elif data.insurer_code == ASR and data.scheme_kind == "OP" and number != asr_scheme_number(data.contract_number):
        missing.append("scheme_number_asr")
    if not data.auto_enrol:
        missing.append("auto_enrol")
    return missing


INSURER_ADDRESS = "insurer_address"  # no address (base URL) is configured to send the insurer's messages to


def insurer_missing(has_address: bool) -> list[str]:
    """What is missing of the insurer itself: an address to deliver to (without one, its messages would only
    wait in the outbox)."""
    return [] if has_address else [INSURER_ADDRESS]


@dataclass(frozen=True)
class ParticipantData:
    """What the insurer needs of one participant: the individual policy number and the person's data."""

    policy_number: str
    person: InsurerData


def participant_missing(data: ParticipantData) -> list[str]:
    """What is missing for one participant: the individual policy number, nationality, a communication e-mail,
    the country of an address abroad, the start date of a partner relation."""
    missing = [] if data.policy_number.strip() else ["policy_number"]
    return missing + missing_for_insurer(data.person)


# -------------------------------------------------------------------------------- carried or a task
HIRE, EXIT, SALARY, PARTTIME, SALARY_PARTTIME, RETRO, DEFERRAL = (
    "hire",
    "exit",
    "salary",
    "parttime",
    "salary_parttime",
    "retro_after_exit",
    "deferred_compensation",
)
CARRIED_KINDS: tuple[str, ...] = (HIRE, EXIT, SALARY, PARTTIME, SALARY_PARTTIME, RETRO, DEFERRAL)
# Mutation kinds the coupling does not carry: handled in the insurer's own portal, so a task for the adviser
# (a.s.r. takes addresses and civil status from the BRP; partner, cohabitation and partner-pension participation
# always through the portal). A signed decision to join or not join (``join_decision``, DOC-5) is one too: it is
# the employer's record of the employee's choice (smart!bAV: "Dokumentation der Entscheidung der Arbeitnehmer,
# ja/nein"), the enrolment itself reaches the insurer as a hire, and participation in a cover goes "altijd via
# portaal" (the a.s.r. coupling's "ANW / NP deelname"); so the adviser passes it on by hand.
TASK_KINDS = frozenset({"address", "civil_status", "partner", "child", "partner_pension", "join_decision"})


def outbox_kind(mutation_kind: str, values: Mapping[str, Any], exited: bool) -> str | None:
    """The message kind of a processed mutation the coupling carries, or None: a new participant is a hire, an
    exit an exit; a salary and/or part-time change is ``salary``, ``parttime`` or ``salary_parttime``, and once
    the participant has left (``exited``) ``retro_after_exit`` (a retroactive change after the exit); a signed
    deferred-compensation agreement (DOC-5) is ``deferred_compensation``."""
    if mutation_kind == "new_participant":
        return HIRE
    if mutation_kind == "exit":
        return EXIT
    if mutation_kind == "salary_parttime":
        salary, parttime = "salary" in values, "parttime" in values
        if not (salary or parttime):
            return None
        if exited:
            return RETRO
        return SALARY_PARTTIME if salary and parttime else SALARY if salary else PARTTIME
    if mutation_kind == DEFERRAL:  # a signed deferred-compensation agreement changes the contribution
        return DEFERRAL if "deferral_amount" in values else None
    return None


def message_values(kind: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """The values a message of ``kind`` carries: the mutation's, except for a deferral, whose message names the
    amount per month as a decimal string with two decimals (``deferral_amount``) and the first month it is
    deducted (``deferral_start``, ISO date)."""
    if kind != DEFERRAL:
        return dict(values)
    return {
        "deferral_amount": f"{Decimal(str(values['deferral_amount'])):.2f}",
        "deferral_start": str(values.get("deferral_start") or ""),
    }


def becomes_task(mutation_kind: str) -> bool:
    """Whether a processed mutation of a coupled scheme is for the adviser to pass on by hand."""
    return mutation_kind in TASK_KINDS


def idempotency_key(mutation_id: int) -> str:
    """The message's idempotency key: one message per mutation (a collective batch writes one mutation per
    participant change), so the same mutation never makes two messages."""
    return f"mutation:{mutation_id}"


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal | date):
        return str(value) if isinstance(value, Decimal) else value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def payload(
    kind: str,
    effective_date: date,
    values: Mapping[str, Any],
    previous: Mapping[str, Any] | None = None,
    refs: Mapping[str, Any] | None = None,
) -> str:
    """The message of a carried mutation as JSON text: kind, effective date, the new values and the previous
    ones, and the references the insurer knows the participant by (contract, scheme, policy number, ...);
    Decimals and dates as strings."""
    body = {
        "kind": kind,
        "effective_date": effective_date.isoformat(),
        "values": _plain(message_values(kind, values)),
        "previous": _plain(dict(previous or {})),
        **_plain(dict(refs or {})),
    }
    return json.dumps(body, ensure_ascii=False, sort_keys=True)
