"""Extension points of the actions app: capitalisation turns an action that worked into a fiche expérience, an app
above this one. `fiches_experience` registers its functions here from its `AppConfig.ready()`."""

from __future__ import annotations

from core.hooks import Hook

fiche_for_action = Hook(
    "actions.fiche_for_action",
    "The fiche drafted from an action, if any: fn(action_id) -> object with get_absolute_url, title… | None.",
)

fiche_draft_from_action = Hook(
    "actions.fiche_draft_from_action",
    "Draft a fiche from an action: fn(*, action, description_html: str, journal_html: str, by: User) -> fiche.",
)


def capitalised_fiche(action_id: int):
    """The first fiche a registered app knows for the action, or None."""
    return next((fiche for fiche in fiche_for_action.call(action_id) if fiche is not None), None)


action_sections = Hook(
    "actions.action_sections",
    "Sections of an action's page beside its journal (its discussion): fn(request, action) -> str, rendered HTML.",
)
