"""Hand-over of responsibilities when a person leaves: called by the membres app when a coordinator hands a
membership over to someone else, so that no open action is left without its referent."""

from __future__ import annotations

import logging

from django.db import transaction

from actions.models import Action

logger = logging.getLogger(__name__)


@transaction.atomic
def transfer_responsibilities(*, collectif, from_user, to_user) -> int:
    """Make `to_user` referent instead of `from_user` on the collectif's open actions; returns how many moved.

    Closed actions (réalisée, abandonnée) keep their referents: they are the history of who carried them.
    """
    if from_user.pk == to_user.pk:
        return 0
    actions = list(
        Action.objects.open().filter(collectif=collectif, referents=from_user).select_for_update().order_by("pk")
    )
    through = Action.referents.through
    for action in actions:
        through.objects.filter(action=action, user=from_user).delete()
        through.objects.get_or_create(action=action, user=to_user)
    logger.info(
        "actions transfer_responsibilities collectif=%s from=%s to=%s actions=%s",
        collectif.pk,
        from_user.pk,
        to_user.pk,
        len(actions),
    )
    return len(actions)
