"""What a benefit statement says and how it prints: the facts of a scheme's participations as of 1 January
(one query), and the PDF (fpdf2, embedded Unicode font where the text needs it)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from fpdf import FPDF
from sqlalchemy import select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from portal.core import pdf_fonts
from portal.domain.premium import PremiumParameterError, SchemeYearParams
from portal.domain.profile import statement_language
from portal.domain.statement import (
    Statement,
    StatementFacts,
    as_of_day,
)
from portal.i18n import formatting as fmt
from portal.i18n import normalise_language, t
from portal.models import Contract, Employer, Participation, Person, Scheme, UserAccount
from portal.services.participants.detail import scheme_year_params
from portal.services.participants.overview import as_of_view

CATEGORY = "statement"
KIND = "benefit_statement"
PDF = "application/pdf"
CHUNK = 500  # statements per transaction
IO_THREADS = 4  # file writes and deletes beside the rendering (file I/O releases the GIL)
LOCK_NAMESPACE = 74_120  # PostgreSQL advisory lock of a scheme's statement writes (second key: scheme id)


# ---------------------------------------------------------------------------------------------- loading
@dataclass(frozen=True)
class _Context:
    scheme: Scheme
    employer_name: str
    contract_number: str
    params: SchemeYearParams | None


def _context(db: Session, scheme_id: int, year: int) -> _Context:
    scheme = db.get(Scheme, scheme_id)
    if scheme is None:
        raise LookupError(scheme_id)
    employer = db.get(Employer, scheme.employer_id)
    contract = db.get(Contract, scheme.contract_id)
    return _Context(
        scheme=scheme,
        employer_name=employer.name if employer else "",
        contract_number=contract.number if contract else "",
        params=_params(db, scheme_id, year),
    )


def _params(db: Session, scheme_id: int, year: int) -> SchemeYearParams | None:
    """The scheme year's parameters; None when there are none or they cannot be used (bad bands)."""
    try:
        return scheme_year_params(db, scheme_id, year)
    except PremiumParameterError:
        return None


_FACT_COLUMNS = (
    Participation.id,
    Participation.person_id,
    Participation.participant_number,
    Participation.policy_number,
    Person.initials,
    Person.first_name,
    Person.name_prefix,
    Person.last_name,
    Person.birth_date,
    Person.language,
    Participation.start_date,
    Participation.end_date,
    Participation.status,
    Participation.premium_mode,
)


def _preferred_language():
    """EE-4: the statement language the person chose on their profile ("" when none): their employee account is
    linked to one employer's record of them, the statement may be on another's (same BSN and birth date)."""
    linked = aliased(Person)
    return (
        select(UserAccount.statement_language)
        .join(linked, col(linked.id) == UserAccount.person_id)
        .where(linked.bsn == Person.bsn, linked.birth_date == Person.birth_date, UserAccount.statement_language != "")
        .order_by(col(UserAccount.id))
        .limit(1)
        .scalar_subquery()
    )


def _facts(
    db: Session, ctx: _Context, year: int, participation_ids: Sequence[int] | None = None, active_only: bool = True
) -> list[tuple[int, int, StatementFacts]]:
    """(participation id, person id, facts) of the scheme's participations as of 1 January, in one query."""
    day = as_of_day(year)
    view = as_of_view(ctx.scheme.id or 0, day)
    conditions = list(view.conditions)
    if active_only:
        conditions.append(view.status == "active")
    if participation_ids is not None:
        conditions.append(col(Participation.id).in_(list(participation_ids)))
    query = (
        select(*_FACT_COLUMNS, view.salary, view.parttime, _preferred_language())
        .select_from(view.source.join(Person, col(Person.id) == Participation.person_id))
        .where(*conditions)
        .order_by(Participation.id)
    )
    out = []
    for row in db.connection().execute(query):
        *cols, pref = row
        pid, person_id, number, policy, ini, first, prefix, last, birth, lang, start, end, status, mode, sal, pt = cols
        facts = StatementFacts(
            year=year,
            employer_name=ctx.employer_name,
            scheme_kind=ctx.scheme.kind,
            scheme_name=ctx.scheme.name,
            contract_number=ctx.contract_number,
            scheme_number=ctx.scheme.number,
            participant_number=number,
            policy_number=policy or "",
            initials=ini or "",
            first_name=first or "",
            name_prefix=prefix or "",
            last_name=last or "",
            birth_date=birth,
            participation_start=start,
            participation_end=end,
            stored_status=status,
            premium_mode=mode,
            salary=sal,
            parttime=pt,
            language=statement_language(pref or "", normalise_language(lang)),
        )
        out.append((pid, person_id, facts))
    return out


# -------------------------------------------------------------------------------------------------- PDF
def statement_lines(s: Statement) -> list[tuple[str, str]]:
    """The (label, value) lines of a statement in its language, amounts and dates formatted by Babel."""
    lang = s.language
    c = s.coverage
    lines = [
        (t("statement.pdf.name", lang), s.name),
        (t("statement.pdf.birth_date", lang), f"{fmt.day(s.birth_date, lang)} ({s.age})"),
        (t("statement.pdf.employer", lang), s.employer_name),
        (t("statement.pdf.scheme", lang), s.scheme_label),
        (t("statement.pdf.participant_number", lang), s.participant_number),
    ]
    if s.policy_number:
        lines.append((t("statement.pdf.policy_number", lang), s.policy_number))
    lines += [
        (t("statement.pdf.start", lang), fmt.day(s.participation_start, lang)),
        (t("statement.pdf.salary", lang), fmt.money(s.salary, lang)),
        (t("statement.pdf.parttime", lang), fmt.percent(s.parttime, lang)),
        (t("statement.pdf.max_salary", lang), fmt.money(s.max_salary, lang)),
        (t("statement.pdf.franchise", lang), fmt.money(s.franchise, lang)),
        (t("statement.pdf.pensionable_salary", lang), fmt.money(c.pensionable_salary, lang)),
        (t("statement.pdf.premium_mode", lang), t(f"premium_mode.{c.mode}", lang)),
        (t("statement.pdf.premium_percentage", lang), fmt.percent(c.premium_percentage, lang)),
        (t("statement.pdf.yearly_premium", lang), fmt.money(c.yearly_premium, lang)),
        (t("statement.pdf.monthly_premium", lang), fmt.money(c.monthly_premium, lang)),
        (t(f"statement.pdf.amount_{c.amount_kind}", lang), fmt.money(c.amount, lang)),
    ]
    return lines


def render_pdf(s: Statement, made_on: date) -> bytes:
    """The statement as a one-page A4 PDF (fpdf2): Helvetica when every text fits Windows-1252 (small and
    fast), else the embedded DejaVu Sans, so that every name prints as written (``pdf_fonts``)."""
    lang = s.language
    title = t("statement.pdf.title", lang, year=s.year)
    greeting = t("statement.pdf.greeting", lang, name=s.full_name)
    intro = t("statement.pdf.intro", lang, day=fmt.day(s.as_of, lang))
    lines = statement_lines(s)
    notes = [t(key, lang) for key in ("statement.pdf.note_basis", "statement.pdf.note_questions")]
    made = t("statement.pdf.made_on", lang, day=fmt.day(made_on, lang))
    pdf = FPDF(format="A4")
    family = pdf_fonts.use_fonts(pdf, [title, greeting, intro, made, *notes, *(x for line in lines for x in line)])
    pdf.set_title(title)
    pdf.set_lang("nl-NL" if lang == "nl" else "en-GB")
    pdf.set_creator("Benefits portal")
    pdf.add_page()
    pdf.set_font(family, style="B", size=18)
    pdf.text(20, 28, title)
    pdf.set_font(family, size=11)
    pdf.text(20, 38, greeting)
    pdf.text(20, 45, intro)
    pdf.set_font(family, size=10)
    for i, (label, _value) in enumerate(lines):
        pdf.text(20, 60 + 7 * i, label)
    pdf.set_font(family, style="B", size=10)
    for i, (_label, value) in enumerate(lines):
        pdf.text(105, 60 + 7 * i, value)
    y = 60.0 + 7 * len(lines)
    pdf.set_font(family, size=9)
    y += 6
    for note in notes:
        pdf.text(20, y, note)
        y += 5
    pdf.text(20, 285, made)
    return bytes(pdf.output())


def _file_name(s: Statement) -> str:
    stem = t("statement.file_stem", s.language)
    number = "".join(ch for ch in s.participant_number if ch.isalnum())[:20]
    kind = "".join(ch for ch in s.scheme_kind if ch.isalnum())[:10]
    return f"{stem}-{s.year}-{kind}-{number}.pdf"
