"""Folders: coordinators create, rename and delete (empty) folders."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from collectifs.access import MANAGE, collectif_view
from documents import permissions, services
from documents.access import folder_for
from documents.forms import FolderForm
from documents.views.common import ctx


@collectif_view(MANAGE, methods=("GET", "POST"))
def folder_create(request):
    form = FolderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            folder = services.folder_create(
                collectif=request.access.collectif, name=form.cleaned_data["name"], by=request.user
            )
        except ValidationError as exc:
            form.add_error("name", exc)
        else:
            messages.success(request, _("Dossier « %(name)s » créé.") % {"name": folder.name})
            return redirect(folder.get_absolute_url())
    return render(request, "documents/folder_form.html", ctx(request, form=form, folder=None))


@collectif_view(MANAGE, methods=("GET", "POST"))
def folder_rename(request, pk: int):
    folder = folder_for(request.access, pk, rule=permissions.can_manage_folders)
    form = FolderForm(request.POST or None, initial={"name": folder.name})
    if request.method == "POST" and form.is_valid():
        try:
            services.folder_rename(folder=folder, name=form.cleaned_data["name"], by=request.user)
        except ValidationError as exc:
            form.add_error("name", exc)
        else:
            messages.success(request, _("Dossier renommé."))
            return redirect(folder.get_absolute_url())
    return render(request, "documents/folder_form.html", ctx(request, form=form, folder=folder))


@collectif_view(MANAGE, methods=("GET", "POST"))
def folder_delete(request, pk: int):
    folder = folder_for(
        request.access,
        pk,
        rule=permissions.can_delete_folder,
    )
    error = ""
    if request.method == "POST":
        try:
            services.folder_delete(folder=folder, by=request.user)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("Dossier « %(name)s » supprimé.") % {"name": folder.name})
            return redirect(reverse("documents:space", kwargs={"collectif_slug": request.access.collectif.slug}))
    n_documents = folder.documents.count()
    return render(
        request,
        "documents/confirm_folder_delete.html",
        ctx(request, folder=folder, n_documents=n_documents, error=error),
        status=400 if error else 200,
    )
