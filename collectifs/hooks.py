"""What the collectif's pages show of the higher apps (reunions, actions, restitutions…) without importing them.

The higher apps register into these hooks from their `AppConfig.ready()` (see `core.hooks`).
"""

from __future__ import annotations

from core.hooks import Hook

home_panels = Hook(
    "collectifs.home_panels",
    """Panels of the collectif's home: `fn(access) -> dict | None` (None: no panel for this user). The dict has
    `id`, `title`, `items` (dicts with `url`, `label`, and optional `meta` and `badge`), `empty` (the sentence
    when there is no item) and `more_url`, `more_label` (the way in).""",
)

navigation_sections = Hook(
    "collectifs.navigation_sections",
    """Sections of a collectif's navigation: `fn() -> list of (position, label, URL name taking collectif_slug,
    coordinators_only)`; sections are shown by position.""",
)
