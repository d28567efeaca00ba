"""Who may do what with a fiche. One function per rule, the business rule in its docstring."""

from __future__ import annotations

from typing import TYPE_CHECKING

from collectifs.permissions import is_crpv_editor

if TYPE_CHECKING:
    from collectifs.access import Access
    from fiches_experience.models import FicheExperience, FicheProposal


def can_edit_fiches(user) -> bool:
    """CRPV editors (and superusers) write fiches, for every territory; nobody else does."""
    return is_crpv_editor(user)


def can_edit_fiche(user, fiche: FicheExperience) -> bool:
    """An editor edits any fiche that is not archived, published ones included (each change is a version)."""
    return can_edit_fiches(user) and fiche.is_editable


def can_submit_fiche(user, fiche: FicheExperience) -> bool:
    """A draft is sent for review by an editor."""
    from fiches_experience.models import Statut

    return can_edit_fiches(user) and fiche.status == Statut.BROUILLON


def only_editor(user) -> bool:
    """True when `user` is the platform's only active CRPV editor: then nobody else could review."""
    from membres.models import User

    return not User.objects.filter(is_crpv_editor=True, is_active=True).exclude(pk=user.pk).exists()


def can_publish_fiche(user, fiche: FicheExperience) -> bool:
    """Four eyes: a fiche in review is published by another editor than its author, unless the author is the
    only editor of the platform."""
    from fiches_experience.models import Statut

    if not can_edit_fiches(user) or fiche.status != Statut.EN_RELECTURE:
        return False
    return fiche.author_id != user.pk or only_editor(user)


def can_archive_fiche(user, fiche: FicheExperience) -> bool:
    """An editor withdraws a published fiche from the catalogue (archived, never deleted)."""
    from fiches_experience.models import Statut

    return can_edit_fiches(user) and fiche.status == Statut.PUBLIEE


def can_return_to_draft(user, fiche: FicheExperience) -> bool:
    """A fiche in review or archived goes back to draft (review refused, or an archive brought back to life)."""
    from fiches_experience.models import Statut

    return can_edit_fiches(user) and fiche.status in (Statut.EN_RELECTURE, Statut.ARCHIVEE)


def can_mark_reviewed(user, fiche: FicheExperience) -> bool:
    """An editor confirms that a published fiche is still accurate, which sets its next review date."""
    from fiches_experience.models import Statut

    return can_edit_fiches(user) and fiche.status == Statut.PUBLIEE


def may_decide_proposal(user, proposal: FicheProposal) -> bool:
    """An editor publishes or sets aside a proposed version (an import of a fiche that is not a draft) while it
    waits; once decided, it stays as it is."""
    return can_edit_fiches(user) and proposal.is_pending


def may_publish_proposal(user, proposal: FicheProposal) -> bool:
    """Four eyes, as for a fiche: a proposed version is published by another editor than the one who imported it,
    unless that editor is the only one of the platform. An import run by the command (no editor) may be published by
    any editor."""
    if not may_decide_proposal(user, proposal):
        return False
    return proposal.proposed_by_id is None or proposal.proposed_by_id != user.pk or only_editor(user)


def can_publish_proposal(access: Access, proposal: FicheProposal) -> bool:
    """`may_publish_proposal` for the acting user of a view (collectifs.access rules take an Access)."""
    return may_publish_proposal(access.user, proposal)


def can_decide_proposal(access: Access, proposal: FicheProposal) -> bool:
    """`may_decide_proposal` for the acting user of a view."""
    return may_decide_proposal(access.user, proposal)
