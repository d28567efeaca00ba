"""The document space through HTTP: what each role sees and does."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from documents import services
from documents.models import Document, Folder
from tests.documents.factories import PDF_BYTES, make_document, pdf_upload
from tests.helpers import collectif_url
from tests.reunions.factories import GroupeFactory, ReunionFactory

pytestmark = pytest.mark.django_db


def test_space_lists_folders_with_counts_and_groupes(collectif, member, member_client):
    groupe = GroupeFactory(collectif=collectif, name="Groupe Parentalité")
    make_document(collectif=collectif, by=member, title="Charte du collectif")
    make_document(collectif=collectif, by=member, title="Répertoire des structures")
    html = member_client.get(collectif_url(collectif, "documents:space")).content.decode()
    assert "Références du collectif" in html and "2 documents" in html
    assert "Groupe Parentalité" in html  # its folder is not made yet, it is still offered
    assert "Pièces jointes des réunions et des actions" in html and "Corbeille" in html
    assert not Folder.objects.filter(groupe=groupe).exists()


def test_member_uploads_into_groupe_folder_made_on_demand(collectif, member, member_client):
    groupe = GroupeFactory(collectif=collectif, name="Groupe Parentalité")
    response = member_client.get(
        collectif_url(collectif, "documents:groupe_folder", groupe_pk=groupe.pk) + "?deposer=1"
    )
    folder = Folder.objects.get(groupe=groupe)
    assert response.url == collectif_url(collectif, "documents:upload", folder_pk=folder.pk)
    response = member_client.post(
        response.url, {"file": pdf_upload("cafe-parents.pdf"), "title": "Café des parents", "note": "Premier jet"}
    )
    document = Document.objects.get()
    assert response.status_code == 302 and response.url == document.get_absolute_url()
    assert (document.folder, document.title, document.created_by) == (folder, "Café des parents", member)
    html = member_client.get(document.get_absolute_url()).content.decode()
    assert "Premier jet" in html and "v1" in html


def test_upload_of_a_bad_type_is_refused_and_the_form_shown_again(collectif, member, member_client):
    folder = services.folder_for_references(collectif=collectif)
    url = collectif_url(collectif, "documents:upload", folder_pk=folder.pk)
    fake = SimpleUploadedFile("rapport.pdf", b"<html>pas un PDF</html>", content_type="application/pdf")
    response = member_client.post(url, {"file": fake, "title": "Rapport"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Le contenu du fichier ne correspond pas à son extension." in html
    assert 'value="Rapport"' in html  # the form is shown again with what was typed
    exe = SimpleUploadedFile("outil.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    html = member_client.post(url, {"file": exe}).content.decode()
    assert "Ce type de fichier n&#x27;est pas accepté" in html
    assert not Document.objects.exists()


def test_new_version_then_download_any_version(collectif, member, member_client):
    document = make_document(collectif=collectif, by=member)
    response = member_client.post(
        collectif_url(collectif, "documents:version_add", pk=document.pk),
        {"file": pdf_upload("v2.pdf", PDF_BYTES + b"v2"), "note": "Relu par le groupe"},
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.current.number == 2
    html = member_client.get(document.get_absolute_url()).content.decode()
    assert "Relu par le groupe" in html and "Première version" in html
    first = document.versions.get(number=1)
    response = member_client.get(
        collectif_url(collectif, "documents:version_download", pk=document.pk, version_pk=first.pk)
    )
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert "note.pdf" in response["Content-Disposition"]
    response = member_client.get(collectif_url(collectif, "documents:download", pk=document.pk))
    assert b"".join(response.streaming_content) == PDF_BYTES + b"v2"
    assert response["Cache-Control"] == "private, no-store"


def test_version_of_a_bad_type_shows_the_page_again_with_the_error(collectif, member, member_client):
    document = make_document(collectif=collectif, by=member)
    response = member_client.post(
        collectif_url(collectif, "documents:version_add", pk=document.pk),
        {"file": SimpleUploadedFile("v2.pdf", b"GIF89a"), "note": "x"},
    )
    assert response.status_code == 400
    assert "Le contenu du fichier ne correspond pas" in response.content.decode()
    assert document.versions.count() == 1


def test_rename_move_flag_trash_restore(collectif, member, coordinator, member_client):
    document = make_document(collectif=collectif, by=member)
    other = services.folder_create(collectif=collectif, name="Archives", by=coordinator)
    member_client.post(collectif_url(collectif, "documents:rename", pk=document.pk), {"title": "Projet de charte"})
    member_client.post(collectif_url(collectif, "documents:move", pk=document.pk), {"folder": other.pk})
    member_client.post(collectif_url(collectif, "documents:flag", pk=document.pk), {"to_discuss": "1"})
    document.refresh_from_db()
    assert (document.title, document.folder, document.to_discuss) == ("Projet de charte", other, True)
    confirm = member_client.get(collectif_url(collectif, "documents:trash", pk=document.pk))
    assert "Mettre « Projet de charte » à la corbeille ?" in confirm.content.decode()
    member_client.post(collectif_url(collectif, "documents:trash", pk=document.pk))
    document.refresh_from_db()
    assert document.deleted_at is not None
    member_client.get(other.get_absolute_url())  # shows (and consumes) the message naming it
    assert "Projet de charte" not in member_client.get(other.get_absolute_url()).content.decode()
    assert "Projet de charte" in member_client.get(collectif_url(collectif, "documents:bin")).content.decode()
    member_client.post(collectif_url(collectif, "documents:restore", pk=document.pk))
    document.refresh_from_db()
    assert document.deleted_at is None


def test_coordinator_empties_the_bin_after_confirmation(
    collectif, member, coordinator_client, django_capture_on_commit_callbacks
):
    document = make_document(collectif=collectif, by=member)
    name = document.current.file.name
    storage = document.current.file.storage
    services.document_trash(document=document, by=member)
    confirm = coordinator_client.get(collectif_url(collectif, "documents:bin_empty")).content.decode()
    assert "1 document et toutes leurs versions seront supprimés définitivement" in confirm
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(collectif_url(collectif, "documents:bin_empty"))
    assert not Document.objects.exists() and not storage.exists(name)


def test_guest_reads_but_sees_no_write_form(collectif, member, guest_client):
    document = make_document(collectif=collectif, by=member)
    html = guest_client.get(document.get_absolute_url()).content.decode()
    assert "Télécharger" in html
    assert "Déposer une nouvelle version" not in html and "Mettre à la corbeille" not in html
    folder_html = guest_client.get(document.folder.get_absolute_url()).content.decode()
    assert "Déposer un document" not in folder_html


def test_coordinators_create_rename_and_delete_empty_folders(collectif, coordinator_client):
    coordinator_client.post(collectif_url(collectif, "documents:folder_create"), {"name": "Dossier CLAS"})
    folder = Folder.objects.get(name="Dossier CLAS")
    response = coordinator_client.post(collectif_url(collectif, "documents:folder_create"), {"name": "dossier clas"})
    assert "Un dossier de ce nom existe déjà." in response.content.decode()
    coordinator_client.post(collectif_url(collectif, "documents:folder_rename", pk=folder.pk), {"name": "CLAS 2025"})
    folder.refresh_from_db()
    assert folder.name == "CLAS 2025"
    coordinator_client.post(collectif_url(collectif, "documents:folder_delete", pk=folder.pk))
    assert not Folder.objects.filter(pk=folder.pk).exists()


def test_folder_with_documents_is_not_deleted(collectif, member, coordinator, coordinator_client):
    folder = services.folder_create(collectif=collectif, name="Archives", by=coordinator)
    make_document(collectif=collectif, folder=folder, by=member)
    html = coordinator_client.get(collectif_url(collectif, "documents:folder_delete", pk=folder.pk)).content.decode()
    assert "contient encore 1 document" in html
    response = coordinator_client.post(collectif_url(collectif, "documents:folder_delete", pk=folder.pk))
    assert response.status_code == 400 and Folder.objects.filter(pk=folder.pk).exists()


def test_search_filters_and_sorts(collectif, member, coordinator, member_client):
    groupe_folder = services.folder_for_groupe(groupe=GroupeFactory(collectif=collectif, name="Groupe CLAS"))
    make_document(collectif=collectif, by=member, title="Charte du collectif")
    make_document(collectif=collectif, by=coordinator, folder=groupe_folder, title="Dossier de financement CLAS")
    url = collectif_url(collectif, "documents:list")
    html = member_client.get(url + "?q=charte").content.decode()
    assert "Charte du collectif" in html and "Dossier de financement" not in html
    html = member_client.get(url + f"?folder={groupe_folder.pk}").content.decode()
    assert "Dossier de financement" in html and "Charte du collectif" not in html
    html = member_client.get(url + f"?author={coordinator.pk}").content.decode()
    assert "Dossier de financement" in html and "Charte du collectif" not in html
    html = member_client.get(url + "?sort=titre").content.decode()
    assert html.index("Charte du collectif") < html.index("Dossier de financement")
    html = member_client.get(url + "?after=2999-01-01").content.decode()
    assert "0 document" in html


def test_search_also_finds_files_attached_to_reunions_and_journal(collectif, member, member_client):
    from django.core.files.base import ContentFile

    from tests.actions.factories import ActionFactory, JournalEntryFactory
    from tests.reunions.factories import DocumentFactory

    reunion = ReunionFactory(collectif=collectif, title="Plénière de mars")
    DocumentFactory(reunion=reunion, title="Diaporama absentéisme")
    entry = JournalEntryFactory(action=ActionFactory(collectif=collectif, title="Café des parents"), author=member)
    entry.attachment_name = "absentéisme-bilan.pdf"
    entry.attachment.save("bilan.pdf", ContentFile(b"%PDF-1.4"), save=True)
    html = member_client.get(collectif_url(collectif, "documents:list") + "?q=absent").content.decode()
    assert "Diaporama absentéisme" in html and "absentéisme-bilan.pdf" in html
    html = member_client.get(collectif_url(collectif, "documents:attachments")).content.decode()
    assert "Diaporama absentéisme" in html and "Plénière de mars" in html and "Café des parents" in html


def test_another_collectifs_objects_answer_404(collectif, other_collectif, other_member, member_client):
    document = make_document(collectif=other_collectif, by=other_member)
    version = document.current
    for name, kwargs in [
        ("documents:detail", {"pk": document.pk}),
        ("documents:download", {"pk": document.pk}),
        ("documents:version_download", {"pk": document.pk, "version_pk": version.pk}),
        ("documents:folder", {"pk": document.folder_id}),
        ("documents:upload", {"folder_pk": document.folder_id}),
    ]:
        assert member_client.get(collectif_url(collectif, name, **kwargs)).status_code == 404, name


def test_version_of_another_document_is_404(collectif, member, member_client):
    one = make_document(collectif=collectif, by=member, title="Un")
    two = make_document(collectif=collectif, by=member, title="Deux")
    url = collectif_url(collectif, "documents:version_download", pk=one.pk, version_pk=two.current.pk)
    assert member_client.get(url).status_code == 404
