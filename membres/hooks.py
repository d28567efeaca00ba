"""Extension points of the membres app (core.hooks): what other apps hold about a person.

The right of access and the right to erasure (RGPD) cover everything the person wrote or answered, and that
lives in the apps above this one. Each registers here from its AppConfig.ready().
"""

from core.hooks import Hook

personal_data = Hook(
    "membres.personal_data",
    "What an app holds about a person, for the export of their data: fn(user) -> dict[str, list[dict]]",
)
account_erasure = Hook(
    "membres.account_erasure",
    "Called before an account is deleted, to erase what would still identify the person: fn(user) -> None",
)
