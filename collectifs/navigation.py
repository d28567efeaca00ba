"""The sections of a collectif's pages: the collectif's own, and those the other apps register in
`collectifs.hooks.navigation_sections` from their `AppConfig.ready()`."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from collectifs.hooks import navigation_sections

# (position, label, URL name taking `collectif_slug`, shown to coordinators only)
SECTIONS = [
    (10, _("Accueil"), "collectifs:detail", False),
    (70, _("Cartographie"), "collectifs:cartographie", False),
    (80, _("Charte"), "collectifs:charte", False),
]


def all_sections() -> list[tuple]:
    sections = list(SECTIONS)
    for registered in navigation_sections:
        sections.extend(registered())
    return sorted(sections, key=lambda section: section[0])


def collectif_sections(collectif, *, is_coordinator: bool, current_path: str = "") -> list[dict]:
    sections = []
    for _position, label, url_name, coordinators_only in all_sections():
        if coordinators_only and not is_coordinator:
            continue
        url = reverse(url_name, kwargs={"collectif_slug": collectif.slug})
        sections.append({"label": label, "url": url, "current": url == current_path})
    # The most specific section containing the current page is the current one.
    matching = [s for s in sections if current_path.startswith(s["url"])]
    if matching:
        best = max(matching, key=lambda s: len(s["url"]))
        for s in sections:
            s["current"] = s is best
    return sections
