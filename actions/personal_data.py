"""What the actions app holds about a person (membres.hooks.personal_data)."""

from __future__ import annotations

from actions.models import JournalEntry


def export(user) -> dict[str, list[dict]]:
    entries = JournalEntry.objects.filter(author=user).select_related("action__collectif").order_by("date", "pk")
    return {
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
        ]
    }
