"""How the views of discussions fetch their objects: through the collectif of the URL (another collectif's thread
answers 404), then the rule the object must pass (403)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _

from collectifs.access import Access, fetch
from discussions.models import Message, Thread


def thread_for(access: Access, pk: int, *, rule: Callable[[Access, Any], bool] | None = None) -> Thread:
    queryset = Thread.objects.filter(collectif=access.collectif).select_related(
        "collectif", "groupe", "action", "document", "created_by"
    )
    return fetch(
        queryset,
        access,
        rule=rule,
        message=_("Les invités lisent les discussions ; seuls les membres y écrivent."),
        pk=pk,
    )


def message_for(
    access: Access, thread_pk: int, pk: int, *, rule: Callable[[Access, Any], bool] | None = None
) -> Message:
    queryset = Message.objects.filter(thread__collectif=access.collectif, thread_id=thread_pk)
    return fetch(
        queryset.select_related("thread__collectif", "author"),
        access,
        rule=rule,
        message=_("Seuls l'auteur du message et la coordination le modifient."),
        pk=pk,
    )
