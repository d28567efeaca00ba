"""Access rules of a collectif. Each rule is one function with the business rule in its docstring.

Views never fetch an object and check it afterwards: they fetch through `Model.objects.for_member(user)`
(another collectif's object answers 404), then ask these functions whether the user may change it (403).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collectifs.models import Collectif
    from membres.models import Membership


def active_membership(user, collectif: Collectif) -> Membership | None:
    """The user's current membership of the collectif, if any (a former member has none)."""
    if not user.is_authenticated:
        return None
    from membres.models import Membership

    return Membership.objects.active().filter(user=user, collectif=collectif).first()


def can_view_collectif(user, membership: Membership | None) -> bool:
    """Every active member reads their collectif, guests included; superusers read every collectif."""
    return bool(user.is_authenticated and (user.is_superuser or (membership and membership.is_active)))


def can_write_in_collectif(user, membership: Membership | None) -> bool:
    """Members and coordinators write (actions, journals, answers); guests only read."""
    return bool(user.is_authenticated and (user.is_superuser or (membership and membership.can_write)))


def can_manage_collectif(user, membership: Membership | None) -> bool:
    """Coordinators run the collectif: invitations, scheduling, attendance, charte. Superusers may too."""
    return bool(
        user.is_authenticated
        and (user.is_superuser or (membership and membership.is_active and membership.is_coordinator))
    )


def is_crpv_editor(user) -> bool:
    """Staff of the resource centres (CRPV) write fiches and restitutions for every collectif they accompany."""
    return bool(user.is_authenticated and (user.is_superuser or user.is_crpv_editor))


def is_crpv_editor_rule(access, obj=None) -> bool:
    """The rule form of `is_crpv_editor`, for `collectifs.access.editor_view`."""
    return is_crpv_editor(access.user)


def can_edit_charte(user, membership: Membership | None) -> bool:
    """Coordinators write the charte (each edit is a new version) and record its adoption; members and guests read
    it."""
    return can_manage_collectif(user, membership)


def can_see_cartographie(user, membership: Membership | None) -> bool:
    """Every active member, guests included, sees who represents which institution at which niveau: knowing whom
    to call at each level is the point of the collectif."""
    return can_view_collectif(user, membership)
