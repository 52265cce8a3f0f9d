"""Forms the employee signs (DOC-5, EE-5): the kinds with their fields (labels in Dutch and English), the rules
their values follow, whether a kind needs the employer's countersignature, and the status machine of a form.

Pure: money is Decimal, dates are dates; the scheme's limits and "today" are passed in. A broken rule is a
``RuleError`` at the field (or at ``form`` for the status machine), with a message key of ``form_messages``.

Statuses: prepared → waiting_for_employee → (waiting_for_countersignature →) completed; declined and expired
end a form early. Only a form that waits for the employee expires (``expires_at``, a configurable number of days
after it was sent): once the employee signed, the employer's countersignature does not run out.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from portal.domain.errors import RuleError


class FormKind(StrEnum):
    DEFERRED_COMPENSATION = "deferred_compensation"
    BENEFICIARY = "beneficiary"
    JOIN_DECISION = "join_decision"
    EXIT = "exit"


class FormStatus(StrEnum):
    PREPARED = "prepared"
    WAITING_FOR_EMPLOYEE = "waiting_for_employee"
    WAITING_FOR_COUNTERSIGNATURE = "waiting_for_countersignature"
    COMPLETED = "completed"
    DECLINED = "declined"
    EXPIRED = "expired"


class Action(StrEnum):
    SEND = "send"  # the employee is told: the form waits for them
    FILL = "fill"  # the employee enters their part (before signing only)
    SIGN = "sign"  # the employee signs
    COUNTERSIGN = "countersign"  # the employer (or adviser acting for it) signs too
    DECLINE = "decline"
    EXPIRE = "expire"


class FieldType(StrEnum):
    MONEY = "money"
    DATE = "date"
    TEXT = "text"
    CHOICE = "choice"
    PERSONS = "persons"


class FilledBy(StrEnum):
    PREPARER = "preparer"  # the employer (or adviser) when preparing; the exit form's data from the exit
    EMPLOYEE = "employee"  # the employee before signing (a value the preparer gave is a proposal)


@dataclass(frozen=True)
class FieldSpec:
    name: str
    type: FieldType
    label: Mapping[str, str]  # language → label
    filled_by: FilledBy
    required: bool = True
    choices: tuple[str, ...] = ()
    max_length: int = 0  # TEXT only
    proposable: bool = False  # an employee's field the preparer may propose a value for (the employee may change it)


@dataclass(frozen=True)
class KindSpec:
    kind: FormKind
    title: Mapping[str, str]
    intro: Mapping[str, str]
    fields: tuple[FieldSpec, ...]
    needs_countersignature: bool

    def field(self, name: str) -> FieldSpec:
        for spec in self.fields:
            if spec.name == name:
                return spec
        raise KeyError(name)


def _l(nl: str, en: str) -> dict[str, str]:
    return {"nl": nl, "en": en}


EXIT_OPTIONS = ("keep_dormant", "value_transfer", "continue_voluntarily")
RELATIONS = ("partner", "child", "other")
MAX_PERSONS = 10
MAX_TEXT = 2000
MAX_NAME = 120
EARLIEST_BIRTH = date(1900, 1, 1)
# A deferral starts on the first of a month, from the current month up to MAX_MONTHS_AHEAD months ahead. The seeds
# set no start rule of their own: smart!bAV only describes the agreement ("Erstellung einer Online-Formular-basierten
# Entgeltumwandlungsvereinbarung, mit digitaler Unterschrift des Arbeitnehmers sowie nachfolgender elektronischer
# Gegenzeichnung durch den Arbeitgeber") and that payroll is told of the change ("Aktive nachrichtliche Information
# des Arbeitgebers über bAV-spezifische Veränderung der Lohn-/Gehaltsdaten (Entgeltumwandlung, ...)"), which is
# monthly, hence the first of a month; SPEC DOC-5/EE-5 say nothing about the start either. The one window in the
# seeds, Allianz's "een nieuwe deelnemer aanmelden met een ingangsdatum tot drie maanden in de toekomst", is for
# enrolling a participant, not for a deferral; the rule's own choices (not before the current month, at most 12
# months ahead: within the yearly limits known, this year's and next) stay.
MAX_MONTHS_AHEAD = 12  # a deferral starts at most this many months after the current month

KINDS: dict[FormKind, KindSpec] = {
    FormKind.DEFERRED_COMPENSATION: KindSpec(
        FormKind.DEFERRED_COMPENSATION,
        _l("Overeenkomst salarisuitruil (bruto-nettoregeling)", "Deferred-compensation agreement"),
        _l(
            "U ruilt elke maand een deel van uw brutoloon in voor een extra inleg in uw pensioenregeling.",
            "Each month you exchange part of your gross pay for an extra contribution to your pension scheme.",
        ),
        (
            FieldSpec(
                "amount",
                FieldType.MONEY,
                _l("Bedrag per maand", "Amount per month"),
                FilledBy.EMPLOYEE,
                proposable=True,
            ),
            FieldSpec(
                "start_date", FieldType.DATE, _l("Ingangsdatum", "Start date"), FilledBy.EMPLOYEE, proposable=True
            ),
        ),
        needs_countersignature=True,
    ),
    FormKind.BENEFICIARY: KindSpec(
        FormKind.BENEFICIARY,
        _l("Begunstigingsverklaring", "Beneficiary statement"),
        _l(
            "Wie ontvangt het partner- of wezenkapitaal als u overlijdt?",
            "Who receives the partner or orphan capital if you die?",
        ),
        (
            FieldSpec("persons", FieldType.PERSONS, _l("Begunstigden", "Beneficiaries"), FilledBy.EMPLOYEE),
            FieldSpec(
                "remarks",
                FieldType.TEXT,
                _l("Toelichting", "Remarks"),
                FilledBy.EMPLOYEE,
                required=False,
                max_length=MAX_TEXT,
            ),
        ),
        needs_countersignature=False,
    ),
    FormKind.JOIN_DECISION: KindSpec(
        FormKind.JOIN_DECISION,
        _l("Keuze deelname pensioenregeling", "Decision to join the pension scheme"),
        _l(
            "U kiest of u deelneemt aan de regeling. De informatie die u daarbij is getoond staat op dit formulier.",
            "You decide whether to join the scheme. The information shown to you is recorded on this form.",
        ),
        (
            FieldSpec(
                "information_shown",
                FieldType.TEXT,
                _l("Getoonde informatie", "Information shown"),
                FilledBy.PREPARER,
                max_length=MAX_TEXT,
            ),
            FieldSpec(
                "decision", FieldType.CHOICE, _l("Uw keuze", "Your decision"), FilledBy.EMPLOYEE, choices=("yes", "no")
            ),
        ),
        needs_countersignature=False,
    ),
    FormKind.EXIT: KindSpec(
        FormKind.EXIT,
        _l("Uitdienstformulier", "Exit form"),
        _l(
            "U gaat uit dienst. Hieronder staan uw gegevens en opgebouwde rechten; kies wat u ermee wilt doen.",
            "You are leaving. Below are your details and accrued rights; choose what you want to do with them.",
        ),
        (
            FieldSpec("exit_date", FieldType.DATE, _l("Datum uit dienst", "Exit date"), FilledBy.PREPARER),
            FieldSpec(
                "dormant_rights",
                FieldType.MONEY,
                _l("Premievrije rechten op de uitdienstdatum", "Dormant rights as of the exit date"),
                FilledBy.PREPARER,
                required=False,  # the portal holds no reserves: the insurer's figure when the preparer has it
            ),
            FieldSpec(
                "option",
                FieldType.CHOICE,
                _l("Uw keuze", "Your choice"),
                FilledBy.EMPLOYEE,
                choices=EXIT_OPTIONS,
            ),
        ),
        needs_countersignature=False,
    ),
}

CHOICE_LABELS: dict[str, dict[str, str]] = {
    "yes": _l("Ja, ik neem deel", "Yes, I join"),
    "no": _l("Nee, ik neem niet deel", "No, I do not join"),
    "keep_dormant": _l("Premievrij laten staan", "Keep as dormant rights"),
    "value_transfer": _l("Waardeoverdracht naar nieuwe werkgever", "Transfer the value to a new employer"),
    "continue_voluntarily": _l("Vrijwillig voortzetten", "Continue voluntarily"),
    "partner": _l("Partner", "Partner"),
    "child": _l("Kind", "Child"),
    "other": _l("Anders", "Other"),
}

STATUS_LABELS: dict[FormStatus, dict[str, str]] = {
    FormStatus.PREPARED: _l("Voorbereid", "Prepared"),
    FormStatus.WAITING_FOR_EMPLOYEE: _l("Wacht op medewerker", "Waiting for employee"),
    FormStatus.WAITING_FOR_COUNTERSIGNATURE: _l("Wacht op medeondertekening", "Waiting for countersignature"),
    FormStatus.COMPLETED: _l("Afgerond", "Completed"),
    FormStatus.DECLINED: _l("Afgewezen", "Declined"),
    FormStatus.EXPIRED: _l("Verlopen", "Expired"),
}

STATUS_COLOURS: dict[FormStatus, str] = {
    FormStatus.PREPARED: "gray",
    FormStatus.WAITING_FOR_EMPLOYEE: "amber",
    FormStatus.WAITING_FOR_COUNTERSIGNATURE: "blue",
    FormStatus.COMPLETED: "green",
    FormStatus.DECLINED: "red",
    FormStatus.EXPIRED: "gray",
}


def kind_of(raw: object) -> KindSpec:
    """The spec of a form kind from untrusted input; RuleError at ``kind`` for anything else."""
    try:
        return KINDS[FormKind(str(raw))]
    except ValueError:
        raise RuleError("kind", "forms.unknown_kind") from None


def needs_countersignature(kind: FormKind | str) -> bool:
    return kind_of(kind).needs_countersignature


# ---------------------------------------------------------------------------------------------- values
@dataclass(frozen=True)
class DeferralLimits:
    """The scheme's limits of a year for deferred compensation: at most ``yearly_limit`` in the year
    (12 × the monthly amount), at least ``min_monthly`` a month."""

    year: int
    yearly_limit: Decimal
    min_monthly: Decimal = Decimal("0.01")


@dataclass(frozen=True)
class Context:
    """What the rules need beside the values: today, and the deferral limits of the start year (None when the
    scheme has none for that year)."""

    today: date
    limits: Mapping[int, DeferralLimits] = field(default_factory=dict)

    def limits_of(self, year: int) -> DeferralLimits | None:
        return self.limits.get(year)


_MONEY = re.compile(r"^\d{1,9}([.,]\d{1,2})?$")


def parse_money(field: str, raw: object) -> Decimal:
    """A euro amount with at most two decimals (a Decimal, or text with a point or comma); RuleError else."""
    if isinstance(raw, Decimal):
        text = format(raw, "f")
    elif isinstance(raw, int) and not isinstance(raw, bool):
        text = str(raw)
    elif isinstance(raw, str):
        text = raw.strip().replace("€", "").strip()
    else:
        raise RuleError(field, "forms.amount_invalid")
    if not _MONEY.match(text):
        raise RuleError(field, "forms.amount_invalid")
    try:
        return Decimal(text.replace(",", ".")).quantize(Decimal("0.01"))
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        raise RuleError(field, "forms.amount_invalid") from None


def parse_date(field: str, raw: object) -> date:
    """A date, or its ISO text (YYYY-MM-DD); RuleError else."""
    if isinstance(raw, datetime):
        raise RuleError(field, "forms.date_invalid")
    if isinstance(raw, date):
        return raw
    if isinstance(raw, str):
        try:
            return date.fromisoformat(raw.strip())
        except ValueError:
            pass
    raise RuleError(field, "forms.date_invalid")


def _months_between(a: date, b: date) -> int:
    return (b.year - a.year) * 12 + (b.month - a.month)


def check_deferral(amount: Decimal, start: date, ctx: Context) -> None:
    """A deferral: the start on the first of a month, not before the current month and at most
    ``MAX_MONTHS_AHEAD`` months ahead; the amount at least the minimum and 12 × amount within the start year's
    limit (a year without limits: refused)."""
    if start.day != 1:
        raise RuleError("start_date", "forms.start_not_first")
    months = _months_between(ctx.today.replace(day=1), start)
    if months < 0:
        raise RuleError("start_date", "forms.start_in_past")
    if months > MAX_MONTHS_AHEAD:
        raise RuleError("start_date", "forms.start_too_far", {"months": MAX_MONTHS_AHEAD})
    limits = ctx.limits_of(start.year)
    if limits is None:
        raise RuleError("amount", "forms.no_limits", {"year": start.year})
    if amount < limits.min_monthly:
        raise RuleError("amount", "forms.amount_below_minimum", {"minimum": limits.min_monthly})
    if amount * 12 > limits.yearly_limit:
        raise RuleError("amount", "forms.amount_above_limit", {"limit": limits.yearly_limit, "year": limits.year})


def _text(spec: FieldSpec, raw: object) -> str:
    if raw is None:
        raw = ""
    if not isinstance(raw, str):
        raise RuleError(spec.name, "forms.text_invalid")
    text = raw.strip()
    if spec.max_length and len(text) > spec.max_length:
        raise RuleError(spec.name, "forms.text_too_long", {"max": spec.max_length})
    return text


def _persons(spec: FieldSpec, raw: object, today: date) -> list[dict[str, Any]]:
    if not isinstance(raw, list | tuple):
        raise RuleError(spec.name, "forms.persons_invalid")
    if len(raw) > MAX_PERSONS:
        raise RuleError(spec.name, "forms.too_many_persons", {"max": MAX_PERSONS})
    clean: list[dict[str, Any]] = []
    for i, item in enumerate(raw):
        where = f"{spec.name}.{i}"
        if not isinstance(item, Mapping):
            raise RuleError(where, "forms.persons_invalid")
        name = item.get("name")
        if not isinstance(name, str) or not name.strip():
            raise RuleError(f"{where}.name", "forms.person_name_missing")
        if len(name.strip()) > MAX_NAME:
            raise RuleError(f"{where}.name", "forms.text_too_long", {"max": MAX_NAME})
        born = parse_date(f"{where}.birth_date", item.get("birth_date"))
        if born > today or born < EARLIEST_BIRTH:
            raise RuleError(f"{where}.birth_date", "forms.birth_date_out_of_range")
        relation = item.get("relation", "other")
        if relation not in RELATIONS:
            raise RuleError(f"{where}.relation", "forms.choice_invalid")
        clean.append({"name": name.strip(), "birth_date": born, "relation": relation})
    return clean


def _value(spec: FieldSpec, raw: object, ctx: Context) -> Any:
    if spec.type is FieldType.MONEY:
        value = parse_money(spec.name, raw)
        if value < 0:  # pragma: no cover - the pattern admits no sign
            raise RuleError(spec.name, "forms.amount_invalid")
        return value
    if spec.type is FieldType.DATE:
        return parse_date(spec.name, raw)
    if spec.type is FieldType.CHOICE:
        if raw not in spec.choices:
            raise RuleError(spec.name, "forms.choice_invalid")
        return raw
    if spec.type is FieldType.PERSONS:
        return _persons(spec, raw, ctx.today)
    return _text(spec, raw)


def _is_empty(raw: object) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip()) or (isinstance(raw, list | tuple) and not raw)


def preparer_fields(kind: FormKind | str) -> tuple[str, ...]:
    """The fields the preparer fills in when preparing ``kind``: its own, and the employee's fields it may propose
    a value for. The employee's choices, persons and remarks are theirs alone."""
    return tuple(f.name for f in kind_of(kind).fields if f.filled_by is FilledBy.PREPARER or f.proposable)


def clean_values(
    kind: FormKind | str,
    values: Mapping[str, object],
    ctx: Context,
    *,
    by: FilledBy | None = None,
    complete: bool = False,
) -> dict[str, Any]:
    """The kind's values from untrusted input, each checked by its rule: unknown names are refused, and with
    ``by`` only the fields that party fills (the preparer may propose the employee's values; the employee
    may not change the preparer's). ``complete``: every required field must have a value (before signing).
    A deferral's amount and start date are checked together (the limits are the start year's)."""
    spec = kind_of(kind)
    names = {f.name for f in spec.fields}
    for name in values:
        if name not in names:
            raise RuleError(str(name), "forms.unknown_field")
    clean: dict[str, Any] = {}
    for spec_field in spec.fields:
        raw = values.get(spec_field.name)
        if by is FilledBy.EMPLOYEE and spec_field.filled_by is FilledBy.PREPARER and spec_field.name in values:
            raise RuleError(spec_field.name, "forms.not_yours")
        if by is FilledBy.PREPARER and spec_field.name not in preparer_fields(spec.kind) and spec_field.name in values:
            raise RuleError(spec_field.name, "forms.employees_own")  # e.g. the employee's join decision
        if _is_empty(raw):
            if complete and spec_field.required:
                raise RuleError(spec_field.name, "forms.required")
            continue
        clean[spec_field.name] = _value(spec_field, raw, ctx)
    if spec.kind is FormKind.DEFERRED_COMPENSATION and {"amount", "start_date"} <= clean.keys():
        check_deferral(clean["amount"], clean["start_date"], ctx)
    return clean


def merge(stored: Mapping[str, Any], update: Mapping[str, Any]) -> dict[str, Any]:
    """The stored values with ``update`` laid over them."""
    return {**stored, **update}


def exit_values(exit_date: date, dormant_rights: Decimal | None = None) -> dict[str, Any]:
    """The exit form's pre-filled values from an exit: the date and, when known, the dormant rights as of that
    date."""
    values: dict[str, Any] = {"exit_date": exit_date}
    if dormant_rights is not None:
        values["dormant_rights"] = dormant_rights.quantize(Decimal("0.01"))
    return values


def to_json(values: Mapping[str, Any]) -> str:
    """Values as stored (Decimal as text, dates as ISO text)."""

    def plain(v: Any) -> Any:
        if isinstance(v, Decimal):
            return format(v, "f")
        if isinstance(v, date):
            return v.isoformat()
        if isinstance(v, Mapping):
            return {k: plain(x) for k, x in v.items()}
        if isinstance(v, list | tuple):
            return [plain(x) for x in v]
        return v

    return json.dumps({k: plain(v) for k, v in values.items()}, ensure_ascii=False, sort_keys=True)


def from_json(kind: FormKind | str, text: str) -> dict[str, Any]:
    """Stored values back as Decimal and dates (by the kind's field types)."""
    spec = kind_of(kind)
    raw = json.loads(text or "{}")
    out: dict[str, Any] = {}
    for spec_field in spec.fields:
        if spec_field.name not in raw:
            continue
        v = raw[spec_field.name]
        if spec_field.type is FieldType.MONEY:
            v = Decimal(v)
        elif spec_field.type is FieldType.DATE:
            v = date.fromisoformat(v)
        elif spec_field.type is FieldType.PERSONS:
            v = [{**p, "birth_date": date.fromisoformat(p["birth_date"])} for p in v]
        out[spec_field.name] = v
    return out


# ---------------------------------------------------------------------------------------------- statuses
OPEN = frozenset({FormStatus.PREPARED, FormStatus.WAITING_FOR_EMPLOYEE, FormStatus.WAITING_FOR_COUNTERSIGNATURE})
CLOSED = frozenset({FormStatus.COMPLETED, FormStatus.DECLINED, FormStatus.EXPIRED})
EXPIRING = frozenset({FormStatus.PREPARED, FormStatus.WAITING_FOR_EMPLOYEE})

_TRANSITIONS: dict[tuple[FormStatus, Action], FormStatus] = {
    (FormStatus.PREPARED, Action.SEND): FormStatus.WAITING_FOR_EMPLOYEE,
    (FormStatus.PREPARED, Action.DECLINE): FormStatus.DECLINED,
    (FormStatus.PREPARED, Action.EXPIRE): FormStatus.EXPIRED,
    (FormStatus.WAITING_FOR_EMPLOYEE, Action.FILL): FormStatus.WAITING_FOR_EMPLOYEE,
    (FormStatus.WAITING_FOR_EMPLOYEE, Action.DECLINE): FormStatus.DECLINED,
    (FormStatus.WAITING_FOR_EMPLOYEE, Action.EXPIRE): FormStatus.EXPIRED,
    (FormStatus.WAITING_FOR_COUNTERSIGNATURE, Action.COUNTERSIGN): FormStatus.COMPLETED,
    (FormStatus.WAITING_FOR_COUNTERSIGNATURE, Action.DECLINE): FormStatus.DECLINED,
}


def expires_at(sent_at: datetime, days: int) -> datetime:
    """When a form sent at ``sent_at`` expires (``days`` ≥ 1)."""
    if days < 1:
        raise ValueError(days)
    return sent_at + timedelta(days=days)


def is_expired(status: FormStatus | str, expires: datetime | None, now: datetime) -> bool:
    """Whether a form is (or has run) out: expired, or still waiting for the employee past ``expires``."""
    status = FormStatus(status)
    if status is FormStatus.EXPIRED:
        return True
    return status in EXPIRING and expires is not None and now >= expires


def next_status(
    kind: FormKind | str,
    status: FormStatus | str,
    action: Action,
    *,
    now: datetime,
    expires: datetime | None,
) -> FormStatus:
    """The status after ``action``, or RuleError at ``form`` with why not: signed twice, expired, closed, or
    not in this status. A form past its expiry refuses everything but being marked expired."""
    kind_spec = kind_of(kind)
    status = FormStatus(status)
    if action is not Action.EXPIRE and is_expired(status, expires, now):
        raise RuleError("form", "forms.expired")
    if action is Action.EXPIRE and status in EXPIRING and not is_expired(status, expires, now):
        raise RuleError("form", "forms.not_expired")
    if action is Action.SIGN:
        if status is FormStatus.WAITING_FOR_EMPLOYEE:
            return FormStatus.WAITING_FOR_COUNTERSIGNATURE if kind_spec.needs_countersignature else FormStatus.COMPLETED
        if status in {FormStatus.WAITING_FOR_COUNTERSIGNATURE, FormStatus.COMPLETED}:
            raise RuleError("form", "forms.already_signed")
    if action is Action.FILL and status in {FormStatus.WAITING_FOR_COUNTERSIGNATURE, FormStatus.COMPLETED}:
        raise RuleError("form", "forms.already_signed")
    if action is Action.COUNTERSIGN and status is FormStatus.COMPLETED and kind_spec.needs_countersignature:
        raise RuleError("form", "forms.already_countersigned")
    target = _TRANSITIONS.get((status, action))
    if target is None:
        if status is FormStatus.EXPIRED:
            raise RuleError("form", "forms.expired")
        if status in CLOSED:
            raise RuleError("form", "forms.closed")
        raise RuleError("form", "forms.not_allowed")
    return target


def is_open(status: FormStatus | str, expires: datetime | None, now: datetime) -> bool:
    """Whether a form still runs: prepared, waiting for the employee or for the countersignature, and not past
    its expiry (one past it counts as expired before the periodic job marks it)."""
    return FormStatus(status) in OPEN and not is_expired(status, expires, now)


def prepare_block(kind: FormKind | str, participation_status: str, open_same_kind: bool) -> str | None:
    """Why a form of ``kind`` may not be prepared for a participation, or None. ``participation_status`` is its
    status today (``active`` up to its last day in service, see ``portal.domain.locks.status_on``); only the
    exit form may be prepared for a participation that is no longer active (``forms.participant_not_active``).
    A second form of the same kind while one is open for it (``open_same_kind``) is refused
    (``forms.already_open``); once that one is completed, declined, withdrawn or expired, a new one may be."""
    spec = kind_of(kind)
    if spec.kind is not FormKind.EXIT and participation_status != "active":
        return "forms.participant_not_active"
    if open_same_kind:
        return "forms.already_open"
    return None


def check_unchanged(signed_sha256: str, current_sha256: str) -> None:
    """The PDF to countersign is the one the employee signed (same SHA-256); RuleError at ``form`` else."""
    if not signed_sha256 or signed_sha256 != current_sha256:
        raise RuleError("form", "forms.changed_after_signing")
