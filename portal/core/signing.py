"""PAdES signatures on PDFs (DOC-5, EE-5) with pyHanko: the portal signs with its own document-signing
certificate on behalf of the authenticated user, whose name, role and the time go into the signature.

Every signature is an incremental update: the bytes a signature covers stay as they are, so the employee's
signature stays valid after the employer's countersignature is added. ``verify`` checks, per signature, that it
is intact (the signed bytes unchanged), that its cryptography holds, and which certificate made it, with
pyHanko's validator trusting the configured trust root.

The certificate and key come from ``PORTAL_SIGNING_CERT`` and ``PORTAL_SIGNING_KEY`` (PEM paths; the trust root
for ``verify`` from ``PORTAL_SIGNING_CA``, default: the signing certificate itself). When neither is set, a
local CA and a signing certificate of it are made once under ``var/signing`` (``ensure_local_credentials``,
called by ``portal setup`` and on first use): for the demo and tests only, never committed.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import tempfile
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields as sig_fields
from pyhanko.sign import signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from portal.core import clock
from portal.core.config import get_settings

LOCAL_FOLDER = "signing"
CA_CERT, CA_KEY, CERT, KEY = "ca.pem", "ca-key.pem", "signing.pem", "signing-key.pem"
VALID_FROM = datetime(2020, 1, 1, tzinfo=UTC)
_lock = threading.Lock()


@dataclass(frozen=True)
class Credentials:
    """Paths of the signing certificate, its key and the trust root used by ``verify``."""

    cert: Path
    key: Path
    trust_root: Path


@dataclass(frozen=True)
class SignatureCheck:
    """One signature of a PDF as ``verify`` found it."""

    field: str
    intact: bool  # the bytes it covers are unchanged
    valid: bool  # the cryptographic signature over them holds
    trusted: bool  # its certificate chains to the trust root
    certificate: str  # subject of the certificate that made it
    serial: str  # that certificate's serial number (hex)
    name: str  # the signer's name in the signature
    reason: str  # the role and what was signed
    signed_at: datetime | None  # the signing time the signer reported
    covers_whole_file: bool  # nothing was added after it (the last signature)

    @property
    def ok(self) -> bool:
        return self.intact and self.valid and self.trusted


@dataclass(frozen=True)
class Verification:
    """The signatures of a PDF; ``readable`` False when its structure could not be read at all (damaged)."""

    readable: bool
    signatures: tuple[SignatureCheck, ...]

    @property
    def ok(self) -> bool:
        """Readable, signed, and every signature intact, valid and trusted."""
        return self.readable and bool(self.signatures) and all(s.ok for s in self.signatures)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# ---------------------------------------------------------------------------------------------- credentials
def credentials() -> Credentials:
    """The configured certificate and key, else the local demo ones (made when missing)."""
    settings = get_settings()
    if settings.signing_cert or settings.signing_key:
        if not (settings.signing_cert and settings.signing_key):
            raise RuntimeError("PORTAL_SIGNING_CERT and PORTAL_SIGNING_KEY are set together")
        cert, key = Path(settings.signing_cert), Path(settings.signing_key)
        root = Path(settings.signing_ca) if settings.signing_ca else cert
        return Credentials(cert, key, root)
    folder = ensure_local_credentials()
    return Credentials(folder / CERT, folder / KEY, folder / CA_CERT)


def ensure_local_credentials() -> Path:
    """The local CA and signing certificate under ``var/signing``, made once (idempotent; two processes racing
    end with one complete set: it is made in a temporary folder and renamed into place)."""
    folder = get_settings().var_dir / LOCAL_FOLDER
    if (folder / KEY).is_file():
        return folder
    with _lock:
        if (folder / KEY).is_file():
            return folder
        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".signing-", dir=folder.parent))
        try:
            _make_local_credentials(tmp)
            try:
                os.rename(tmp, folder)
            except OSError:  # another process was first (or an empty folder is in the way)
                if not (folder / KEY).is_file():
                    shutil.rmtree(folder, ignore_errors=True)
                    os.rename(tmp, folder)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return folder


def _name(common: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "NL"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Benefits portal (local demo)"),
            x509.NameAttribute(NameOID.COMMON_NAME, common),
        ]
    )


def _make_local_credentials(folder: Path) -> None:
    # valid from a fixed day in the past (a test's frozen or moved clock never lands before it), for ten years
    now = VALID_FROM
    until = max(clock.now(), VALID_FROM) + timedelta(days=3650)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = _name("Benefits portal local CA")
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(until)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True
        )  # key_cert_sign, crl_sign
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name("Benefits portal document signing"))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(until)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True
        )  # digital_signature, content_commitment (non-repudiation)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    plain = serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    for name, data in (
        (CA_CERT, ca.public_bytes(pem)),
        (CERT, cert.public_bytes(pem)),
        (CA_KEY, ca_key.private_bytes(pem, *plain)),
        (KEY, key.private_bytes(pem, *plain)),
    ):
        path = folder / name
        path.write_bytes(data)
        path.chmod(0o600)


@lru_cache(maxsize=4)
def _signer(cert: Path, key: Path, root: Path, stamp: tuple[int, int]) -> signers.SimpleSigner:
    chain = (root,) if root != cert else ()
    signer = signers.SimpleSigner.load(str(key), str(cert), ca_chain_files=tuple(str(p) for p in chain))
    if signer is None:
        raise RuntimeError(f"cannot load the signing certificate {cert} and key {key}")
    return signer


def _current_signer() -> signers.SimpleSigner:
    c = credentials()
    return _signer(c.cert, c.key, c.trust_root, (c.cert.stat().st_mtime_ns, c.key.stat().st_mtime_ns))


@lru_cache(maxsize=4)
def _trust_root(path: Path, stamp: int) -> asn1_x509.Certificate:
    data = path.read_bytes()
    der = x509.load_pem_x509_certificate(data).public_bytes(serialization.Encoding.DER)
    return asn1_x509.Certificate.load(der)


def signing_certificate_subject() -> str:
    """The subject of the certificate the portal signs with (shown beside a verification)."""
    return _current_signer().signing_cert.subject.human_friendly


# ---------------------------------------------------------------------------------------------- sign, verify
def sign(pdf: bytes, *, field: str, name: str, role: str, location: str = "") -> bytes:
    """``pdf`` with one more PAdES signature, added as an incremental update in a new field ``field``: the
    signer's ``name`` and ``role`` (the reason) go into the signature, the signing time into its signed
    attributes. Earlier signatures stay valid."""
    meta = signers.PdfSignatureMetadata(
        field_name=field,
        name=name,
        reason=role,
        location=location or None,
        subfilter=sig_fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    out = signers.sign_pdf(writer, meta, signer=_current_signer())
    return out.getvalue()


def verify(pdf: bytes) -> Verification:
    """Every signature of ``pdf``, checked with pyHanko's validator against the trust root (none when the PDF
    holds none; not ``readable`` when it cannot be read as a PDF at all)."""
    c = credentials()
    root = _trust_root(c.trust_root, c.trust_root.stat().st_mtime_ns)
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        embedded = list(reader.embedded_signatures)
    except Exception:  # a PDF damaged so that its structure cannot be read
        return Verification(False, ())
    return Verification(True, tuple(_check(sig, root) for sig in embedded))


def _check(sig: object, root: asn1_x509.Certificate) -> SignatureCheck:
    sig_object = sig.sig_object  # type: ignore[attr-defined]
    name = str(sig_object.get("/Name", "") or "")
    reason = str(sig_object.get("/Reason", "") or "")
    field = str(sig.field_name or "")  # type: ignore[attr-defined]
    try:
        status = validate_pdf_signature(sig, ValidationContext(trust_roots=[root]))  # type: ignore[arg-type]
    except Exception:  # a signature whose bytes or structure were damaged: not intact, not valid
        return SignatureCheck(field, False, False, False, "", "", name, reason, None, False)
    cert = status.signing_cert
    return SignatureCheck(
        field=field,
        intact=bool(status.intact),
        valid=bool(status.valid),
        trusted=bool(status.trusted),
        certificate=cert.subject.human_friendly if cert is not None else "",
        serial=format(cert.serial_number, "x") if cert is not None else "",
        name=name,
        reason=reason,
        signed_at=status.signer_reported_dt,
        covers_whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
    )
