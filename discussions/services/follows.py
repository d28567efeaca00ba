"""Who follows a thread. A person follows when they write in it, are mentioned in it, or choose to; an explicit
unfollow is kept (`Follow.active` false) until the person writes or is mentioned again."""

from __future__ import annotations

import logging

from django.db import transaction

from discussions.models import Follow, Thread
from membres.models import User

logger = logging.getLogger(__name__)


def follow_ensure(*, thread: Thread, user_id: int, reason: str) -> bool:
    """Make the person a follower because they wrote or were mentioned (brings back someone who had unfollowed).
    Returns True when they were not following."""
    follow, created = Follow.objects.get_or_create(thread=thread, user_id=user_id, defaults={"reason": reason})
    if created:
        return True
    if not follow.active:
        Follow.objects.filter(pk=follow.pk).update(active=True, reason=reason)
        return True
    return False


@transaction.atomic
def thread_follow(*, thread: Thread, by: User) -> None:
    """The person chooses to follow the thread: its new messages reach them (by e-mail, as their profile says)."""
    follow, created = Follow.objects.get_or_create(thread=thread, user=by, defaults={"reason": Follow.Reason.CHOSE})
    if not created and not follow.active:
        Follow.objects.filter(pk=follow.pk).update(active=True, reason=Follow.Reason.CHOSE)
    logger.info("thread_follow thread=%s user=%s", thread.pk, by.pk)


@transaction.atomic
def thread_unfollow(*, thread: Thread, by: User) -> None:
    """The person stops following: kept as an inactive follow, so that only writing or being mentioned again makes
    them follow it again. Messages already waiting for their daily digest are still sent."""
    Follow.objects.update_or_create(
        thread=thread,
        user=by,
        defaults={"active": False},
        create_defaults={"active": False, "reason": Follow.Reason.CHOSE},
    )
    logger.info("thread_unfollow thread=%s user=%s", thread.pk, by.pk)
