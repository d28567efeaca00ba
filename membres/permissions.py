"""Access rules about people: directory, invitations, memberships, personal data. One rule per function.

Every rule takes `(access: Access, obj=None) -> bool`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collectifs.access import Access
    from membres.models import MemberInvitation, Membership


def can_see_contact_details(access: Access, obj=None) -> bool:
    """Members and coordinators see the e-mail and phone of the other members; guests (a facilitator, a visiting
    partner) see names, functions and institutions only, since contact details were given to the members."""
    return access.can_write


def can_export_directory(access: Access, obj=None) -> bool:
    """Only coordinators export the directory (CSV, vCard): an export leaves the platform, so it stays with the
    people responsible for the collectif."""
    return access.can_manage


def can_invite(access: Access, obj=None) -> bool:
    """Coordinators invite new members, resend and revoke invitations."""
    return access.can_manage


def can_manage_membership(access: Access, obj: Membership | None = None) -> bool:
    """Coordinators end or hand over the memberships of their own collectif, as long as they are still active."""
    return bool(
        access.can_manage
        and obj is not None
        and obj.is_active
        and access.collectif is not None
        and access.collectif.pk == obj.collectif_id
    )


def can_accept_invitation(access: Access, obj: MemberInvitation | None = None) -> bool:
    """Only the addressee accepts an invitation: the link was sent to their address, and whoever holds it while
    logged in as someone else must not join in their name."""
    user = access.user
    return bool(obj is not None and user.is_authenticated and user.email.lower() == obj.email.lower())
