"""Access rules of a collectif. Each rule is one function with the business rule in its docstring.

Every rule takes `(access: Access, obj=None) -> bool` (`collectifs.access`). Views never fetch an object and check
it afterwards: they fetch through the collectif of the URL (another collectif's object answers 404) with
`fetch(..., rule=...)` (403). The underscore helpers build an `Access` and are used by `collectifs.access` only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collectifs.access import Access
    from membres.models import Membership


def _can_view_collectif(user, membership: Membership | None) -> bool:
    """Every active member reads their collectif, guests included; superusers read every collectif."""
    return bool(user.is_authenticated and (user.is_superuser or (membership and membership.is_active)))


def _can_write_in_collectif(user, membership: Membership | None) -> bool:
    """Members and coordinators write (actions, journals, answers); guests only read."""
    return bool(user.is_authenticated and (user.is_superuser or (membership and membership.can_write)))


def _can_manage_collectif(user, membership: Membership | None) -> bool:
    """Coordinators run the collectif: invitations, scheduling, attendance, charte. Superusers may too."""
    return bool(
        user.is_authenticated
        and (user.is_superuser or (membership and membership.is_active and membership.is_coordinator))
    )


def _is_crpv_editor(user) -> bool:
    """Staff of the resource centres (CRPV) write fiches and restitutions for every collectif they accompany."""
    return bool(user.is_authenticated and (user.is_superuser or user.is_crpv_editor))


def is_crpv_editor_rule(access: Access, obj=None) -> bool:
    """Staff of the resource centres (CRPV), and superusers, write fiches and restitutions for every collectif they
    accompany (`collectifs.access.editor_view`)."""
    return access.is_crpv_editor


def can_edit_charte(access: Access, obj=None) -> bool:
    """Coordinators write the charte (each edit is a new version) and record its adoption; members and guests read
    it."""
    return access.can_manage


def can_see_cartographie(access: Access, obj=None) -> bool:
    """Every active member, guests included, sees who represents which institution at which niveau: knowing whom
    to call at each level is the point of the collectif."""
    return access.can_read
