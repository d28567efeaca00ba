"""What the actions app shows elsewhere: the collectif's home panel and navigation sections, and its demo loader,
registered from `ActionsConfig.ready()`."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


def open_actions_panel(access) -> dict:
    """The collectif's home: five open actions, those under way first, with the way to all of them."""
    from actions.selectors import open_actions

    collectif = access.collectif
    items = [
        {"url": action.get_absolute_url(), "label": action.title, "meta": "", "badge": action.get_status_display()}
        for action in open_actions(collectif).prefetch_related(None)[:5]
    ]
    empty = _("Aucune action ouverte.")
    if access.can_write:
        empty += " " + _("Notez ce que le collectif entreprend depuis la page des actions.")
    return {
        "id": "actions-en-cours",
        "title": _("Actions ouvertes"),
        "items": items,
        "empty": empty,
        "more_url": reverse("actions:list", kwargs={"collectif_slug": collectif.slug}),
        "more_label": _("Toutes les actions"),
    }


def navigation_sections() -> list[tuple]:
    return [
        (40, gettext_lazy("Actions"), "actions:list", False),
        (50, gettext_lazy("Indicateurs"), "actions:indicateurs", False),
    ]


def load_demo(stdout) -> None:
    from actions.demo import load

    load(stdout)
