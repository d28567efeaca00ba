"""Extension points of the membres app, which the higher apps register into from their `AppConfig.ready()`."""

from __future__ import annotations

from core.hooks import Hook

handover = Hook(
    "membres.handover",
    """Open responsibilities moved to a successor when a membership is handed over:
    `transfer_responsibilities(*, collectif, from_user, to_user) -> int` (how many moved).""",
)
