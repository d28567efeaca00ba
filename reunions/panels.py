"""What the reunions app shows elsewhere: the collectif's home panel and navigation sections, and its demo
loader, registered from `ReunionsConfig.ready()`."""

from __future__ import annotations

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


def next_reunions_panel(access) -> dict:
    """The collectif's home: the next three reunions, with the way to all of them."""
    from reunions.models import Reunion

    collectif = access.collectif
    upcoming = Reunion.objects.filter(collectif=collectif).upcoming().select_related("groupe").order_by("starts_at")
    items = []
    for reunion in upcoming[:3]:
        when = formats.date_format(timezone.localtime(reunion.starts_at), "l j F Y à H\\hi")
        meta = f"— {reunion.get_kind_display()}, {when}" + (f", {reunion.place}" if reunion.place else "")
        items.append({"url": reunion.get_absolute_url(), "label": reunion.title, "meta": meta, "badge": ""})
    empty = _("Aucune réunion prévue.")
    if access.can_manage:
        empty += " " + _("Proposez des dates aux membres depuis la page des réunions.")
    return {
        "id": "prochaines-reunions",
        "title": _("Prochaines réunions"),
        "items": items,
        "empty": empty,
        "more_url": reverse("reunions:list", kwargs={"collectif_slug": collectif.slug}),
        "more_label": _("Toutes les réunions"),
    }


def navigation_sections() -> list[tuple]:
    return [
        (20, gettext_lazy("Réunions"), "reunions:list", False),
        (30, gettext_lazy("Groupes de tâches"), "reunions:groupes", False),
        (100, gettext_lazy("À faire"), "reunions:todo", True),
    ]


def load_demo(stdout) -> None:
    from reunions.demo import load

    load(stdout)
