"""What the fiches app holds about a person (membres.hooks.personal_data)."""

from __future__ import annotations

from django.db.models import Q

from fiches_experience.models import FicheExperience


def export(user) -> dict[str, list[dict]]:
    fiches = FicheExperience.objects.filter(Q(author=user) | Q(reviewer=user)).order_by("created_at")
    return {
        "fiches_experience": [
            {
                "titre": f.title,
                "role": "autrice ou auteur" if f.author_id == user.pk else "relecture",
                "statut": f.get_status_display(),
                "creee_le": f.created_at.isoformat(),
            }
            for f in fiches
        ]
    }
