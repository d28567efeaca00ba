"""Reads of fiches expérience that other apps show (`restitutions`, a sibling app, may read this module only)."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from fiches_experience import permissions
from fiches_experience.models import SOURCE_FIELDS, FicheExperience


@dataclass(frozen=True)
class FicheOffer:
    """What a restitution's or a cycle's page says about its fiche expérience: the URL that drafts it (POST), whether
    the user may ask for it, and the fiche already drafted from it if there is one (its title, status and where
    this user opens it: the editing page for CRPV editors, the public page once published, nowhere otherwise)."""

    draft_url: str
    can_draft: bool
    title: str = ""
    status_label: str = ""
    open_url: str = ""

    @property
    def exists(self) -> bool:
        return bool(self.title)


def fiche_offer(access, *, source: str, source_id: int, collectif_slug: str) -> FicheOffer:
    """The fiche offer for a restitution (`source="restitution"`) or a cycle (`"cycle"`) of the collectif, in one
    query."""
    url_name = {"restitution": "fiches_experience:from_restitution", "cycle": "fiches_experience:from_cycle"}[source]
    draft_url = reverse(url_name, kwargs={"collectif_slug": collectif_slug, "pk": source_id})
    can_draft = permissions.can_draft_fiche_from_restitutions(access)
    fiche = (
        FicheExperience.objects.filter(**{SOURCE_FIELDS[source]: source_id})
        .only("pk", "slug", "title", "status")
        .first()
    )
    if fiche is None:
        return FicheOffer(draft_url=draft_url, can_draft=can_draft)
    if permissions.can_edit_fiches(access):
        open_url = reverse("fiches_experience:edit", kwargs={"pk": fiche.pk})
    elif fiche.is_published:
        open_url = fiche.get_absolute_url()
    else:
        open_url = ""
    return FicheOffer(
        draft_url=draft_url,
        can_draft=can_draft,
        title=fiche.title,
        status_label=str(fiche.get_status_display()),
        open_url=open_url,
    )
