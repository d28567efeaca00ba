"""Groupes de tâches: list, page, create and change."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from collectifs.access import MANAGE, READ, collectif_view
from reunions import permissions
from reunions.access import groupe_for
from reunions.forms import GroupeForm
from reunions.hooks import groupe_sections
from reunions.models import GroupeDeTaches
from reunions.services import groupes as services
from reunions.views.common import ctx


@collectif_view(READ)
def groupe_list(request):
    groupes = (
        GroupeDeTaches.objects.filter(collectif=request.access.collectif)
        .select_related("pilot")
        .annotate(n_members=Count("members", distinct=True), n_seances=Count("seances", distinct=True))
    )
    return render(request, "reunions/groupes.html", ctx(request, groupes=groupes))


@collectif_view(READ)
def groupe_detail(request, groupe_pk: int):
    groupe = groupe_for(request.access, groupe_pk)
    return render(
        request,
        "reunions/groupe_detail.html",
        ctx(
            request,
            groupe=groupe,
            members=list(groupe.members.all()),
            seances=list(groupe.seances.order_by("starts_at")),
            can_manage=permissions.can_manage_reunions(request.access),
            # What the apps above add (core.hooks): the groupe's folder, its discussions.
            extra_sections=groupe_sections.sections(request, groupe),
        ),
    )


@collectif_view(MANAGE)
def groupe_edit(request, groupe_pk: int | None = None):
    collectif = request.access.collectif
    instance = groupe_for(request.access, groupe_pk) if groupe_pk else GroupeDeTaches(collectif=collectif)
    form = GroupeForm(request.POST or None, instance=instance, collectif=collectif)
    if request.method == "POST" and form.is_valid():
        groupe = form.save(commit=False)
        groupe = services.groupe_save(groupe=groupe, by=request.user, members=form.cleaned_data["members"])
        messages.success(request, _("Groupe de tâches enregistré."))
        return redirect("reunions:groupe_detail", collectif_slug=collectif.slug, groupe_pk=groupe.pk)
    return render(
        request, "reunions/groupe_form.html", ctx(request, form=form, groupe=instance if groupe_pk else None)
    )
