"""Signed forms (DOC-5, EE-5): prepare, send, view, fill in, sign with a fresh second factor, countersign,
decline, expire and verify; the PDF rendering. Rules in ``portal.domain.forms``, signatures in
``portal.core.signing``."""

from portal.services.forms.flow import (
    EMPLOYEE_FIELD,
    EMPLOYER_FIELD,
    FILE_KIND,
    MAX_AT_ONCE,
    Prepared,
    countersign,
    decline,
    exit_source,
    expire_due,
    fill,
    form_sha,
    on_exit,
    pdf_of,
    prepare,
    send,
    sign,
    verify,
)
from portal.services.forms.queries import FormRow, employer_forms, my_forms
from portal.services.forms.render import Header, render_pdf

__all__ = [
    "EMPLOYEE_FIELD",
    "EMPLOYER_FIELD",
    "FILE_KIND",
    "MAX_AT_ONCE",
    "FormRow",
    "Header",
    "Prepared",
    "countersign",
    "decline",
    "employer_forms",
    "exit_source",
    "expire_due",
    "fill",
    "form_sha",
    "my_forms",
    "on_exit",
    "pdf_of",
    "prepare",
    "render_pdf",
    "send",
    "sign",
    "verify",
]
