"""Reads that other apps use: small named functions, so they never reach into this app's internals."""

from __future__ import annotations

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from actions.models import Action, JournalEntry


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


def journal_attachments(collectif, *, q: str = "") -> QuerySet[JournalEntry]:
    """The journal entries of the collectif's actions that carry a file, newest first; `q` searches the file name
    and the action's title. Served by `actions:journal_attachment`, which checks access (the document space lists
    them: « one document, several places »)."""
    queryset = (
        JournalEntry.objects.filter(action__collectif=collectif).exclude(attachment="").order_by("-created_at", "-pk")
    )
    if q:
        queryset = queryset.filter(Q(attachment_name__icontains=q) | Q(action__title__icontains=q))
    return queryset
