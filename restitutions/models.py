"""Restitutions of ateliers (seeds 001 and 004) and the cycles of ateliers they belong to (seed 002).

A restitution holds four ordered lists of points (the headings of seed 001), optional free sections
(seed 004's « PEDT : un levier pour agir ») and a credits and licence line (seed 002).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from core.html import sanitize_html


def _readable_collectifs(user):
    from collectifs.models import Collectif

    return Collectif.objects.for_member(user)


def _sees_every_collectif(user) -> bool:
    """CRPV editors accompany every collectif: they read and write restitutions everywhere."""
    return bool(user.is_authenticated and (user.is_superuser or user.is_crpv_editor))


class CycleQuerySet(models.QuerySet["Cycle"]):
    def for_member(self, user) -> CycleQuerySet:
        """Cycles of the collectifs where `user` is an active member; every cycle for CRPV editors."""
        if not user.is_authenticated:
            return self.none()
        if _sees_every_collectif(user):
            return self.all()
        return self.filter(collectif__in=_readable_collectifs(user))


class Cycle(models.Model):
    """A cycle of ateliers (seed 002: « un cycle de neuf ateliers coopératifs, entre mars 2021 et février 2022 »)."""

    collectif = models.ForeignKey(
        "collectifs.Collectif", verbose_name=_("collectif"), on_delete=models.PROTECT, related_name="cycles"
    )
    name = models.CharField(_("nom"), max_length=200)
    organiser = models.CharField(
        _("organisé par"), max_length=200, blank=True, help_text=_("Par exemple : Ressources urbaines, La Bouture.")
    )
    starts_on = models.DateField(_("début"), null=True, blank=True)
    ends_on = models.DateField(_("fin"), null=True, blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    objects = CycleQuerySet.as_manager()

    class Meta:
        verbose_name = _("cycle d'ateliers")
        verbose_name_plural = _("cycles d'ateliers")
        ordering = ["-starts_on", "name"]
        constraints = [models.UniqueConstraint(fields=["collectif", "name"], name="cycle_unique_name")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("restitutions:cycle", kwargs={"collectif_slug": self.collectif.slug, "pk": self.pk})

    @property
    def period(self) -> str:
        if self.starts_on and self.ends_on:
            return f"{date_format(self.starts_on, 'F Y')} – {date_format(self.ends_on, 'F Y')}"
        if self.starts_on:
            return str(_("depuis %(date)s") % {"date": date_format(self.starts_on, "F Y")})
        return ""


class RestitutionQuerySet(models.QuerySet["Restitution"]):
    def for_member(self, user) -> RestitutionQuerySet:
        """Restitutions of the user's collectifs (drafts included); every restitution for CRPV editors."""
        if not user.is_authenticated:
            return self.none()
        if _sees_every_collectif(user):
            return self.all()
        return self.filter(collectif__in=_readable_collectifs(user))

    def for_reunion(self, reunion) -> RestitutionQuerySet:
        """The restitutions of an atelier: what the reunions app links to from the atelier's page."""
        return self.filter(reunion=reunion, collectif_id=reunion.collectif_id)

    def published(self) -> RestitutionQuerySet:
        return self.filter(status=Restitution.Status.PUBLISHED)

    def visible_to(self, user) -> RestitutionQuerySet:
        """What a visitor may read: every published restitution, plus what `for_member` gives."""
        if not user.is_authenticated:
            return self.published()
        if _sees_every_collectif(user):
            return self.all()
        return self.filter(Q(status=Restitution.Status.PUBLISHED) | Q(collectif__in=_readable_collectifs(user)))


class Restitution(models.Model):
    class Status(models.TextChoices):
        DRAFT = "brouillon", _("Brouillon")
        PUBLISHED = "publiee", _("Publiée")

    class Licence(models.TextChoices):
        NONE = "", _("Aucune licence indiquée")
        CC_BY = "cc-by-4.0", _("Licence Creative Commons CC BY 4.0")
        CC_BY_SA = "cc-by-sa-4.0", _("Licence Creative Commons CC BY-SA 4.0")
        CC_BY_NC_SA = "cc-by-nc-sa-3.0-fr", _("Licence Creative Commons CC BY-NC-SA 3.0 FR")
        CC_BY_NC_SA_4 = "cc-by-nc-sa-4.0", _("Licence Creative Commons CC BY-NC-SA 4.0")

    collectif = models.ForeignKey(
        "collectifs.Collectif", verbose_name=_("collectif"), on_delete=models.PROTECT, related_name="restitutions"
    )
    reunion = models.ForeignKey(
        "reunions.Reunion",
        verbose_name=_("atelier"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="restitutions",
        limit_choices_to={"kind": "atelier"},
    )
    cycle = models.ForeignKey(
        Cycle,
        verbose_name=_("cycle d'ateliers"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="restitutions",
    )
    atelier_numbers = models.CharField(
        _("numéro(s) d'atelier"),
        max_length=30,
        blank=True,
        help_text=_("Par exemple « 2 », ou « 1&3 » pour des ateliers réunis."),
    )
    title = models.CharField(_("titre"), max_length=300)
    theme = models.CharField(_("thème"), max_length=300, blank=True)
    held_on = models.DateField(_("date de l'atelier"), null=True, blank=True)
    facilitators = models.CharField(
        _("animé par"), max_length=300, blank=True, help_text=_("Les personnes ou structures qui ont animé l'atelier.")
    )
    # [{"label": "Éducation nationale", "count": 5}, …] in the order the author gives them.
    participants = models.JSONField(_("participants par type de structure"), default=list, blank=True)
    credits = models.TextField(
        _("crédits"),
        blank=True,
        help_text=_("Par exemple : « Ce compte rendu a été rédigé par … et relu par … »."),
    )
    licence = models.CharField(_("licence"), max_length=30, choices=Licence.choices, blank=True, default="")
    status = models.CharField(_("statut"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("créée par"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    # Bumped by every service that changes the restitution, its points or its sections: the cached PDFs
    # (single and cycle) are keyed on it.
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    objects = RestitutionQuerySet.as_manager()

    class Meta:
        verbose_name = _("restitution")
        verbose_name_plural = _("restitutions")
        ordering = ["-held_on", "atelier_numbers", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("restitutions:detail", kwargs={"collectif_slug": self.collectif.slug, "pk": self.pk})

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def atelier_label(self) -> str:
        if not self.atelier_numbers:
            return ""
        plural = any(sep in self.atelier_numbers for sep in "&,") or " et " in self.atelier_numbers
        return f"{_('Ateliers') if plural else _('Atelier')} {self.atelier_numbers}"

    @property
    def participants_total(self) -> int:
        return sum(int(row.get("count") or 0) for row in self.participants)

    @property
    def licence_line(self) -> str:
        if not self.licence:
            return ""
        return str(
            _("Ce document est mis à disposition sous la %(licence)s.") % {"licence": self.get_licence_display()}
        )


class Point(models.Model):
    """One point of one of the four lists of seed 001, in the order the author gives it."""

    class Section(models.TextChoices):
        CONSTATS = "constats", _("État des lieux et constats")
        QUESTIONS = "questions", _("Questions vives")
        LEVIERS = "leviers", _("Points d'appui ou leviers")
        OBSTACLES = "obstacles", _("Points d'achoppement ou obstacles")

    restitution = models.ForeignKey(Restitution, on_delete=models.CASCADE, related_name="points")
    section = models.CharField(_("liste"), max_length=20, choices=Section.choices)
    position = models.PositiveIntegerField(_("position"), default=0)
    text = models.TextField(_("point"), max_length=2000)

    class Meta:
        verbose_name = _("point")
        verbose_name_plural = _("points")
        ordering = ["restitution", "section", "position", "pk"]
        indexes = [models.Index(fields=["restitution", "section", "position"])]

    def __str__(self) -> str:
        return self.text[:80]


class FreeSection(models.Model):
    """A section outside the four lists (seed 004: « PEDT : un levier pour agir »); its body is sanitized HTML."""

    restitution = models.ForeignKey(Restitution, on_delete=models.CASCADE, related_name="free_sections")
    position = models.PositiveIntegerField(_("position"), default=0)
    title = models.CharField(_("titre"), max_length=200)
    body = models.TextField(_("texte"), blank=True, max_length=20000)

    class Meta:
        verbose_name = _("section libre")
        verbose_name_plural = _("sections libres")
        ordering = ["restitution", "position", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def safe_body(self) -> str:
        """The body sanitized again at display time: stored HTML is never trusted as is."""
        return mark_safe(sanitize_html(self.body))
