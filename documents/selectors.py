"""Reads of the document space spanning several models: the space's folders and counts, the files attached to
reunions and journal entries (« one document, several places »), the documents proposed to a plénière."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import CharField, Count, F, Q, QuerySet, Value
from django.urls import reverse
from django.utils import timezone

from actions.selectors import journal_attachments
from documents.models import Document, Folder
from reunions.models import GroupeDeTaches, Reunion
from reunions.selectors import reunion_attachments

KIND_ORDER = {Folder.Kind.REFERENCES: 0, Folder.Kind.GROUPE: 1, Folder.Kind.OTHER: 2}


def folders_with_counts(collectif) -> list[Folder]:
    """The collectif's folders, references first, then the groupes', then the others, each with `n_documents`
    (outside the bin). One query."""
    folders = (
        Folder.objects.filter(collectif=collectif)
        .select_related("groupe")
        .annotate(n_documents=Count("documents", filter=Q(documents__deleted_at__isnull=True)))
    )
    return sorted(folders, key=lambda f: (KIND_ORDER.get(f.kind, 9), f.name.lower()))


def groupes_without_folder(collectif) -> list[GroupeDeTaches]:
    """Groupes de tâches whose folder is not made yet (it is made on their first visit or document)."""
    return list(GroupeDeTaches.objects.filter(collectif=collectif, folder__isnull=True).order_by("name"))


def documents_list(collectif) -> QuerySet[Document]:
    """The documents outside the bin, with what a list shows of them (folder, current version, authors): one
    query whatever their number."""
    return (
        Document.objects.alive()
        .filter(collectif=collectif)
        .select_related("folder", "current", "current__uploaded_by", "created_by")
    )


def recent_documents(collectif, *, limit: int = 5) -> list[Document]:
    return list(
        Document.objects.alive()
        .filter(collectif=collectif)
        .select_related("folder", "current__uploaded_by")
        .order_by("-updated_at", "-pk")[:limit]
    )


# --- Files attached elsewhere -------------------------------------------------------------------------------------


@dataclass
class Attachment:
    """A file attached to a reunion or a journal entry, as the space lists it (read-only, served by its app)."""

    source: str  # "reunion" or "action"
    title: str
    file_name: str
    parent_title: str
    at: object
    url: str
    parent_url: str

    @property
    def source_label(self) -> str:
        return "Réunion" if self.source == "reunion" else "Action"


COLUMNS = ("source", "pk", "name", "file_name", "parent_pk", "parent_title", "at")


def attachments_queryset(collectif, *, q: str = ""):
    """The files attached to the collectif's reunions and journal entries, newest first, as one union of rows
    (`COLUMNS`): a page of them is one query, plus one to count."""
    q = q.strip()
    text = CharField()
    from_reunions = (
        reunion_attachments(collectif, q=q)
        .annotate(
            source=Value("reunion", output_field=text),
            name=F("title"),
            file_name=F("original_name"),
            parent_pk=F("reunion_id"),
            parent_title=F("reunion__title"),
            at=F("uploaded_at"),
        )
        .order_by()
        .values_list(*COLUMNS)
    )
    from_actions = (
        journal_attachments(collectif, q=q)
        .annotate(
            source=Value("action", output_field=text),
            name=F("attachment_name"),
            file_name=F("attachment_name"),
            parent_pk=F("action_id"),
            parent_title=F("action__title"),
            at=F("created_at"),
        )
        .order_by()
        .values_list(*COLUMNS)
    )
    return from_reunions.union(from_actions, all=True).order_by("-at", "-pk")


def attachment_rows(collectif, rows) -> list[Attachment]:
    """Rows of `attachments_queryset` with the links to their download views and their reunion or action."""
    slug = collectif.slug
    out = []
    for source, pk, name, file_name, parent_pk, parent_title, at in rows:
        if source == "reunion":
            url = reverse("reunions:document", kwargs={"collectif_slug": slug, "pk": parent_pk, "document_pk": pk})
            parent_url = reverse("reunions:detail", kwargs={"collectif_slug": slug, "pk": parent_pk})
        else:
            url = reverse(
                "actions:journal_attachment", kwargs={"collectif_slug": slug, "pk": parent_pk, "entry_pk": pk}
            )
            parent_url = reverse("actions:detail", kwargs={"collectif_slug": slug, "pk": parent_pk})
        out.append(
            Attachment(
                source=source,
                title=name or file_name,
                file_name=file_name,
                parent_title=parent_title,
                at=at,
                url=url,
                parent_url=parent_url,
            )
        )
    return out


# --- « À discuter en plénière » -----------------------------------------------------------------------------------


def proposed_documents(collectif) -> QuerySet[Document]:
    """Documents flagged « à discuter en plénière » (not yet put on an agenda), oldest proposal first."""
    return (
        Document.objects.alive()
        .filter(collectif=collectif, to_discuss=True)
        .select_related("folder", "to_discuss_by")
        .order_by("to_discuss_at", "pk")
    )


def is_open_pleniere(reunion: Reunion) -> bool:
    """The same as `takes_proposals`, read from the reunion already loaded (no query)."""
    return (
        reunion.kind == Reunion.Kind.PLENIERE
        and reunion.status in (Reunion.Status.TO_SCHEDULE, Reunion.Status.CONVENED)
        and (reunion.starts_at is None or reunion.starts_at >= timezone.now())
    )


def documents_of_reunion(request, reunion: Reunion) -> dict[str, list[Document]]:
    """What the reunion's page shows of the space: the documents put on its agenda (`on_agenda`) and, for a
    plénière still to hold, those proposed (`proposed`). One query, shared by the page's two hooks."""
    cache = request.__dict__.setdefault("_documents_of_reunion", {})
    if reunion.pk not in cache:
        condition = Q(discussed_in=reunion)
        if is_open_pleniere(reunion):
            condition |= Q(to_discuss=True)
        rows = list(
            Document.objects.alive()
            .filter(condition, collectif_id=reunion.collectif_id)
            .select_related("folder", "to_discuss_by")
            .order_by("to_discuss_at", "title", "pk")
        )
        cache[reunion.pk] = {
            "on_agenda": [d for d in rows if d.discussed_in_id == reunion.pk],
            "proposed": [d for d in rows if d.to_discuss],
        }
    return cache[reunion.pk]
