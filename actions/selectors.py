"""Reads that other apps use: small named functions, so they never reach into this app's internals."""

from __future__ import annotations

from django.db.models import Case, IntegerField, QuerySet, Value, When

from actions.models import Action


def open_actions(collectif) -> QuerySet[Action]:
    """The collectif's actions still open (idée, en préparation, en cours), for the next plénière's agenda:
    those under way first."""
    order = Case(
        *[When(status=s, then=Value(i)) for i, s in enumerate(reversed(Action.OPEN_STATUSES))],
        output_field=IntegerField(),
    )
    return (
        Action.objects.open()
        .filter(collectif=collectif)
        .select_related("lead_institution", "collectif")
        .prefetch_related("referents")
        .annotate(status_rank=order)
        .order_by("status_rank", "title")
    )
