"""Extension points of the membres app, which the higher apps register into from their `AppConfig.ready()`."""

from __future__ import annotations

from core.hooks import Hook

handover = Hook(
    "membres.handover",
    """Open responsibilities moved to a successor when a membership is handed over:
    `transfer_responsibilities(*, collectif, from_user, to_user) -> int` (how many moved).""",
)
# The right of access and the right to erasure (RGPD) cover everything the person wrote or answered, which lives
# in the apps above this one.
personal_data = Hook(
    "membres.personal_data",
    "What an app holds about a person, for the export of their data: fn(user) -> dict[str, list[dict]]",
)
account_erasure = Hook(
    "membres.account_erasure",
    "Called before an account is deleted, to erase what would still identify the person: fn(user) -> None",
)
