from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from collectifs.models import CollectifOwnedQuerySet
from core.storage import private_storage


class ActionQuerySet(CollectifOwnedQuerySet):
    def open(self) -> ActionQuerySet:
        """Actions still to carry out: idée, en préparation, en cours."""
        return self.filter(status__in=Action.OPEN_STATUSES)

    def active_during(self, start, end) -> ActionQuerySet:
        """Actions whose dates meet [start, end]; an action without a start date counts from its creation."""
        started = models.Q(starts_on__lte=end) | models.Q(starts_on__isnull=True, created_at__date__lte=end)
        not_ended = models.Q(ends_on__gte=start) | models.Q(ends_on__isnull=True)
        return self.filter(started & not_ended)


class Action(models.Model):
    """Something the collectif does, thought together and often carried out by one partner (seed 000)."""

    class Status(models.TextChoices):
        IDEA = "idee", _("Idée")
        PREPARATION = "preparation", _("En préparation")
        IN_PROGRESS = "en_cours", _("En cours")
        DONE = "realisee", _("Réalisée")
        ABANDONED = "abandonnee", _("Abandonnée")

    # The forward order of statuses; abandonnée is reachable from any open status (with a reason).
    STATUS_ORDER = [Status.IDEA, Status.PREPARATION, Status.IN_PROGRESS, Status.DONE]
    OPEN_STATUSES = [Status.IDEA, Status.PREPARATION, Status.IN_PROGRESS]

    collectif = models.ForeignKey(
        "collectifs.Collectif", verbose_name=_("collectif"), on_delete=models.PROTECT, related_name="actions"
    )
    title = models.CharField(_("titre"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    themes = models.ManyToManyField("collectifs.Theme", verbose_name=_("thèmes"), blank=True, related_name="actions")
    dispositifs = models.ManyToManyField(
        "collectifs.Dispositif", verbose_name=_("dispositifs"), blank=True, related_name="actions"
    )
    lead_institution = models.ForeignKey(
        "collectifs.Institution",
        verbose_name=_("institution porteuse"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="actions_led",
    )
    partner_institutions = models.ManyToManyField(
        "collectifs.Institution",
        verbose_name=_("institutions partenaires"),
        blank=True,
        related_name="actions_partnered",
    )
    referents = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("référents"), blank=True, related_name="actions_referent"
    )
    target_public = models.CharField(
        _("public visé"), max_length=255, blank=True, help_text=_("Par exemple : élèves de 4e, parents d'élèves")
    )
    status = models.CharField(_("statut"), max_length=20, choices=Status.choices, default=Status.IDEA)
    abandon_reason = models.TextField(_("raison de l'abandon"), blank=True)
    starts_on = models.DateField(_("début"), null=True, blank=True)
    ends_on = models.DateField(_("fin"), null=True, blank=True)
    origin = models.ForeignKey(
        "reunions.Decision",
        verbose_name=_("décision d'origine"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actions",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("créée par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("créée le"), default=timezone.now)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    objects = ActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["collectif", "status"]),
            models.Index(fields=["collectif", "-created_at"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("actions:detail", kwargs={"collectif_slug": self.collectif.slug, "pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def allowed_next_statuses(self) -> list[str]:
        """Forward statuses, then abandonnée while the action is open. A closed action no longer moves."""
        if not self.is_open:
            return []
        position = self.STATUS_ORDER.index(self.status)
        return [*self.STATUS_ORDER[position + 1 :], self.Status.ABANDONED]


def journal_attachment_path(instance: JournalEntry, filename: str) -> str:
    # A random name: the user's file name is kept in `attachment_name`, never used as a path.
    suffix = Path(filename).suffix.lower()[:10]
    return f"actions/journal/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class JournalEntry(models.Model):
    """A dated entry of an action's journal, written by a member: a step, a difficulty, a result or a note."""

    class Kind(models.TextChoices):
        STEP = "etape", _("Étape")
        DIFFICULTY = "difficulte", _("Difficulté")
        RESULT = "resultat", _("Résultat")
        NOTE = "note", _("Note")

    action = models.ForeignKey(Action, verbose_name=_("action"), on_delete=models.CASCADE, related_name="journal")
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.STEP)
    date = models.DateField(_("date"), default=timezone.localdate)
    text = models.TextField(_("texte"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="action_journal_entries",
    )
    # Private storage (core.storage): served only by actions.views.journal_attachment, which checks access.
    attachment = models.FileField(
        _("pièce jointe"), upload_to=journal_attachment_path, storage=private_storage, blank=True, max_length=255
    )
    attachment_name = models.CharField(_("nom du fichier"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("écrite le"), default=timezone.now)
    updated_at = models.DateTimeField(_("modifiée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("entrée de journal")
        verbose_name_plural = _("entrées de journal")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["action", "-date"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} du {self.date:%d/%m/%Y}"


class JournalEntryVersion(models.Model):
    """A previous state of a journal entry, kept at each edit so that nothing written is lost."""

    entry = models.ForeignKey(
        JournalEntry, verbose_name=_("entrée"), on_delete=models.CASCADE, related_name="versions"
    )
    kind = models.CharField(_("type"), max_length=20, choices=JournalEntry.Kind.choices)
    date = models.DateField(_("date"))
    text = models.TextField(_("texte"))
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("modifiée par"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    replaced_at = models.DateTimeField(_("remplacée le"), default=timezone.now)

    class Meta:
        verbose_name = _("version précédente")
        verbose_name_plural = _("versions précédentes")
        ordering = ["-replaced_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.entry} (version du {self.replaced_at:%d/%m/%Y %H:%M})"


class FollowupNudge(models.Model):
    """The monthly « Où en êtes-vous ? » digest sent to one referent: one row per (user, month), so a beat that
    runs twice, or a task retried after a crash, never sends the same month's digest twice."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("personne"), on_delete=models.CASCADE, related_name="+"
    )
    month = models.DateField(_("mois"), help_text=_("Premier jour du mois"))
    action_count = models.PositiveIntegerField(_("actions concernées"), default=0)
    sent_at = models.DateTimeField(_("envoyée le"), default=timezone.now)

    class Meta:
        verbose_name = _("relance de suivi")
        verbose_name_plural = _("relances de suivi")
        constraints = [models.UniqueConstraint(fields=["user", "month"], name="followup_nudge_one_per_user_month")]

    def __str__(self) -> str:
        return f"{self.user} — {self.month:%m/%Y}"
