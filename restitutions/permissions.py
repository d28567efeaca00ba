"""Who reads and writes restitutions. Each rule is one function with the business rule in its docstring."""

from __future__ import annotations

from typing import TYPE_CHECKING

from collectifs import permissions as collectif_permissions

if TYPE_CHECKING:
    from membres.models import Membership
    from restitutions.models import Restitution


def can_read_restitutions(user, membership: Membership | None) -> bool:
    """Every active member of the collectif reads its restitutions (drafts included), guests too; CRPV editors
    read them in every collectif they accompany."""
    return collectif_permissions.can_view_collectif(user, membership) or collectif_permissions.is_crpv_editor(user)


def can_write_restitutions(user, membership: Membership | None) -> bool:
    """CRPV editors write restitutions in every collectif (they run the ateliers and write them up); members and
    coordinators of the collectif write its restitutions too (a facilitator may be a member). Guests only read."""
    return collectif_permissions.can_write_in_collectif(user, membership) or collectif_permissions.is_crpv_editor(user)


def can_read_publicly(restitution: Restitution) -> bool:
    """A published restitution is public: anyone may read it and download its PDF (it carries a free licence)."""
    return restitution.is_published


def can_delete_restitution(user, membership: Membership | None, restitution: Restitution) -> bool:
    """Deleting is for good, so: a published restitution is never deleted (it is public and may be cited; it is
    unpublished first, by setting it back to draft); a draft is deleted by whoever wrote it, a coordinator of the
    collectif or a CRPV editor — not by any member."""
    if restitution.is_published or not can_write_restitutions(user, membership):
        return False
    return bool(
        restitution.created_by_id == user.pk
        or collectif_permissions.can_manage_collectif(user, membership)
        or collectif_permissions.is_crpv_editor(user)
    )
