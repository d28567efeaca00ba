"""Discussions between meetings: threads on the collectif, a groupe de tâches, an action or a document.

Each question between two plénières used to be an e-mail with twenty people in copy. A thread keeps it in one place:
messages are limited rich text (core.html rules), followers get each new message by e-mail (at once or in a daily
digest, their choice in the profile) and may answer by replying to that e-mail (discussions.inbound).
"""

from __future__ import annotations

from datetime import UTC, datetime

from django.conf import settings
from django.db import models
from django.db.models import Case, Count, Exists, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from collectifs.models import CollectifOwnedQuerySet

# Before every message: a person who never opened a thread has read nothing of it.
NEVER = datetime(2000, 1, 1, tzinfo=UTC)


class ThreadQuerySet(CollectifOwnedQuerySet):
    def with_reading(self, user) -> ThreadQuerySet:
        """Annotate what `user` has not read: `read_at` (their read mark, or None), `unread` (messages of others
        after it), `has_unread` (0/1, for ordering) and `followed` (they follow it). One query whatever the rows."""
        read_at = ReadMark.objects.filter(thread=OuterRef("pk"), user=user).values("read_at")[:1]
        unread = (
            Message.objects.filter(thread=OuterRef("pk"), created_at__gt=Coalesce(OuterRef("read_at"), Value(NEVER)))
            .exclude(author=user)
            .order_by()
            .values("thread")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return self.annotate(read_at=Subquery(read_at)).annotate(
            unread=Coalesce(Subquery(unread), 0),
            followed=Exists(Follow.objects.filter(thread=OuterRef("pk"), user=user, active=True)),
            has_unread=Case(When(unread__gt=0, then=Value(1)), default=Value(0)),
        )

    def followed_by(self, user) -> ThreadQuerySet:
        return self.filter(follows__user=user, follows__active=True)

    def on_subject(self, kind: str) -> ThreadQuerySet:
        """Threads on the collectif itself, or on a groupe, an action or a document (`Thread.Subject`)."""
        if kind == Thread.Subject.COLLECTIF:
            return self.filter(groupe__isnull=True, action__isnull=True, document__isnull=True)
        return self.filter(**{f"{kind}__isnull": False})

    def for_lists(self) -> ThreadQuerySet:
        """What a list shows of each thread: its subject's name, its author."""
        return self.select_related("collectif", "groupe", "action", "document", "created_by")


class Thread(models.Model):
    """A discussion. On the collectif when no subject is set; otherwise on exactly one of groupe, action, document."""

    class Subject(models.TextChoices):
        COLLECTIF = "collectif", _("le collectif")
        GROUPE = "groupe", _("un groupe de tâches")
        ACTION = "action", _("une action")
        DOCUMENT = "document", _("un document")

    collectif = models.ForeignKey(
        "collectifs.Collectif", verbose_name=_("collectif"), on_delete=models.PROTECT, related_name="threads"
    )
    groupe = models.ForeignKey(
        "reunions.GroupeDeTaches",
        verbose_name=_("groupe de tâches"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="threads",
    )
    action = models.ForeignKey(
        "actions.Action",
        verbose_name=_("action"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="threads",
    )
    # Emptying the bin deletes a document for good; its discussions stay, as discussions of the collectif.
    document = models.ForeignKey(
        "documents.Document",
        verbose_name=_("document"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="threads",
    )
    title = models.CharField(_("sujet"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("ouverte par"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("ouverte le"), default=timezone.now)
    # Denormalised by the service that posts a message: lists and the home's recent activity read them directly.
    last_message_at = models.DateTimeField(_("dernier message le"), default=timezone.now)
    message_count = models.PositiveIntegerField(_("messages"), default=0)

    objects = ThreadQuerySet.as_manager()

    class Meta:
        verbose_name = _("discussion")
        verbose_name_plural = _("discussions")
        ordering = ["-last_message_at", "-pk"]
        indexes = [models.Index(fields=["collectif", "-last_message_at"], name="thread_recent")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(groupe__isnull=True, action__isnull=True)
                    | models.Q(groupe__isnull=True, document__isnull=True)
                    | models.Q(action__isnull=True, document__isnull=True)
                ),
                name="thread_one_subject",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("discussions:thread", kwargs={"collectif_slug": self.collectif.slug, "pk": self.pk})

    @property
    def subject_kind(self) -> str:
        for kind in ("groupe", "action", "document"):
            if getattr(self, f"{kind}_id") is not None:
                return kind
        return self.Subject.COLLECTIF

    @property
    def subject(self):
        """The groupe, action or document the thread is about (None: the collectif)."""
        kind = self.subject_kind
        return None if kind == self.Subject.COLLECTIF else getattr(self, kind)

    @property
    def subject_url(self) -> str:
        subject = self.subject
        if subject is None:
            return ""
        if self.groupe_id is not None:
            # GroupeDeTaches has no get_absolute_url (its page takes `groupe_pk`).
            return reverse(
                "reunions:groupe_detail", kwargs={"collectif_slug": self.collectif.slug, "groupe_pk": self.groupe_id}
            )
        return subject.get_absolute_url()

    @property
    def subject_label(self) -> str:
        """« Groupe de tâches « Accueil des exclus » », shown under the title and in e-mails."""
        subject = self.subject
        if subject is None:
            return str(_("Discussion du collectif"))
        names = {"groupe": _("Groupe de tâches"), "action": _("Action"), "document": _("Document")}
        return f"{names[self.subject_kind]} « {subject} »"


class Message(models.Model):
    class Source(models.TextChoices):
        WEB = "web", _("Site")
        EMAIL = "email", _("Réponse par e-mail")

    thread = models.ForeignKey(Thread, verbose_name=_("discussion"), on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("auteur"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Sanitised HTML (core.html.clean_html): stored clean, rendered as is.
    body = models.TextField(_("message"))
    source = models.CharField(_("envoyé depuis"), max_length=10, choices=Source.choices, default=Source.WEB)
    # The Message-ID of the e-mail a reply came from: the same reply received twice is posted once.
    email_message_id = models.CharField(_("identifiant de l'e-mail"), max_length=255, blank=True)
    # Files sent with a message go to the document space (the thread's folder) and are linked here.
    attachments = models.ManyToManyField(
        "documents.Document", verbose_name=_("pièces jointes"), blank=True, related_name="messages"
    )
    created_at = models.DateTimeField(_("écrit le"), default=timezone.now)
    edited_at = models.DateTimeField(_("modifié le"), null=True, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["thread", "created_at", "pk"]
        indexes = [models.Index(fields=["thread", "created_at"], name="message_thread_order")]
        constraints = [
            models.UniqueConstraint(
                fields=["thread", "email_message_id"],
                condition=~models.Q(email_message_id=""),
                name="message_unique_email",
            )
        ]

    def __str__(self) -> str:
        return f"{self.thread} — {self.created_at:%d/%m/%Y %H:%M}"


class Follow(models.Model):
    """Who gets a thread's new messages. A person follows when they write, are mentioned or choose to; an
    unfollow is kept (`active` false) so that writing again or being mentioned is what brings them back."""

    class Reason(models.TextChoices):
        WROTE = "ecrit", _("a écrit")
        MENTIONED = "mentionne", _("a été mentionné")
        CHOSE = "choisi", _("a choisi de suivre")

    thread = models.ForeignKey(Thread, verbose_name=_("discussion"), on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("personne"), on_delete=models.CASCADE, related_name="thread_follows"
    )
    reason = models.CharField(_("raison"), max_length=20, choices=Reason.choices)
    active = models.BooleanField(_("suit"), default=True)
    created_at = models.DateTimeField(_("depuis le"), default=timezone.now)

    class Meta:
        verbose_name = _("abonnement à une discussion")
        verbose_name_plural = _("abonnements aux discussions")
        constraints = [models.UniqueConstraint(fields=["thread", "user"], name="follow_unique")]

    def __str__(self) -> str:
        return f"{self.user} → {self.thread}"


class ReadMark(models.Model):
    """Up to when a person has read a thread: messages after it are marked unread for them."""

    thread = models.ForeignKey(
        Thread, verbose_name=_("discussion"), on_delete=models.CASCADE, related_name="read_marks"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("personne"), on_delete=models.CASCADE, related_name="+"
    )
    read_at = models.DateTimeField(_("lu jusqu'au"))

    class Meta:
        verbose_name = _("lecture")
        verbose_name_plural = _("lectures")
        constraints = [models.UniqueConstraint(fields=["thread", "user"], name="readmark_unique")]

    def __str__(self) -> str:
        return f"{self.user} : {self.thread} lu jusqu'au {self.read_at:%d/%m/%Y %H:%M}"


class PendingNotification(models.Model):
    """A new message owed to a follower who chose the daily digest; the digest task sends them together, once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("personne"), on_delete=models.CASCADE, related_name="+"
    )
    message = models.ForeignKey(Message, verbose_name=_("message"), on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification en attente")
        verbose_name_plural = _("notifications en attente")
        constraints = [models.UniqueConstraint(fields=["user", "message"], name="pending_notification_unique")]
        indexes = [models.Index(fields=["user"], condition=models.Q(sent_at__isnull=True), name="pending_unsent")]

    def __str__(self) -> str:
        return f"{self.user} ← message {self.message_id}"
