"""Telling followers about a new message: at once (one e-mail per message), in the daily digest (a
PendingNotification row, sent by discussions.services.digest), or never — each person's choice in their profile
(`User.notify_discussions`).

Who: the thread's active followers, except the author, people whose account is disabled and people who are no
longer members of the collectif (a membership ended: they no longer read it)."""

from __future__ import annotations

from email.utils import parseaddr

from django.conf import settings
from django.db.models import Exists, OuterRef, QuerySet
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from core.outbox import mail_queue
from discussions.models import Message, PendingNotification, Thread
from discussions.replies import reply_address
from discussions.text import html_to_text
from membres.models import Membership, User

Pref = User.DiscussionNotifications


def still_members(users: QuerySet, collectif_id: int) -> QuerySet:
    """The people of `users` who are members of the collectif today (guests included: they read)."""
    return users.filter(
        Exists(Membership.objects.active().filter(user=OuterRef("pk"), collectif_id=collectif_id)), is_active=True
    )


def recipients(*, thread: Thread, author_id: int | None) -> QuerySet:
    """Who gets a new message of the thread (whatever their preference)."""
    followers = User.objects.filter(thread_follows__thread=thread, thread_follows__active=True)
    if author_id is not None:
        followers = followers.exclude(pk=author_id)
    # Guests read but do not write: their notifications carry no reply address.
    writes = Membership.objects.active().filter(user=OuterRef("pk"), collectif_id=thread.collectif_id)
    return (
        still_members(followers, thread.collectif_id)
        .annotate(writes=Exists(writes.exclude(role=Membership.Role.GUEST)))
        .only("pk", "email", "first_name", "last_name", "notify_discussions")
    )


def thread_links(thread: Thread) -> dict[str, str]:
    url = settings.SITE_URL + thread.get_absolute_url()
    return {
        "thread_url": url,
        "unfollow_url": url + "#suivi",
        "profile_url": settings.SITE_URL + reverse("membres:profil"),
    }


def author_name(message: Message) -> str:
    return str(message.author) if message.author_id else str(_("ancien membre"))


def attachment_links(message: Message) -> list[tuple[str, str]]:
    links = []
    for document in message.attachments.all():
        try:
            url = settings.SITE_URL + document.get_absolute_url()
        except NoReverseMatch:  # pragma: no cover - the documents app always provides its detail page
            url = ""
        links.append((document.title, url))
    return links


def sender_for(message: Message) -> str:
    """« Nadia Haddad (Persévérance scolaire) <ne-pas-repondre@…> »: the platform's address, the author's name."""
    site_name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    label = f"{author_name(message)} ({site_name})" if site_name else author_name(message)
    # Kept readable in the outbox; core.outbox encodes it once when the mail leaves.
    label = " ".join(label.replace('"', "'").replace("\\", " ").split())
    return f'"{label}" <{address}>'


def subject_for(thread: Thread) -> str:
    return f"[{thread.collectif.name}] {thread.title}"


def message_notify(*, message: Message, thread: Thread) -> dict[str, int]:
    """Queue the new message for each follower who gets it: an e-mail now, or a row for the daily digest.
    Idempotent: the outbox key and the pending row are unique per (message, person)."""
    counts = {"immediate": 0, "digest": 0}
    people = list(recipients(thread=thread, author_id=message.author_id))
    if not people:
        return counts
    digest = [u for u in people if u.notify_discussions == Pref.DIGEST]
    if digest:
        PendingNotification.objects.bulk_create(
            [PendingNotification(user=u, message=message) for u in digest], ignore_conflicts=True
        )
        counts["digest"] = len(digest)
    immediate = [u for u in people if u.notify_discussions == Pref.IMMEDIATE]
    if immediate:
        context = {
            "thread": thread,
            "collectif": thread.collectif,
            "message": message,
            "author_name": author_name(message),
            "text": html_to_text(message.body),
            "attachments": attachment_links(message),
            **thread_links(thread),
        }
        sender, subject = sender_for(message), subject_for(thread)
        for user in immediate:
            reply_to = reply_address(user, thread) if user.writes else ""
            personal = {**context, "user": user, "reply_address": reply_to}
            mail_queue(
                key=f"discussion-message:{message.pk}:{user.pk}",
                to=user.email,
                subject=subject,
                body=render_to_string("discussions/email/message.txt", personal),
                html_body=render_to_string("discussions/email/message.html", personal),
                from_email=sender,
                reply_to=reply_to,
                collectif_id=thread.collectif_id,
            )
        counts["immediate"] = len(immediate)
    return counts
