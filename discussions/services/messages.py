"""Messages: posting (from the site or, through discussions.inbound, from a reply by e-mail) and editing."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from discussions import mentions
from discussions.models import Follow, Message, ReadMark, Thread
from discussions.services.follows import follow_ensure
from discussions.services.notify import message_notify
from discussions.text import body_clean, has_text, html_to_text
from membres.models import Membership, User

logger = logging.getLogger(__name__)


def check_writer(*, collectif_id: int, user: User) -> None:
    """Only the collectif's members and coordinators write in its discussions (guests read); a person who left the
    collectif no longer writes (a reply by e-mail from them is refused here too)."""
    if user.is_superuser:
        return
    writes = (
        Membership.objects.active()
        .filter(collectif_id=collectif_id, user=user, role__in=[Membership.Role.COORDINATOR, Membership.Role.MEMBER])
        .exists()
    )
    if not writes or not user.is_active:
        raise ValidationError(_("Seuls les membres du collectif écrivent dans ses discussions."))


def _mentioned(thread: Thread, body: str, by: User) -> set[int]:
    people = mentions.mentionable(thread.collectif_id, exclude_user_id=by.pk)
    return mentions.mentioned_in(html_to_text(body), people)


def _attach(message: Message, attachments: Iterable, by: User) -> None:
    """Files sent with a message go to the document space, in the thread's folder: the groupe's folder for a
    thread on a groupe de tâches, the document's own folder for a thread on a document, the collectif's shared
    references otherwise. A Document already in the space is linked as it is."""
    from documents import services as documents
    from documents.models import Document

    thread = message.thread
    docs = []
    folder = None
    for item in attachments:
        if isinstance(item, Document):
            if item.collectif_id != thread.collectif_id:
                raise ValidationError(_("Ce document appartient à un autre collectif."))
            docs.append(item)
            continue
        if folder is None:
            if thread.document_id is not None:
                folder = thread.document.folder
            elif thread.groupe_id is not None:
                folder = documents.folder_for_groupe(groupe=thread.groupe, by=by)
            else:
                folder = documents.folder_for_references(collectif=thread.collectif)
        docs.append(
            documents.document_create(
                collectif=thread.collectif,
                folder=folder,
                title=getattr(item, "name", "") or _("Pièce jointe"),
                upload=item,
                note=_("Joint au message de la discussion « %(title)s ».") % {"title": thread.title},
                by=by,
            )
        )
    if docs:
        message.attachments.add(*docs)


@transaction.atomic
def message_post(
    *,
    thread: Thread,
    by: User,
    body_html: str,
    source: str = Message.Source.WEB,
    email_message_id: str = "",
    attachments: Iterable = (),
) -> tuple[Message, bool]:
    """Post a message in a thread as `by`; returns (message, created).

    `body_html`: limited HTML (core.html rules) or plain text, sanitised here. `email_message_id`: the Message-ID of
    the e-mail a reply came from; the same e-mail received twice posts once (the second call returns the first
    message with created False). `attachments`: uploaded files (stored in the thread's folder of the document
    space) or documents.Document objects of the collectif.

    The author follows the thread (again, if they had unfollowed) and has read it up to their message; every
    person mentioned with « @Prénom Nom » follows it; then each follower but the author gets the message, at once
    or in their daily digest (discussions.services.notify).
    """
    email_message_id = (email_message_id or "").strip()[:255]
    # The thread row is locked first: two copies of one reply arriving together post once, and the counters of
    # concurrent posts add up.
    locked = Thread.objects.select_for_update().get(pk=thread.pk)
    if email_message_id:
        existing = Message.objects.filter(thread=thread, email_message_id=email_message_id).first()
        if existing is not None:
            return existing, False
    check_writer(collectif_id=thread.collectif_id, user=by)
    body = body_clean(body_html)
    if not has_text(body):
        raise ValidationError(_("Le message est vide."))
    now = timezone.now()
    message = Message.objects.create(
        thread=thread, author=by, body=body, source=source, email_message_id=email_message_id, created_at=now
    )
    Thread.objects.filter(pk=thread.pk).update(last_message_at=now, message_count=F("message_count") + 1)
    thread.last_message_at, thread.message_count = now, locked.message_count + 1
    attachments = list(attachments)
    if attachments:
        _attach(message, attachments, by)
    follow_ensure(thread=thread, user_id=by.pk, reason=Follow.Reason.WROTE)
    mentioned = _mentioned(thread, body, by)
    for user_id in sorted(mentioned):
        follow_ensure(thread=thread, user_id=user_id, reason=Follow.Reason.MENTIONED)
    ReadMark.objects.update_or_create(thread=thread, user=by, defaults={"read_at": now})
    message_notify(message=message, thread=thread)
    logger.info(
        "message_post message=%s thread=%s source=%s mentions=%s user=%s",
        message.pk,
        thread.pk,
        source,
        len(mentioned),
        by.pk,
    )
    return message, True


@transaction.atomic
def message_edit(*, message: Message, by: User, body_html: str) -> Message:
    """Amend a message (its author, or a coordinator removing what must not be there). A person newly mentioned
    follows the thread; no e-mail is sent for an edit."""
    body = body_clean(body_html)
    if not has_text(body):
        raise ValidationError(_("Le message est vide."))
    if body == message.body:
        return message
    message.body = body
    message.edited_at = timezone.now()
    message.save(update_fields=["body", "edited_at"])
    for user_id in sorted(_mentioned(message.thread, body, message.author or by)):
        follow_ensure(thread=message.thread, user_id=user_id, reason=Follow.Reason.MENTIONED)
    logger.info("message_edit message=%s user=%s", message.pk, by.pk)
    return message
