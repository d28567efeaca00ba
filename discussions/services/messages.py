"""Posting a message in a thread.

Minimal stand-in written on the `reply-by-email` branch for its tests, with the contract agreed with the
`discussions` branch, whose full service (notifications, mentions, attachments) replaces this file at merge.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import F

from discussions.models import Follow, Message, Thread
from membres.models import User

logger = logging.getLogger(__name__)


def message_post(
    *,
    thread: Thread,
    by: User,
    body_html: str,
    source: str = Message.Source.EMAIL,
    email_message_id: str = "",
    attachments: Iterable = (),
) -> tuple[Message, bool]:
    """Post `body_html` (already sanitized) in `thread` as `by`, who then follows it. With an `email_message_id`
    already posted in the thread, nothing changes and that message is returned with created False."""
    if email_message_id:
        existing = Message.objects.filter(thread=thread, email_message_id=email_message_id).first()
        if existing is not None:
            return existing, False
    try:
        with transaction.atomic():
            message = Message.objects.create(
                thread=thread, author=by, body=body_html, source=source, email_message_id=email_message_id
            )
            Thread.objects.filter(pk=thread.pk).update(
                last_message_at=message.created_at, message_count=F("message_count") + 1
            )
            Follow.objects.update_or_create(
                thread=thread, user=by, defaults={"active": True}, create_defaults={"reason": Follow.Reason.WROTE}
            )
    except IntegrityError:
        # The same e-mail received twice at the same moment: the other delivery posted it.
        return Message.objects.get(thread=thread, email_message_id=email_message_id), False
    logger.info("message_post thread=%s message=%s source=%s by=%s", thread.pk, message.pk, source, by.pk)
    return message, True
