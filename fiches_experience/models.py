"""Fiches expérience: what a collectif learnt, written up by the resource centres (CRPV) for other territories.

A fiche follows one of two gabarits (templates), each an ordered list of sections (seed 000: the short one;
seed 003: the CRPV one). Sections are rows (FicheSection) so that an imported fiche may keep a section the
gabarit does not know. Every change is recorded as a FicheVersion (a JSON snapshot), so versions can be compared.

The full-text search vectors are PostgreSQL-only columns that the ORM does not map: `search_vector` (migration
0002, GIN index) finds, the small `search_rank_vector` (migration 0004: title, metadata, the sections' opening)
ranks; `fiches_experience.search` reads them and `services.fiche_reindex` writes them, so the platform also runs
on SQLite (`make run`), where search falls back to `search_text`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Gabarit(models.TextChoices):
    COURT = "court", _("Gabarit court")
    CRPV = "crpv", _("Gabarit CRPV")


# The ordered sections of each gabarit: (key, heading). Keys are stable identifiers; headings are what readers see.
COURT_SECTIONS: list[tuple[str, str]] = [
    ("idee_de_depart", "L'idée de départ"),
    ("ce_qui_se_passe", "Ce qui se passe"),
    ("effets_et_limites", "Effets et limites de l'action"),
    ("contact", "Contact"),
]
CRPV_SECTIONS: list[tuple[str, str]] = [
    ("identite", "Identité"),
    ("contexte", "Contexte"),
    ("objectifs", "Objectifs"),
    ("mesures", "Mesures"),
    ("acteurs", "Acteurs impliqués"),
    ("evaluation", "Évaluation et résultats"),
    ("indicateurs", "Indicateurs de suivi"),
    ("enseignements", "Enseignements tirés"),
    ("contacts", "Contacts"),
    ("ressources", "Ressources"),
    ("commentaire", "Commentaire"),
]
GABARIT_SECTIONS: dict[str, list[tuple[str, str]]] = {Gabarit.COURT: COURT_SECTIONS, Gabarit.CRPV: CRPV_SECTIONS}
# The field of FicheExperience holding the id of what a fiche was drafted from, by kind of source (restitutions app).
SOURCE_FIELDS = {"restitution": "source_restitution_id", "cycle": "source_cycle_id"}
# Sections holding contact details: their e-mail addresses are obfuscated on every public rendering.
CONTACT_KEYS = {"contact", "contacts"}


class Status(models.TextChoices):
    DRAFT = "brouillon", _("Brouillon")
    IN_REVIEW = "en_relecture", _("En relecture")
    PUBLISHED = "publiee", _("Publiée")
    ARCHIVED = "archivee", _("Archivée")


class PublicCible(models.TextChoices):
    ELEVES = "eleves", _("Élèves et jeunes")
    PARENTS = "parents", _("Parents et familles")
    PROFESSIONNELS = "professionnels", _("Professionnels et acteurs éducatifs")
    TOUS = "tous", _("Tous publics")


class Licence(models.TextChoices):
    CC_BY_SA = "cc-by-sa-4.0", _("Creative Commons BY-SA 4.0")
    CC_BY = "cc-by-4.0", _("Creative Commons BY 4.0")
    LICENCE_OUVERTE = "licence-ouverte-2.0", _("Licence Ouverte 2.0 (Etalab)")


class FicheQuerySet(models.QuerySet["FicheExperience"]):
    def published(self) -> FicheQuerySet:
        """What the public sees: published fiches only (drafts, fiches in review and archives answer 404)."""
        return self.filter(status=Status.PUBLISHED)

    def for_editor(self, user) -> FicheQuerySet:
        """Every fiche, for CRPV editors and superusers; none for anyone else."""
        if user.is_authenticated and (user.is_superuser or user.is_crpv_editor):
            return self.all()
        return self.none()

    def review_due(self, today) -> FicheQuerySet:
        """Published fiches whose review date has come and whose author was not yet reminded for it."""
        return self.published().filter(review_on__lte=today).exclude(review_reminded_for=models.F("review_on"))


class FicheExperience(models.Model):
    Status = Status  # `FicheExperience.Status.PUBLISHED`, like every other model's status enum

    gabarit = models.CharField(_("gabarit"), max_length=10, choices=Gabarit.choices, default=Gabarit.COURT)
    title = models.CharField(_("titre"), max_length=250)
    slug = models.SlugField(_("adresse"), max_length=120, unique=True)
    # Normalized title (no accents, case, punctuation): an import matches an existing fiche on it + territory.
    title_key = models.CharField(max_length=250, db_index=True, editable=False)
    territoire = models.ForeignKey(
        "collectifs.Territoire",
        verbose_name=_("territoire"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="fiches",
        help_text=_("Région, département ou commune où l'expérience a eu lieu."),
    )
    themes = models.ManyToManyField("collectifs.Theme", verbose_name=_("thèmes"), blank=True, related_name="fiches")
    dispositifs = models.ManyToManyField(
        "collectifs.Dispositif", verbose_name=_("dispositifs"), blank=True, related_name="fiches"
    )
    public_cible = models.CharField(_("public cible"), max_length=20, choices=PublicCible.choices, blank=True)
    structure_porteuse = models.CharField(_("structure porteuse"), max_length=250, blank=True)
    annees = models.CharField(_("années"), max_length=40, blank=True, help_text=_("Par exemple : 2015-2021"))
    licence = models.CharField(_("licence"), max_length=30, choices=Licence.choices, default=Licence.CC_BY_SA)
    collectif = models.ForeignKey(
        "collectifs.Collectif",
        verbose_name=_("collectif d'origine"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="fiches",
    )
    # The action it was drafted from (actions app): a plain id, so that this app does not depend on it.
    source_action_id = models.PositiveBigIntegerField(_("action d'origine"), null=True, blank=True)
    # The restitution or cycle of ateliers it was drafted from (restitutions app, a sibling): plain ids too. One
    # fiche per restitution and per cycle (constraints below): asking again opens the fiche already drafted.
    source_restitution_id = models.PositiveBigIntegerField(_("restitution d'origine"), null=True, blank=True)
    source_cycle_id = models.PositiveBigIntegerField(_("cycle d'ateliers d'origine"), null=True, blank=True)
    status = models.CharField(_("statut"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="fiches_written",
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("relecteur"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="fiches_reviewed",
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)
    submitted_at = models.DateTimeField(_("soumise le"), null=True, blank=True)
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True)
    review_on = models.DateField(_("à relire le"), null=True, blank=True)
    # The review date the author was last reminded of: the reminder is sent once per review date.
    review_reminded_for = models.DateField(null=True, blank=True, editable=False)
    # Plain text of title, metadata and sections: SQLite search and the source of highlighted excerpts.
    search_text = models.TextField(blank=True, editable=False)

    objects = FicheQuerySet.as_manager()

    class Meta:
        verbose_name = _("fiche expérience")
        verbose_name_plural = _("fiches expérience")
        ordering = ["-published_at", "-updated_at"]
        indexes = [models.Index(fields=["status", "-published_at"], name="fiche_status_published")]
        constraints = [
            models.UniqueConstraint(
                fields=["source_restitution_id"],
                condition=models.Q(source_restitution_id__isnull=False),
                name="fiche_one_per_restitution",
            ),
            models.UniqueConstraint(
                fields=["source_cycle_id"],
                condition=models.Q(source_cycle_id__isnull=False),
                name="fiche_one_per_cycle",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("fiches_experience:detail", kwargs={"slug": self.slug})

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED

    @property
    def is_editable(self) -> bool:
        return self.status in (Status.DRAFT, Status.IN_REVIEW, Status.PUBLISHED)


class FicheSection(models.Model):
    fiche = models.ForeignKey(FicheExperience, on_delete=models.CASCADE, related_name="sections")
    key = models.CharField(_("clé"), max_length=60)
    heading = models.CharField(_("intitulé"), max_length=150)
    html = models.TextField(_("contenu"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"))

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["fiche", "position"]
        constraints = [models.UniqueConstraint(fields=["fiche", "key"], name="fichesection_unique_key")]

    def __str__(self) -> str:
        return self.heading

    @property
    def is_contact(self) -> bool:
        return self.key in CONTACT_KEYS


class FicheVersion(models.Model):
    """A snapshot of the fiche after one change, numbered from 1; two snapshots give a diff."""

    fiche = models.ForeignKey(FicheExperience, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("numéro"))
    snapshot = models.JSONField(_("instantané"))
    change = models.CharField(_("modification"), max_length=200)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("par"), null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("le"), auto_now_add=True)

    class Meta:
        verbose_name = _("version")
        verbose_name_plural = _("versions")
        ordering = ["fiche", "-number"]
        constraints = [models.UniqueConstraint(fields=["fiche", "number"], name="ficheversion_unique_number")]

    def __str__(self) -> str:
        return f"{self.fiche} v{self.number}"


class ProposalStatus(models.TextChoices):
    PENDING = "en_attente", _("En attente de relecture")
    PUBLISHED = "publiee", _("Publiée")
    REJECTED = "ecartee", _("Écartée")
    SUPERSEDED = "remplacee", _("Remplacée par une proposition plus récente")


class FicheProposalQuerySet(models.QuerySet["FicheProposal"]):
    def pending(self) -> FicheProposalQuerySet:
        return self.filter(status=ProposalStatus.PENDING)


class FicheProposal(models.Model):
    """A new text of a fiche that is not a draft (published, in review or archived), brought by an import.

    The fiche itself is not touched: the public keeps reading the published text until a second editor publishes
    the proposal (four eyes), which then becomes a version. `sections` holds only what the import changes, as
    [{"key", "heading", "html"}]: a section the file does not mention is never emptied.
    """

    Status = ProposalStatus  # `FicheProposal.Status.PENDING`, like every other model's status enum

    fiche = models.ForeignKey(FicheExperience, on_delete=models.CASCADE, related_name="proposals")
    sections = models.JSONField(_("sections proposées"))
    source = models.CharField(_("fichier importé"), max_length=250, blank=True)
    status = models.CharField(
        _("statut"), max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.PENDING
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposée par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="fiche_proposals",
    )
    created_at = models.DateTimeField(_("proposée le"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("décidée par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="fiche_proposals_decided",
    )
    decided_at = models.DateTimeField(_("décidée le"), null=True, blank=True)

    objects = FicheProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("version proposée")
        verbose_name_plural = _("versions proposées")
        ordering = ["fiche", "-created_at"]
        constraints = [
            # One proposal waits per fiche: a newer import replaces the one before it.
            models.UniqueConstraint(
                fields=["fiche"], condition=models.Q(status="en_attente"), name="ficheproposal_one_pending"
            )
        ]

    def __str__(self) -> str:
        return f"{self.fiche} ({self.get_status_display()})"

    @property
    def is_pending(self) -> bool:
        return self.status == ProposalStatus.PENDING
