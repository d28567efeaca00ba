"""What a person has read: one ReadMark per (thread, person), moved forward only."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, Q

from discussions.models import NEVER, Message, ReadMark, Thread
from membres.models import User


def thread_mark_read(*, thread: Thread, by: User, up_to: datetime) -> None:
    """The person has read the thread up to `up_to` (the last message they saw); the mark never moves back."""
    updated = ReadMark.objects.filter(thread=thread, user=by, read_at__lt=up_to).update(read_at=up_to)
    if not updated:
        ReadMark.objects.get_or_create(thread=thread, user=by, defaults={"read_at": up_to})


def unread_counts(*, user: User, threads) -> dict[int, int]:
    """Messages of others not read yet by `user`, per thread id (threads without any are left out)."""
    marks = dict(ReadMark.objects.filter(user=user, thread__in=threads).values_list("thread_id", "read_at"))
    query = Q()
    for thread in threads:
        pk = thread if isinstance(thread, int) else thread.pk
        query |= Q(thread_id=pk, created_at__gt=marks.get(pk, NEVER))
    if not query:
        return {}
    rows = (
        Message.objects.filter(query)
        .exclude(author=user)
        .values("thread_id")
        .annotate(n=Count("pk"))
        .values_list("thread_id", "n")
    )
    return dict(rows)


def unread_total(*, user: User, collectif) -> int:
    """Unread messages of the threads of a collectif that `user` follows."""
    return sum(
        t.unread for t in Thread.objects.filter(collectif=collectif).followed_by(user).with_reading(user).only("pk")
    )
