"""Opening a thread on the collectif, a groupe de tâches, an action or a document, with its first message."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from discussions.models import Message, Thread
from discussions.services.messages import check_writer, message_post
from membres.models import User

logger = logging.getLogger(__name__)


@transaction.atomic
def thread_open(
    *,
    collectif,
    by: User,
    title: str,
    body_html: str,
    groupe=None,
    action=None,
    document=None,
    attachments: Iterable = (),
) -> Thread:
    """Open a thread with its first message. The subject (at most one of groupe, action, document) belongs to the
    collectif; a document in the bin cannot be discussed. The opener follows the thread, the people mentioned in
    the first message too (discussions.services.messages.message_post)."""
    subjects = [s for s in (groupe, action, document) if s is not None]
    if len(subjects) > 1:
        raise ValidationError(_("Une discussion porte sur un seul sujet : un groupe, une action ou un document."))
    if subjects and subjects[0].collectif_id != collectif.pk:
        raise ValidationError(_("Ce sujet appartient à un autre collectif."))
    if document is not None and document.deleted_at is not None:
        raise ValidationError(_("Ce document est à la corbeille : restaurez-le pour en discuter."))
    title = " ".join((title or "").split())
    if not title:
        raise ValidationError(_("Donnez un sujet à la discussion."))
    check_writer(collectif_id=collectif.pk, user=by)
    now = timezone.now()
    thread = Thread.objects.create(
        collectif=collectif,
        groupe=groupe,
        action=action,
        document=document,
        title=title[:200],
        created_by=by,
        created_at=now,
        last_message_at=now,
    )
    message_post(thread=thread, by=by, body_html=body_html, source=Message.Source.WEB, attachments=attachments)
    logger.info(
        "thread_open thread=%s collectif=%s subject=%s user=%s", thread.pk, collectif.pk, thread.subject_kind, by.pk
    )
    return thread
