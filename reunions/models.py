from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class GroupeDeTachesQuerySet(models.QuerySet["GroupeDeTaches"]):
    def for_member(self, user) -> GroupeDeTachesQuerySet:
        from collectifs.models import Collectif

        return self.filter(collectif__in=Collectif.objects.for_member(user))


class GroupeDeTaches(models.Model):
    """A small group that prepares a file for a plénière over a few séances (seed 000)."""

    class Status(models.TextChoices):
        ACTIVE = "actif", _("Actif")
        DONE = "termine", _("Mandat rempli")
        STOPPED = "arrete", _("Arrêté")

    collectif = models.ForeignKey(
        "collectifs.Collectif", verbose_name=_("collectif"), on_delete=models.PROTECT, related_name="groupes"
    )
    name = models.CharField(_("nom"), max_length=200)
    mandate = models.TextField(_("mandat"), help_text=_("Ce que le groupe prépare, et pour quelle plénière."))
    pilot = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pilote"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="groupes_pilotes",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("membres"), blank=True, related_name="groupes_de_taches"
    )
    status = models.CharField(_("statut"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    objects = GroupeDeTachesQuerySet.as_manager()

    class Meta:
        verbose_name = _("groupe de tâches")
        verbose_name_plural = _("groupes de tâches")
        ordering = ["collectif", "name"]

    def __str__(self) -> str:
        return self.name


class ReunionQuerySet(models.QuerySet["Reunion"]):
    def for_member(self, user) -> ReunionQuerySet:
        """Reunions of the collectifs where `user` is an active member."""
        from collectifs.models import Collectif

        return self.filter(collectif__in=Collectif.objects.for_member(user))

    def upcoming(self) -> ReunionQuerySet:
        return self.filter(starts_at__gte=timezone.now()).exclude(status=Reunion.Status.CANCELLED)

    def past(self) -> ReunionQuerySet:
        return self.filter(starts_at__lt=timezone.now())


class Reunion(models.Model):
    class Kind(models.TextChoices):
        PLENIERE = "pleniere", _("Plénière")
        SEANCE = "seance", _("Séance de groupe de tâches")
        ATELIER = "atelier", _("Atelier")
        COMITE_TECHNIQUE = "comite_technique", _("Comité technique")
        COMITE_PILOTAGE = "comite_pilotage", _("Comité de pilotage")

    class Status(models.TextChoices):
        TO_SCHEDULE = "a_planifier", _("À planifier")
        CONVENED = "convoquee", _("Convoquée")
        HELD = "tenue", _("Tenue")
        MINUTES_ADOPTED = "compte_rendu_adopte", _("Compte rendu adopté")
        CANCELLED = "annulee", _("Annulée")

    collectif = models.ForeignKey(
        "collectifs.Collectif", verbose_name=_("collectif"), on_delete=models.PROTECT, related_name="reunions"
    )
    kind = models.CharField(_("type"), max_length=30, choices=Kind.choices, default=Kind.PLENIERE)
    title = models.CharField(_("titre"), max_length=200)
    theme = models.CharField(_("thème"), max_length=200, blank=True)
    groupe = models.ForeignKey(
        GroupeDeTaches,
        verbose_name=_("groupe de tâches"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="seances",
    )
    starts_at = models.DateTimeField(_("début"), null=True, blank=True, help_text=_("Heure de Paris"))
    ends_at = models.DateTimeField(_("fin"), null=True, blank=True)
    place = models.CharField(_("lieu"), max_length=255, blank=True)
    video_url = models.URLField(_("lien de visioconférence"), blank=True)
    status = models.CharField(_("statut"), max_length=30, choices=Status.choices, default=Status.TO_SCHEDULE)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    objects = ReunionQuerySet.as_manager()

    class Meta:
        verbose_name = _("réunion")
        verbose_name_plural = _("réunions")
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["collectif", "starts_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("reunions:detail", kwargs={"collectif_slug": self.collectif.slug, "pk": self.pk})


class Decision(models.Model):
    """A decision recorded in the minutes of a reunion; it can open an action (actions.Action.origin)."""

    reunion = models.ForeignKey(Reunion, verbose_name=_("réunion"), on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField(_("décision"))
    position = models.PositiveIntegerField(_("ordre"), default=0)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("décision")
        verbose_name_plural = _("décisions")
        ordering = ["reunion", "position", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class Invitation(models.Model):
    """A person invited to a reunion, through their membership (institution and niveau at that time), with their
    answer before the meeting and the attendance recorded after it. Attendance feeds the collectif's indicators.
    """

    class Response(models.TextChoices):
        PENDING = "invite", _("Invité")
        PRESENT = "present", _("Présent")
        EXCUSED = "excuse", _("Excusé")

    class Attendance(models.TextChoices):
        UNKNOWN = "", _("Non renseigné")
        PRESENT = "present", _("Présent")
        EXCUSED = "excuse", _("Excusé")
        ABSENT = "absent", _("Absent")

    reunion = models.ForeignKey(
        Reunion, verbose_name=_("réunion"), on_delete=models.CASCADE, related_name="invitations"
    )
    membership = models.ForeignKey(
        "membres.Membership", verbose_name=_("membre"), on_delete=models.PROTECT, related_name="invitations"
    )
    response = models.CharField(_("réponse"), max_length=20, choices=Response.choices, default=Response.PENDING)
    responded_at = models.DateTimeField(_("répondu le"), null=True, blank=True)
    attendance = models.CharField(_("présence"), max_length=20, choices=Attendance.choices, blank=True, default="")
    created_at = models.DateTimeField(_("invité le"), auto_now_add=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [models.UniqueConstraint(fields=["reunion", "membership"], name="invitation_one_per_membership")]

    def __str__(self) -> str:
        return f"{self.membership.display_name} — {self.reunion}"
