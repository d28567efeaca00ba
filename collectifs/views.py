from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from collectifs import permissions, services
from collectifs.access import MANAGE, collectif_view, fetch, public_view
from collectifs.diff import text_diff
from collectifs.forms import AcademieForm, CharteAdoptionForm, CharteForm, PeriodeForm
from collectifs.hooks import home_panels
from collectifs.models import CharteAdoption, CharteVersion, Institution
from membres.models import Membership, Niveau


@public_view()
def home(request):
    """Anonymous visitors get the presentation; members get their collectifs."""
    if not request.user.is_authenticated:
        return render(request, "collectifs/landing.html")
    memberships = (
        Membership.objects.active()
        .filter(user=request.user)
        .select_related("collectif__territoire", "institution")
        .order_by("collectif__name")
    )
    return render(request, "collectifs/home.html", {"memberships": memberships})


@collectif_view()
def collectif_detail(request):
    """The collectif's home: what comes next (reunions) and what is under way (actions), each with its way in.
    The panels come from the apps registered in `collectifs.hooks.home_panels`."""
    access = request.access
    panels = [panel for panel in home_panels.call(access) if panel is not None]
    return render(
        request,
        "collectifs/detail.html",
        {"collectif": access.collectif, "access": access, "panels": panels},
    )


@collectif_view()
def cartographie(request):
    """Institutions (rows) by niveau (columns): who represents whom at each level, and where nobody does.

    One query for all the active memberships and one for the charte's signatories, whatever their number; the
    matrix is built here.
    """
    access = request.access
    memberships = (
        Membership.objects.active()
        .filter(collectif=access.collectif)
        .select_related("user", "institution")
        .order_by("institution__name", "institution_id", "user__last_name", "user__first_name")
    )
    niveaux = list(Niveau)
    rows: dict[int, dict] = {}
    for m in memberships:
        row = rows.setdefault(
            m.institution_id, {"institution": m.institution, "cells": {n.value: [] for n in niveaux}}
        )
        row["cells"][m.niveau].append(m)
    # Institutions that signed the charte but have nobody left in the collectif are the most telling gaps.
    for institution in Institution.objects.filter(charte_adoptions__collectif=access.collectif).distinct():
        rows.setdefault(institution.pk, {"institution": institution, "cells": {n.value: [] for n in niveaux}})
    matrix = [
        {"institution": row["institution"], "cells": [row["cells"][n.value] for n in niveaux]}
        for row in sorted(rows.values(), key=lambda r: (r["institution"].name.lower(), r["institution"].pk))
    ]
    gaps = {n.value: sum(1 for row in matrix if not row["cells"][i]) for i, n in enumerate(niveaux)}
    return render(
        request,
        "collectifs/cartographie.html",
        {
            "collectif": access.collectif,
            "access": access,
            "niveaux": niveaux,
            "matrix": matrix,
            "gaps": [(n, gaps[n.value]) for n in niveaux],
        },
    )


@collectif_view()
def charte(request):
    """The current charte (or an earlier version with `?version=N`), its diff with the version before, its
    adoptions and its history."""
    access = request.access
    collectif = access.collectif
    versions = list(CharteVersion.objects.filter(collectif=collectif).select_related("author").order_by("-number"))
    shown = versions[0] if versions else None
    requested = request.GET.get("version", "")
    if requested.isdigit():
        shown = next((v for v in versions if v.number == int(requested)), shown)
    previous = next((v for v in versions if shown and v.number == shown.number - 1), None)
    adoptions = list(
        CharteAdoption.objects.filter(collectif=collectif)
        .select_related("version")
        .prefetch_related(Prefetch("institutions", queryset=Institution.objects.order_by("name")))
        .order_by("-adopted_on", "-pk")
    )
    return render(
        request,
        "collectifs/charte.html",
        {
            "collectif": collectif,
            "access": access,
            "versions": versions,
            "shown": shown,
            "previous": previous,
            "diff": text_diff(previous.text, shown.text) if previous and shown else None,
            "adoptions": adoptions,
            "can_edit": permissions.can_edit_charte(access),
        },
    )


@collectif_view(need=MANAGE)
def charte_edit(request):
    collectif = request.access.collectif
    current = CharteVersion.objects.filter(collectif=collectif).order_by("-number").first()
    form = CharteForm(request.POST or None, initial={"text": current.text if current else ""})
    if request.method == "POST" and form.is_valid():
        try:
            version = services.charte_edit(collectif=collectif, text=form.cleaned_data["text"], by=request.user)
        except services.CharteUnchanged:
            form.add_error("text", _("Le texte n'a pas changé : aucune nouvelle version n'a été créée."))
        else:
            messages.success(request, _("Version %(n)d de la charte enregistrée.") % {"n": version.number})
            return redirect("collectifs:charte", collectif_slug=collectif.slug)
    return render(
        request,
        "collectifs/charte_edit.html",
        {"collectif": collectif, "access": request.access, "form": form, "current": current},
    )


@collectif_view(need=MANAGE)
def charte_adoption(request):
    collectif = request.access.collectif
    form = CharteAdoptionForm(request.POST or None, collectif=collectif)
    has_versions = CharteVersion.objects.filter(collectif=collectif).exists()
    if request.method == "POST" and form.is_valid():
        adoption = services.charte_adopt(
            collectif=collectif,
            version=form.cleaned_data["version"],
            adopted_on=form.cleaned_data["adopted_on"],
            institutions=form.cleaned_data["institutions"],
            by=request.user,
        )
        messages.success(
            request,
            _("Adoption de la version %(n)d enregistrée (%(count)d institution(s) signataire(s)).")
            % {"n": adoption.version.number, "count": len(form.cleaned_data["institutions"])},
        )
        return redirect("collectifs:charte", collectif_slug=collectif.slug)
    return render(
        request,
        "collectifs/charte_adoption.html",
        {"collectif": collectif, "access": request.access, "form": form, "has_versions": has_versions},
    )


# --- School calendar -----------------------------------------------------------------------------------------


def _calendrier_context(access, *, academie_form=None, periode_form=None) -> dict:
    from collectifs import calendrier
    from collectifs.models import PeriodeAEviter
    from core import schoolyear

    collectif = access.collectif
    today = timezone.localdate()
    year = schoolyear.school_year_of(today)
    academie = calendrier.academie_of(collectif)
    zone = calendrier.zone_of(collectif)
    start, end = schoolyear.bounds(year)
    holidays = []
    if zone in (calendrier.Zone.A, calendrier.Zone.B, calendrier.Zone.C):
        holidays = calendrier.school_holiday_periods(zone, start, end)
    periodes = PeriodeAEviter.objects.filter(collectif=collectif, school_year__gte=year - 1).order_by(
        "-school_year", "starts_on", "pk"
    )
    return {
        "collectif": collectif,
        "access": access,
        "year_label": schoolyear.label(year),
        "academie": calendrier.academie_label(academie),
        "academie_chosen": bool(collectif.academie),
        "academie_from_territory": calendrier.academie_label(calendrier.academie_for_territoire(collectif.territoire)),
        "zone": zone,
        "zone_label": calendrier.zone_label(zone) if zone else "",
        "zone_known": zone in (calendrier.Zone.A, calendrier.Zone.B, calendrier.Zone.C),
        "holidays": holidays,
        "periodes": periodes,
        "academie_form": academie_form or AcademieForm(initial={"academie": collectif.academie}),
        "periode_form": periode_form or PeriodeForm(),
    }


@collectif_view()
def calendrier_scolaire(request):
    """The collectif's school calendar: académie and zone, this year's holidays, the periods to avoid."""
    return render(request, "collectifs/calendrier.html", _calendrier_context(request.access))


@collectif_view(MANAGE, methods=("POST",))
def calendrier_academie(request):
    form = AcademieForm(request.POST)
    if not form.is_valid():
        return render(request, "collectifs/calendrier.html", _calendrier_context(request.access, academie_form=form))
    services.collectif_set_academie(
        collectif=request.access.collectif, academie=form.cleaned_data["academie"], by=request.access.by
    )
    messages.success(request, _("Académie enregistrée."))
    return redirect("collectifs:calendrier", collectif_slug=request.access.collectif.slug)


@collectif_view(MANAGE, methods=("POST",))
def periode_add(request):
    form = PeriodeForm(request.POST)
    if form.is_valid():
        try:
            services.periode_add(collectif=request.access.collectif, by=request.access.by, **form.cleaned_data)
        except services.PeriodeError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Période à éviter ajoutée."))
            return redirect("collectifs:calendrier", collectif_slug=request.access.collectif.slug)
    return render(request, "collectifs/calendrier.html", _calendrier_context(request.access, periode_form=form))


@collectif_view(MANAGE, methods=("POST",))
def periode_delete(request, periode_pk: int):
    from collectifs.models import PeriodeAEviter

    periode = fetch(PeriodeAEviter.objects.filter(collectif=request.access.collectif), pk=periode_pk)
    services.periode_delete(periode=periode, by=request.access.by)
    messages.success(request, _("Période à éviter supprimée."))
    return redirect("collectifs:calendrier", collectif_slug=request.access.collectif.slug)
