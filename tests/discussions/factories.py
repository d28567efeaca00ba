"""Objects of the discussions tests: threads and messages written through the services (as people do), and the
documents they may be about."""

from __future__ import annotations

from documents.models import Document, Folder


def thread_open(
    collectif, by, *, title="Calendrier des séances", body="<p>Quelles dates vous conviennent ?</p>", **subject
):
    from discussions.services.threads import thread_open as open_

    return open_(collectif=collectif, by=by, title=title, body_html=body, **subject)


def post(thread, by, body="<p>Je serai là.</p>", **kwargs):
    from discussions.services.messages import message_post

    message, _created = message_post(thread=thread, by=by, body_html=body, **kwargs)
    return message


def document_in(collectif, title="Projet de protocole d'accueil", folder_name="Travaux en cours"):
    folder, _ = Folder.objects.get_or_create(
        collectif=collectif, name=folder_name, defaults={"kind": Folder.Kind.OTHER}
    )
    return Document.objects.create(collectif=collectif, folder=folder, title=title)
