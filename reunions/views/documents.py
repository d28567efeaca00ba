"""Documents of a meeting: upload (members), download (served only through the collectif), delete."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import render
from django.utils.translation import gettext as _

from collectifs.access import MANAGE, READ, WRITE, collectif_view
from core.storage import private_file_response
from reunions import permissions
from reunions.access import document_for, reunion_for
from reunions.forms import DocumentForm
from reunions.services import documents as services
from reunions.views.common import ctx, to_detail


@collectif_view(WRITE)
def document_upload(request, pk: int):
    reunion = reunion_for(request.access, pk, rule=permissions.can_upload_document)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        services.document_add(
            reunion=reunion, by=request.user, title=form.cleaned_data["title"], upload=form.cleaned_data["file"]
        )
        messages.success(request, _("Document ajouté."))
        return to_detail(reunion, "documents")
    return render(request, "reunions/document_form.html", ctx(request, form=form, reunion=reunion))


@collectif_view(READ)
def document_download(request, pk: int, document_pk: int):
    reunion = reunion_for(request.access, pk)
    document = document_for(request.access, reunion, document_pk)
    return private_file_response(
        document.file.storage, document.file.name, filename=document.original_name, content_type=document.content_type
    )


@collectif_view(MANAGE)
def document_delete(request, pk: int, document_pk: int):
    reunion = reunion_for(request.access, pk)
    document = document_for(request.access, reunion, document_pk)
    if request.method == "POST":
        services.document_delete(document=document, by=request.user)
        messages.success(request, _("Document supprimé."))
        return to_detail(reunion, "documents")
    return render(request, "reunions/confirm_delete.html", ctx(request, reunion=reunion, thing=document))
