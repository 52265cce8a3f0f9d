"""Signed forms (DOC-5, EE-5): prepare, send, view, fill in, sign with a fresh second factor, countersign,
decline, expire and verify; the PDF rendering. Rules in ``portal.domain.forms``, signatures in
``portal.core.signing``."""

from portal.services.forms.exits import KIND as EXIT_JOB
from portal.services.forms.exits import exit_source, on_exit, queue_stranded
from portal.services.forms.exits import send_job as exit_job
from portal.services.forms.flow import (
    DIRECT_MAX,
    EMPLOYEE_FIELD,
    EMPLOYER_FIELD,
    FILE_KIND,
    MAX_AT_ONCE,
    MAX_REASON,
    PREPARE_JOB,
    Prepared,
    countersign,
    decline,
    expire_due,
    fill,
    form_sha,
    pdf_of,
    prepare,
    prepare_job,
    prepare_subject,
    send,
    sign,
    start_prepare,
    verify,
)
from portal.services.forms.mails import form_path, mail_job
from portal.services.forms.queries import FormRow, employer_forms, my_forms
from portal.services.forms.render import Header, render_pdf

__all__ = [
    "DIRECT_MAX",
    "EMPLOYEE_FIELD",
    "EMPLOYER_FIELD",
    "EXIT_JOB",
    "FILE_KIND",
    "MAX_AT_ONCE",
    "MAX_REASON",
    "PREPARE_JOB",
    "FormRow",
    "Header",
    "Prepared",
    "countersign",
    "decline",
    "employer_forms",
    "exit_job",
    "exit_source",
    "expire_due",
    "fill",
    "form_path",
    "form_sha",
    "mail_job",
    "my_forms",
    "on_exit",
    "pdf_of",
    "prepare",
    "prepare_job",
    "prepare_subject",
    "queue_stranded",
    "render_pdf",
    "send",
    "sign",
    "start_prepare",
    "verify",
]
