"""PDFs print names as written (issue 11): a statement and a document with names beyond Windows-1252 embed a
Unicode font (DejaVu Sans), and the text read back with pypdf holds the names; Latin-1 texts keep Helvetica."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date

from pypdf import PdfReader

from portal.core import pdf_fonts
from portal.demo import documents as demo_documents
from portal.domain.statement import make_statement
from portal.models import Employer, Scheme
from portal.services.documents.statement_pdf import render_pdf
from tests.unit.test_statement import FACTS, PARAMS


def _text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _fonts(data: bytes) -> set[str]:
    reader = PdfReader(io.BytesIO(data))
    return {str(font["/BaseFont"]) for page in reader.pages for font in page["/Resources"]["/Font"].values()}


def test_statement_prints_polish_vietnamese_and_turkish_names() -> None:
    for first, prefix, last in (("Łukasz", "", "Wójcik"), ("Nguyễn", "", "Ödön Çelik")):
        facts = replace(FACTS, first_name=first, initials=first[0] + ".", name_prefix=prefix, last_name=last)
        data = render_pdf(make_statement(facts, PARAMS), date(2026, 2, 1))
        text = _text(data)
        assert f"{first} {last}" in text  # the greeting: "Dear Łukasz Wójcik,"
        assert f"{last}, {first[0]}." in text  # the name line: "Wójcik, Ł."
        assert "€" in text and "52,242.28" in text
        assert any(pdf_fonts.FAMILY in name for name in _fonts(data))


def test_statement_in_windows_1252_keeps_the_core_font() -> None:
    facts = replace(FACTS, first_name="Zoë", last_name="Çelik")
    data = render_pdf(make_statement(facts, PARAMS), date(2026, 2, 1))
    assert "Zoë ter Çelik" in _text(data)
    assert _fonts(data) == {"/Helvetica", "/Helvetica-Bold"}
    assert len(data) < 4_000


def test_document_prints_the_names_it_holds() -> None:
    employer = Employer(
        id=1,
        name="Nguyễn Ödön Çelik B.V.",
        kvk_number="12345678",
        postal_street="ulica Łukasza Wójcika",
        postal_house_number="7",
        postal_code="1011 AB",
        postal_city="Łódź",
    )
    scheme = Scheme(id=1, contract_id=1, employer_id=1, kind="OP", number="01", name="Pensioenregeling")
    facts = demo_documents.SchemeFacts(employer, scheme, "C-1", "Verzekeraar Wójcik N.V.", 12)
    data = demo_documents.invoice_pdf(facts, date(2026, 1, 1), date(2026, 1, 5), "Factuur januari 2026")
    text = _text(data)
    for name in ("Nguyễn Ödön Çelik B.V.", "ulica Łukasza Wójcika 7", "Łódź", "Verzekeraar Wójcik N.V."):
        assert name in text
    assert any(pdf_fonts.FAMILY in name for name in _fonts(data))


def test_fits_core() -> None:
    assert pdf_fonts.fits_core(["Zoë", "€ 1.234,56", "Ödön Çelik"])
    assert not pdf_fonts.fits_core(["Zoë", "Łukasz"])
    assert not pdf_fonts.fits_core(["Nguyễn"])
