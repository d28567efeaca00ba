"""What the restitutions app holds about a person (membres.hooks.personal_data)."""

from __future__ import annotations

from restitutions.models import Restitution


def export(user) -> dict[str, list[dict]]:
    restitutions = Restitution.objects.filter(created_by=user).select_related("collectif").order_by("created_at")
    return {
        "restitutions_redigees": [
            {"collectif": r.collectif.name, "titre": r.title, "creee_le": r.created_at.isoformat()}
            for r in restitutions
        ]
    }
