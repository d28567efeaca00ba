"""Who reads and writes restitutions. Each rule is one function with the business rule in its docstring.

Every rule takes `(access: Access, obj=None) -> bool`. The views enter a collectif with
`collectif_view(..., crpv_writes=True)`, which lets CRPV editors in (they belong to no collectif) with the right to
write.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collectifs.access import Access
    from restitutions.models import Restitution


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
