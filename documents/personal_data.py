"""What the documents app holds about a person (membres.hooks.personal_data): the versions they uploaded and the
documents they proposed for a plénière. The files themselves belong to the collectif's work and stay with it."""

from __future__ import annotations

from documents.models import Document, DocumentVersion


def export(user) -> dict[str, list[dict]]:
    versions = (
        DocumentVersion.objects.filter(uploaded_by=user)
        .select_related("document__collectif", "document__folder")
        .order_by("uploaded_at", "pk")
    )
    proposed = Document.objects.filter(to_discuss_by=user).select_related("collectif").order_by("to_discuss_at")
    return {
        "documents_deposes": [
            {
                "collectif": v.document.collectif.name,
                "dossier": v.document.folder.name,
                "document": v.document.title,
                "version": v.number,
                "fichier": v.original_name,
                "note": v.note,
                "depose_le": v.uploaded_at.isoformat(),
                "dans_la_corbeille": v.document.deleted_at is not None,
            }
            for v in versions
        ],
        "documents_proposes_en_pleniere": [
            {
                "collectif": d.collectif.name,
                "document": d.title,
                "propose_le": d.to_discuss_at.isoformat() if d.to_discuss_at else None,
            }
            for d in proposed
        ],
    }
