"""The collectif's document space (seed 000: the groupes de tâches « préparent les dossiers » and draft « documents
à discuter collectivement »; seed 003: « un drive … afin de partager les documents de travail »).

A space per collectif: one folder for the collectif's shared references, one per groupe de tâches, and the folders
coordinators add. A document keeps every uploaded version (who, when, a short note); deleting moves it to the bin,
which a coordinator empties. Files live in private storage and are served only after the access check.
"""

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


class FolderQuerySet(CollectifOwnedQuerySet):
    pass


class Folder(models.Model):
    class Kind(models.TextChoices):
        REFERENCES = "references", _("Références du collectif")
        GROUPE = "groupe", _("Groupe de tâches")
        OTHER = "autre", _("Dossier")

    collectif = models.ForeignKey(
        "collectifs.Collectif", verbose_name=_("collectif"), on_delete=models.PROTECT, related_name="folders"
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    # The folder of a groupe de tâches: one per groupe, made with the groupe's first document or page visit.
    groupe = models.OneToOneField(
        "reunions.GroupeDeTaches",
        verbose_name=_("groupe de tâches"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="folder",
    )
    name = models.CharField(_("nom"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("créé par"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    objects = FolderQuerySet.as_manager()

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        ordering = ["collectif", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["collectif", "name"], name="folder_unique_name"),
            models.UniqueConstraint(
                fields=["collectif"], condition=models.Q(kind="references"), name="folder_one_references"
            ),
            models.CheckConstraint(
                condition=models.Q(kind="groupe", groupe__isnull=False) | ~models.Q(kind="groupe"),
                name="folder_groupe_has_groupe",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("documents:folder", kwargs={"collectif_slug": self.collectif.slug, "pk": self.pk})


class DocumentQuerySet(CollectifOwnedQuerySet):
    def alive(self) -> DocumentQuerySet:
        return self.filter(deleted_at__isnull=True)

    def in_bin(self) -> DocumentQuerySet:
        return self.filter(deleted_at__isnull=False)


class Document(models.Model):
    """One document of the space, whatever its number of versions; `current` is its latest version."""

    collectif = models.ForeignKey(
        "collectifs.Collectif", verbose_name=_("collectif"), on_delete=models.PROTECT, related_name="documents"
    )
    folder = models.ForeignKey(Folder, verbose_name=_("dossier"), on_delete=models.PROTECT, related_name="documents")
    title = models.CharField(_("titre"), max_length=200)
    # Denormalised so that a folder of 500 documents lists in one query with its latest versions.
    current = models.ForeignKey(
        "DocumentVersion", verbose_name=_("version actuelle"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("déposé par"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("déposé le"), default=timezone.now)
    updated_at = models.DateTimeField(_("modifié le"), default=timezone.now)
    # « À discuter en plénière »: offered in the next plénière's agenda proposal until it is put on an agenda.
    to_discuss = models.BooleanField(_("à discuter en plénière"), default=False)
    to_discuss_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("proposé par"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    to_discuss_at = models.DateTimeField(_("proposé le"), null=True, blank=True)
    discussed_in = models.ForeignKey(
        "reunions.Reunion",
        verbose_name=_("inscrit à l'ordre du jour de"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="space_documents",
    )
    # The bin: a deleted document keeps its versions until a coordinator empties the bin.
    deleted_at = models.DateTimeField(_("mis à la corbeille le"), null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("mis à la corbeille par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["folder", "title", "pk"]
        indexes = [
            models.Index(fields=["folder", "title"], name="document_folder_title"),
            models.Index(fields=["collectif", "-updated_at"], name="document_recent"),
            models.Index(fields=["collectif"], condition=models.Q(to_discuss=True), name="document_to_discuss"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("documents:detail", kwargs={"collectif_slug": self.collectif.slug, "pk": self.pk})


def version_upload_to(instance: DocumentVersion, filename: str) -> str:
    # A random name: the user's file name is kept in `original_name`, never used as a path.
    suffix = Path(filename).suffix.lower()[:10]
    return f"documents/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class DocumentVersion(models.Model):
    document = models.ForeignKey(
        Document, verbose_name=_("document"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    # Private storage (core.storage): served only by the documents download view, which checks access.
    file = models.FileField(_("fichier"), upload_to=version_upload_to, storage=private_storage, max_length=255)
    original_name = models.CharField(_("nom du fichier"), max_length=255)
    size = models.PositiveIntegerField(_("taille"), default=0)
    content_type = models.CharField(_("type"), max_length=120)
    note = models.CharField(_("note de version"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("déposé par"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("déposé le"), default=timezone.now)

    class Meta:
        verbose_name = _("version de document")
        verbose_name_plural = _("versions de document")
        ordering = ["document", "-number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="document_version_unique_number")]

    def __str__(self) -> str:
        return f"{self.document} (v{self.number})"
