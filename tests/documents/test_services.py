"""The document space's writes: versions, folders, the bin, « à discuter en plénière » → agenda."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from documents import services
from documents.models import Document, DocumentVersion, Folder
from tests.documents.factories import make_document, pdf_upload
from tests.helpers import mails_leave
from tests.reunions.factories import GroupeFactory, ReunionFactory

pytestmark = pytest.mark.django_db


def test_document_create_stores_version_one_in_private_storage(collectif, member):
    folder = services.folder_for_references(collectif=collectif)
    document = services.document_create(
        collectif=collectif, folder=folder, title="Charte", upload=pdf_upload("charte.pdf"), note="Adoptée", by=member
    )
    version = document.current
    assert (version.number, version.original_name, version.note) == (1, "charte.pdf", "Adoptée")
    assert version.content_type == "application/pdf"
    assert version.uploaded_by == member and document.created_by == member
    assert version.file.storage.exists(version.file.name)
    assert not version.file.name.endswith("charte.pdf")  # a random name in storage


def test_versions_are_numbered_and_the_latest_is_current(collectif, member, coordinator):
    document = make_document(collectif=collectif, by=member)
    v2 = services.document_version_add(document=document, upload=pdf_upload("v2.pdf"), note="Relu", by=coordinator)
    v3 = services.document_version_add(document=document, upload=pdf_upload("v3.pdf"), by=member)
    document.refresh_from_db()
    assert [v.number for v in document.versions.all()] == [3, 2, 1]
    assert document.current == v3 and v2.uploaded_by == coordinator and v2.note == "Relu"


def test_bad_type_is_refused(collectif, member):
    folder = services.folder_for_references(collectif=collectif)
    upload = SimpleUploadedFile("script.pdf", b"<html><script>x</script>", content_type="application/pdf")
    with pytest.raises(ValidationError):
        services.document_create(collectif=collectif, folder=folder, title="x", upload=upload, by=member)
    with pytest.raises(ValidationError):
        services.document_create(
            collectif=collectif, folder=folder, title="x", upload=SimpleUploadedFile("a.exe", b"MZ"), by=member
        )
    assert not Document.objects.exists()


def test_folder_of_another_collectif_is_refused(collectif, other_collectif, member):
    folder = services.folder_for_references(collectif=other_collectif)
    with pytest.raises(ValidationError):
        services.document_create(collectif=collectif, folder=folder, title="x", upload=pdf_upload(), by=member)


def test_folder_for_groupe_is_made_once(collectif, member):
    groupe = GroupeFactory(collectif=collectif, name="Dossier CLAS")
    folder = services.folder_for_groupe(groupe=groupe, by=member)
    assert services.folder_for_groupe(groupe=groupe) == folder
    assert (folder.kind, folder.name, folder.collectif) == (Folder.Kind.GROUPE, "Dossier CLAS", collectif)
    assert services.folder_for_references(collectif=collectif) == services.folder_for_references(collectif=collectif)


def test_folder_name_clash_gets_a_number(collectif, coordinator):
    services.folder_create(collectif=collectif, name="Dossier CLAS", by=coordinator)
    groupe = GroupeFactory(collectif=collectif, name="Dossier CLAS")
    assert services.folder_for_groupe(groupe=groupe).name == "Dossier CLAS (2)"
    with pytest.raises(ValidationError):
        services.folder_create(collectif=collectif, name="dossier clas", by=coordinator)


def test_only_empty_other_folders_are_deleted(collectif, coordinator, member):
    folder = services.folder_create(collectif=collectif, name="Archives", by=coordinator)
    document = make_document(collectif=collectif, folder=folder, by=member)
    services.document_trash(document=document, by=member)
    with pytest.raises(ValidationError):  # its document is in the bin, restorable into it
        services.folder_delete(folder=folder, by=coordinator)
    services.bin_empty(collectif=collectif, by=coordinator)
    services.folder_delete(folder=folder, by=coordinator)
    assert not Folder.objects.filter(pk=folder.pk).exists()
    with pytest.raises(ValidationError):
        services.folder_delete(folder=services.folder_for_references(collectif=collectif), by=coordinator)


def test_trash_restore_and_empty_bin_deletes_files(collectif, other_collectif, member, coordinator, other_member):
    kept = make_document(collectif=collectif, by=member, title="Gardé")
    binned = make_document(collectif=collectif, by=member, title="Jeté", versions=2)
    elsewhere = make_document(collectif=other_collectif, by=other_member, title="Ailleurs")
    services.document_trash(document=elsewhere, by=other_member)
    names = list(binned.versions.values_list("file", flat=True))
    storage = DocumentVersion._meta.get_field("file").storage
    assert len(names) == 2 and all(storage.exists(n) for n in names)

    services.document_trash(document=binned, by=member)
    assert list(Document.objects.alive().filter(collectif=collectif)) == [kept]
    services.document_restore(document=binned, by=member)
    assert Document.objects.alive().filter(collectif=collectif).count() == 2
    services.document_trash(document=binned, by=member)

    with mails_leave():  # runs the on-commit deletion of the files
        assert services.bin_empty(collectif=collectif, by=coordinator) == 1
    assert not Document.objects.filter(pk=binned.pk).exists()
    assert not DocumentVersion.objects.filter(document_id=binned.pk).exists()
    assert not any(storage.exists(n) for n in names)
    assert storage.exists(kept.current.file.name)
    assert Document.objects.filter(pk=elsewhere.pk).exists()  # another collectif's bin is untouched


def test_flag_then_put_on_agenda(collectif, member, coordinator):
    document = make_document(collectif=collectif, by=member, title="Projet de charte")
    services.document_flag(document=document, to_discuss=True, by=member)
    assert document.to_discuss and document.to_discuss_by == member and document.to_discuss_at
    pleniere = ReunionFactory(collectif=collectif)
    item = services.document_put_on_agenda(document=document, reunion=pleniere, by=coordinator)
    document.refresh_from_db()
    assert document.discussed_in == pleniere and not document.to_discuss
    assert item.title == "Document : Projet de charte" and item.reunion == pleniere
    assert item.presenter == str(member)
    with pytest.raises(ValidationError):
        services.document_put_on_agenda(document=document, reunion=pleniere, by=coordinator)
    # Flagged again for a later plénière: proposed again, the link to this plénière stays.
    services.document_flag(document=document, to_discuss=True, by=member)
    document.refresh_from_db()
    assert document.to_discuss and document.discussed_in == pleniere
    services.document_flag(document=document, to_discuss=False, by=member)
    document.refresh_from_db()
    assert not document.to_discuss and document.to_discuss_by is None
