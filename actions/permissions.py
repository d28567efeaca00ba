"""Who may do what with an action. Each rule is one function with the business rule in its docstring.

Every rule takes `(access: Access, obj=None) -> bool`. Views fetch actions through the collectif of the URL
(another collectif's: 404) with `actions.access.action_for(access, pk, rule=...)` (403 when the rule refuses).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from actions.models import Action

if TYPE_CHECKING:
    from actions.models import JournalEntry
    from collectifs.access import Access


def can_create_action(access: Access, obj=None) -> bool:
    """Any member of the collectif (not a guest) logs an action."""
    return access.can_write


def can_write_journal(access: Access, obj: Action | None = None) -> bool:
    """Any member of the collectif (not a guest) writes in the journal of any of its actions."""
    return access.can_write


def can_edit_action(access: Access, obj: Action | None = None) -> bool:
    """The action's referents and the collectif's coordinators edit it and change its status; guests only read."""
    if access.can_manage:
        return True
    return bool(obj is not None and access.can_write and access.user.pk in {u.pk for u in obj.referents.all()})


def can_edit_journal_entry(access: Access, obj: JournalEntry | None = None) -> bool:
    """An entry is amended by its author (while still a member) or by a coordinator; each edit keeps the previous
    version."""
    if access.can_manage:
        return True
    return bool(obj is not None and access.can_write and obj.author_id == access.user.pk)


def can_see_decrochage(access: Access, obj=None) -> bool:
    """The « décrochage du collectif » warning names people: only coordinators see it."""
    return access.can_manage


def can_capitalise_action(access: Access, obj: Action | None = None) -> bool:
    """An action that worked (réalisée) can be proposed as a fiche expérience by those who edit it (its referents
    and the coordination). The draft then goes to the CRPV editors, who rewrite, review and publish it."""
    return bool(obj is not None and obj.status == Action.Status.DONE and can_edit_action(access, obj))
