"""What the documents app shows elsewhere, registered from `DocumentsConfig.ready()`: the collectif's home panel
and navigation section, the sections of a reunion and a groupe de tâches page, the proposals in a plénière's
agenda, its demo loader."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from documents import permissions


def recent_documents_panel(access) -> dict:
    """The collectif's home: the five documents changed last, with the way to the space."""
    from documents.selectors import recent_documents

    collectif = access.collectif
    items = []
    for d in recent_documents(collectif):
        d.collectif = collectif  # already loaded: no query per row for the URL
        items.append(
            {
                "url": d.get_absolute_url(),
                "label": d.title,
                "meta": f"— {d.folder.name}, {formats.date_format(d.updated_at, 'j F Y')}",
                "badge": _("À discuter en plénière") if d.to_discuss else "",
            }
        )
    empty = _("Aucun document pour l'instant.")
    if access.can_write:
        empty += " " + _("Partagez les documents de travail dans l'espace documentaire.")
    return {
        "id": "documents-recents",
        "title": _("Documents récents"),
        "items": items,
        "empty": empty,
        "more_url": reverse("documents:space", kwargs={"collectif_slug": collectif.slug}),
        "more_label": _("Tous les documents"),
    }


def navigation_sections() -> list[tuple]:
    return [(35, gettext_lazy("Documents"), "documents:space", False)]


def agenda_proposals(request, reunion) -> str:
    """In a plénière still to hold, coordinators see the documents proposed and put them on the agenda."""
    from documents.selectors import documents_of_reunion, is_open_pleniere

    if not is_open_pleniere(reunion) or not permissions.can_put_on_agenda(request.access):
        return ""
    proposed = documents_of_reunion(request, reunion)["proposed"]
    if not proposed:
        return ""
    return render_to_string(
        "documents/includes/agenda_proposals.html",
        {"collectif": request.access.collectif, "reunion": reunion, "proposed": proposed},
        request=request,
    )


def reunion_section(request, reunion) -> str:
    """A plénière's page links to the documents put on its agenda, and (for those who do not see the agenda's
    proposals) to the documents proposed for it."""
    from documents.selectors import documents_of_reunion
    from reunions.models import Reunion

    if reunion.kind != Reunion.Kind.PLENIERE:  # only plénières take documents on their agenda
        return ""
    found = documents_of_reunion(request, reunion)
    on_agenda = found["on_agenda"]
    proposed = [] if permissions.can_put_on_agenda(request.access) else found["proposed"]
    if not on_agenda and not proposed:
        return ""
    return render_to_string(
        "documents/includes/reunion_section.html",
        {"collectif": request.access.collectif, "on_agenda": on_agenda, "proposed": proposed},
        request=request,
    )


GROUPE_DOCUMENTS_SHOWN = 5


def groupe_section(request, groupe) -> str:
    """A groupe de tâches page: the latest documents of its folder and the way to upload one (one query)."""
    from documents.models import Document

    documents = list(
        Document.objects.alive()
        .filter(folder__groupe=groupe, collectif_id=groupe.collectif_id)
        .select_related("current__uploaded_by")
        .order_by("-updated_at", "-pk")[:GROUPE_DOCUMENTS_SHOWN]
    )
    return render_to_string(
        "documents/includes/groupe_section.html",
        {
            "collectif": request.access.collectif,
            "groupe": groupe,
            "documents": documents,
            "can_write": permissions.can_write_documents(request.access),
        },
        request=request,
    )


def load_demo(stdout) -> None:
    from documents.demo import load

    load(stdout)
