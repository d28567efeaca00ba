"""Access rules about people: directory, invitations, memberships, personal data. One rule per function."""

from __future__ import annotations

from typing import TYPE_CHECKING

from collectifs.permissions import can_manage_collectif

if TYPE_CHECKING:
    from membres.models import MemberInvitation, Membership


def can_see_contact_details(user, membership: Membership | None) -> bool:
    """Members and coordinators see the e-mail and phone of the other members; guests (a facilitator, a visiting
    partner) see names, functions and institutions only, since contact details were given to the members."""
    return bool(user.is_authenticated and (user.is_superuser or (membership and membership.can_write)))


def can_export_directory(user, membership: Membership | None) -> bool:
    """Only coordinators export the directory (CSV, vCard): an export leaves the platform, so it stays with the
    people responsible for the collectif."""
    return can_manage_collectif(user, membership)


def can_invite(user, membership: Membership | None) -> bool:
    """Coordinators invite new members, resend and revoke invitations."""
    return can_manage_collectif(user, membership)


def can_manage_membership(user, membership: Membership | None, target: Membership) -> bool:
    """Coordinators end or hand over the memberships of their own collectif, as long as they are still active."""
    return bool(
        can_manage_collectif(user, membership)
        and target.is_active
        and (user.is_superuser or (membership and membership.collectif_id == target.collectif_id))
    )


def can_accept_invitation(user, invitation: MemberInvitation) -> bool:
    """Only the addressee accepts an invitation: the link was sent to their address, and whoever holds it while
    logged in as someone else must not join in their name."""
    return bool(user.is_authenticated and user.email.lower() == invitation.email.lower())
