"""Hand-over of open responsibilities from a departing member to their successor.

Turnover is what breaks these collectives: when a coordinator hands a membership over, each app that gives people
responsibilities (pilot of a groupe de tâches, referent of an action…) moves the open ones to the successor. Those
apps register their `transfer_responsibilities(*, collectif, from_user, to_user) -> int` in
`membres.hooks.handover` from their `AppConfig.ready()`, instead of this app importing their models.
"""

from __future__ import annotations

import logging

from membres.hooks import handover

logger = logging.getLogger(__name__)


def transfer_responsibilities(*, collectif, from_user, to_user) -> dict[str, int]:
    """Call every registered function; returns {function path: number of responsibilities moved}."""
    moved: dict[str, int] = {}
    for key, fn in zip(handover.keys(), handover, strict=True):
        moved[key] = fn(collectif=collectif, from_user=from_user, to_user=to_user)
    logger.info(
        "handover collectif=%s from_user=%s to_user=%s moved=%s", collectif.pk, from_user.pk, to_user.pk, moved
    )
    return moved
