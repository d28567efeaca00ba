"""Hand-over of open responsibilities from a departing member to their successor.

Turnover is what breaks these collectives: when a coordinator hands a membership over, each app that gives people
responsibilities (pilot of a groupe de tâches, referent of an action…) moves the open ones to the successor. Apps
register a function here instead of this app importing their models: each entry is the dotted path of
`transfer_responsibilities(*, collectif, from_user, to_user) -> int` (how many responsibilities moved), skipped
when its module does not exist (yet).
"""

from __future__ import annotations

import importlib
import logging

logger = logging.getLogger(__name__)

HANDOVER_HOOKS = [
    "reunions.handover.transfer_responsibilities",
    "actions.handover.transfer_responsibilities",
]


def _load(path: str):
    module_name, _, attr = path.rpartition(".")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name and (module_name == exc.name or module_name.startswith(exc.name + ".")):
            return None
        raise
    return getattr(module, attr)


def transfer_responsibilities(*, collectif, from_user, to_user) -> dict[str, int]:
    """Call every registered hook; returns {hook path: number of responsibilities moved}."""
    moved: dict[str, int] = {}
    for path in HANDOVER_HOOKS:
        hook = _load(path)
        if hook is None:
            continue
        moved[path] = hook(collectif=collectif, from_user=from_user, to_user=to_user)
    logger.info(
        "handover collectif=%s from_user=%s to_user=%s moved=%s", collectif.pk, from_user.pk, to_user.pk, moved
    )
    return moved
