"""PAdES signatures with pyHanko (DOC-5): a signed PDF validates and names the signer and the certificate; a
countersigned PDF keeps both signatures valid (incremental update); one byte changed is detected; the local
CA is made once and reused; a configured certificate is used instead."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from fpdf import FPDF
from pypdf import PdfReader

from portal.core import signing
from portal.core.config import get_settings


def _pdf(text: str = "Overeenkomst salarisuitruil") -> bytes:
    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text=text)
    return bytes(pdf.output())


def test_signed_once_is_valid_and_names_signer_and_certificate() -> None:
    signed = signing.sign(_pdf(), field="Employee", name="Gijs ter Assob", role="Werknemer / employee")
    [check] = signing.verify(signed).signatures
    assert check.ok and check.intact and check.valid and check.trusted
    assert check.field == "Employee"
    assert check.name == "Gijs ter Assob"
    assert check.reason == "Werknemer / employee"
    assert "Benefits portal document signing" in check.certificate
    assert check.serial
    assert check.signed_at is not None
    assert check.covers_whole_file
    assert PdfReader(io.BytesIO(signed)).pages[0].extract_text().startswith("Overeenkomst")


def test_countersigned_both_still_valid() -> None:
    first = signing.sign(_pdf(), field="Employee", name="Gijs ter Assob", role="employee")
    both = signing.sign(first, field="Employer", name="Petra de Boer", role="employer (HR)")
    assert both.startswith(first)  # an incremental update: the employee's signed bytes are untouched
    result = signing.verify(both)
    assert result.ok
    checks = result.signatures
    assert [c.field for c in checks] == ["Employee", "Employer"]
    assert all(c.ok for c in checks), checks
    assert [c.name for c in checks] == ["Gijs ter Assob", "Petra de Boer"]
    assert not checks[0].covers_whole_file and checks[1].covers_whole_file


def test_one_byte_tampered_is_detected() -> None:
    signed = signing.sign(_pdf(), field="Employee", name="Gijs ter Assob", role="employee")
    at = signed.index(b"stream") + 20  # inside the page's content, covered by the signature
    tampered = signed[:at] + bytes([signed[at] ^ 0x01]) + signed[at + 1 :]
    assert len(tampered) == len(signed)
    result = signing.verify(tampered)
    assert not result.ok
    [check] = result.signatures
    assert not check.ok
    assert not check.intact


def _flip(data: bytes, at: int) -> bytes:
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :]


def test_tampered_countersigned_pdf_flags_the_signatures_it_breaks() -> None:
    first = signing.sign(_pdf(), field="Employee", name="A", role="employee")
    both = signing.sign(first, field="Employer", name="Bert", role="employer")
    # the countersignature's own name: only the countersignature breaks (the employee's bytes are untouched)
    result = signing.verify(_flip(both, both.index(b"/Name (Bert)") + 7))
    assert not result.ok
    assert [(c.field, c.intact) for c in result.signatures] == [("Employee", True), ("Employer", False)]
    # a byte of the first revision: both signatures cover it
    result = signing.verify(_flip(both, both.index(b"/OneColumn") + 3))
    assert [c.intact for c in result.signatures] == [False, False]
    # a byte that breaks the structure of the latest revision: unreadable, not ok
    damaged = signing.verify(_flip(both, len(first) + 10))
    assert not damaged.ok


def test_unsigned_and_garbage_are_not_ok() -> None:
    unsigned = signing.verify(_pdf())
    assert unsigned.readable and unsigned.signatures == () and not unsigned.ok
    garbage = signing.verify(b"not a pdf")
    assert not garbage.readable and not garbage.ok


def test_local_credentials_are_made_once_and_private() -> None:
    folder = signing.ensure_local_credentials()
    before = (folder / signing.CERT).read_bytes()
    assert signing.ensure_local_credentials() == folder
    assert (folder / signing.CERT).read_bytes() == before
    assert oct((folder / signing.KEY).stat().st_mode & 0o777) == "0o600"
    assert folder.parent == get_settings().var_dir


def test_configured_certificate_is_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    other = tmp_path / "own"
    other.mkdir()
    signing._make_local_credentials(other)
    monkeypatch.setenv("PORTAL_SIGNING_CERT", str(other / signing.CERT))
    monkeypatch.setenv("PORTAL_SIGNING_KEY", str(other / signing.KEY))
    monkeypatch.setenv("PORTAL_SIGNING_CA", str(other / signing.CA_CERT))
    get_settings.cache_clear()
    try:
        signed = signing.sign(_pdf(), field="Employee", name="A", role="employee")
        [check] = signing.verify(signed).signatures
        assert check.ok
        own_serial = check.serial
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
    # against the local CA, the other CA's signature is intact but not trusted
    [check] = signing.verify(signed).signatures
    assert check.intact and check.valid and not check.trusted
    assert check.serial == own_serial
    assert os.environ.get("PORTAL_SIGNING_CERT") is None


def test_setup_makes_the_local_certificate_once() -> None:
    from portal.cli import _signing_credentials

    folder = get_settings().var_dir / signing.LOCAL_FOLDER
    _signing_credentials()
    first = (folder / signing.KEY).read_bytes()
    _signing_credentials()
    assert (folder / signing.KEY).read_bytes() == first
