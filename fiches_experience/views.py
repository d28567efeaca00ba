"""Public catalogue (no login) and the CRPV editors' desk (write, review, publish, import)."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from collectifs.access import collectif_view, editor_view, fetch, public_view
from core import exports
from core.pdf import cached_pdf
from core.ratelimit import anonymous_rate_limit
from fiches_experience import permissions, services
from fiches_experience.diff import version_diff
from fiches_experience.documents import CappedUploadHandler, max_bytes, size_message
from fiches_experience.forms import NO_NAMES, FicheForm, ImportForm, SectionForm
from fiches_experience.importer import BLOCK_TAG, fiches_import, parse_files
from fiches_experience.models import SOURCE_FIELDS, FicheExperience, FicheProposal, FicheSection, Status
from fiches_experience.search import CATALOGUE_CACHE_SECONDS, catalogue_cache_key, catalogue_state
from fiches_experience.search import catalogue as catalogue_search
from fiches_experience.text import html_to_text, obfuscate_emails
from restitutions import selectors as restitution_selectors

# --- Public pages ----------------------------------------------------------------------------------------------


def _public_fiches():
    return (
        FicheExperience.objects.published()
        .select_related("territoire", "collectif")
        .prefetch_related("themes", "dispositifs", Prefetch("sections", FicheSection.objects.order_by("position")))
    )


@public_view()
def catalogue(request):
    """The results and facets are the same for every visitor: rendered once per query string and state of the
    fiches (search.catalogue_cache_key), then served from the cache."""
    state = catalogue_state()
    key = catalogue_cache_key(request.GET, state)
    body = cache.get(key)
    if body is None:
        result = catalogue_search(request.GET, page_number=request.GET.get("page"), state=state)
        params = request.GET.copy()
        params.pop("page", None)
        body = render_to_string(
            "fiches_experience/includes/catalogue_body.html",
            {"result": result, "page_query": params.urlencode()},
            request=request,
        )
        cache.set(key, body, CATALOGUE_CACHE_SECONDS)
    query = (request.GET.get("q") or "").strip()[:200]
    return render(request, "fiches_experience/catalogue.html", {"body": mark_safe(body), "query": query})


@public_view()
def detail(request, slug: str):
    fiche = get_object_or_404(_public_fiches(), slug=slug)
    return render(request, "fiches_experience/detail.html", {"fiche": fiche, "preview": False})


@public_view()
@anonymous_rate_limit(
    "fiche-pdf",
    setting="PUBLIC_PDF_RATE_LIMIT",
    message=gettext_lazy(
        "Trop de PDF demandés depuis votre adresse en peu de temps. Réessayez dans une minute, "
        "ou lisez la fiche en ligne."
    ),
)
def pdf(request, slug: str):
    """The printed fiche, stored once per content (core.pdf.cached_pdf): a visit only renders the HTML."""
    fiche = get_object_or_404(_public_fiches(), slug=slug)
    content = cached_pdf(
        "fiches_experience/pdf.html",
        {"fiche": fiche},
        title=fiche.title,
        folder="fiches/pdf",
        stem=f"fiche-{fiche.pk}",
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="fiche-{fiche.slug}.pdf"'
    return response


def _open_data_rows(request):
    for fiche in _public_fiches().order_by("-published_at"):
        yield (
            fiche,
            {
                "slug": fiche.slug,
                "url": request.build_absolute_uri(fiche.get_absolute_url()),
                "titre": fiche.title,
                "gabarit": fiche.gabarit,
                "territoire": str(fiche.territoire or ""),
                "themes": [t.name for t in fiche.themes.all()],
                "dispositifs": [str(d) for d in fiche.dispositifs.all()],
                "public_cible": fiche.get_public_cible_display() if fiche.public_cible else "",
                "structure_porteuse": fiche.structure_porteuse,
                "annees": fiche.annees,
                "licence": fiche.get_licence_display(),
                "publiee_le": fiche.published_at.isoformat() if fiche.published_at else "",
            },
        )


@public_view()
def export_json(request):
    """Open data: every published fiche, its sections as sanitized HTML (e-mail addresses obfuscated)."""
    data = [
        {**row, "sections": [{"titre": s.heading, "html": obfuscate_emails(s.html)} for s in fiche.sections.all()]}
        for fiche, row in _open_data_rows(request)
    ]
    response = JsonResponse({"fiches": data}, json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Content-Disposition"] = 'inline; filename="fiches-experience.json"'
    return response


@public_view()
def export_csv(request):
    """Open data as CSV (one fiche a row, sections as plain text in one column), UTF-8 with BOM for spreadsheets."""
    columns = ["slug", "url", "titre", "gabarit", "territoire", "themes", "dispositifs", "public_cible"]
    columns += ["structure_porteuse", "annees", "licence", "publiee_le", "texte"]
    rows = []
    for fiche, row in _open_data_rows(request):
        text = "\n\n".join(
            f"{s.heading}\n{html_to_text(obfuscate_emails(s.html))}" for s in fiche.sections.all() if s.html
        )
        row = {**row, "themes": " ; ".join(row["themes"]), "dispositifs": " ; ".join(row["dispositifs"])}
        rows.append([*(row[c] for c in columns[:-1]), text])
    response = HttpResponse(exports.to_csv(rows, columns), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="fiches-experience.csv"'
    return response


# --- Editors' desk -----------------------------------------------------------------------------------------------


def _editor_fiche(request, pk: int, *, rule=None, message=None) -> FicheExperience:
    """The fiche, fetched through what the editor may see (404 otherwise), which must pass `rule` (403)."""
    return fetch(
        FicheExperience.objects.for_editor(request.user).select_related("territoire", "author", "reviewer"),
        request.access,
        rule=rule,
        message=message,
        pk=pk,
    )


@editor_view()
def editor_list(request):
    fiches = (
        FicheExperience.objects.for_editor(request.user)
        .select_related("territoire", "author")
        # A version proposed by an import waits for a second editor: said in the list, so that it is not missed.
        .annotate(has_proposal=Exists(FicheProposal.objects.pending().filter(fiche=OuterRef("pk"))))
    )
    status = request.GET.get("statut", "")
    if status in Status.values:
        fiches = fiches.filter(status=status)
    page = Paginator(fiches.order_by("-updated_at"), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "fiches_experience/editor_list.html",
        {"page": page, "statuts": Status.choices, "current_status": status},
    )


@editor_view()
def create(request):
    form = FicheForm(request.POST or None, creating=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fiche = services.fiche_create(
            by=request.user,
            **{name: data[name] for name in form.fields},
        )
        messages.success(request, _("Brouillon créé. Rédigez maintenant ses sections."))
        return redirect("fiches_experience:edit", pk=fiche.pk)
    return render(request, "fiches_experience/fiche_form.html", {"form": form, "fiche": None})


@editor_view()
def edit(request, pk: int):
    fiche = _editor_fiche(
        request,
        pk,
        rule=permissions.can_edit_fiche if request.method == "POST" else None,
        message=_("Une fiche archivée ne se modifie plus."),
    )
    form = FicheForm(request.POST or None, instance=fiche, creating=False)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        themes, dispositifs = data.pop("themes"), data.pop("dispositifs")
        fiche = FicheExperience.objects.get(pk=fiche.pk)  # the form mutated the instance; the service saves
        services.fiche_update(fiche=fiche, by=request.user, themes=themes, dispositifs=dispositifs, **data)
        messages.success(request, _("Description enregistrée."))
        return redirect("fiches_experience:edit", pk=fiche.pk)
    access = request.access
    return render(
        request,
        "fiches_experience/edit.html",
        {
            "fiche": fiche,
            "form": form,
            "sections": fiche.sections.order_by("position"),
            "can_edit": permissions.can_edit_fiche(access, fiche),
            "can_submit": permissions.can_submit_fiche(access, fiche),
            "can_publish": permissions.can_publish_fiche(access, fiche),
            "own_fiche_in_review": fiche.status == Status.IN_REVIEW
            and not permissions.can_publish_fiche(access, fiche),
            "can_archive": permissions.can_archive_fiche(access, fiche),
            "can_return": permissions.can_return_to_draft(access, fiche),
            "can_mark_reviewed": permissions.can_mark_reviewed(access, fiche),
            "source": _source_link(fiche),
            **_proposal_context(access, fiche),
        },
    )


def _source_link(fiche: FicheExperience):
    """The restitution or cycle the fiche was drafted from, for the editor who rewrites it (None otherwise)."""
    for source, name in SOURCE_FIELDS.items():
        if getattr(fiche, name) is not None:
            return restitution_selectors.fiche_source_link(source=source, source_id=getattr(fiche, name))
    return None


def _proposal_context(access, fiche: FicheExperience) -> dict:
    """The version an import proposed for this fiche, if one waits: its diff against the fiche and who may act."""
    proposal = fiche.proposals.pending().select_related("proposed_by").first()
    if proposal is None:
        return {"proposal": None, "proposal_changes": [], "can_publish_proposal": False, "can_reject_proposal": False}
    before, after = services.proposal_snapshot(fiche, proposal)
    return {
        "proposal": proposal,
        "proposal_changes": version_diff(before, after),
        "can_publish_proposal": permissions.can_publish_proposal(access, proposal),
        "can_reject_proposal": permissions.can_decide_proposal(access, proposal),
    }


def _editor_proposal(request, pk: int, proposal_pk: int, rule, message: str) -> FicheProposal:
    return fetch(
        FicheProposal.objects.filter(fiche__in=FicheExperience.objects.for_editor(request.user)).select_related(
            "fiche"
        ),
        request.access,
        rule=rule,
        message=message,
        pk=proposal_pk,
        fiche_id=pk,
    )


@editor_view(methods=("POST",))
def proposal_publish(request, pk: int, proposal_pk: int):
    """A second editor publishes the version an import proposed: it replaces the public text."""
    proposal = _editor_proposal(
        request,
        pk,
        proposal_pk,
        permissions.can_publish_proposal,
        _("Une version proposée est publiée par un autre éditeur que celui qui l'a importée."),
    )
    services.fiche_proposal_publish(proposal=proposal, by=request.access.by)
    messages.success(request, _("Version proposée publiée : la page publique montre le nouveau texte."))
    return redirect("fiches_experience:edit", pk=pk)


@editor_view(methods=("POST",))
def proposal_reject(request, pk: int, proposal_pk: int):
    """An editor sets the proposed version aside: the fiche keeps its text."""
    proposal = _editor_proposal(
        request, pk, proposal_pk, permissions.can_decide_proposal, _("Cette version proposée a déjà été traitée.")
    )
    services.fiche_proposal_reject(proposal=proposal, by=request.access.by)
    messages.success(request, _("Version proposée écartée : la fiche garde son texte."))
    return redirect("fiches_experience:edit", pk=pk)


@editor_view()
def section_edit(request, pk: int, key: str):
    fiche = _editor_fiche(
        request, pk, rule=permissions.can_edit_fiche, message=_("Une fiche archivée ne se modifie plus.")
    )
    section = get_object_or_404(fiche.sections, key=key)
    form = SectionForm(request.POST or None, initial={"html": section.html})
    if request.method == "POST" and form.is_valid():
        services.fiche_section_update(
            fiche=fiche, by=request.user, key=key, html=_paragraphs(form.cleaned_data["html"])
        )
        messages.success(request, _("Section « %(heading)s » enregistrée.") % {"heading": section.heading})
        return redirect("fiches_experience:edit", pk=fiche.pk)
    return render(request, "fiches_experience/section_form.html", {"fiche": fiche, "section": section, "form": form})


def _paragraphs(text: str) -> str:
    """Text typed without paragraph or list tags becomes paragraphs (a blank line between two); the service then
    sanitizes it, so inline tags (links, bold, italic) are kept and anything else dropped."""
    text = text.strip().replace("\r\n", "\n")
    if not text or BLOCK_TAG.search(text):
        return text
    return "".join(f"<p>{' '.join(block.split())}</p>" for block in text.split("\n\n") if block.strip())


@editor_view()
def preview(request, pk: int):
    """The fiche exactly as the public will see it, whatever its status."""
    fiche = get_object_or_404(
        FicheExperience.objects.for_editor(request.user)
        .select_related("territoire", "collectif")
        .prefetch_related("themes", "dispositifs", Prefetch("sections", FicheSection.objects.order_by("position"))),
        pk=pk,
    )
    return render(request, "fiches_experience/detail.html", {"fiche": fiche, "preview": True})


def _transition(service, rule, refused, success):
    """A POST moving the fiche along its workflow: the rule is checked on the fetched fiche (403 with `refused`)."""

    @editor_view(methods=("POST",))
    def view(request, pk: int):
        fiche = _editor_fiche(request, pk, rule=rule, message=refused)
        service(fiche=fiche, by=request.user)
        messages.success(request, success)
        return redirect("fiches_experience:edit", pk=fiche.pk)

    return view


submit = _transition(
    services.fiche_submit,
    permissions.can_submit_fiche,
    gettext_lazy("Seul un brouillon peut être envoyé en relecture."),
    gettext_lazy("Fiche envoyée en relecture : un autre éditeur la publiera."),
)
publish = _transition(
    services.fiche_publish,
    permissions.can_publish_fiche,
    gettext_lazy("Une fiche est publiée par un autre éditeur que son auteur, après relecture."),
    gettext_lazy("Fiche publiée dans le catalogue."),
)
return_to_draft = _transition(
    services.fiche_return_to_draft,
    permissions.can_return_to_draft,
    gettext_lazy("Cette fiche ne peut pas redevenir un brouillon."),
    gettext_lazy("La fiche est redevenue un brouillon."),
)
mark_reviewed = _transition(
    services.fiche_mark_reviewed,
    permissions.can_mark_reviewed,
    gettext_lazy("Seule une fiche publiée se relit."),
    gettext_lazy("Fiche confirmée : prochaine relecture dans un an."),
)


@editor_view()
def archive(request, pk: int):
    """Archiving withdraws the fiche from the public catalogue: confirmed on a page of its own."""
    fiche = _editor_fiche(
        request, pk, rule=permissions.can_archive_fiche, message=_("Seule une fiche publiée peut être archivée.")
    )
    if request.method == "POST":
        services.fiche_archive(fiche=fiche, by=request.user)
        messages.success(request, _("Fiche archivée : elle n'est plus dans le catalogue."))
        return redirect("fiches_experience:edit", pk=fiche.pk)
    return render(request, "fiches_experience/archive_confirm.html", {"fiche": fiche})


@editor_view()
def versions(request, pk: int):
    fiche = _editor_fiche(request, pk)
    page = Paginator(fiche.versions.select_related("author").order_by("-number"), 30).get_page(request.GET.get("page"))
    return render(request, "fiches_experience/versions.html", {"fiche": fiche, "page": page})


@editor_view()
def version_diff_view(request, pk: int, number: int):
    """What changed in version `number` compared with the one before it."""
    fiche = _editor_fiche(request, pk)
    version = get_object_or_404(fiche.versions.select_related("author"), number=number)
    previous = fiche.versions.filter(number__lt=number).order_by("-number").first()
    changes = version_diff(previous.snapshot if previous else {}, version.snapshot)
    return render(
        request,
        "fiches_experience/version_diff.html",
        {"fiche": fiche, "version": version, "previous": previous, "changes": changes},
    )


@csrf_exempt
def import_view(request):
    """Upload fiches (.docx, .odt, .txt): analyse them (dry run) or import them, with the same parser as the command.

    The upload is capped while it is read: the handler goes in before anything parses the body, hence CSRF is
    checked inside (`csrf_protect`) rather than by the middleware, which would read the body first.
    """
    # Up to twice the limit the file is read whole, so the form keeps its other fields and names the exact size.
    handler = CappedUploadHandler(request, limit=2 * max_bytes())
    request.upload_handlers.insert(0, handler)
    return _import_page(request, handler)


@editor_view()
@csrf_protect
def _import_page(request, handler: CappedUploadHandler):
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    report = None
    if handler.refused_size:
        form.is_valid()
        form.errors.pop("file", None)
        form.add_error("file", size_message(handler.refused_size))
    elif request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        dry_run = form.cleaned_data["dry_run"]
        parsed = parse_files(
            [(upload.name, form.text)], title=form.cleaned_data["title"], territoire=form.cleaned_data["territoire"]
        )
        report = fiches_import(parsed=parsed, by=request.user, dry_run=dry_run, source=upload.name)
        if not dry_run:
            messages.success(request, _import_message(report))
    return render(
        request,
        "fiches_experience/import.html",
        {
            "form": form,
            "report": report,
            "report_json": json.dumps(report.as_dict(), ensure_ascii=False, indent=1) if report else "",
            "no_names": NO_NAMES,
        },
    )


def _import_message(report) -> str:
    """What the import did, truthfully: new fiches are drafts; a published or archived fiche is not changed, it
    gets a proposed version that another editor publishes."""
    parts = [
        _("%(n)s fiche(s) créée(s) en brouillon") % {"n": report.created},
        _("%(n)s brouillon(s) mis à jour") % {"n": report.updated},
    ]
    if report.proposed:
        parts.append(
            _("%(n)s nouvelle(s) version(s) proposée(s) en relecture (un autre éditeur les publiera)")
            % {"n": report.proposed}
        )
    return _("Import terminé : %(parts)s.") % {"parts": ", ".join(parts)}


# --- From a restitution or a cycle of ateliers (pages of a collectif) --------------------------------------------


def _open_drafted(request, fiche: FicheExperience, created: bool, *, back: str, source: str):
    """After asking for a fiche: an editor lands on it (to rewrite it), a coordinator back on the restitution or the
    cycle, whose page then says where the fiche stands. Asking again opens the fiche and says nothing was doubled."""
    editor = permissions.can_edit_fiches(request.access)
    values = {"title": fiche.title, "status": fiche.get_status_display().lower(), "source": source}
    if not created:
        message = _(
            "Une fiche expérience existe déjà pour %(source)s (« %(title)s », %(status)s) : aucune autre n'a été "
            "créée."
        )
    elif editor:
        message = _(
            "La fiche expérience « %(title)s » est préparée à partir de %(source)s (gabarit CRPV) et envoyée en "
            "relecture : réécrivez ses sections, un autre éditeur la publiera."
        )
    else:
        message = _(
            "La fiche expérience « %(title)s » est préparée à partir de %(source)s (gabarit CRPV) et envoyée en "
            "relecture au centre de ressources, qui la reprend avant toute publication."
        )
    messages.success(request, message % values)
    if editor:
        return redirect("fiches_experience:edit", pk=fiche.pk)
    return redirect(back)


@collectif_view(methods=("POST",), crpv_writes=True)
def from_restitution(request, pk: int):
    """One click: a fiche expérience drafted from a restitution of the collectif, sent to the CRPV's review."""
    restitution = fetch(
        restitution_selectors.restitutions_of(request.access.collectif),
        request.access,
        rule=permissions.can_draft_fiche_from_restitutions,
        message=_("Une restitution devient une fiche expérience à la demande de la coordination ou du CRPV."),
        pk=pk,
    )
    fiche, created = services.fiche_from_restitutions(source="restitution", source_id=restitution.pk), False
    if fiche is None:
        prefill = restitution_selectors.restitution_fiche_prefill(restitution)
        fiche, created = services.fiche_draft_from_restitutions(prefill=prefill, by=request.access.by)
    return _open_drafted(request, fiche, created, back=restitution.get_absolute_url(), source=_("cette restitution"))


@collectif_view(methods=("POST",), crpv_writes=True)
def from_cycle(request, pk: int):
    """One click: a fiche expérience drafted from a whole cycle of ateliers and its restitutions."""
    cycle = fetch(
        restitution_selectors.cycles_of(request.access.collectif),
        request.access,
        rule=permissions.can_draft_fiche_from_restitutions,
        message=_("Un cycle d'ateliers devient une fiche expérience à la demande de la coordination ou du CRPV."),
        pk=pk,
    )
    fiche, created = services.fiche_from_restitutions(source="cycle", source_id=cycle.pk), False
    if fiche is None:
        prefill = restitution_selectors.cycle_fiche_prefill(cycle)
        fiche, created = services.fiche_draft_from_restitutions(prefill=prefill, by=request.access.by)
    return _open_drafted(request, fiche, created, back=cycle.get_absolute_url(), source=_("ce cycle d'ateliers"))
