"""Restitutions: list, write (form, paste to import), edit points in place (htmx, or plain forms), print.

Every view fetches through the collectif of the URL (`request.access.collectif`): another collectif's
restitution answers 404. CRPV editors get in everywhere (`collectif_view(..., crpv_writes=True)`).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from collectifs.access import WRITE, collectif_view, fetch, public_view, user_view
from fiches_experience.selectors import fiche_offer
from restitutions import cycles, forms, permissions, printing, services
from restitutions.models import Cycle, FreeSection, Point, Restitution
from reunions.models import Reunion


def _restitutions(request):
    return Restitution.objects.filter(collectif=request.access.collectif)


def _get_restitution(request, pk: int) -> Restitution:
    return get_object_or_404(_restitutions(request).select_related("collectif", "cycle"), pk=pk)


def _get_point(request, pk: int, point_pk: int) -> Point:
    return get_object_or_404(
        Point.objects.select_related("restitution__collectif").filter(
            restitution__collectif=request.access.collectif, restitution_id=pk
        ),
        pk=point_pk,
    )


def _ctx(request, **extra) -> dict:
    return {"collectif": request.access.collectif, "access": request.access, **extra}


def _pdf_response(pdf: bytes, name: str, *, inline: bool = False) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{slugify(name)[:80] or "restitution"}.pdf"'
    return response


# --- Lists and restitutions ---------------------------------------------------------------------------------


@collectif_view(crpv_writes=True)
def restitution_list(request):
    restitutions = _restitutions(request).select_related("collectif", "cycle").order_by("-held_on", "-pk")
    page = Paginator(restitutions, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "restitutions/list.html",
        _ctx(
            request,
            page=page,
            cycles=cycles.cycles_of(request.access.collectif),
            can_create_cycle=permissions.can_create_cycle(request.access),
        ),
    )


@collectif_view(need=WRITE, crpv_writes=True)
def restitution_create(request):
    collectif = request.access.collectif
    initial = {}
    # Links from a cycle's page or an atelier's page pre-fill the form; a malformed or foreign id is ignored.
    cycle_pk, reunion_pk = request.GET.get("cycle", ""), request.GET.get("reunion", "")
    if cycle_pk.isdigit():
        initial["cycle"] = Cycle.objects.for_collectif(collectif).filter(pk=cycle_pk).first()
    if reunion_pk.isdigit():
        atelier = Reunion.objects.filter(collectif=collectif, kind=Reunion.Kind.ATELIER, pk=reunion_pk).first()
        if atelier is not None:
            initial.update(
                reunion=atelier,
                title=atelier.title,
                held_on=atelier.starts_at and timezone.localdate(atelier.starts_at),
            )
    form = forms.RestitutionForm(request.POST or None, collectif=collectif, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "carry_over"}
        restitution = services.restitution_create(by=request.user, collectif=collectif, **data)
        if taken := form.chosen_carry_over():
            services.restitution_take_carry_over(by=request.user, restitution=restitution, points=taken)
        messages.success(request, _("Restitution créée. Ajoutez maintenant ses points."))
        return redirect(restitution.get_absolute_url())
    return render(request, "restitutions/restitution_form.html", _ctx(request, form=form, restitution=None))


@collectif_view(crpv_writes=True)
def restitution_detail(request, pk: int):
    restitution = get_object_or_404(printing.with_content(_restitutions(request)), pk=pk)
    # The previous atelier's questions vives not taken yet: one click takes each (cycle_views.carry_over_take).
    writes = permissions.can_write_restitutions(request.access)
    carry_over = cycles.carry_over_offered(restitution) if writes else None
    return render(
        request,
        "restitutions/detail.html",
        _ctx(
            request,
            restitution=restitution,
            sections=printing.sections_of(restitution),
            free_sections=list(restitution.free_sections.all()),
            can_delete=permissions.can_delete_restitution(request.access, restitution),
            carry_over=carry_over,
            fiche_offer=fiche_offer(
                request.access,
                source="restitution",
                source_id=restitution.pk,
                collectif_slug=request.access.collectif.slug,
            ),
        ),
    )


@collectif_view(need=WRITE, crpv_writes=True)
def restitution_update(request, pk: int):
    restitution = _get_restitution(request, pk)
    form = forms.RestitutionForm(request.POST or None, instance=restitution, collectif=request.access.collectif)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "carry_over"}
        services.restitution_update(by=request.user, restitution=restitution, **data)
        if taken := form.chosen_carry_over():
            services.restitution_take_carry_over(by=request.user, restitution=restitution, points=taken)
        messages.success(request, _("Restitution enregistrée."))
        return redirect(restitution.get_absolute_url())
    return render(request, "restitutions/restitution_form.html", _ctx(request, form=form, restitution=restitution))


@collectif_view(need=WRITE, methods=("POST",), crpv_writes=True)
def restitution_fill_participants(request, pk: int):
    """« Remplir depuis les présences »: the participants table from the attendance of the restitution's atelier."""
    restitution = _get_restitution(request, pk)
    try:
        services.restitution_fill_participants(by=request.user, restitution=restitution)
    except services.RestitutionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Participants remplis depuis les présences : vous pouvez encore les modifier."))
    return redirect(restitution.get_absolute_url())


@collectif_view(need=WRITE, crpv_writes=True)
def restitution_delete(request, pk: int):
    restitution = fetch(
        _restitutions(request).select_related("collectif", "cycle"),
        request.access,
        rule=permissions.can_delete_restitution,
        message=_(
            "Une restitution publiée ne se supprime pas : dépubliez-la d'abord (statut « Brouillon »). Un brouillon "
            "se supprime par son auteur, la coordination ou un éditeur du CRPV."
        ),
        pk=pk,
    )
    if request.method == "POST":
        services.restitution_delete(by=request.user, restitution=restitution)
        messages.success(request, _("Restitution supprimée."))
        return redirect("restitutions:list", collectif_slug=request.access.collectif.slug)
    return render(
        request,
        "restitutions/confirm_delete.html",
        _ctx(
            request,
            question=_("Supprimer la restitution « %(title)s » et tous ses points ?") % {"title": restitution.title},
            cancel_url=restitution.get_absolute_url(),
        ),
    )


@collectif_view(crpv_writes=True)
def restitution_pdf(request, pk: int):
    restitution = _get_restitution(request, pk)
    return _pdf_response(printing.restitution_pdf(restitution), restitution.title)


# --- Paste to import ----------------------------------------------------------------------------------------


def _review_form(request, data=None, *, lines: int, free_titles: list[str], initial=None):
    return forms.ReviewForm(
        data, initial=initial, collectif=request.access.collectif, lines=lines, free_titles=free_titles
    )


@collectif_view(need=WRITE, crpv_writes=True)
def restitution_import(request):
    """Step 1: paste the text. Step 2: review where each line goes (nothing saved yet). Step 3: save."""
    step = request.POST.get("step", "paste") if request.method == "POST" else "paste"
    if step == "save":
        try:
            lines = max(0, min(int(request.POST.get("line_count", 0)), forms.MAX_IMPORT_LINES))
            free_count = max(0, min(int(request.POST.get("free_count", 0)), forms.MAX_FREE_SECTIONS))
        except (TypeError, ValueError):
            lines, free_count = 0, 0
        free_titles = [request.POST.get(f"free_{i}_title", "") for i in range(free_count)]
        review = _review_form(request, request.POST, lines=lines, free_titles=free_titles)
        if review.is_valid():
            try:
                restitution = services.restitution_import(
                    by=request.user,
                    collectif=request.access.collectif,
                    title=review.cleaned_data["title"],
                    atelier_numbers=review.cleaned_data["atelier_numbers"],
                    cycle=review.cleaned_data["cycle"],
                    points=review.points(),
                    free_sections=review.free_sections(),
                )
            except services.RestitutionError as error:
                # The review stays on screen with what the user has sorted so far.
                review.add_error(None, str(error))
            else:
                messages.success(request, _("Restitution importée. Relisez-la et complétez ses informations."))
                return redirect(restitution.get_absolute_url())
        return render(request, "restitutions/import_review.html", _ctx(request, review=review, unplaced=None))

    paste = forms.PasteForm(request.POST or None)
    if request.method == "POST" and paste.is_valid():
        parsed = paste.parsed
        initial = {"title": parsed.title, "atelier_numbers": parsed.atelier_numbers}
        for i, line in enumerate(parsed.lines):
            initial[f"line_{i}_text"] = line.text
            initial[f"line_{i}_section"] = line.section
        for i, title in enumerate(parsed.free_titles):
            initial[f"free_{i}_title"] = title
        review = _review_form(request, lines=len(parsed.lines), free_titles=parsed.free_titles, initial=initial)
        return render(
            request,
            "restitutions/import_review.html",
            _ctx(request, review=review, unplaced=parsed.unplaced, parsed=parsed),
        )
    return render(request, "restitutions/import.html", _ctx(request, form=paste))


# --- Points, in place with htmx or as plain forms -----------------------------------------------------------


def _section_response(request, restitution: Restitution, section: str, *, form=None):
    """The htmx answer: the whole list, re-rendered; without htmx, back to the restitution's page."""
    if not request.htmx:
        return redirect(f"{restitution.get_absolute_url()}#liste-{section}")
    points = list(restitution.points.filter(section=section).order_by("position", "pk"))
    return render(
        request,
        "restitutions/includes/section.html",
        _ctx(
            request,
            restitution=restitution,
            section={"key": section, "label": Point.Section(section).label, "points": points},
            new_form=form,
        ),
    )


@collectif_view(need=WRITE, methods=("POST",), crpv_writes=True)
def point_add(request, pk: int):
    restitution = _get_restitution(request, pk)
    form = forms.NewPointForm(request.POST)
    if form.is_valid():
        try:
            services.point_add(by=request.user, restitution=restitution, **form.cleaned_data)
        except services.RestitutionError as exc:
            form.add_error(None, str(exc))
        else:
            return _section_response(request, restitution, form.cleaned_data["section"])
    section = request.POST.get("section")
    if section not in Point.Section.values:
        return HttpResponse(_("Liste inconnue."), status=400)
    if request.htmx:
        return _section_response(request, restitution, section, form=form)
    messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(f"{restitution.get_absolute_url()}#liste-{section}")


@collectif_view(need=WRITE, crpv_writes=True)
def point_update(request, pk: int, point_pk: int):
    point = _get_point(request, pk, point_pk)
    form = forms.PointForm(request.POST or None, initial={"text": point.text})
    if request.method == "POST" and form.is_valid():
        services.point_update(by=request.user, point=point, text=form.cleaned_data["text"])
        return _section_response(request, point.restitution, point.section)
    template = "restitutions/includes/point_edit.html" if request.htmx else "restitutions/point_form.html"
    return render(request, template, _ctx(request, point=point, restitution=point.restitution, form=form))


@collectif_view(need=WRITE, crpv_writes=True)
def point_delete(request, pk: int, point_pk: int):
    point = _get_point(request, pk, point_pk)
    if request.method == "POST":
        restitution, section = point.restitution, point.section
        services.point_delete(by=request.user, point=point)
        return _section_response(request, restitution, section)
    return render(
        request,
        "restitutions/confirm_delete.html",
        _ctx(
            request,
            question=_("Supprimer le point « %(text)s » ?") % {"text": point.text[:120]},
            cancel_url=f"{point.restitution.get_absolute_url()}#liste-{point.section}",
        ),
    )


@collectif_view(need=WRITE, methods=("POST",), crpv_writes=True)
def point_move(request, pk: int, point_pk: int):
    point = _get_point(request, pk, point_pk)
    form = forms.MoveForm(request.POST)
    if not form.is_valid():
        return HttpResponse(_("Direction inconnue."), status=400)
    services.point_move(by=request.user, point=point, direction=form.cleaned_data["direction"])
    return _section_response(request, point.restitution, point.section)


# --- Free sections ------------------------------------------------------------------------------------------


@collectif_view(need=WRITE, crpv_writes=True)
def free_section_add(request, pk: int):
    restitution = _get_restitution(request, pk)
    form = forms.FreeSectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.free_section_add(by=request.user, restitution=restitution, **form.cleaned_data)
        return redirect(f"{restitution.get_absolute_url()}#sections-libres")
    return render(request, "restitutions/free_section_form.html", _ctx(request, form=form, restitution=restitution))


def _get_free_section(request, pk: int, section_pk: int) -> FreeSection:
    return get_object_or_404(
        FreeSection.objects.select_related("restitution__collectif").filter(
            restitution__collectif=request.access.collectif, restitution_id=pk
        ),
        pk=section_pk,
    )


@collectif_view(need=WRITE, crpv_writes=True)
def free_section_update(request, pk: int, section_pk: int):
    section = _get_free_section(request, pk, section_pk)
    form = forms.FreeSectionForm(request.POST or None, instance=section)
    if request.method == "POST" and form.is_valid():
        services.free_section_update(by=request.user, section=section, **form.cleaned_data)
        return redirect(f"{section.restitution.get_absolute_url()}#sections-libres")
    return render(
        request, "restitutions/free_section_form.html", _ctx(request, form=form, restitution=section.restitution)
    )


@collectif_view(need=WRITE, crpv_writes=True)
def free_section_delete(request, pk: int, section_pk: int):
    section = _get_free_section(request, pk, section_pk)
    if request.method == "POST":
        restitution = section.restitution
        services.free_section_delete(by=request.user, section=section)
        return redirect(f"{restitution.get_absolute_url()}#sections-libres")
    return render(
        request,
        "restitutions/confirm_delete.html",
        _ctx(
            request,
            question=_("Supprimer la section « %(title)s » ?") % {"title": section.title},
            cancel_url=f"{section.restitution.get_absolute_url()}#sections-libres",
        ),
    )


# --- Across collectifs: the CRPV editors' entry point ----------------------------------------------------------


@user_view()
def restitution_overview(request):
    """Every restitution the user may read, across collectifs: CRPV editors, who belong to no collectif, start here."""
    from collectifs.models import Collectif

    restitutions = (
        Restitution.objects.for_member(request.user).select_related("collectif", "cycle").order_by("-updated_at")
    )
    page = Paginator(restitutions, 20).get_page(request.GET.get("page"))
    if permissions.can_write_restitutions(request.access):
        collectifs = Collectif.objects.order_by("name")
    else:
        collectifs = Collectif.objects.for_member(request.user).order_by("name")
    managed_cycles = Cycle.objects.filter(manager=request.user).select_related("collectif").order_by("name")
    return render(
        request,
        "restitutions/overview.html",
        {"page": page, "collectifs": collectifs, "managed_cycles": managed_cycles},
    )


# --- Public pages of published restitutions ------------------------------------------------------------------


@public_view()
def public_detail(request, pk: int):
    restitution = get_object_or_404(printing.with_content(Restitution.objects.published()), pk=pk)
    return render(
        request,
        "restitutions/public_detail.html",
        {
            "restitution": restitution,
            "sections": printing.sections_of(restitution),
            "free_sections": list(restitution.free_sections.all()),
            "pdf_url": reverse("restitutions:public_pdf", kwargs={"pk": restitution.pk}),
        },
    )


@public_view()
def public_pdf(request, pk: int):
    restitution = get_object_or_404(Restitution.objects.published().select_related("collectif", "cycle"), pk=pk)
    return _pdf_response(printing.restitution_pdf(restitution), restitution.title)
