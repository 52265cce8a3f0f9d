"""Invitations of employees to their front end (BULK-3): an invited employee account and one mail with a
one-time link for every person who gets a business e-mail address (``inviting``: decided in the transaction
that stored the address, mailed by the ``send_invitations`` job after it commits), activation through that
link (``links``), and what the employer may know of it (``status``). Callers use ``invitations.<function>``."""

from __future__ import annotations

from portal.services.invitations.inviting import KIND, invitation_job, invite_persons
from portal.services.invitations.links import LinkAccount, activate_by_link, open_link
from portal.services.invitations.status import InvitationStatus, invitation_status

__all__ = [
    "KIND",
    "InvitationStatus",
    "LinkAccount",
    "activate_by_link",
    "invitation_job",
    "invitation_status",
    "invite_persons",
    "open_link",
]
