"""The reunions' part of a membership hand-over (registered in `membres.handover.HANDOVER_HOOKS`)."""

from __future__ import annotations

from reunions.models import GroupeDeTaches


def transfer_responsibilities(*, collectif, from_user, to_user) -> int:
    """The successor becomes the pilot of the active groupes de tâches that the departing member piloted; groups
    already finished or stopped keep their pilot, because that is their history."""
    return GroupeDeTaches.objects.filter(
        collectif=collectif, pilot=from_user, status=GroupeDeTaches.Status.ACTIVE
    ).update(pilot=to_user)
