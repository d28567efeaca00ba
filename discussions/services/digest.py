"""The daily digest: each morning (beat, 7:00 Europe/Paris) one e-mail per person with every message waiting for
them (PendingNotification), grouped by thread. A digest cannot carry one reply address per thread: it links each
thread instead.

Sent once even if the task runs twice or on two workers at the same time: a person's waiting rows are locked
(`SKIP LOCKED`) and marked sent in the transaction that queues the mail, whose outbox key names those rows."""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import datetime

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import ngettext

from core.outbox import mail_queue
from discussions.models import PendingNotification
from discussions.services.notify import attachment_links, author_name, thread_links
from discussions.text import html_to_text
from membres.models import Membership, User

logger = logging.getLogger(__name__)

Pref = User.DiscussionNotifications


def digests_send(*, now: datetime | None = None) -> int:
    """Send every person their waiting messages in one e-mail; returns the number of digests queued."""
    now = now or timezone.now()
    user_ids = list(
        PendingNotification.objects.filter(sent_at__isnull=True)
        .order_by("user_id")
        .values_list("user_id", flat=True)
        .distinct()
    )
    sent = 0
    for user_id in user_ids:
        with transaction.atomic():
            sent += _digest_send(user_id=user_id, now=now)
    logger.info("digests_send people=%s digests=%s", len(user_ids), sent)
    return sent


def _digest_send(*, user_id: int, now: datetime) -> int:
    rows = list(
        PendingNotification.objects.filter(user_id=user_id, sent_at__isnull=True)
        .select_for_update(skip_locked=True, of=("self",))
        .select_related("user", "message__author", "message__thread__collectif")
        .prefetch_related("message__attachments")
        .order_by("message__created_at", "pk")
    )
    if not rows:
        return 0  # another run holds them, or sent them already
    PendingNotification.objects.filter(pk__in=[r.pk for r in rows]).update(sent_at=now)
    user = rows[0].user
    if not user.is_active or user.notify_discussions == Pref.NONE:
        return 0  # they chose « jamais » since: what waited is dropped
    member_of = set(
        Membership.objects.active().filter(user_id=user_id).values_list("collectif_id", flat=True).distinct()
    )
    threads: dict[int, dict] = {}
    by_thread: dict[int, list] = defaultdict(list)
    for row in rows:
        message = row.message
        thread = message.thread
        if thread.collectif_id not in member_of:
            continue  # no longer a member of that collectif
        threads.setdefault(thread.pk, {"thread": thread, **thread_links(thread)})
        by_thread[thread.pk].append(
            {
                "author_name": author_name(message),
                "created_at": message.created_at,
                "text": html_to_text(message.body),
                "body": message.body,
                "attachments": attachment_links(message),
            }
        )
    if not by_thread:
        return 0
    groups = sorted(
        ({**threads[pk], "messages": messages} for pk, messages in by_thread.items()),
        key=lambda g: (g["thread"].collectif.name, -g["messages"][-1]["created_at"].timestamp()),
    )
    count = sum(len(g["messages"]) for g in groups)
    collectifs = sorted({g["thread"].collectif.name for g in groups})
    subject = ngettext(
        "%(count)s nouveau message dans vos discussions", "%(count)s nouveaux messages dans vos discussions", count
    ) % {"count": count}
    if len(collectifs) == 1:
        subject = f"[{collectifs[0]}] {subject}"
    context = {
        "user": user,
        "groups": groups,
        "count": count,
        "profile_url": groups[0]["profile_url"],
        "site_url": settings.SITE_URL,
    }
    mail_queue(
        key=f"discussion-digest:{user_id}:{rows[0].pk}-{rows[-1].pk}-{len(rows)}",
        to=user.email,
        subject=subject,
        body=render_to_string("discussions/email/digest.txt", context),
        html_body=render_to_string("discussions/email/digest.html", context),
        collectif_id=groups[0]["thread"].collectif_id if len(collectifs) == 1 else None,
    )
    logger.info("digest_send user=%s messages=%s threads=%s", user_id, count, len(groups))
    return 1


@shared_task(name="discussions.tasks.send_daily_digests")
def send_daily_digests() -> int:
    """Every morning at 7:00 (CELERY_BEAT_SCHEDULE). Safe to run twice: what was sent is marked."""
    return digests_send()
