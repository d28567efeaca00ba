from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from collectifs.academies import ACADEMIE_CHOICES


class Territoire(models.Model):
    class Kind(models.TextChoices):
        QUARTIER = "quartier", _("Quartier")
        COMMUNE = "commune", _("Commune")
        EPCI = "epci", _("Intercommunalité (EPCI)")
        DEPARTEMENT = "departement", _("Département")
        DEPARTEMENTS = "departements", _("Plusieurs départements")
        REGION = "region", _("Région")
        DROM = "drom", _("Département et région d'outre-mer")

    name = models.CharField(_("nom"), max_length=150)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    code = models.CharField(_("code officiel"), max_length=10, blank=True, help_text=_("Code INSEE, par exemple"))
    parent = models.ForeignKey(
        "self", verbose_name=_("inclus dans"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        verbose_name = _("territoire")
        verbose_name_plural = _("territoires")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["name", "kind"], name="territoire_unique_name_kind")]

    def __str__(self) -> str:
        return self.name


class Institution(models.Model):
    class Kind(models.TextChoices):
        ETABLISSEMENT = "etablissement", _("Établissement scolaire")
        EDUCATION_NATIONALE = "education_nationale", _("Service de l'Éducation nationale")
        COLLECTIVITE = "collectivite", _("Collectivité")
        ETAT = "etat", _("Service de l'État")
        DISPOSITIF = "dispositif", _("Dispositif porteur (PRE/DRE, Cité éducative…)")
        ASSOCIATION = "association", _("Association")
        CAF = "caf", _("CAF")
        SANTE = "sante", _("Santé")
        CENTRE_RESSOURCES = "centre_ressources", _("Centre de ressources")
        RECHERCHE = "recherche", _("Recherche")
        AUTRE = "autre", _("Autre")

    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("type"), max_length=30, choices=Kind.choices)
    territoire = models.ForeignKey(
        Territoire, verbose_name=_("territoire"), null=True, blank=True, on_delete=models.PROTECT
    )

    class Meta:
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "territoire"], name="institution_unique_name_territoire")
        ]

    def __str__(self) -> str:
        return self.name


class Theme(models.Model):
    """Controlled vocabulary of themes (seed 003), managed in the admin, shared by actions and fiches."""

    name = models.CharField(_("nom"), max_length=120, unique=True)
    slug = models.SlugField(_("identifiant"), max_length=120, unique=True)

    class Meta:
        verbose_name = _("thème")
        verbose_name_plural = _("thèmes")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Dispositif(models.Model):
    """Controlled vocabulary of public schemes (PRE, PEDT, CLAS, Cité éducative…), managed in the admin."""

    name = models.CharField(_("nom"), max_length=150, unique=True)
    acronym = models.CharField(_("sigle"), max_length=30, blank=True)
    slug = models.SlugField(_("identifiant"), max_length=120, unique=True)

    class Meta:
        verbose_name = _("dispositif")
        verbose_name_plural = _("dispositifs")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.acronym or self.name


class CollectifOwnedQuerySet(models.QuerySet):
    """The queryset of a model that belongs to a collectif (a `collectif` foreign key): fetch it through what the
    user belongs to, so that another collectif's objects never come back."""

    def for_member(self, user):
        """Objects of the collectifs where `user` is an active member (of every collectif for a superuser)."""
        return self.filter(collectif__in=Collectif.objects.for_member(user))


class CollectifQuerySet(models.QuerySet["Collectif"]):
    def for_member(self, user) -> CollectifQuerySet:
        """Collectifs where `user` has an active membership (every collectif for a superuser)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(memberships__user=user, memberships__left_on__isnull=True).distinct()


class Collectif(models.Model):
    name = models.CharField(_("nom"), max_length=200)
    slug = models.SlugField(_("identifiant"), max_length=100, unique=True)
    territoire = models.ForeignKey(Territoire, verbose_name=_("territoire"), on_delete=models.PROTECT)
    description = models.TextField(_("description"), blank=True)
    themes = models.ManyToManyField(Theme, verbose_name=_("thèmes"), blank=True)
    # Blank: the académie of the territory (collectifs.calendrier). Set when the territory says nothing or wrongly.
    academie = models.CharField(
        _("académie"),
        max_length=30,
        blank=True,
        choices=ACADEMIE_CHOICES,
        help_text=_("Vide : l'académie du territoire du collectif. Elle donne la zone des vacances scolaires."),
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    objects = CollectifQuerySet.as_manager()

    class Meta:
        verbose_name = _("collectif")
        verbose_name_plural = _("collectifs")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("collectifs:detail", kwargs={"collectif_slug": self.slug})


class CharteVersionQuerySet(CollectifOwnedQuerySet):
    pass


class CharteVersion(models.Model):
    """One version of a collectif's charte. Editing the charte adds a version; versions are never rewritten, so the
    text that the partners adopted stays readable next to the current one."""

    collectif = models.ForeignKey(
        Collectif, verbose_name=_("collectif"), on_delete=models.PROTECT, related_name="charte_versions"
    )
    number = models.PositiveIntegerField(_("version"))
    text = models.TextField(_("texte"))
    author = models.ForeignKey(
        "membres.User",
        verbose_name=_("rédigée par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("rédigée le"), auto_now_add=True)

    objects = CharteVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("version de la charte")
        verbose_name_plural = _("versions de la charte")
        ordering = ["collectif", "-number"]
        constraints = [models.UniqueConstraint(fields=["collectif", "number"], name="charte_version_unique_number")]

    def __str__(self) -> str:
        return f"{self.collectif} — charte v{self.number}"


class CharteAdoptionQuerySet(CollectifOwnedQuerySet):
    pass


class CharteAdoption(models.Model):
    """The partners adopted a version of the charte on a date; the institutions listed adhered to it."""

    collectif = models.ForeignKey(
        Collectif, verbose_name=_("collectif"), on_delete=models.PROTECT, related_name="charte_adoptions"
    )
    version = models.ForeignKey(
        CharteVersion, verbose_name=_("version adoptée"), on_delete=models.PROTECT, related_name="adoptions"
    )
    adopted_on = models.DateField(_("adoptée le"))
    institutions = models.ManyToManyField(
        Institution, verbose_name=_("institutions signataires"), blank=True, related_name="charte_adoptions"
    )
    recorded_by = models.ForeignKey(
        "membres.User",
        verbose_name=_("enregistrée par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("enregistrée le"), auto_now_add=True)

    objects = CharteAdoptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("adoption de la charte")
        verbose_name_plural = _("adoptions de la charte")
        ordering = ["collectif", "-adopted_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.collectif} — charte v{self.version.number} adoptée le {self.adopted_on:%d/%m/%Y}"


class PeriodeAEviterQuerySet(CollectifOwnedQuerySet):
    def of_school_year(self, year: int) -> PeriodeAEviterQuerySet:
        return self.filter(school_year=year)


class PeriodeAEviter(models.Model):
    """A period of the school year when the collectif avoids meeting (conseils de classe, brevet, bac…). Entered
    once per school year, since the dates change every year; scheduling warns about it like about the holidays."""

    class Kind(models.TextChoices):
        CONSEILS_DE_CLASSE = "conseils_de_classe", _("Conseils de classe")
        BREVET = "brevet", _("Brevet")
        BAC = "bac", _("Baccalauréat")
        ORIENTATION = "orientation", _("Orientation (vœux, Parcoursup, affectation)")
        AUTRE = "autre", _("Autre")

    collectif = models.ForeignKey(
        Collectif, verbose_name=_("collectif"), on_delete=models.CASCADE, related_name="periodes_a_eviter"
    )
    school_year = models.PositiveIntegerField(
        _("année scolaire"), help_text=_("Année de la rentrée : 2025 pour 2025-2026")
    )
    kind = models.CharField(_("type"), max_length=30, choices=Kind.choices)
    label = models.CharField(_("intitulé"), max_length=150)
    starts_on = models.DateField(_("du"))
    ends_on = models.DateField(_("au"))
    created_by = models.ForeignKey(
        "membres.User",
        verbose_name=_("ajoutée par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("ajoutée le"), auto_now_add=True)

    objects = PeriodeAEviterQuerySet.as_manager()

    class Meta:
        verbose_name = _("période à éviter")
        verbose_name_plural = _("périodes à éviter")
        ordering = ["collectif", "starts_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="periode_dates_order"),
            models.UniqueConstraint(
                fields=["collectif", "school_year", "label"], name="periode_unique_label_per_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.starts_on:%d/%m/%Y} – {self.ends_on:%d/%m/%Y})"
