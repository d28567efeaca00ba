"""Access rules of a collectif. Each rule is one function with the business rule in its docstring.

Every rule takes `(access: Access, obj=None) -> bool` (`collectifs.access`). Views never fetch an object and check
it afterwards: they fetch through the collectif of the URL (another collectif's object answers 404) with
`fetch(..., rule=...)` (403). The roles themselves (who reads, writes, manages a collectif; who is a CRPV editor) are
defined once, in `collectifs.access`, which builds the `Access`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collectifs.access import Access


def can_edit_charte(access: Access, obj=None) -> bool:
    """Coordinators write the charte (each edit is a new version) and record its adoption; members and guests read
    it."""
    return access.can_manage


def can_see_cartographie(access: Access, obj=None) -> bool:
    """Every active member, guests included, sees who represents which institution at which niveau: knowing whom
    to call at each level is the point of the collectif."""
    return access.can_read
