"""The annual bilan page: the year's key figures, and the PDF and ODT, built in the background in one click."""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.text import slugify

from bilans import data, documents, services
from collectifs.access import WRITE, collectif_view
from core import schoolyear

CONTENT_TYPES = {"pdf": "application/pdf", "odt": "application/vnd.oasis.opendocument.text"}


def _bilan(request, year: int | None) -> data.Bilan:
    return data.compute(request.access.collectif, year)


def _context(request, bilan: data.Bilan, state: str, progress: int) -> dict:
    return {
        "collectif": request.access.collectif,
        "access": request.access,
        "bilan": bilan,
        "summary": documents.summary(bilan),
        "questionnaire_intro": documents.questionnaire_intro(bilan),
        "year_choices": [(y, schoolyear.label(y)) for y in bilan.indicators.years],
        "state": state,
        "progress": progress,
    }


@collectif_view()
def bilan(request):
    year = schoolyear.parse(request.GET.get("annee"))
    b = _bilan(request, year)
    state, progress = services.bilan_state(b)
    return render(request, "bilans/bilan.html", _context(request, b, state, progress))


@collectif_view(WRITE, methods=("POST",))
def bilan_build(request, year: int):
    """The one click: ask for the documents of this year (built once per content, whoever asks)."""
    b = _bilan(request, year)
    services.bilan_request(bilan=b, by=request.access.by, retry=True)
    return redirect("bilans:status", collectif_slug=request.access.collectif.slug, year=b.year)


@collectif_view()
def bilan_status(request, year: int):
    """Where the build stands: a fragment polled by htmx, or the whole page without JavaScript."""
    b = _bilan(request, year)
    state, progress = services.bilan_state(b)
    template = "bilans/includes/status.html" if request.htmx else "bilans/bilan.html"
    return render(request, template, _context(request, b, state, progress))


@collectif_view()
def bilan_file(request, year: int, fmt: str):
    if fmt not in CONTENT_TYPES:
        raise Http404
    b = _bilan(request, year)
    state, _progress = services.bilan_state(b)
    if state != "ready":
        return redirect("bilans:status", collectif_slug=request.access.collectif.slug, year=b.year)
    path = services.bilan_path(b.collectif.pk, b.year, b.digest(), fmt)
    try:
        handle = path.open("rb")
    except FileNotFoundError:  # replaced by a newer build between the two lines
        raise Http404("Document en cours de remplacement.") from None
    name = f"bilan-{b.label}-{slugify(b.collectif.name)[:60]}.{fmt}"
    return FileResponse(handle, as_attachment=True, filename=name, content_type=CONTENT_TYPES[fmt])
