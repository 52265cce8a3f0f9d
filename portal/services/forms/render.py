"""A form as a PDF (fpdf2, as the statements): title, employer, the person, the kind's introduction and every
field with its label and value in the form's language, and the form's reference. The signatures are added to
this PDF later as incremental updates (``portal.core.signing``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from fpdf import FPDF

from portal.core import pdf_fonts
from portal.domain import forms as rules
from portal.i18n import formatting as fmt
from portal.i18n import normalise_language, t


@dataclass(frozen=True)
class Header:
    """Who and what the form is about (shown above the fields)."""

    form_id: int
    employer_name: str
    person_name: str
    birth_date: date | None
    participant_number: str
    scheme_name: str


def value_text(spec: rules.FieldSpec, value: Any, lang: str) -> str:
    """A field's value as printed (empty: a dash)."""
    if value is None or value == "" or value == []:
        return "—"
    if spec.type is rules.FieldType.MONEY:
        return fmt.money(Decimal(value), lang)
    if spec.type is rules.FieldType.DATE:
        return fmt.day(value, lang)
    if spec.type is rules.FieldType.CHOICE:
        return rules.CHOICE_LABELS.get(value, {}).get(lang, str(value))
    if spec.type is rules.FieldType.PERSONS:
        return "; ".join(
            f"{p['name']} ({fmt.day(p['birth_date'], lang)}, {rules.CHOICE_LABELS[p['relation']][lang]})" for p in value
        )
    return str(value)


def lines(kind: rules.FormKind | str, values: Mapping[str, Any], lang: str) -> list[tuple[str, str]]:
    """(label, value) per field of the kind, in order."""
    spec = rules.kind_of(kind)
    return [(f.label[lang], value_text(f, values.get(f.name), lang)) for f in spec.fields]


def render_pdf(kind: rules.FormKind | str, values: Mapping[str, Any], header: Header, language: str) -> bytes:
    """The form as an A4 PDF in ``language`` (Helvetica, or the embedded DejaVu Sans when a name needs it)."""
    lang = normalise_language(language)
    spec = rules.kind_of(kind)
    title = spec.title[lang]
    about = [
        (t("forms.pdf.employer", lang), header.employer_name),
        (t("forms.pdf.name", lang), header.person_name),
        (t("forms.pdf.birth_date", lang), fmt.day(header.birth_date, lang) if header.birth_date else "—"),
        (t("forms.pdf.participant_number", lang), header.participant_number or "—"),
        (t("forms.pdf.scheme", lang), header.scheme_name or "—"),
    ]
    fields = lines(kind, values, lang)
    reference = t("forms.pdf.reference", lang, id=header.form_id)
    note = t("forms.pdf.signing_note", lang)
    texts = [title, spec.intro[lang], reference, note, *(x for pair in (*about, *fields) for x in pair)]
    pdf = FPDF(format="A4")
    family = pdf_fonts.use_fonts(pdf, texts)
    pdf.set_title(title)
    pdf.set_lang("nl-NL" if lang == "nl" else "en-GB")
    pdf.set_creator("Benefits portal")
    pdf.set_margins(20, 20, 20)
    pdf.add_page()
    pdf.set_font(family, style="B", size=16)
    pdf.multi_cell(0, 8, title, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font(family, size=10)
    for label, value in about:
        pdf.cell(55, 6, label)
        pdf.multi_cell(0, 6, value, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.multi_cell(0, 5, spec.intro[lang], new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    for label, value in fields:
        pdf.set_font(family, size=10)
        pdf.cell(55, 6, label)
        pdf.set_font(family, style="B", size=10)
        pdf.multi_cell(0, 6, value, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font(family, size=9)
    pdf.multi_cell(0, 5, note, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.multi_cell(0, 5, reference, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
