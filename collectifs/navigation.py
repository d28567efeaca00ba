"""The sections of a collectif's pages. Each app's section appears once its URL exists."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

# (label, URL name taking `collectif_slug`, shown to coordinators only)
SECTIONS = [
    (_("Accueil"), "collectifs:detail", False),
    (_("Réunions"), "reunions:list", False),
    (_("Groupes de tâches"), "reunions:groupes", False),
    (_("Actions"), "actions:list", False),
    (_("Indicateurs"), "actions:indicateurs", False),
    (_("Annuaire"), "membres:annuaire", False),
    (_("Cartographie"), "collectifs:cartographie", False),
    (_("Charte"), "collectifs:charte", False),
    (_("Restitutions"), "restitutions:list", False),
    (_("Bilan annuel"), "bilans:bilan", False),
    (_("À faire"), "reunions:todo", True),
]


def collectif_sections(collectif, *, is_coordinator: bool, current_path: str = "") -> list[dict]:
    sections = []
    for label, url_name, coordinators_only in SECTIONS:
        if coordinators_only and not is_coordinator:
            continue
        try:
            url = reverse(url_name, kwargs={"collectif_slug": collectif.slug})
        except NoReverseMatch:
            continue
        sections.append({"label": label, "url": url, "current": url == current_path})
    # The most specific section containing the current page is the current one.
    matching = [s for s in sections if current_path.startswith(s["url"])]
    if matching:
        best = max(matching, key=lambda s: len(s["url"]))
        for s in sections:
            s["current"] = s is best
    return sections
