"""Public catalogue (no login) and the CRPV editors' desk (write, review, publish, import)."""

from __future__ import annotations

import csv
import json

from django.contrib import messages
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from collectifs.access import editor_view, fetch, public_view
from core.pdf import render_pdf
from fiches_experience import permissions, services
from fiches_experience.diff import version_diff
from fiches_experience.forms import NO_NAMES, FicheForm, ImportForm, SectionForm
from fiches_experience.importer import BLOCK_TAG, fiches_import, parse_files, read_text
from fiches_experience.models import FicheExperience, FicheSection, Status
from fiches_experience.search import CATALOGUE_CACHE_SECONDS, catalogue_cache_key
from fiches_experience.search import catalogue as catalogue_search
from fiches_experience.text import html_to_text, obfuscate_emails

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
    key = catalogue_cache_key(request.GET)
    body = cache.get(key)
    if body is None:
        result = catalogue_search(request.GET, page_number=request.GET.get("page"))
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
def pdf(request, slug: str):
    fiche = get_object_or_404(_public_fiches(), slug=slug)
    content = render_pdf("fiches_experience/pdf.html", {"fiche": fiche}, title=fiche.title)
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
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="fiches-experience.csv"'
    response.write("\ufeff")
    columns = ["slug", "url", "titre", "gabarit", "territoire", "themes", "dispositifs", "public_cible"]
    columns += ["structure_porteuse", "annees", "licence", "publiee_le", "texte"]
    writer = csv.DictWriter(response, fieldnames=columns, delimiter=";")
    writer.writeheader()
    for fiche, row in _open_data_rows(request):
        text = "\n\n".join(
            f"{s.heading}\n{html_to_text(obfuscate_emails(s.html))}" for s in fiche.sections.all() if s.html
        )
        writer.writerow(
            {**row, "themes": " ; ".join(row["themes"]), "dispositifs": " ; ".join(row["dispositifs"]), "texte": text}
        )
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
    fiches = FicheExperience.objects.for_editor(request.user).select_related("territoire", "author")
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
        },
    )


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


@editor_view()
def import_view(request):
    """Upload a text export of fiches: analyse it (dry run) or import it, with the same parser as the command."""
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        parsed = parse_files(
            [(upload.name, read_text(upload.read()))],
            title=form.cleaned_data["title"],
            territoire=form.cleaned_data["territoire"],
        )
        report = fiches_import(parsed=parsed, by=request.user, dry_run=form.cleaned_data["dry_run"])
        if not form.cleaned_data["dry_run"]:
            messages.success(
                request,
                _("Import terminé : %(created)s fiche(s) créée(s), %(updated)s mise(s) à jour, en brouillon.")
                % {"created": report.created, "updated": report.updated},
            )
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
