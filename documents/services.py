"""Writes on the document space: folders, documents and their versions, the bin, « à discuter en plénière ».

Every function takes keyword arguments, runs in one transaction and logs the change with the acting user's id.
Files are written to private storage with the row; a file is removed from storage only after the transaction that
forgot it commits (emptying the bin), so a rollback never leaves a row without its file.
"""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.models import Document, DocumentVersion, Folder
from documents.uploads import check_document_upload
from membres.models import User
from reunions.models import GroupeDeTaches, Reunion
from reunions.services.agenda import agenda_item_add

logger = logging.getLogger(__name__)


# --- Folders ------------------------------------------------------------------------------------------------------


def _free_name(collectif, name: str) -> str:
    """`name`, or `name (2)`, `name (3)`… when the collectif already has a folder of that name."""
    taken = set(Folder.objects.filter(collectif=collectif, name__startswith=name).values_list("name", flat=True))
    if name not in taken:
        return name
    n = 2
    while f"{name} ({n})" in taken:
        n += 1
    return f"{name} ({n})"


def folder_for_references(*, collectif) -> Folder:
    """The collectif's folder of shared references (charte, répertoire des structures…), made on first use."""
    folder = Folder.objects.filter(collectif=collectif, kind=Folder.Kind.REFERENCES).first()
    if folder is not None:
        return folder
    try:
        with transaction.atomic():
            folder = Folder.objects.create(
                collectif=collectif,
                kind=Folder.Kind.REFERENCES,
                name=_free_name(collectif, str(Folder.Kind.REFERENCES.label)),
            )
    except IntegrityError:  # made meanwhile by another request
        return Folder.objects.get(collectif=collectif, kind=Folder.Kind.REFERENCES)
    logger.info("folder_for_references folder=%s collectif=%s", folder.pk, collectif.pk)
    return folder


def folder_for_groupe(*, groupe: GroupeDeTaches, by: User | None = None) -> Folder:
    """The folder of a groupe de tâches (named after it), made with its first document or its first visit."""
    folder = Folder.objects.filter(groupe=groupe).first()
    if folder is not None:
        return folder
    try:
        with transaction.atomic():
            folder = Folder.objects.create(
                collectif_id=groupe.collectif_id,
                kind=Folder.Kind.GROUPE,
                groupe=groupe,
                name=_free_name(groupe.collectif_id, groupe.name[:190]),
                created_by=by,
            )
    except IntegrityError:  # made meanwhile by another request
        return Folder.objects.get(groupe=groupe)
    logger.info("folder_for_groupe folder=%s groupe=%s by=%s", folder.pk, groupe.pk, by.pk if by else None)
    return folder


def _check_folder_name(collectif, name: str, *, exclude_pk: int | None = None) -> str:
    name = name.strip()
    if not name:
        raise ValidationError(_("Donnez un nom au dossier."))
    same = Folder.objects.filter(collectif=collectif, name__iexact=name)
    if exclude_pk is not None:
        same = same.exclude(pk=exclude_pk)
    if same.exists():
        raise ValidationError(_("Un dossier de ce nom existe déjà."))
    return name


@transaction.atomic
def folder_create(*, collectif, name: str, by: User) -> Folder:
    """A folder of the collectif (kind « autre »); the references and groupes' folders are made by themselves."""
    folder = Folder.objects.create(
        collectif=collectif, kind=Folder.Kind.OTHER, name=_check_folder_name(collectif, name), created_by=by
    )
    logger.info("folder_create folder=%s collectif=%s by=%s", folder.pk, collectif.pk, by.pk)
    return folder


@transaction.atomic
def folder_rename(*, folder: Folder, name: str, by: User) -> Folder:
    folder.name = _check_folder_name(folder.collectif_id, name, exclude_pk=folder.pk)
    folder.save(update_fields=["name"])
    logger.info("folder_rename folder=%s by=%s", folder.pk, by.pk)
    return folder


@transaction.atomic
def folder_delete(*, folder: Folder, by: User) -> None:
    """Only an empty folder goes, bin included (its documents keep their folder to be restored into it). The
    references folder and a groupe's folder stay: they are part of the space's shape."""
    if folder.kind != Folder.Kind.OTHER:
        raise ValidationError(_("Ce dossier fait partie de l'espace : il ne peut pas être supprimé."))
    if Document.objects.filter(folder=folder).exists():
        raise ValidationError(
            _("Ce dossier n'est pas vide : déplacez ses documents, ou videz la corbeille s'ils y sont.")
        )
    logger.info("folder_delete folder=%s by=%s", folder.pk, by.pk)
    folder.delete()


# --- Documents and versions ---------------------------------------------------------------------------------------


def _version_create(*, document: Document, number: int, upload, note: str, by: User) -> DocumentVersion:
    content_type = check_document_upload(upload)
    version = DocumentVersion(
        document=document,
        number=number,
        original_name=upload.name[:255],
        size=upload.size,
        content_type=content_type,
        note=note.strip()[:300],
        uploaded_by=by,
        uploaded_at=timezone.now(),
    )
    version.file.save(upload.name, upload, save=False)
    version.save()
    return version


@transaction.atomic
def document_create(*, collectif, folder: Folder, title: str, upload, note: str = "", by: User) -> Document:
    """Store an uploaded file as a new document of `folder` (version 1). The upload is checked like meeting
    documents (type by extension and first bytes, size): ValidationError in French otherwise.

    Also called by discussions for the attachments of messages."""
    if folder.collectif_id != collectif.pk:
        raise ValidationError(_("Ce dossier appartient à un autre collectif."))
    check_document_upload(upload)
    now = timezone.now()
    document = Document.objects.create(
        collectif=collectif,
        folder=folder,
        title=(title or "").strip()[:200] or upload.name[:200],
        created_by=by,
        created_at=now,
        updated_at=now,
    )
    document.current = _version_create(document=document, number=1, upload=upload, note=note, by=by)
    document.save(update_fields=["current"])
    logger.info("document_create document=%s folder=%s by=%s", document.pk, folder.pk, by.pk)
    return document


@transaction.atomic
def document_version_add(*, document: Document, upload, note: str = "", by: User) -> DocumentVersion:
    """A new upload of the same document: the next number, and it becomes the current version (the older ones
    stay, each downloadable)."""
    check_document_upload(upload)
    Document.objects.select_for_update().filter(pk=document.pk).first()  # numbers one at a time
    last = DocumentVersion.objects.filter(document=document).aggregate(n=Max("number"))["n"] or 0
    version = _version_create(document=document, number=last + 1, upload=upload, note=note, by=by)
    document.current = version
    document.updated_at = version.uploaded_at
    document.save(update_fields=["current", "updated_at"])
    logger.info("document_version_add document=%s version=%s by=%s", document.pk, version.number, by.pk)
    return version


@transaction.atomic
def document_rename(*, document: Document, title: str, by: User) -> Document:
    title = title.strip()
    if not title:
        raise ValidationError(_("Donnez un titre au document."))
    document.title = title[:200]
    document.updated_at = timezone.now()
    document.save(update_fields=["title", "updated_at"])
    logger.info("document_rename document=%s by=%s", document.pk, by.pk)
    return document


@transaction.atomic
def document_move(*, document: Document, folder: Folder, by: User) -> Document:
    if folder.collectif_id != document.collectif_id:
        raise ValidationError(_("Ce dossier appartient à un autre collectif."))
    document.folder = folder
    document.updated_at = timezone.now()
    document.save(update_fields=["folder", "updated_at"])
    logger.info("document_move document=%s folder=%s by=%s", document.pk, folder.pk, by.pk)
    return document


@transaction.atomic
def document_flag(*, document: Document, to_discuss: bool, by: User) -> Document:
    """Flag (or unflag) « à discuter en plénière »: a flagged document not yet on an agenda is offered in the agenda
    of the collectif's next plénières."""
    if to_discuss == document.to_discuss:
        return document
    document.to_discuss = to_discuss
    document.to_discuss_by = by if to_discuss else None
    document.to_discuss_at = timezone.now() if to_discuss else None
    document.save(update_fields=["to_discuss", "to_discuss_by", "to_discuss_at"])
    logger.info("document_flag document=%s to_discuss=%s by=%s", document.pk, to_discuss, by.pk)
    return document


@transaction.atomic
def document_put_on_agenda(*, document: Document, reunion: Reunion, by: User):
    """Put a flagged document on a reunion's agenda: an agenda item named after it, and the document remembers the
    reunion (`discussed_in`), so that the reunion's page links to it, and is no longer proposed (`to_discuss` off; a
    member may flag it again for a later plénière, the link to this one stays)."""
    if reunion.collectif_id != document.collectif_id:
        raise ValidationError(_("Cette réunion appartient à un autre collectif."))
    if document.deleted_at is not None:
        raise ValidationError(_("Ce document est dans la corbeille."))
    if document.discussed_in_id == reunion.pk:
        raise ValidationError(_("Ce document est déjà à l'ordre du jour de cette réunion."))
    item = agenda_item_add(
        reunion=reunion,
        by=by,
        title=(_("Document : %(title)s") % {"title": document.title})[:200],
        duration_minutes=None,
        presenter=str(document.to_discuss_by or "")[:150],
    )
    document.discussed_in = reunion
    document.to_discuss = False
    document.save(update_fields=["discussed_in", "to_discuss"])
    logger.info("document_put_on_agenda document=%s reunion=%s by=%s", document.pk, reunion.pk, by.pk)
    return item


# --- The bin ------------------------------------------------------------------------------------------------------


@transaction.atomic
def document_trash(*, document: Document, by: User) -> Document:
    """Move to the bin: hidden from folders and search, restorable until a coordinator empties the bin."""
    if document.deleted_at is None:
        document.deleted_at = timezone.now()
        document.deleted_by = by
        document.save(update_fields=["deleted_at", "deleted_by"])
        logger.info("document_trash document=%s by=%s", document.pk, by.pk)
    return document


@transaction.atomic
def document_restore(*, document: Document, by: User) -> Document:
    if document.deleted_at is not None:
        document.deleted_at = None
        document.deleted_by = None
        document.save(update_fields=["deleted_at", "deleted_by"])
        logger.info("document_restore document=%s by=%s", document.pk, by.pk)
    return document


@transaction.atomic
def bin_empty(*, collectif, by: User) -> int:
    """Delete for good every document of the collectif's bin with all its versions; their files leave storage once
    the deletion is committed. Returns the number of documents deleted."""
    documents = list(
        Document.objects.in_bin().filter(collectif=collectif).select_for_update().values_list("pk", flat=True)
    )
    if not documents:
        return 0
    files = list(DocumentVersion.objects.filter(document_id__in=documents).values_list("file", flat=True))
    Document.objects.filter(pk__in=documents).update(current=None)
    DocumentVersion.objects.filter(document_id__in=documents).delete()
    Document.objects.filter(pk__in=documents).delete()

    def delete_files() -> None:
        storage = DocumentVersion._meta.get_field("file").storage
        for name in files:
            try:
                storage.delete(name)
            except OSError:  # already gone, or the storage refused: the row is gone either way
                logger.warning("bin_empty could not delete a file of collectif=%s", collectif.pk)

    transaction.on_commit(delete_files)
    logger.info("bin_empty collectif=%s documents=%s by=%s", collectif.pk, len(documents), by.pk)
    return len(documents)
