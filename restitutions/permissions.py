"""Who reads and writes restitutions. Each rule is one function with the business rule in its docstring.

Every rule takes `(access: Access, obj=None) -> bool`. The views enter a collectif with
`collectif_view(..., crpv_writes=True)`, which lets CRPV editors in (they belong to no collectif) with the right to
write.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collectifs.access import Access
    from restitutions.models import Cycle, CycleSession, Restitution


def can_read_restitutions(access: Access, obj=None) -> bool:
    """Every active member of the collectif reads its restitutions (drafts included), guests too; CRPV editors
    read them in every collectif they accompany."""
    return access.can_read or access.is_crpv_editor


def can_write_restitutions(access: Access, obj=None) -> bool:
    """CRPV editors write restitutions in every collectif (they run the ateliers and write them up); members and
    coordinators of the collectif write its restitutions too (a facilitator may be a member). Guests only read."""
    return access.can_write or access.is_crpv_editor


def can_read_publicly(access: Access | None, obj: Restitution | None = None) -> bool:
    """A published restitution is public: anyone may read it and download its PDF (it carries a free licence)."""
    return bool(obj is not None and obj.is_published)


def can_delete_restitution(access: Access, obj: Restitution | None = None) -> bool:
    """Deleting is for good, so: a published restitution is never deleted (it is public and may be cited; it is
    unpublished first, by setting it back to draft); a draft is deleted by whoever wrote it, a coordinator of the
    collectif or a CRPV editor — not by any member."""
    if obj is None or obj.is_published or not can_write_restitutions(access):
        return False
    return bool(obj.created_by_id == access.user.pk or access.can_manage or access.is_crpv_editor)


# --- Cycles: projects of their own, possibly across several collectifs of a département -------------------------


def can_read_cycle(access: Access, obj: Cycle | None = None) -> bool:
    """Members (guests too) of any of the cycle's collectifs read it, its sessions, turnout, restitutions and final
    report; CRPV editors read every cycle, as they read every restitution. The view fetches the cycle through the
    collectif of the URL (`Cycle.objects.for_collectif`), so anyone else gets 404 before this rule."""
    return access.can_read or access.is_crpv_editor


def can_manage_cycle(access: Access, obj: Cycle | None = None) -> bool:
    """A cycle is run by its manager (the CRPV editor who pilots it) and by the coordinators of the collectif that owns
    it: they edit its objectives, organisers and collectifs and plan its sessions. Members write its restitutions but
    do not run it; coordinators of the other collectifs of the cycle read it. Superusers may too."""
    if obj is None or not access.user.is_authenticated:
        return False
    if access.user.is_superuser or (obj.manager_id is not None and obj.manager_id == access.user.pk):
        return True
    return bool(access.can_manage and access.collectif is not None and access.collectif.pk == obj.collectif_id)


def can_manage_cycle_session(access: Access, obj: CycleSession | None = None) -> bool:
    """A planned session is changed by whoever runs its cycle (`can_manage_cycle`)."""
    return obj is not None and can_manage_cycle(access, obj.cycle)


def can_create_cycle(access: Access, obj=None) -> bool:
    """A cycle is started by the coordination of a collectif or by a CRPV editor (who then pilots it)."""
    return access.can_manage or access.is_crpv_editor
