"""The platform's own records: the outbox (every e-mail, recorded with the change that causes it, then sent
by a worker) and the legal pages' text."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from core import legal


class LegalPage(models.Model):
    """The text of one of the legal pages (mentions légales, confidentialité, accessibilité), edited by a
    superuser in the administration; without a row, the default text of core.legal is shown."""

    slug = models.SlugField(_("page"), max_length=40, unique=True, choices=list(legal.TITLES.items()))
    body = models.TextField(
        _("texte"),
        max_length=30_000,
        help_text=_(
            "Paragraphes séparés par une ligne vide ; « ## » en début de paragraphe pour un intertitre ; "
            "« - » en début de ligne pour une liste. Pas de HTML."
        ),
    )
    updated_at = models.DateTimeField(_("mise à jour le"), auto_now=True)

    class Meta:
        verbose_name = _("page légale")
        verbose_name_plural = _("pages légales")
        ordering = ["slug"]

    def __str__(self) -> str:
        return str(legal.TITLES.get(self.slug, self.slug))


class OutboxMessageQuerySet(models.QuerySet):
    def for_reunion(self, reunion_id: int) -> OutboxMessageQuerySet:
        return self.filter(reunion_id=reunion_id)


class OutboxMessage(models.Model):
    """One e-mail to one address. Queued once: `key` is unique, so a service or task run twice queues nothing more;
    sent once: a worker claims the row (« sending ») before the mail leaves and marks it « sent » right after the
    mail server accepted it.

    `core` is the lowest layer: the collectif and the reunion the mail belongs to are kept by id (no foreign key to
    a higher app), so that the coordinator's page can count a reunion's mails; a mail outlives what caused it."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("En attente")
        SENDING = "sending", _("En cours d'envoi")
        SENT = "sent", _("Envoyé")
        FAILED = "failed", _("Échec")
        SKIPPED = "skipped", _("Remplacé")

    key = models.CharField(_("clé"), max_length=200, unique=True)
    to = models.CharField(_("destinataire"), max_length=254)
    subject = models.TextField(_("objet"))
    body = models.TextField(_("texte"))
    html_body = models.TextField(_("texte HTML"), blank=True)
    from_email = models.CharField(_("expéditeur"), max_length=254, blank=True)
    # Where a reply goes (a discussion's signed reply address), when it is not the sender.
    reply_to = models.CharField(_("adresse de réponse"), max_length=254, blank=True)
    # [{"name": ..., "content": ..., "mimetype": ..., "base64": bool}]
    attachments = models.JSONField(_("pièces jointes"), default=list, blank=True)
    # A mail carrying a secret (a one-time link) keeps its text only until it has left.
    erase_after_send = models.BooleanField(_("effacer le texte une fois envoyé"), default=False)
    # Further headers: {"Auto-Submitted": "auto-replied"} on the answer to a refused e-mail reply (no loop of automatic
    # mails), {"In-Reply-To": "<...>"} to thread it under the mail it answers.
    headers = models.JSONField(_("en-têtes"), default=dict, blank=True)
    collectif_id = models.BigIntegerField(_("collectif"), null=True, blank=True)
    reunion_id = models.BigIntegerField(_("réunion"), null=True, blank=True, db_index=True)
    status = models.CharField(_("état"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveIntegerField(_("tentatives"), default=0)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    next_attempt_at = models.DateTimeField(_("prochaine tentative"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("pris en charge le"), null=True, blank=True)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)
    last_error = models.TextField(_("dernière erreur"), blank=True)

    objects = OutboxMessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("e-mail sortant")
        verbose_name_plural = _("e-mails sortants")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_status_next")]

    def __str__(self) -> str:
        return self.key
