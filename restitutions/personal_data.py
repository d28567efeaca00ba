"""What the restitutions app holds about a person (membres.hooks.personal_data)."""

from __future__ import annotations

from restitutions.models import Cycle, Restitution


def export(user) -> dict[str, list[dict]]:
    restitutions = Restitution.objects.filter(created_by=user).select_related("collectif").order_by("created_at")
    cycles = Cycle.objects.filter(manager=user).select_related("collectif").order_by("created_at")
    return {
        "restitutions_redigees": [
            {"collectif": r.collectif.name, "titre": r.title, "creee_le": r.created_at.isoformat()}
            for r in restitutions
        ],
        "cycles_pilotes": [{"collectif": c.collectif.name, "nom": c.name} for c in cycles],
    }
