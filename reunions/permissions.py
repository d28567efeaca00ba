"""Who may do what with reunions. Views fetch reunions through the collectif first (404 elsewhere), then ask here."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collectifs.access import CollectifAccess
    from reunions.models import Minutes, Reunion


def can_manage_reunions(access: CollectifAccess) -> bool:
    """Coordinators schedule, convene, move and cancel reunions, set agendas and record attendance."""
    return access.can_manage


def can_edit_minutes(access: CollectifAccess, reunion: Reunion) -> bool:
    """The secretary chosen for the meeting drafts the minutes; coordinators may too. Adopted minutes are frozen."""
    if access.can_manage:
        return True
    return bool(access.membership and reunion.secretary_id == access.membership.pk and access.can_write)


def can_comment_minutes(access: CollectifAccess, minutes: Minutes, attended: bool) -> bool:
    """Submitted minutes are open to comments from the people present, during the set number of days."""
    from django.utils import timezone

    from reunions.models import Minutes as M

    if minutes.status != M.Status.SUBMITTED or not access.can_write:
        return False
    if minutes.comments_until and minutes.comments_until < timezone.now():
        return False
    return attended or access.can_manage


def can_upload_document(access: CollectifAccess) -> bool:
    """Members and coordinators attach documents to a meeting; guests only read them."""
    return access.can_write
