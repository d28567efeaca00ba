"""Extension points of reunions, for the apps above it (see core.hooks)."""

from core.hooks import Hook

atelier_restitutions = Hook(
    "reunions.atelier_restitutions",
    "The restitutions of an atelier, listed on its page: fn(reunion) -> list of objects with title, "
    "get_absolute_url and get_status_display (registered by restitutions).",
)
