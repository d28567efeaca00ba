"""Restitutions of ateliers (seeds 001 and 004) and the cycles of ateliers they belong to (seed 002).

A restitution holds four ordered lists of points (the headings of seed 001), optional free sections
(seed 004's « PEDT : un levier pour agir ») and a credits and licence line (seed 002).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from core.html import sanitize_html
from reunions.models import Reunion

# A reunion counts as held once past and convened, held or with its minutes adopted (as reunions.selectors says).
HELD_STATUSES = (Reunion.Status.CONVENED, Reunion.Status.HELD, Reunion.Status.MINUTES_ADOPTED)


def _readable_collectifs(user):
    from collectifs.models import Collectif

    return Collectif.objects.for_member(user)


def _sees_every_collectif(user) -> bool:
    """CRPV editors accompany every collectif: they read and write restitutions everywhere."""
    return bool(user.is_authenticated and (user.is_superuser or user.is_crpv_editor))


class CycleQuerySet(models.QuerySet["Cycle"]):
    def for_member(self, user) -> CycleQuerySet:
        """Cycles of the collectifs where `user` is an active member (owning or sharing the cycle); every cycle for
        CRPV editors."""
        if not user.is_authenticated:
            return self.none()
        if _sees_every_collectif(user):
            return self.all()
        collectifs = _readable_collectifs(user)
        return self.filter(Q(collectif__in=collectifs) | Q(collectifs__in=collectifs)).distinct()

    def for_collectif(self, collectif) -> CycleQuerySet:
        """The cycles a collectif takes part in: those it owns and those it shares (`Cycle.collectifs`). Pages under
        `c/<slug>/` fetch cycles through this: a cycle the collectif has no part in answers 404."""
        shared = Cycle.collectifs.through.objects.filter(collectif=collectif).values("cycle_id")
        return self.filter(Q(collectif=collectif) | Q(pk__in=shared))


class Cycle(models.Model):
    """A cycle of ateliers, a project of its own (seed 002: « un cycle de neuf ateliers coopératifs, entre mars 2021
    et février 2022 », by Ressources urbaines with la Fonda, in partnership with the Département de l'Essonne, to
    « renforcer les coopérations entre les acteurs éducatifs »).

    It belongs to one collectif (`collectif`, whose coordinators run it with the `manager`, a CRPV editor) and may
    take in other collectifs of the same département (`collectifs`), whose members read it. Its ateliers are planned
    as `CycleSession`s before they are scheduled as reunions."""

    collectif = models.ForeignKey(
        "collectifs.Collectif", verbose_name=_("collectif"), on_delete=models.PROTECT, related_name="cycles"
    )
    collectifs = models.ManyToManyField(
        "collectifs.Collectif",
        verbose_name=_("autres collectifs du cycle"),
        blank=True,
        related_name="shared_cycles",
        help_text=_("Les collectifs du même département qui prennent part au cycle : leurs membres le consultent."),
    )
    name = models.CharField(_("nom"), max_length=200)
    organiser = models.CharField(
        _("organisé par (texte libre)"),
        max_length=200,
        blank=True,
        help_text=_("Si les structures organisatrices ne sont pas dans la liste. Par exemple : La Bouture."),
    )
    organisers = models.ManyToManyField(
        "collectifs.Institution",
        verbose_name=_("structures organisatrices"),
        blank=True,
        related_name="cycles_organised",
        help_text=_("Par exemple un centre de ressources et une association."),
    )
    partners = models.ManyToManyField(
        "collectifs.Institution",
        verbose_name=_("partenaires"),
        blank=True,
        related_name="cycles_supported",
        help_text=_("Les structures qui soutiennent le cycle sans l'organiser (un département, une fondation…)."),
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pilote (éditeur CRPV)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cycles_managed",
        limit_choices_to={"is_crpv_editor": True},
    )
    objectives = models.TextField(_("objectifs"), blank=True, max_length=5000, help_text=_("Un objectif par ligne."))
    commitments = models.TextField(
        _("engagements réciproques"),
        blank=True,
        max_length=5000,
        help_text=_("Ce que les organisateurs, les partenaires et les participants s'engagent à faire. Un par ligne."),
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

    @property
    def objectives_list(self) -> list[str]:
        return [line.strip(" -•\t") for line in self.objectives.splitlines() if line.strip(" -•\t")]

    @property
    def commitments_list(self) -> list[str]:
        return [line.strip(" -•\t") for line in self.commitments.splitlines() if line.strip(" -•\t")]

    def all_collectif_ids(self) -> set[int]:
        """The owning collectif and the others (reads the prefetched `collectifs` when there)."""
        return {self.collectif_id, *(c.pk for c in self.collectifs.all())}


class CycleSession(models.Model):
    """One atelier of a cycle, planned before it is scheduled (seed 002: nine ateliers « entre mars 2021 et février
    2022 »): a number, a title, a planned day or only a month, the collectif that hosts it, and, once scheduled, the
    reunion of kind atelier (in the reunions app) that holds it. Whether it was held comes from that reunion."""

    class Precision(models.TextChoices):
        DAY = "jour", _("Jour fixé")
        MONTH = "mois", _("Mois seulement")

    class State(models.TextChoices):
        PLANNED = "prevue", _("Prévue")
        SCHEDULED = "programmee", _("Programmée")
        HELD = "tenue", _("Tenue")
        CANCELLED = "annulee", _("Annulée")

    cycle = models.ForeignKey(Cycle, verbose_name=_("cycle"), on_delete=models.CASCADE, related_name="sessions")
    number = models.PositiveIntegerField(_("numéro"))
    title = models.CharField(_("titre"), max_length=200)
    planned_on = models.DateField(
        _("date prévue"), null=True, blank=True, help_text=_("Un jour, ou n'importe quel jour du mois prévu.")
    )
    precision = models.CharField(
        _("précision de la date"), max_length=10, choices=Precision.choices, default=Precision.MONTH
    )
    collectif = models.ForeignKey(
        "collectifs.Collectif",
        verbose_name=_("collectif qui accueille"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    place = models.CharField(_("lieu"), max_length=200, blank=True)
    reunion = models.OneToOneField(
        "reunions.Reunion",
        verbose_name=_("réunion (atelier)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cycle_session",
        limit_choices_to={"kind": "atelier"},
        help_text=_("Une fois l'atelier programmé dans les réunions : la réunion qui le tient."),
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    class Meta:
        verbose_name = _("atelier prévu du cycle")
        verbose_name_plural = _("ateliers prévus du cycle")
        ordering = ["cycle", "number", "pk"]
        constraints = [models.UniqueConstraint(fields=["cycle", "number"], name="cycle_session_unique_number")]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    @property
    def label(self) -> str:
        return str(_("Atelier %(number)s") % {"number": self.number})

    @property
    def state(self) -> str:
        """Derived from the reunion: planned without one, scheduled until it is past, then held (or cancelled)."""
        reunion = self.reunion
        if reunion is None:
            return self.State.PLANNED
        if reunion.status == Reunion.Status.CANCELLED:
            return self.State.CANCELLED
        if reunion.is_past and reunion.status in HELD_STATUSES:
            return self.State.HELD
        return self.State.SCHEDULED

    @property
    def state_label(self) -> str:
        return str(self.State(self.state).label)

    @property
    def is_held(self) -> bool:
        return self.state == self.State.HELD

    @property
    def where(self) -> str:
        """The reunion's place once scheduled, else the planned place."""
        if self.reunion is not None and self.reunion.where:
            return self.reunion.where
        return self.place

    @property
    def when(self) -> str:
        """The reunion's day once scheduled, else the planned day or month, else « date à fixer »."""
        if self.reunion is not None and self.reunion.starts_at:
            return date_format(timezone.localtime(self.reunion.starts_at), "j F Y")
        if self.planned_on is None:
            return str(_("date à fixer"))
        if self.precision == self.Precision.MONTH:
            return date_format(self.planned_on, "F Y")
        return date_format(self.planned_on, "j F Y")


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
