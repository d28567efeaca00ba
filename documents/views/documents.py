"""One document: its page (versions, forms), upload into a folder, download of any version, new version, rename,
move, « à discuter en plénière », bin and restore."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from collectifs.access import READ, WRITE, collectif_view
from core.storage import private_file_response
from documents import permissions, services
from documents.access import document_for, folder_for, version_for
from documents.forms import NO_NAMES_NOTICE, DocumentUploadForm, MoveForm, RenameForm, VersionForm
from documents.hooks import document_sections
from documents.models import Folder
from documents.views.common import ctx
from reunions.selectors import upcoming_plenieres


def _detail(request, document, *, status: int = 200, **forms):
    """The document's page; `forms` replace the blank ones (a refused form is shown again with its errors)."""
    access = request.access
    can_write = permissions.can_write_documents(access, document) and document.deleted_at is None
    folders = Folder.objects.filter(collectif=access.collectif).order_by("name")
    context = ctx(
        request,
        document=document,
        folder=document.folder,
        versions=list(document.versions.select_related("uploaded_by")),
        can_write=can_write,
        can_restore=permissions.can_write_documents(access, document) and document.deleted_at is not None,
        version_form=forms.get("version_form") or (VersionForm() if can_write else None),
        rename_form=forms.get("rename_form") or (RenameForm(initial={"title": document.title}) if can_write else None),
        move_form=forms.get("move_form")
        or (MoveForm(folders=folders, initial={"folder": document.folder_id}) if can_write else None),
        plenieres=(
            list(upcoming_plenieres(access.collectif)[:3])
            if permissions.can_put_on_agenda(access, document) and document.to_discuss and document.deleted_at is None
            else []
        ),
        no_names_notice=NO_NAMES_NOTICE,
        # What the apps above add (core.hooks): the document's discussions.
        extra_sections=document_sections.sections(request, document),
    )
    return render(request, "documents/detail.html", context, status=status)


@collectif_view(READ)
def document_detail(request, pk: int):
    document = document_for(request.access, pk)
    return _detail(request, document)


@collectif_view(WRITE, methods=("GET", "POST"))
def document_upload(request, folder_pk: int):
    folder = folder_for(request.access, folder_pk, rule=permissions.can_write_documents)
    form = DocumentUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            document = services.document_create(
                collectif=request.access.collectif,
                folder=folder,
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            messages.success(request, _("Document déposé dans « %(folder)s ».") % {"folder": folder.name})
            return redirect(document.get_absolute_url())
    return render(
        request, "documents/upload.html", ctx(request, form=form, folder=folder, no_names_notice=NO_NAMES_NOTICE)
    )


@collectif_view(READ)
def document_download(request, pk: int, version_pk: int | None = None):
    """The current version, or any earlier one; served only after the document was fetched through the
    collectif (private storage)."""
    document = document_for(request.access, pk)
    version = version_for(request.access, document, version_pk) if version_pk else document.current
    if version is None:
        return redirect(document.get_absolute_url())
    return private_file_response(
        version.file.storage, version.file.name, filename=version.original_name, content_type=version.content_type
    )


@collectif_view(WRITE, methods=("POST",))
def version_add(request, pk: int):
    document = document_for(request.access, pk, rule=permissions.can_write_documents, alive=True)
    form = VersionForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            version = services.document_version_add(
                document=document, upload=form.cleaned_data["file"], note=form.cleaned_data["note"], by=request.user
            )
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            messages.success(request, _("Version %(n)s déposée.") % {"n": version.number})
            return redirect(document.get_absolute_url())
    return _detail(request, document, status=400, version_form=form)


@collectif_view(WRITE, methods=("POST",))
def document_rename(request, pk: int):
    document = document_for(request.access, pk, rule=permissions.can_write_documents, alive=True)
    form = RenameForm(request.POST)
    if form.is_valid():
        try:
            services.document_rename(document=document, title=form.cleaned_data["title"], by=request.user)
        except ValidationError as exc:
            form.add_error("title", exc)
        else:
            messages.success(request, _("Document renommé."))
            return redirect(document.get_absolute_url())
    return _detail(request, document, status=400, rename_form=form)


@collectif_view(WRITE, methods=("POST",))
def document_move(request, pk: int):
    document = document_for(request.access, pk, rule=permissions.can_write_documents, alive=True)
    form = MoveForm(request.POST, folders=Folder.objects.filter(collectif=request.access.collectif))
    if form.is_valid():
        folder = form.cleaned_data["folder"]
        services.document_move(document=document, folder=folder, by=request.user)
        messages.success(request, _("Document déplacé dans « %(folder)s ».") % {"folder": folder.name})
        return redirect(document.get_absolute_url())
    return _detail(request, document, status=400, move_form=form)


@collectif_view(WRITE, methods=("POST",))
def document_flag(request, pk: int):
    """Flag or unflag « à discuter en plénière » (`to_discuss` = 1 or 0)."""
    document = document_for(request.access, pk, rule=permissions.can_write_documents, alive=True)
    to_discuss = request.POST.get("to_discuss") == "1"
    services.document_flag(document=document, to_discuss=to_discuss, by=request.user)
    if to_discuss:
        messages.success(request, _("Le document est proposé à l'ordre du jour de la prochaine plénière."))
    else:
        messages.success(request, _("Le document n'est plus proposé pour la plénière."))
    return redirect(document.get_absolute_url())


@collectif_view(WRITE, methods=("GET", "POST"))
def document_trash(request, pk: int):
    """GET: the confirmation; POST: to the bin (restorable until a coordinator empties it)."""
    document = document_for(request.access, pk, rule=permissions.can_write_documents, alive=True)
    if request.method == "POST":
        services.document_trash(document=document, by=request.user)
        messages.success(
            request, _("« %(title)s » est dans la corbeille : il peut en être restauré.") % {"title": document.title}
        )
        return redirect(document.folder.get_absolute_url())
    return render(request, "documents/confirm_trash.html", ctx(request, document=document))


@collectif_view(WRITE, methods=("POST",))
def document_restore(request, pk: int):
    document = document_for(request.access, pk, rule=permissions.can_write_documents)
    services.document_restore(document=document, by=request.user)
    messages.success(
        request,
        _("« %(title)s » est restauré dans « %(folder)s ».")
        % {
            "title": document.title,
            "folder": document.folder.name,
        },
    )
    return redirect(document.get_absolute_url())
