"""Who may do what with a fiche. One function per rule, the business rule in its docstring.

Every rule takes `(access: Access, obj=None) -> bool`; fiches belong to no collectif, so the access is the
platform-wide one (`collectifs.access.user_access(user)`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fiches_experience.models import Status

if TYPE_CHECKING:
    from collectifs.access import Access
    from fiches_experience.models import FicheExperience, FicheProposal


def can_edit_fiches(access: Access, obj=None) -> bool:
    """CRPV editors (and superusers) write fiches, for every territory; nobody else does."""
    return access.is_crpv_editor


def can_draft_fiche_from_restitutions(access: Access, obj=None) -> bool:
    """A restitution of an atelier, or a whole cycle of ateliers, becomes a fiche expérience at the request of the
    collectif's coordination (as an action that worked does, `actions.permissions.can_capitalise_action`) or of a
    CRPV editor, who writes the fiches of every collectif. Members and guests do not ask: a fiche speaks for the
    collectif to other territories. The fiche then waits for the CRPV editors' review (status « en relecture »)."""
    return bool(access.can_manage or access.is_crpv_editor)


def can_edit_fiche(access: Access, obj: FicheExperience | None = None) -> bool:
    """An editor edits any fiche that is not archived, published ones included (each change is a version)."""
    return can_edit_fiches(access) and obj is not None and obj.is_editable


def can_submit_fiche(access: Access, obj: FicheExperience | None = None) -> bool:
    """A draft is sent for review by an editor."""
    return can_edit_fiches(access) and obj is not None and obj.status == Status.DRAFT


def only_editor(user) -> bool:
    """True when `user` is the platform's only active CRPV editor: then nobody else could review."""
    from membres.models import User

    return not User.objects.filter(is_crpv_editor=True, is_active=True).exclude(pk=user.pk).exists()


def can_publish_fiche(access: Access, obj: FicheExperience | None = None) -> bool:
    """Four eyes: a fiche in review is published by another editor than its author, unless the author is the
    only editor of the platform."""
    if not can_edit_fiches(access) or obj is None or obj.status != Status.IN_REVIEW:
        return False
    return obj.author_id != access.user.pk or only_editor(access.user)


def can_archive_fiche(access: Access, obj: FicheExperience | None = None) -> bool:
    """An editor withdraws a published fiche from the catalogue (archived, never deleted)."""
    return can_edit_fiches(access) and obj is not None and obj.status == Status.PUBLISHED


def can_return_to_draft(access: Access, obj: FicheExperience | None = None) -> bool:
    """A fiche in review or archived goes back to draft (review refused, or an archive brought back to life)."""
    return can_edit_fiches(access) and obj is not None and obj.status in (Status.IN_REVIEW, Status.ARCHIVED)


def can_mark_reviewed(access: Access, obj: FicheExperience | None = None) -> bool:
    """An editor confirms that a published fiche is still accurate, which sets its next review date."""
    return can_edit_fiches(access) and obj is not None and obj.status == Status.PUBLISHED


def can_decide_proposal(access: Access, obj: FicheProposal | None = None) -> bool:
    """An editor publishes or sets aside a proposed version (an import of a fiche that is not a draft) while it
    waits; once decided, it stays as it is."""
    return can_edit_fiches(access) and obj is not None and obj.is_pending


def can_publish_proposal(access: Access, obj: FicheProposal | None = None) -> bool:
    """Four eyes, as for a fiche: a proposed version is published by another editor than the one who imported it,
    unless that editor is the only one of the platform. An import run by the command without `--par` may be
    published by any editor."""
    if not can_decide_proposal(access, obj):
        return False
    return obj.proposed_by_id is None or obj.proposed_by_id != access.user.pk or only_editor(access.user)
