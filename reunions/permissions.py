"""Who may do what with reunions. Every rule takes `(access, obj=None)`; views apply them through the fetch helpers
of reunions.access (the object is fetched through the collectif first: 404 elsewhere, then 403 here)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import timezone

if TYPE_CHECKING:
    from collectifs.access import Access
    from reunions.models import DatePoll, Minutes, Reunion


def can_manage_reunions(access: Access, obj=None) -> bool:
    """Coordinators schedule, convene, move and cancel reunions, set agendas and record attendance."""
    return access.can_manage


def can_update_reunion(access: Access, reunion: Reunion) -> bool:
    """Coordinators change a reunion until it is cancelled: a cancelled reunion is history."""
    return access.can_manage and not reunion.is_cancelled


def can_edit_minutes(access: Access, reunion: Reunion) -> bool:
    """The secretary chosen for the meeting drafts the minutes; coordinators may too. Adopted minutes are frozen."""
    if access.can_manage:
        return True
    return bool(access.membership and reunion.secretary_id == access.membership.pk and access.can_write)


def attended(access: Access, reunion: Reunion) -> bool:
    """Whether the acting member was recorded present at the meeting."""
    from reunions.models import Invitation

    return bool(
        access.membership
        and reunion.invitations.filter(membership=access.membership, attendance=Invitation.Attendance.PRESENT).exists()
    )


def can_comment_minutes(access: Access, minutes: Minutes) -> bool:
    """Submitted minutes are open to comments from the people present, during the set number of days."""
    from reunions.models import Minutes as M

    if minutes.status != M.Status.SUBMITTED or not access.can_write:
        return False
    if minutes.comments_until and minutes.comments_until < timezone.now():
        return False
    return access.can_manage or attended(access, minutes.reunion)


def can_vote_in_poll(access: Access, poll: DatePoll) -> bool:
    """The people concerned by an open date poll (those invited) give their availabilities; guests only read."""
    from reunions.models import DatePoll as P

    membership = access.membership
    return bool(
        membership
        and access.can_write
        and poll.status == P.Status.OPEN
        and poll.reunion.invitations.filter(membership=membership).exists()
    )


def can_upload_document(access: Access, obj=None) -> bool:
    """Members and coordinators attach documents to a meeting; guests only read them."""
    return access.can_write
