"""How the views of documents fetch their objects: through the collectif of the URL (another collectif's object
is 404), then through the rule of documents.permissions the object must pass (403)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from collectifs.access import Access, fetch
from documents.models import Document, DocumentVersion, Folder

Rule = Callable[[Access, Any], bool] | None


def folder_for(access: Access, pk: int, *, rule: Rule = None) -> Folder:
    folder = fetch(Folder.objects.filter(collectif=access.collectif), access, rule=rule, pk=pk)
    folder.collectif = access.collectif
    return folder


def document_for(access: Access, pk: int, *, rule: Rule = None, alive: bool = False) -> Document:
    """A document of the collectif (in the bin too unless `alive`), with its folder and current version."""
    queryset = Document.objects.filter(collectif=access.collectif).select_related("folder", "current", "discussed_in")
    if alive:
        queryset = queryset.alive()
    document = fetch(queryset, access, rule=rule, pk=pk)
    document.collectif = document.folder.collectif = access.collectif
    return document


def version_for(access: Access, document: Document, pk: int) -> DocumentVersion:
    version = fetch(DocumentVersion.objects.filter(document=document), access, pk=pk)
    version.document = document
    return version
