"""The collectif's document space: its folders, the list of all documents (search), one folder, the files attached
to reunions and journal entries."""

from __future__ import annotations

from django.shortcuts import redirect, render

from collectifs.access import READ, collectif_view
from documents import permissions, selectors
from documents.access import folder_for
from documents.filters import DocumentFilter, author_choices, folder_choices
from documents.models import Document, Folder
from documents.services import folder_for_groupe, folder_for_references
from documents.views.common import ctx, paginate
from reunions.access import groupe_for

ATTACHMENTS_IN_SEARCH = 10


@collectif_view(READ)
def space(request):
    """The folders with their counts; the groupes whose folder is not made yet; the bin; the attachments."""
    collectif = request.access.collectif
    folder_for_references(collectif=collectif)  # the space always shows its references folder
    folders = selectors.folders_with_counts(collectif)
    return render(
        request,
        "documents/space.html",
        ctx(
            request,
            folders=folders,
            groupes_without_folder=selectors.groupes_without_folder(collectif),
            n_bin=Document.objects.in_bin().filter(collectif=collectif).count(),
            n_attachments=selectors.attachments_queryset(collectif).count(),
            recent=selectors.recent_documents(collectif),
            can_write=permissions.can_write_documents(request.access),
            can_manage=permissions.can_manage_folders(request.access),
        ),
    )


def _documents_page(request, *, folder: Folder | None):
    """The list of documents (of one folder, or of the whole space with a folder filter), filtered and sorted;
    a fixed number of queries whatever the number of documents."""
    collectif = request.access.collectif
    queryset = selectors.documents_list(collectif)
    folders = None
    if folder is not None:
        queryset = queryset.filter(folder=folder)
    else:
        folders = folder_choices(list(Folder.objects.filter(collectif=collectif).order_by("name").only("pk", "name")))
    document_filter = DocumentFilter(
        request.GET or None, queryset=queryset, folders=folders, authors=author_choices(collectif)
    )
    page, query = paginate(request, document_filter.qs.order_by(*document_filter.ordering()))
    if folder is not None:  # the folder is already loaded: no query per row
        for document in page.object_list:
            document.folder = folder
    return document_filter, page, query


@collectif_view(READ)
def document_list(request):
    """Every document of the space, searched by name, folder, author and date; a search also looks through the
    files attached to reunions and journal entries."""
    document_filter, page, query = _documents_page(request, folder=None)
    q = (document_filter.form.cleaned_data.get("q") or "") if document_filter.form.is_valid() else ""
    attachments = []
    if q.strip():
        collectif = request.access.collectif
        rows = selectors.attachments_queryset(collectif, q=q)[:ATTACHMENTS_IN_SEARCH]
        attachments = selectors.attachment_rows(collectif, rows)
    return render(
        request,
        "documents/list.html",
        ctx(
            request,
            filter=document_filter,
            page=page,
            query=query,
            folder=None,
            attachments=attachments,
            searched=q.strip(),
            can_write=permissions.can_write_documents(request.access),
            can_manage=False,
        ),
    )


@collectif_view(READ)
def folder_detail(request, pk: int):
    folder = folder_for(request.access, pk)
    document_filter, page, query = _documents_page(request, folder=folder)
    return render(
        request,
        "documents/list.html",
        ctx(
            request,
            filter=document_filter,
            page=page,
            query=query,
            folder=folder,
            attachments=[],
            searched="",
            can_write=permissions.can_write_documents(request.access, folder),
            can_manage=permissions.can_manage_folders(request.access, folder),
            can_delete_folder=permissions.can_delete_folder(request.access, folder),
        ),
    )


@collectif_view(READ)
def groupe_folder(request, groupe_pk: int):
    """The folder of a groupe de tâches, made on its first visit (it is part of the space's shape, not content)."""
    groupe = groupe_for(request.access, groupe_pk)
    by = request.user if request.access.can_write else None
    folder = folder_for_groupe(groupe=groupe, by=by)
    if request.GET.get("deposer") and permissions.can_write_documents(request.access, folder):
        return redirect("documents:upload", collectif_slug=request.access.collectif.slug, folder_pk=folder.pk)
    return redirect(folder.get_absolute_url())


@collectif_view(READ)
def attachments(request):
    """A read-only virtual folder: the files attached to the collectif's reunions and journal entries, each linking
    to its own download view (which checks access again)."""
    collectif = request.access.collectif
    q = request.GET.get("q", "").strip()[:200]
    page, query = paginate(request, selectors.attachments_queryset(collectif, q=q))
    page.object_list = selectors.attachment_rows(collectif, page.object_list)
    return render(request, "documents/attachments.html", ctx(request, page=page, query=query, q=q))
