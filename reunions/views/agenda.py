"""The agenda of a meeting: add, move, delete items (plain forms, enhanced by htmx)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from collectifs.access import MANAGE, collectif_view
from reunions.access import agenda_item_for, reunion_for
from reunions.forms import AgendaItemForm
from reunions.hooks import agenda_proposals
from reunions.services import agenda as services
from reunions.views.common import ctx, to_detail


def _agenda_response(request, reunion):
    if request.htmx:
        return render(
            request,
            "reunions/detail.html#agenda",
            ctx(
                request,
                reunion=reunion,
                reunion_url=reunion.get_absolute_url(),
                agenda=list(reunion.agenda.all()),
                agenda_extra=agenda_proposals.sections(request, reunion),
                can_manage=True,
            ),
        )
    return to_detail(reunion, "ordre-du-jour")


@collectif_view(MANAGE, methods=("GET", "POST"))
def agenda_add(request, pk: int):
    """GET: the form, only when the coordinator opens it (an htmx fragment in the reunion page, or a page of its
    own without JavaScript), so that the reunion page does not render it at every view."""
    reunion = reunion_for(request.access, pk)
    if request.method == "GET":
        template = "reunions/agenda_form.html#form" if request.htmx else "reunions/agenda_form.html"
        return render(request, template, ctx(request, reunion=reunion, agenda_form=AgendaItemForm()))
    form = AgendaItemForm(request.POST)
    if form.is_valid():
        services.agenda_item_add(reunion=reunion, by=request.user, **form.cleaned_data)
    else:
        messages.error(request, _("Le point n'a pas été ajouté : indiquez au moins son titre."))
    return _agenda_response(request, reunion)


@collectif_view(MANAGE, methods=("POST",))
def agenda_move(request, pk: int, item_pk: int):
    reunion = reunion_for(request.access, pk)
    item = agenda_item_for(request.access, reunion, item_pk)
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        return HttpResponse(_("Direction inconnue."), status=400)
    services.agenda_item_move(item=item, by=request.user, direction=direction)
    return _agenda_response(request, reunion)


@collectif_view(MANAGE, methods=("POST",))
def agenda_delete(request, pk: int, item_pk: int):
    reunion = reunion_for(request.access, pk)
    item = agenda_item_for(request.access, reunion, item_pk)
    services.agenda_item_delete(item=item, by=request.user)
    return _agenda_response(request, reunion)
