"""What the actions app holds about a person (membres.hooks.personal_data)."""

from __future__ import annotations

from actions.models import Action, JournalEntry


def export(user) -> dict[str, list[dict]]:
    actions = Action.objects.filter(created_by=user).select_related("collectif").order_by("created_at", "pk")
    entries = JournalEntry.objects.filter(author=user).select_related("action__collectif").order_by("date", "pk")
    return {
        "actions_creees": [
            {
                "collectif": a.collectif.name,
                "titre": a.title,
                "description": a.description,
                "statut": a.get_status_display(),
            }
            for a in actions
        ],
        "entrees_de_journal": [
            {
                "collectif": e.action.collectif.name,
                "action": e.action.title,
                "type": e.get_kind_display(),
                "date": e.date.isoformat(),
                "texte": e.text,
                "piece_jointe": e.attachment_name or None,
                "ecrite_le": e.created_at.isoformat(),
            }
            for e in entries
        ],
    }
