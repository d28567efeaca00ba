"""How the views of reunions fetch their objects: always through the collectif of the URL (another collectif's
object is 404), then through the rule of reunions.permissions the object must pass (403). Built on
collectifs.access.fetch."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _

from collectifs.access import Access, fetch
from reunions.models import (
    AgendaItem,
    CalendarToken,
    DatePoll,
    Decision,
    Document,
    GroupeDeTaches,
    Invitation,
    Minutes,
    ReminderDue,
    Reunion,
)

Rule = Callable[[Access, Any], bool] | None


def reunion_for(access: Access, pk: int, *related: str, rule: Rule = None, message: str | None = None) -> Reunion:
    """A reunion of the access's collectif (with `related` joined)."""
    queryset = Reunion.objects.filter(collectif=access.collectif).select_related(*related)
    reunion = fetch(queryset, access, rule=rule, message=message, pk=pk)
    reunion.collectif = access.collectif  # already loaded with the access: no second query
    return reunion


def minutes_for(access: Access, reunion: Reunion, *, rule: Rule = None, message: str | None = None, **lookup):
    """The minutes of a reunion already fetched through the collectif."""
    minutes = fetch(
        Minutes.objects.filter(reunion=reunion).select_related("reunion"), access, rule=rule, message=message, **lookup
    )
    minutes.reunion = reunion
    return minutes


def poll_for(access: Access, reunion: Reunion, *, rule: Rule = None, message: str | None = None, **lookup):
    poll = fetch(
        DatePoll.objects.filter(reunion=reunion).select_related("chosen_slot", "reunion"),
        access,
        rule=rule,
        message=message,
        **lookup,
    )
    poll.reunion = reunion
    return poll


def document_for(access: Access, reunion: Reunion, pk: int) -> Document:
    return fetch(Document.objects.filter(reunion=reunion), access, pk=pk)


def agenda_item_for(access: Access, reunion: Reunion, pk: int) -> AgendaItem:
    return fetch(AgendaItem.objects.filter(reunion=reunion), access, pk=pk)


def decision_for(
    access: Access, reunion: Reunion, pk: int, *, rule: Rule = None, message: str | None = None
) -> Decision:
    return fetch(Decision.objects.filter(reunion=reunion), access, rule=rule, message=message, pk=pk)


def reminder_for(access: Access, reunion: Reunion, pk: int) -> ReminderDue:
    return fetch(ReminderDue.objects.filter(reunion=reunion), access, pk=pk)


def my_invitation_for(access: Access, reunion: Reunion) -> Invitation:
    """The acting member's own invitation to the reunion (404 for someone not invited)."""
    return fetch(reunion.invitations.all(), access, membership=access.membership)


def groupe_for(access: Access, pk: int) -> GroupeDeTaches:
    return fetch(GroupeDeTaches.objects.filter(collectif=access.collectif).select_related("pilot"), access, pk=pk)


# --- Links that work without logging in: the signed token is the secret ---------------------------------------


def rsvp_invitation_for(invitation_id: int, *, answering: bool) -> Invitation:
    """The invitation named by a signed answer link; a cancelled reunion takes no answer any more (404)."""
    invitation = fetch(
        Invitation.objects.select_related("reunion__collectif", "membership__user"), None, pk=invitation_id
    )
    if answering and invitation.reunion.is_cancelled:
        raise Http404(_("Réunion annulée."))
    return invitation


def rsvp_link_refusal(invitation: Invitation, sequence: int | None) -> str:
    """Why an answer link no longer works ("" when it does). A link answers for one version of one meeting, for a
    current member: not after the meeting, not once the person has left the collectif (or deleted their account),
    not for a guest (guests read, they do not answer), and not from an e-mail older than the current version of
    the meeting (it may have moved: the answer would be for the wrong date)."""
    reunion = invitation.reunion
    membership = invitation.membership
    if reunion.is_cancelled:
        return _("Cette réunion est annulée : il n'y a plus de réponse à donner.")
    if reunion.is_past:
        return _("Cette réunion a déjà eu lieu : le lien de réponse ne fonctionne plus.")
    if membership.user_id is None or not membership.is_active:
        return _("Vous ne faites plus partie de ce collectif : ce lien de réponse ne fonctionne plus.")
    if membership.role == membership.Role.GUEST:
        return _("En tant qu'invité(e) du collectif, vous ne répondez pas aux convocations.")
    if sequence is None or sequence != reunion.sequence:
        return _(
            "La réunion a été modifiée depuis l'envoi de ce lien (date, heure ou lieu) : répondez avec le lien du "
            "dernier e-mail reçu, ou depuis la page de la réunion."
        )
    return ""


def feed_user_for(token: str):
    """The active user whose calendar token this is (a revoked or unknown token is 404)."""
    from reunions.services.feeds import hash_token

    row = fetch(
        CalendarToken.objects.select_related("user"), None, token_hash=hash_token(token[:200]), revoked_at__isnull=True
    )
    if not row.user.is_active:
        raise Http404(_("Adresse de calendrier inconnue."))
    return row.user


def feed_membership_for(user, collectif_slug: str):
    """The token holder's active membership of the collectif of the URL (404 outside it)."""
    from membres.models import Membership

    return fetch(
        Membership.objects.active().select_related("collectif"), None, user=user, collectif__slug=collectif_slug
    )


def questionnaire_invite_for(token: str):
    """The questionnaire link a token opens: a sent link whose token's SHA-256 matches (404 otherwise)."""
    from reunions.models import QuestionnaireInvite
    from reunions.services.questionnaires import hash_token

    return fetch(
        QuestionnaireInvite.objects.select_related("questionnaire__reunion__collectif").exclude(token_hash=""),
        None,
        token_hash=hash_token(token[:200]),
        status=QuestionnaireInvite.Status.SENT,
    )
