"""Files sent with a message go to the document space (the thread's folder) and are linked from the message and
its e-mail."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from discussions.models import Message
from discussions.services.follows import thread_follow
from documents.models import Document, Folder
from tests.discussions.factories import document_in, post, thread_open
from tests.helpers import collectif_url, mails_leave
from tests.reunions.factories import GroupeFactory

pytestmark = pytest.mark.django_db


def _pdf(name="modele-fiche-liaison.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 modele", content_type="application/pdf")


def test_a_reply_with_files_puts_them_in_the_groupes_folder(collectif, coordinator, member, member_client):
    groupe = GroupeFactory(collectif=collectif, name="Accueil des exclus")
    thread = thread_open(collectif, coordinator, groupe=groupe)
    thread_follow(thread=thread, by=coordinator)
    with mails_leave():
        response = member_client.post(
            collectif_url(collectif, "discussions:reply", pk=thread.pk),
            {"body": "Le modèle ci-joint.", "attachments": [_pdf(), _pdf("calendrier.pdf")]},
        )
    assert response.status_code == 302
    message = Message.objects.get(author=member)
    documents = list(message.attachments.order_by("title"))
    assert [d.title for d in documents] == ["calendrier.pdf", "modele-fiche-liaison.pdf"]
    assert {d.folder.kind for d in documents} == {Folder.Kind.GROUPE}
    assert documents[0].folder.groupe == groupe and documents[0].current.number == 1
    html = member_client.get(thread.get_absolute_url() + "?page=last").content.decode()
    assert documents[0].get_absolute_url() in html
    assert "modele-fiche-liaison.pdf" in mail.outbox[0].body


def test_a_file_of_a_refused_type_is_not_posted(collectif, coordinator, member_client):
    thread = thread_open(collectif, coordinator)
    response = member_client.post(
        collectif_url(collectif, "discussions:reply", pk=thread.pk),
        {
            "body": "Voici",
            "attachments": [SimpleUploadedFile("script.pdf", b"#!/bin/sh", content_type="application/pdf")],
        },
    )
    assert response.status_code == 400
    assert thread.messages.count() == 1 and not Document.objects.exists()


def test_attachments_of_a_thread_on_a_document_go_to_its_folder(collectif, member):
    document = document_in(collectif, folder_name="Projets")
    thread = thread_open(collectif, member, document=document)
    message = post(thread, member, attachments=[_pdf("version-annotee.pdf")])
    assert message.attachments.get().folder == document.folder
    # A thread on the collectif files them with its shared references; a document of the space is linked as it is.
    general = thread_open(collectif, member, title="Général")
    message = post(general, member, attachments=[_pdf(), document])
    kinds = sorted(d.folder.kind for d in message.attachments.all())
    assert kinds == sorted([Folder.Kind.REFERENCES, document.folder.kind])


def test_emptying_the_bin_keeps_the_discussions_of_its_documents(collectif, coordinator, member):
    from documents.services import bin_empty, document_trash

    document = document_in(collectif, title="Ancien projet")
    thread = thread_open(collectif, member, title="Relecture", document=document)
    attached = post(thread, member, attachments=[_pdf("annexe.pdf")]).attachments.get()
    document_trash(document=document, by=coordinator)
    document_trash(document=attached, by=coordinator)
    assert bin_empty(collectif=collectif, by=coordinator) == 2
    thread.refresh_from_db()
    assert thread.document is None and thread.messages.count() == 2
    assert thread.subject_label == "Discussion du collectif"
