"""Who may do what in the discussions. Each rule takes `(access: Access, obj=None) -> bool`; views fetch threads
and messages through the collectif of the URL (another collectif's: 404) with `discussions.access`, then apply the
rule (403).

Roles (DESIGN.md): coordinators and members write; guests (« invité, lecture seule ») read every thread, follow the
ones they choose and get their messages, but neither open a thread nor write in one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collectifs.access import Access
    from discussions.models import Message


def can_read_threads(access: Access, obj=None) -> bool:
    """Everyone in the collectif reads its discussions, guests included."""
    return access.can_read


def can_follow_thread(access: Access, obj=None) -> bool:
    """Whoever reads a thread may follow it (guests too: reading by e-mail is still reading) and stop following."""
    return access.can_read


def can_open_thread(access: Access, obj=None) -> bool:
    """Members and coordinators open threads (on the collectif, a groupe, an action, a document); guests read."""
    return access.can_write


def can_post_message(access: Access, obj=None) -> bool:
    """Members and coordinators write in any thread of their collectif; guests read."""
    return access.can_write


def can_edit_message(access: Access, obj: Message | None = None) -> bool:
    """A message is amended by its author while still a member, or by a coordinator (who removes, say, a pupil's
    name that should never have been written)."""
    if access.can_manage:
        return True
    return bool(obj is not None and access.can_write and obj.author_id == access.user.pk)
