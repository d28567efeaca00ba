"""The bin: documents deleted by members, restorable; a coordinator empties it (files leave storage)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from collectifs.access import MANAGE, READ, collectif_view
from documents import permissions, services
from documents.models import Document
from documents.views.common import ctx, paginate


@collectif_view(READ)
def bin_list(request):
    collectif = request.access.collectif
    queryset = (
        Document.objects.in_bin()
        .filter(collectif=collectif)
        .select_related("folder", "deleted_by", "current")
        .order_by("-deleted_at", "-pk")
    )
    page, query = paginate(request, queryset)
    return render(
        request,
        "documents/bin.html",
        ctx(
            request,
            page=page,
            query=query,
            can_restore=permissions.can_write_documents(request.access),
            can_empty=permissions.can_empty_bin(request.access),
        ),
    )


@collectif_view(MANAGE, methods=("GET", "POST"))
def bin_empty(request):
    """GET: the confirmation (how many documents go for good); POST: empty."""
    collectif = request.access.collectif
    if request.method == "POST":
        n = services.bin_empty(collectif=collectif, by=request.user)
        messages.success(
            request,
            ngettext(
                "La corbeille est vidée : %(n)s document supprimé définitivement.",
                "La corbeille est vidée : %(n)s documents supprimés définitivement.",
                n,
            )
            % {"n": n}
            if n
            else _("La corbeille était déjà vide."),
        )
        return redirect(reverse("documents:bin", kwargs={"collectif_slug": collectif.slug}))
    n = Document.objects.in_bin().filter(collectif=collectif).count()
    return render(request, "documents/confirm_bin_empty.html", ctx(request, n=n))
