"""« À discuter en plénière »: a coordinator puts a proposed document on a plénière's agenda."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from collectifs.access import MANAGE, collectif_view
from documents import permissions, services
from documents.access import document_for
from documents.selectors import is_open_pleniere
from reunions.access import reunion_for


@collectif_view(MANAGE, methods=("POST",))
def put_on_agenda(request, pk: int, reunion_pk: int):
    """Add the agenda item « Document : … » to the plénière and link the document to it; back to the reunion's
    agenda."""
    document = document_for(request.access, pk, rule=permissions.can_put_on_agenda, alive=True)
    reunion = reunion_for(request.access, reunion_pk)
    if not is_open_pleniere(reunion):
        messages.error(request, _("Seule une plénière à venir reçoit les documents proposés."))
    else:
        try:
            services.document_put_on_agenda(document=document, reunion=reunion, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("« %(title)s » est inscrit à l'ordre du jour.") % {"title": document.title})
    return redirect(reunion.get_absolute_url() + "#ordre-du-jour")
