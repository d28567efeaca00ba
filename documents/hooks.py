"""Extension points of documents, for the apps above it (see core.hooks)."""

from core.hooks import Hook

document_sections = Hook(
    "documents.document_sections",
    "Sections of a document's page from the apps above (its discussions): fn(request, document) -> str, rendered "
    "HTML ('' when there is nothing to show).",
)
