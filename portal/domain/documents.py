"""Document categories and kinds (DOC-1..4), and the permission that shows each category to an employer's user."""

from __future__ import annotations

from portal.domain.roles import Perm

FINANCIAL, LEGAL, STATEMENT = "financial", "legal", "statement"
SIGNED_FORM = "signed_form"  # a completed signed form (DOC-5), filed as a legal document of its employer
CATEGORY_PERM: dict[str, Perm] = {FINANCIAL: Perm.DOCUMENTS_FINANCIAL, LEGAL: Perm.DOCUMENTS_LEGAL}
KINDS: dict[str, tuple[str, ...]] = {
    FINANCIAL: ("invoice", "booking_statement", "reminder"),
    LEGAL: ("regulations", "administration_agreement", "addendum", "signed_form"),
    STATEMENT: ("benefit_statement",),
}
