"""Extension points of reunions, for the apps above it (see core.hooks)."""

from core.hooks import Hook

atelier_restitutions = Hook(
    "reunions.atelier_restitutions",
    "The restitutions of an atelier, listed on its page: fn(reunion) -> list of objects with title, "
    "get_absolute_url and get_status_display (registered by restitutions).",
)

reunion_sections = Hook(
    "reunions.reunion_sections",
    "Sections of a reunion's page from the apps above (documents to discuss, discussions): "
    "fn(request, reunion) -> str, rendered HTML of one or more <section> ('' when there is nothing to show).",
)

agenda_proposals = Hook(
    "reunions.agenda_proposals",
    "Proposals shown in a reunion's agenda section (documents flagged « à discuter en plénière »): "
    "fn(request, reunion) -> str, rendered HTML ('' when there is no proposal).",
)

groupe_sections = Hook(
    "reunions.groupe_sections",
    "Sections of a groupe de tâches page (its folder, its discussions): fn(request, groupe) -> str, rendered HTML.",
)
