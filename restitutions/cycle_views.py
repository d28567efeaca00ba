"""Cycles of ateliers as projects: the cycle's page (sessions, turnout, restitutions, carry-over), its form, its
planned sessions, its final report (PDF), and taking the previous atelier's questions vives into a restitution.

A cycle is fetched through the collectif of the URL (`Cycle.objects.for_collectif`): a member of any collectif of
the cycle reads it under their own collectif's address; anyone else gets 404. Running it (`can_manage_cycle`) is
for its manager (a CRPV editor) and the coordinators of the collectif that owns it (403 for the others).
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _

from collectifs.access import WRITE, collectif_view, fetch
from core.storage import private_file_response
from fiches_experience.selectors import fiche_offer
from restitutions import cycles, forms, permissions, printing, services
from restitutions.models import Cycle, CycleSession, Point, Restitution

MANAGE_REFUSED = _(
    "Ce cycle est piloté par son éditeur ou éditrice du CRPV et par la coordination du collectif qui le porte."
)


def _ctx(request, **extra) -> dict:
    return {"collectif": request.access.collectif, "access": request.access, **extra}


def _cycle(request, pk: int, *, manage: bool = False) -> Cycle:
    queryset = (
        Cycle.objects.for_collectif(request.access.collectif)
        .select_related("collectif", "manager")
        .prefetch_related("collectifs", "organisers", "partners")
    )
    rule = permissions.can_manage_cycle if manage else permissions.can_read_cycle
    return fetch(queryset, request.access, rule=rule, message=MANAGE_REFUSED if manage else None, pk=pk)


def _cycle_url(request, cycle: Cycle) -> str:
    """The cycle's page under the visitor's collectif (a member of a second collectif stays in their own)."""
    return reverse("restitutions:cycle", kwargs={"collectif_slug": request.access.collectif.slug, "pk": cycle.pk})


@collectif_view(crpv_writes=True)
def cycle_create(request):
    collectif = request.access.collectif
    fetch(
        type(collectif).objects.filter(pk=collectif.pk),
        request.access,
        rule=permissions.can_create_cycle,
        message=_("Un cycle d'ateliers est lancé par la coordination du collectif ou par un éditeur du CRPV."),
        pk=collectif.pk,
    )
    # A CRPV editor who starts a cycle pilots it, unless they name another editor.
    initial = {"manager": request.user} if request.user.is_crpv_editor else {}
    form = forms.CycleForm(request.POST or None, collectif=collectif, initial=initial)
    if request.method == "POST" and form.is_valid():
        cycle = services.cycle_create(by=request.user, collectif=collectif, **form.cleaned_data)
        messages.success(request, _("Cycle créé. Prévoyez maintenant ses ateliers."))
        return redirect(_cycle_url(request, cycle))
    return render(request, "restitutions/cycle_form.html", _ctx(request, form=form, cycle=None))


@collectif_view(crpv_writes=True)
def cycle_detail(request, pk: int):
    cycle = _cycle(request, pk)
    overview = cycles.cycle_overview(cycle)
    collectif = request.access.collectif
    can_write = permissions.can_write_restitutions(request.access)
    for restitution in overview.restitutions:
        if restitution.collectif_id == collectif.pk:
            restitution.link = reverse(
                "restitutions:detail", kwargs={"collectif_slug": collectif.slug, "pk": restitution.pk}
            )
        elif restitution.is_published:
            restitution.link = reverse("restitutions:public_detail", kwargs={"pk": restitution.pk})
        else:
            restitution.link = ""
    for row in overview.rows:
        reunion = row.session.reunion
        if reunion is not None and reunion.collectif_id == collectif.pk:
            row.reunion_url = reverse("reunions:detail", kwargs={"collectif_slug": collectif.slug, "pk": reunion.pk})
            if can_write and not row.restitutions:
                create = reverse("restitutions:create", kwargs={"collectif_slug": collectif.slug})
                row.write_url = f"{create}?cycle={cycle.pk}&reunion={reunion.pk}"
    return render(
        request,
        "restitutions/cycle_detail.html",
        _ctx(
            request,
            cycle=cycle,
            overview=overview,
            other_collectifs=list(cycle.collectifs.all()),
            can_manage=permissions.can_manage_cycle(request.access, cycle),
            can_write=can_write,
            fiche_offer=fiche_offer(
                request.access, source="cycle", source_id=cycle.pk, collectif_slug=request.access.collectif.slug
            ),
        ),
    )


@collectif_view(crpv_writes=True)
def cycle_update(request, pk: int):
    cycle = _cycle(request, pk, manage=True)
    form = forms.CycleForm(request.POST or None, instance=cycle, collectif=cycle.collectif)
    if request.method == "POST" and form.is_valid():
        services.cycle_update(by=request.user, cycle=cycle, **form.cleaned_data)
        messages.success(request, _("Cycle enregistré."))
        return redirect(_cycle_url(request, cycle))
    return render(request, "restitutions/cycle_form.html", _ctx(request, form=form, cycle=cycle))


# --- Planned sessions ---------------------------------------------------------------------------------------


def _session(request, pk: int, session_pk: int) -> CycleSession:
    """A session of a cycle of the URL's collectif (404 otherwise) that the user runs (403 otherwise)."""
    return fetch(
        CycleSession.objects.filter(cycle__in=Cycle.objects.for_collectif(request.access.collectif), cycle_id=pk)
        .select_related("cycle__collectif", "cycle__manager", "reunion", "collectif")
        .prefetch_related("cycle__collectifs"),
        request.access,
        rule=permissions.can_manage_cycle_session,
        message=MANAGE_REFUSED,
        pk=session_pk,
    )


def _session_data(form) -> dict:
    data = dict(form.cleaned_data)
    if data.get("number") is None:
        data.pop("number", None)
    return data


@collectif_view(crpv_writes=True)
def cycle_session_add(request, pk: int):
    cycle = _cycle(request, pk, manage=True)
    form = forms.CycleSessionForm(request.POST or None, cycle=cycle, initial={"collectif": cycle.collectif})
    if request.method == "POST" and form.is_valid():
        try:
            services.cycle_session_add(by=request.user, cycle=cycle, **_session_data(form))
        except services.RestitutionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Atelier ajouté au cycle."))
            return redirect(f"{_cycle_url(request, cycle)}#ateliers")
    return render(request, "restitutions/cycle_session_form.html", _ctx(request, form=form, cycle=cycle, session=None))


@collectif_view(crpv_writes=True)
def cycle_session_update(request, pk: int, session_pk: int):
    session = _session(request, pk, session_pk)
    cycle = session.cycle
    form = forms.CycleSessionForm(request.POST or None, instance=session, cycle=cycle)
    if request.method == "POST" and form.is_valid():
        try:
            services.cycle_session_update(by=request.user, session=session, **_session_data(form))
        except services.RestitutionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Atelier du cycle enregistré."))
            return redirect(f"{_cycle_url(request, cycle)}#atelier-{session.number}")
    return render(
        request, "restitutions/cycle_session_form.html", _ctx(request, form=form, cycle=cycle, session=session)
    )


@collectif_view(crpv_writes=True)
def cycle_session_delete(request, pk: int, session_pk: int):
    session = _session(request, pk, session_pk)
    cycle_url = _cycle_url(request, session.cycle)
    if request.method == "POST":
        services.cycle_session_delete(by=request.user, session=session)
        messages.success(request, _("Atelier retiré du cycle."))
        return redirect(f"{cycle_url}#ateliers")
    return render(
        request,
        "restitutions/confirm_delete.html",
        _ctx(
            request,
            question=_(
                "Retirer « %(label)s — %(title)s » du cycle ? "
                "La réunion liée, s'il y en a une, reste dans les réunions."
            )
            % {"label": session.label, "title": session.title},
            cancel_url=f"{cycle_url}#atelier-{session.number}",
        ),
    )


# --- The final report ---------------------------------------------------------------------------------------


@collectif_view(crpv_writes=True)
def cycle_pdf(request, pk: int):
    """The cycle's final report: offered when ready, otherwise asked for (Celery) and shown « en cours de
    préparation »."""
    cycle = _cycle(request, pk)
    state = printing.cycle_pdf_request(cycle, retry=request.GET.get("reessayer") == "1")
    template = "restitutions/includes/cycle_pdf_status.html" if request.htmx else "restitutions/cycle_pdf.html"
    return render(request, template, _ctx(request, cycle=cycle, state=state))


@collectif_view(crpv_writes=True)
def cycle_pdf_file(request, pk: int):
    cycle = _cycle(request, pk)
    state, digest = printing.cycle_pdf_state(cycle)
    if state != "ready":
        return redirect("restitutions:cycle_pdf", collectif_slug=request.access.collectif.slug, pk=cycle.pk)
    return private_file_response(
        printing.cycle_pdf_storage(),
        printing.cycle_pdf_name(cycle, digest),
        filename=f"{slugify(cycle.name)[:80] or 'cycle'}.pdf",
        content_type="application/pdf",
    )


# --- Carry-over: the previous atelier's questions vives, taken in one click -----------------------------------


@collectif_view(need=WRITE, methods=("POST",), crpv_writes=True)
def carry_over_take(request, pk: int, point_pk: int):
    """Take one question vive of the previous atelier of the cycle into this restitution (its questions vives)."""
    restitution = fetch(
        Restitution.objects.filter(collectif=request.access.collectif).select_related("cycle", "collectif"),
        request.access,
        rule=permissions.can_write_restitutions,
        pk=pk,
    )
    source = cycles.carry_over_offered(restitution)
    offered = {p.pk: p for p in source.points} if source else {}
    point = fetch(Point.objects.filter(pk__in=list(offered)), request.access, pk=point_pk)
    services.restitution_take_carry_over(by=request.user, restitution=restitution, points=[point])
    messages.success(request, _("Question reprise dans les questions vives de cette restitution."))
    return redirect(f"{restitution.get_absolute_url()}#liste-{Point.Section.QUESTIONS}")
