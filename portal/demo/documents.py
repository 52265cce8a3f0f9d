"""Demo documents (DOC-1): per scheme of every demo employer a few invoices, a booking statement, a reminder
(financial) and the pension regulations, the administration agreement and an addendum (legal), rendered as
real PDFs with fpdf2 (core fonts in Windows-1252, so ``€`` works and rendering takes a few milliseconds; an
employer or insurer whose name needs more than that gets the embedded DejaVu Sans, ``pdf_fonts``).

Amounts are derived from the scheme's number of active participants, so they differ per scheme and stay the
same on every seed. Older documents are marked read; the latest invoice, the reminder and the addendum are
new (unread), so the home tile and the page have something to show.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from babel.dates import format_date
from fpdf import FPDF
from sqlalchemy import func, select
from sqlmodel import Session, col

from portal.core import pdf_fonts
from portal.i18n import formatting as fmt
from portal.i18n import t
from portal.models import Contract, DocumentRead, Employer, Insurer, Participation, Scheme
from portal.services.documents.library import add_document

# Premium per active participant per month, per scheme kind (demo figures).
MONTHLY_PREMIUM = {"OP": Decimal("187.43"), "NP": Decimal("41.17")}
COSTS_SHARE = Decimal("0.035")  # administration costs on top of the premium


@dataclass(frozen=True)
class SchemeFacts:
    """What a demo document says about its scheme."""

    employer: Employer
    scheme: Scheme
    contract_number: str
    insurer: str
    participants: int

    @property
    def label(self) -> str:
        return f"{self.scheme.kind} {self.contract_number}-{self.scheme.number} {self.scheme.name}"

    @property
    def monthly(self) -> Decimal:
        return MONTHLY_PREMIUM.get(self.scheme.kind, Decimal("25.00")) * self.participants


def _month(day: date, lang: str = "nl") -> str:
    return format_date(day, "MMMM yyyy", locale=fmt.LOCALES[lang])


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 7, 30, tzinfo=UTC)


class _Pdf:
    """A plain A4 letter: sender, addressee, title, facts, body; money as ``€ 1.234,56``."""

    def __init__(self, facts: SchemeFacts, title: str, issued: date) -> None:
        pdf = FPDF(format="A4")
        e = facts.employer
        texts = [facts.insurer, facts.label, title, e.name, e.kvk_number, facts.contract_number]
        texts += [e.postal_street, e.postal_house_number, e.postal_code, e.postal_city]
        self.family = family = pdf_fonts.use_fonts(pdf, texts)
        pdf.set_compression(True)
        pdf.set_title(title)
        pdf.set_author(facts.insurer)
        pdf.set_creation_date(_at(issued))
        pdf.set_auto_page_break(True, margin=20)
        pdf.add_page()
        pdf.set_font(family, "B", 14)
        pdf.cell(0, 8, facts.insurer, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(family, "", 9)
        pdf.cell(0, 5, "Collectieve pensioenregelingen", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(8)
        pdf.set_font(family, "", 11)
        for line in (
            e.name,
            f"{e.postal_street} {e.postal_house_number}".strip(),
            f"{e.postal_code}  {e.postal_city}".strip(),
        ):
            if line:
                pdf.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(8)
        pdf.set_font(family, "B", 13)
        pdf.multi_cell(0, 7, title, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
        self.pdf = pdf
        self.fact("Datum", fmt.day(issued))
        self.fact("Contract", facts.contract_number)
        self.fact("Regeling", facts.label)
        self.fact("Werkgever", f"{e.name} (KvK {e.kvk_number})")
        pdf.ln(4)

    def fact(self, label: str, value: str) -> None:
        self.pdf.set_font(self.family, "", 10)
        self.pdf.cell(40, 6, label + ":")
        self.pdf.cell(0, 6, value, new_x="LMARGIN", new_y="NEXT")

    def paragraph(self, text: str, bold: bool = False) -> None:
        self.pdf.set_font(self.family, "B" if bold else "", 10)
        self.pdf.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(2)

    def amounts(self, rows: list[tuple[str, Decimal]], total_label: str) -> Decimal:
        pdf = self.pdf
        pdf.set_font(self.family, "B", 10)
        pdf.cell(130, 7, "Omschrijving", border="B")
        pdf.cell(0, 7, "Bedrag", border="B", align="R", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(self.family, "", 10)
        total = Decimal("0.00")
        for label, amount in rows:
            total += amount
            pdf.cell(130, 7, label)
            pdf.cell(0, 7, fmt.money(amount), align="R", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(self.family, "B", 10)
        pdf.cell(130, 8, total_label, border="T")
        pdf.cell(0, 8, fmt.money(total), border="T", align="R", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)
        return total

    def output(self) -> bytes:
        return bytes(self.pdf.output())


def _money(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"))


def invoice_pdf(facts: SchemeFacts, month: date, issued: date, title: str) -> bytes:
    doc = _Pdf(facts, title, issued)
    doc.fact("Factuurnummer", f"F{month:%Y%m}-{facts.contract_number}-{facts.scheme.number}")
    doc.fact("Periode", _month(month))
    doc.fact("Deelnemers", fmt.number(facts.participants))
    doc.pdf.ln(4)
    premium = _money(facts.monthly)
    doc.amounts(
        [
            (f"Premie {facts.scheme.name} {_month(month)}", premium),
            ("Uitvoeringskosten", _money(premium * COSTS_SHARE)),
        ],
        "Te betalen",
    )
    doc.paragraph(
        f"Wij verzoeken u het bedrag binnen 30 dagen over te maken onder vermelding van het factuurnummer. "
        f"Betaalt u via automatische incasso, dan schrijven wij het bedrag rond {fmt.day(issued.replace(day=25))} af."
    )
    return doc.output()


def booking_pdf(facts: SchemeFacts, quarter_start: date, issued: date, title: str) -> bytes:
    doc = _Pdf(facts, title, issued)
    months = [quarter_start.replace(month=quarter_start.month + i) for i in range(3)]
    premium = _money(facts.monthly)
    rows = [(f"Premie {_month(m)}", premium) for m in months]
    rows += [(f"Betaald {_month(m)}", -premium) for m in months]
    doc.paragraph("Overzicht van de boekingen op uw premierekening in dit kwartaal.")
    doc.amounts(rows, "Saldo einde kwartaal")
    return doc.output()


def reminder_pdf(facts: SchemeFacts, month: date, issued: date, title: str) -> bytes:
    doc = _Pdf(facts, title, issued)
    due = _money(facts.monthly * (1 + COSTS_SHARE))
    doc.paragraph(
        f"Wij hebben de premie over {_month(month)} nog niet van u ontvangen. Wilt u het openstaande bedrag "
        "binnen 14 dagen betalen? Heeft u al betaald, dan kunt u deze herinnering als niet verzonden beschouwen."
    )
    doc.amounts([(f"Openstaand: factuur {_month(month)}", due)], "Totaal openstaand")
    return doc.output()


def regulations_pdf(facts: SchemeFacts, year: int, issued: date, title: str) -> bytes:
    doc = _Pdf(facts, title, issued)
    articles = (
        ("Artikel 1 Begripsbepalingen", "Werkgever: " + facts.employer.name + ". Regeling: " + facts.label + "."),
        (
            "Artikel 2 Deelnemerschap",
            "Deelnemer is iedere werknemer van de werkgever van 21 jaar of ouder die in dienst is op of na de "
            "ingangsdatum van deze regeling.",
        ),
        (
            "Artikel 3 Pensioengevend salaris",
            f"Het pensioengevend salaris is het vaste jaarsalaris, gemaximeerd op het fiscale maximum voor {year}.",
        ),
        (
            "Artikel 4 Premie",
            "De werkgever betaalt de premie maandelijks aan de verzekeraar. De bijdrage van de werknemer wordt "
            "ingehouden op het salaris.",
        ),
        ("Artikel 5 Inwerkingtreding", f"Dit reglement geldt vanaf 1 januari {year}."),
    )
    for heading, body in articles:
        doc.paragraph(heading, bold=True)
        doc.paragraph(body)
    return doc.output()


def agreement_pdf(facts: SchemeFacts, start: date, issued: date, title: str) -> bytes:
    doc = _Pdf(facts, title, issued)
    doc.paragraph(
        f"{facts.employer.name} en {facts.insurer} spreken af dat {facts.insurer} de regeling {facts.label} "
        f"uitvoert vanaf {fmt.day(start)}, volgens het pensioenreglement dat daarbij hoort."
    )
    doc.paragraph(
        f"De premie bedraagt bij de huidige {fmt.number(facts.participants)} deelnemers naar schatting "
        f"{fmt.money(_money(facts.monthly * 12))} per jaar, exclusief uitvoeringskosten."
    )
    return doc.output()


def addendum_pdf(facts: SchemeFacts, year: int, issued: date, title: str) -> bytes:
    doc = _Pdf(facts, title, issued)
    doc.paragraph(
        f"Met ingang van 1 juli {year} wordt de premie voor de regeling {facts.label} geindexeerd met 2,4%. "
        f"De maandpremie wordt daarmee {fmt.money(_money(facts.monthly * Decimal('1.024')))}."
    )
    doc.paragraph("Alle overige bepalingen van de uitvoeringsovereenkomst blijven ongewijzigd.")
    return doc.output()


def _facts(db: Session, scheme: Scheme) -> SchemeFacts:
    employer = db.get(Employer, scheme.employer_id)
    contract = db.get(Contract, scheme.contract_id)
    assert employer is not None and contract is not None
    insurer = db.get(Insurer, contract.insurer_id)
    count = db.execute(
        select(func.count())
        .select_from(Participation)
        .where(Participation.scheme_id == scheme.id, Participation.status == "active")
    ).scalar_one()
    return SchemeFacts(employer, scheme, contract.number, insurer.name if insurer else "", int(count))


def seed_documents(db: Session, today: date) -> int:
    """Add the demo documents for every scheme (no mails: nobody has asked for them yet); returns how many."""
    schemes = db.execute(select(Scheme).order_by(col(Scheme.employer_id), col(Scheme.id))).scalars().all()
    added = 0
    year = today.year
    this_month = today.replace(day=1)
    last_month = date(year - 1, 12, 1) if today.month == 1 else date(year, today.month - 1, 1)
    current_quarter = (today.month - 1) // 3  # 0..3
    quarter = date(year, (current_quarter - 1) * 3 + 1, 1) if current_quarter else date(year - 1, 10, 1)
    plan: list[tuple[str, str, str, str, bytes, date, bool]] = []

    def entry(category: str, doc_kind: str, title: str, period: str, pdf: bytes, issued: date, read: bool) -> None:
        plan.append((category, doc_kind, title, period, pdf, issued, read))

    for scheme in schemes:
        facts = _facts(db, scheme)
        kind = scheme.kind
        plan.clear()
        for month, read in ((last_month, True), (this_month, False)):
            title = t("pdf.invoice_title", period=_month(month), kind=kind)
            entry("financial", "invoice", title, f"{month:%Y-%m}", invoice_pdf(facts, month, month, title), month, read)
        q = f"{quarter.year}-Q{(quarter.month - 1) // 3 + 1}"
        title = t("pdf.booking_title", period=f"Q{(quarter.month - 1) // 3 + 1} {quarter.year}", kind=kind)
        issued = last_month.replace(day=5)
        entry("financial", "booking_statement", title, q, booking_pdf(facts, quarter, issued, title), issued, True)
        if kind == "OP":
            title = t("pdf.reminder_title", period=_month(last_month), kind=kind)
            issued = last_month.replace(day=20)
            pdf = reminder_pdf(facts, last_month, issued, title)
            entry("financial", "reminder", title, f"{last_month:%Y-%m}", pdf, issued, False)
        title = t("pdf.regulations_title", period=str(year), kind=kind)
        issued = date(year, 1, 2)
        entry("legal", "regulations", title, str(year), regulations_pdf(facts, year, issued, title), issued, True)
        contract = db.get(Contract, scheme.contract_id)
        start = contract.start_date if contract else date(year, 1, 1)
        title = t("pdf.agreement_title", kind=kind)
        pdf = agreement_pdf(facts, start, start, title)
        entry("legal", "administration_agreement", title, str(start.year), pdf, start, True)
        title = t("pdf.addendum_title", period=str(year), kind=kind)
        issued = date(year, 6, 15)
        entry("legal", "addendum", title, str(year), addendum_pdf(facts, year, issued, title), issued, False)
        for category, doc_kind, title, period, pdf, issued, read in plan:
            doc = add_document(
                db,
                scheme.employer_id,
                scheme.id,
                category,
                doc_kind,
                title,
                period,
                pdf,
                created_by_name=facts.insurer,
                notify=False,
                created_at=_at(issued),
            )
            if read:
                db.add(DocumentRead(document_id=doc.id or 0, employer_id=scheme.employer_id, read_at=_at(issued)))
            added += 1
    db.flush()
    return added
