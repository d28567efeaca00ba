"""The agenda of a meeting: ordered items."""

from __future__ import annotations

import logging

from django.db import transaction

from membres.models import User
from reunions.models import (
    AgendaItem,
    Reunion,
)

logger = logging.getLogger(__name__)


@transaction.atomic
def agenda_item_add(
    *, reunion: Reunion, by: User, title: str, duration_minutes: int | None, presenter: str
) -> AgendaItem:
    last = reunion.agenda.order_by("-position").values_list("position", flat=True).first()
    item = AgendaItem.objects.create(
        reunion=reunion,
        title=title,
        duration_minutes=duration_minutes,
        presenter=presenter,
        position=(last or 0) + 1,
    )
    logger.info("agenda_item_add reunion=%s item=%s by=%s", reunion.pk, item.pk, by.pk)
    return item


@transaction.atomic
def agenda_item_move(*, item: AgendaItem, by: User, direction: str) -> None:
    """Swap the item with its neighbour above (« up ») or below (« down »); positions are renumbered 1..n."""
    items = list(AgendaItem.objects.select_for_update().filter(reunion_id=item.reunion_id).order_by("position", "pk"))
    index = next(i for i, it in enumerate(items) if it.pk == item.pk)
    target = index - 1 if direction == "up" else index + 1
    if 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]
    for position, it in enumerate(items, start=1):
        it.position = position
    AgendaItem.objects.bulk_update(items, ["position"])
    logger.info("agenda_item_move item=%s direction=%s by=%s", item.pk, direction, by.pk)


@transaction.atomic
def agenda_item_delete(*, item: AgendaItem, by: User) -> None:
    logger.info("agenda_item_delete item=%s by=%s", item.pk, by.pk)
    item.delete()
