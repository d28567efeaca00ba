"""How the views of the actions app fetch their objects: through the collectif of the URL (another collectif's
object answers 404), then the rule the object must pass (403)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _

from actions.models import Action, JournalEntry
from collectifs.access import Access, fetch


def action_for(access: Access, pk: int, *, rule: Callable[[Access, Any], bool] | None = None, message=None) -> Action:
    queryset = Action.objects.filter(collectif=access.collectif).select_related(
        "collectif", "lead_institution", "origin__reunion", "created_by"
    )
    return fetch(
        queryset.prefetch_related("referents"),
        access,
        rule=rule,
        message=message or _("Seuls les référents de l'action et la coordination la modifient."),
        pk=pk,
    )


def journal_entry_for(
    access: Access, action_pk: int, pk: int, *, rule: Callable[[Access, Any], bool] | None = None
) -> JournalEntry:
    queryset = JournalEntry.objects.filter(action__collectif=access.collectif, action_id=action_pk)
    return fetch(
        queryset.select_related("action__collectif", "author"),
        access,
        rule=rule,
        message=_("Seuls l'auteur de l'entrée et la coordination la modifient."),
        pk=pk,
    )
