"""Who may do what with an action. Each rule is one function with the business rule in its docstring.

The collectif-level rules (read, write, manage) come from `collectifs.permissions`; views fetch actions through
the collectif first (404 for another collectif), then ask these functions (403).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from collectifs import permissions as collectif_permissions

if TYPE_CHECKING:
    from actions.models import Action, JournalEntry
    from collectifs.access import CollectifAccess


def can_create_action(user, access: CollectifAccess) -> bool:
    """Any member of the collectif (not a guest) logs an action."""
    return access.can_write


def can_write_journal(user, access: CollectifAccess) -> bool:
    """Any member of the collectif (not a guest) writes in the journal of any of its actions."""
    return access.can_write


def can_edit_action(user, access: CollectifAccess, action: Action) -> bool:
    """The action's referents and the collectif's coordinators edit it and change its status; guests only read."""
    if access.can_manage:
        return True
    return access.can_write and user.pk in {u.pk for u in action.referents.all()}


def can_edit_journal_entry(user, access: CollectifAccess, entry: JournalEntry) -> bool:
    """An entry is amended by its author (while still a member) or by a coordinator; each edit keeps the previous
    version."""
    if access.can_manage:
        return True
    return access.can_write and entry.author_id == user.pk


def can_see_decrochage(user, access: CollectifAccess) -> bool:
    """The « décrochage du collectif » warning names people: only coordinators see it."""
    return access.can_manage


def is_member_of(user, collectif) -> bool:
    """A referent must be an active member of the collectif who can write (not a guest)."""
    membership = collectif_permissions.active_membership(user, collectif)
    return bool(membership and membership.can_write)


def can_capitalise_action(user, access: CollectifAccess, action: Action) -> bool:
    """An action that worked (réalisée) can be proposed as a fiche expérience by those who edit it (its referents
    and the coordination). The draft then goes to the CRPV editors, who rewrite, review and publish it."""
    from actions.models import Action

    return action.status == Action.Status.DONE and can_edit_action(user, access, action)
