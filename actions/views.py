from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from actions import exports, indicators, permissions, schoolyear, services
from actions.access import action_for, journal_entry_for
from actions.filters import ActionFilter, load_choices
from actions.forms import ActionForm, JournalEntryForm, StatusForm
from actions.hooks import action_sections, capitalised_fiche
from actions.models import Action, JournalEntryVersion
from collectifs.access import WRITE, collectif_view
from core.storage import private_file_response
from core.uploads import content_type_for
from reunions import selectors as reunion_selectors

PAGE_SIZE = 25


def _actions(request):
    return Action.objects.filter(collectif=request.access.collectif)


def _filtered(request):
    collectif = request.access.collectif
    action_filter = ActionFilter(request.GET or None, queryset=_actions(request), choices=load_choices(collectif))
    return action_filter, action_filter.qs


@collectif_view()
def action_list(request):
    action_filter, queryset = _filtered(request)
    queryset = exports.with_names(queryset).select_related("lead_institution").order_by("-created_at", "-pk")
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    for action in page.object_list:
        action.theme_list = exports.split_names(action.theme_names)
        action.referent_list = exports.split_names(action.referent_names)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "collectif": request.access.collectif,
        "access": request.access,
        "filter": action_filter,
        "page": page,
        "query": query.urlencode(),
        "can_create": permissions.can_create_action(request.access),
    }
    return render(request, "actions/list.html", context)


@collectif_view()
def export_csv(request):
    _filter, queryset = _filtered(request)
    body = exports.to_csv(exports.rows(queryset, request.access.collectif), exports.HEADERS)
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="actions-{request.access.collectif.slug}.csv"'
    return response


@collectif_view()
def export_ods(request):
    _filter, queryset = _filtered(request)
    body = exports.to_ods(exports.rows(queryset, request.access.collectif), exports.HEADERS)
    response = HttpResponse(body, content_type="application/vnd.oasis.opendocument.spreadsheet")
    response["Content-Disposition"] = f'attachment; filename="actions-{request.access.collectif.slug}.ods"'
    return response


def _create(request, *, decision=None):
    collectif = request.access.collectif
    initial = {}
    if decision is not None:
        initial = {
            "title": Truncator(decision.text.splitlines()[0] if decision.text else "").chars(190),
            "description": decision.text,
        }
    form = ActionForm(request.POST or None, collectif=collectif, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            action = services.action_create(
                collectif=collectif,
                by=request.user,
                origin=decision,
                **{k: data[k] for k in form.Meta.fields},
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("L'action est enregistrée."))
            return redirect(action.get_absolute_url())
    return render(
        request,
        "actions/form.html",
        {"collectif": collectif, "access": request.access, "form": form, "decision": decision, "action": None},
    )


@collectif_view(need=WRITE)
def action_create(request):
    return _create(request)


@collectif_view(need=WRITE)
def create_from_decision(request, decision_pk: int):
    decision = get_object_or_404(reunion_selectors.decisions_of(request.access.collectif), pk=decision_pk)
    return _create(request, decision=decision)


def _journal_context(request, action: Action, form: JournalEntryForm | None = None) -> dict:
    entries = (
        action.journal.select_related("author")
        .prefetch_related(Prefetch("versions", queryset=JournalEntryVersion.objects.select_related("edited_by")))
        .order_by("-date", "-pk")
    )
    can_write = permissions.can_write_journal(request.access)
    return {
        "collectif": request.access.collectif,
        "access": request.access,
        "action": action,
        "entries": entries,
        "can_write_journal": can_write,
        "journal_form": form if form is not None else (JournalEntryForm() if can_write else None),
    }


def _origin_url(action: Action) -> str:
    """The page of the reunion the action was decided in, once the reunions app provides it."""
    if action.origin_id is None:
        return ""
    try:
        return reverse(
            "reunions:detail", kwargs={"collectif_slug": action.collectif.slug, "pk": action.origin.reunion_id}
        )
    except NoReverseMatch:
        return ""


@collectif_view()
def action_detail(request, pk: int):
    action = action_for(request.access, pk)
    can_edit = permissions.can_edit_action(request.access, action)
    context = _journal_context(request, action)
    context.update(
        {
            "can_edit": can_edit,
            "status_form": StatusForm(action=action) if can_edit and action.is_open else None,
            "themes": action.themes.all(),
            "dispositifs": action.dispositifs.all(),
            "partners": action.partner_institutions.all(),
            "origin_url": _origin_url(action),
            "can_capitalise": permissions.can_capitalise_action(request.access, action),
            "fiche": capitalised_fiche(action.pk) if action.status == Action.Status.DONE else None,
            # What the apps above add (core.hooks): the action's discussion, beside its journal.
            "extra_sections": action_sections.sections(request, action),
        }
    )
    return render(request, "actions/detail.html", context)


@collectif_view(need=WRITE, methods=("POST",))
def capitalise(request, pk: int):
    """Capitalisation: draft a fiche expérience from an action that worked."""
    action = action_for(
        request.access,
        pk,
        rule=permissions.can_capitalise_action,
        message=_("Seule une action réalisée peut devenir une fiche, à la demande de ses référents."),
    )
    services.action_capitalise(action=action, by=request.user)
    messages.success(
        request,
        _(
            "Le brouillon de fiche expérience est créé à partir de l'action et de son journal. "
            "L'équipe du centre de ressources le relira avant toute publication."
        ),
    )
    return redirect(action.get_absolute_url())


@collectif_view(need=WRITE)
def action_edit(request, pk: int):
    action = action_for(request.access, pk, rule=permissions.can_edit_action)
    form = ActionForm(request.POST or None, instance=action, collectif=action.collectif, with_status=False)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = [f for f in form.Meta.fields if f != "status"]
        try:
            services.action_update(action=action, by=request.user, **{k: data[k] for k in fields})
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("L'action est mise à jour."))
            return redirect(action.get_absolute_url())
    return render(
        request,
        "actions/form.html",
        {"collectif": action.collectif, "access": request.access, "form": form, "decision": None, "action": action},
    )


@collectif_view(need=WRITE, methods=("POST",))
def change_status(request, pk: int):
    action = action_for(
        request.access,
        pk,
        rule=permissions.can_edit_action,
        message=_("Seuls les référents de l'action et la coordination changent son statut."),
    )
    form = StatusForm(request.POST, action=action)
    if form.is_valid():
        try:
            services.action_change_status(
                action=action,
                by=request.user,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Le statut de l'action est mis à jour."))
    else:
        errors = [e for field_errors in form.errors.values() for e in field_errors]
        messages.error(request, " ".join(errors))
    return redirect(action.get_absolute_url())


@collectif_view(need=WRITE, methods=("POST",))
def journal_add(request, pk: int):
    action = action_for(request.access, pk)
    form = JournalEntryForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        services.journal_entry_add(
            action=action,
            by=request.user,
            kind=data["kind"],
            text=data["text"],
            entry_date=data["date"],
            attachment=data.get("attachment") or None,
        )
        if request.htmx:
            context = _journal_context(request, action)
            context["journal_saved"] = True
            return render(request, "actions/detail.html#journal", context)
        messages.success(request, _("L'entrée est ajoutée au journal."))
        return redirect(action.get_absolute_url() + "#journal")
    if request.htmx:
        return render(request, "actions/detail.html#journal", _journal_context(request, action, form))
    # Without JavaScript: the whole page again, with the user's input and the errors.
    can_edit = permissions.can_edit_action(request.access, action)
    context = _journal_context(request, action, form)
    context.update(
        {
            "can_edit": can_edit,
            "status_form": StatusForm(action=action) if can_edit and action.is_open else None,
            "themes": action.themes.all(),
            "dispositifs": action.dispositifs.all(),
            "partners": action.partner_institutions.all(),
            "origin_url": _origin_url(action),
        }
    )
    return render(request, "actions/detail.html", context, status=400)


@collectif_view(need=WRITE)
def journal_edit(request, pk: int, entry_pk: int):
    entry = journal_entry_for(request.access, pk, entry_pk, rule=permissions.can_edit_journal_entry)
    form = JournalEntryForm(request.POST or None, instance=entry, with_attachment=False)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.journal_entry_edit(
            entry=entry, by=request.user, kind=data["kind"], text=data["text"], entry_date=data["date"]
        )
        messages.success(request, _("L'entrée est modifiée ; la version précédente est conservée."))
        return redirect(entry.action.get_absolute_url() + "#journal")
    return render(
        request,
        "actions/journal_edit.html",
        {"collectif": request.access.collectif, "access": request.access, "form": form, "entry": entry},
    )


@collectif_view()
def journal_attachment(request, pk: int, entry_pk: int):
    """Attachments are served only to members of the action's collectif, always as a download."""
    entry = journal_entry_for(request.access, pk, entry_pk)
    return private_file_response(
        entry.attachment.storage,
        entry.attachment.name,
        filename=entry.attachment_name or Path(entry.attachment.name).name,
        content_type=content_type_for(entry.attachment_name or entry.attachment.name),
    )


def _indicators(request):
    year = schoolyear.parse(request.GET.get("annee"))
    return indicators.compute(
        request.access.collectif,
        year,
        with_decrochage=permissions.can_see_decrochage(request.access),
    )


@collectif_view()
def indicateurs(request):
    ind = _indicators(request)
    kinds_max = max((n for _l, n in ind.by_kind), default=0)
    context = {
        "collectif": request.access.collectif,
        "access": request.access,
        "ind": ind,
        "year_choices": [(y, schoolyear.label(y)) for y in ind.years],
        "chart_kinds": indicators.bar_chart(ind.by_kind, maximum=kinds_max or 1),
        "chart_attendance": indicators.bar_chart(
            [(f"{timezone.localtime(r.starts_at):%d/%m} {r.title}", r.attendance_rate) for r in ind.reunions],
            unit=" %",
            maximum=100,
        ),
        "chart_institutions": indicators.bar_chart(
            [(f"{timezone.localtime(r.starts_at):%d/%m} {r.title}", r.institutions) for r in ind.reunions]
        ),
        "chart_status": indicators.bar_chart(ind.actions_by_status),
        "chart_questionnaires": indicators.bar_chart(
            [(q.label, q.mean) for q in ind.questionnaires.asked_questions], maximum=5
        ),
        "chart_themes": indicators.bar_chart(ind.actions_by_theme),
        "show_decrochage": permissions.can_see_decrochage(request.access),
    }
    return render(request, "actions/indicateurs.html", context)


@collectif_view()
def indicateurs_csv(request):
    ind = _indicators(request)
    body = exports.to_csv(indicators.csv_rows(ind), ["Indicateur", "Détail", "Valeur"])
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    slug = request.access.collectif.slug
    response["Content-Disposition"] = f'attachment; filename="indicateurs-{slug}-{ind.label}.csv"'
    return response
