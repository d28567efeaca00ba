"""Writes of the membres app: invitations, end and hand-over of memberships, profile and personal data."""

from __future__ import annotations

import datetime
import hashlib
import logging
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.outbox import mail_erase_address, mail_queue
from membres import handover, hooks
from membres.models import (
    INVITATION_VALIDITY_DAYS,
    INVITATIONS_PER_COLLECTIF_PER_DAY,
    MemberInvitation,
    Membership,
    User,
)

logger = logging.getLogger(__name__)


class InvitationError(Exception):
    """A refused invitation operation; `code` says which, the message is shown to the user as is."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


# --- Tokens --------------------------------------------------------------------------------------------------


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


def invitation_url(token: str, base_url: str | None = None) -> str:
    return (base_url or settings.SITE_URL).rstrip("/") + reverse("membres:invitation_accept", kwargs={"token": token})


# --- Invitations ---------------------------------------------------------------------------------------------


def start_of_today() -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time.min))


def invitations_left_today(collectif) -> int:
    """At most 100 invitations leave a collectif per day: a pasted list gone wrong must not spam an address book."""
    sent = MemberInvitation.objects.filter(collectif=collectif).sent_since(start_of_today()).count()
    return max(0, INVITATIONS_PER_COLLECTIF_PER_DAY - sent)


def _check_quota(collectif) -> None:
    """Called inside the sending transaction; the collectif's row lock makes two simultaneous sends count in turn."""
    from collectifs.models import Collectif

    Collectif.objects.select_for_update().filter(pk=collectif.pk).first()
    if invitations_left_today(collectif) <= 0:
        raise InvitationError(
            "quota",
            _("Ce collectif a déjà envoyé %(n)d invitations aujourd'hui : réessayez demain.")
            % {"n": INVITATIONS_PER_COLLECTIF_PER_DAY},
        )


def check_invitable(*, collectif, email: str) -> None:
    """Refuse an address that is already an active member or already has a pending invitation."""
    email = email.strip().lower()
    if Membership.objects.active().filter(collectif=collectif, user__email__iexact=email).exists():
        raise InvitationError("already_member", _("%(email)s est déjà membre du collectif.") % {"email": email})
    if MemberInvitation.objects.pending().filter(collectif=collectif, email__iexact=email).exists():
        raise InvitationError(
            "already_invited",
            _("%(email)s a déjà une invitation en attente : renvoyez-la depuis la liste des invitations.")
            % {"email": email},
        )


def _send_invitation_email(invitation: MemberInvitation, token: str, base_url: str | None) -> None:
    context = {
        "invitation": invitation,
        "collectif": invitation.collectif,
        "url": invitation_url(token, base_url),
        "validity_days": INVITATION_VALIDITY_DAYS,
        "inviter": invitation.invited_by,
    }
    subject = render_to_string("membres/email/invitation_subject.txt", context).strip()
    body = render_to_string("membres/email/invitation_body.txt", context)
    # Queued in the outbox with the invitation (same transaction); each new link is a new mail.
    mail_queue(
        key=f"membre-invitation:{invitation.pk}:{invitation.token_hash[:16]}",
        to=invitation.email,
        subject=subject,
        body=body,
        collectif_id=invitation.collectif_id,
        erase_after_send=True,  # the link's token is stored hashed only: the outbox forgets it once sent
    )


@transaction.atomic
def invitation_create(
    *,
    collectif,
    email: str,
    institution,
    function: str,
    niveau: str,
    role: str,
    by: User | None,
    replaces: Membership | None = None,
    base_url: str | None = None,
) -> MemberInvitation:
    """Invite one person and send them the e-mail with their one-time link."""
    email = email.strip().lower()
    _check_quota(collectif)
    check_invitable(collectif=collectif, email=email)
    token, token_hash = _new_token()
    now = timezone.now()
    invitation = MemberInvitation.objects.create(
        collectif=collectif,
        email=email,
        institution=institution,
        function=function,
        niveau=niveau,
        role=role,
        invited_by=by,
        replaces=replaces,
        token_hash=token_hash,
        last_sent_at=now,
        expires_at=now + datetime.timedelta(days=INVITATION_VALIDITY_DAYS),
    )
    _send_invitation_email(invitation, token, base_url)
    logger.info(
        "invitation_create invitation=%s collectif=%s by_user=%s",
        invitation.pk,
        collectif.pk,
        getattr(by, "pk", None),
    )
    return invitation


@transaction.atomic
def invitation_resend(*, invitation: MemberInvitation, by: User, base_url: str | None = None) -> MemberInvitation:
    """A new link for 14 more days; the previous link stops working at once."""
    invitation = MemberInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at:
        raise InvitationError("accepted", _("Cette invitation a déjà été acceptée."))
    if not invitation.email:
        raise InvitationError("erased", _("La personne a supprimé son compte : son adresse n'est plus connue."))
    _check_quota(invitation.collectif)
    token, invitation.token_hash = _new_token()
    now = timezone.now()
    invitation.last_sent_at = now
    invitation.expires_at = now + datetime.timedelta(days=INVITATION_VALIDITY_DAYS)
    invitation.revoked_at = None
    invitation.save(update_fields=["token_hash", "last_sent_at", "expires_at", "revoked_at"])
    _send_invitation_email(invitation, token, base_url)
    logger.info("invitation_resend invitation=%s by_user=%s", invitation.pk, by.pk)
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: MemberInvitation, by: User) -> MemberInvitation:
    invitation = MemberInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at:
        raise InvitationError(
            "accepted", _("Cette invitation a déjà été acceptée : mettez plutôt fin à l'appartenance.")
        )
    if not invitation.revoked_at:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        logger.info("invitation_revoke invitation=%s by_user=%s", invitation.pk, by.pk)
    return invitation


def invitation_for_token(token: str) -> MemberInvitation:
    """The usable invitation of a link, or InvitationError saying in French why the link does not work."""
    invitation = (
        MemberInvitation.objects.select_related("collectif", "institution")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if invitation is None:
        raise InvitationError(
            "invalid",
            _(
                "Ce lien d'invitation n'est pas valide. Il a peut-être été remplacé par un lien plus récent : "
                "utilisez le dernier e-mail reçu, ou demandez à la coordination de vous le renvoyer."
            ),
        )
    if invitation.accepted_at:
        raise InvitationError(
            "accepted", _("Cette invitation a déjà été utilisée. Connectez-vous pour retrouver le collectif.")
        )
    if invitation.revoked_at:
        raise InvitationError(
            "revoked", _("Cette invitation a été retirée par la coordination du collectif. Contactez-la si besoin.")
        )
    if invitation.expires_at <= timezone.now():
        raise InvitationError(
            "expired",
            _(
                "Cette invitation a expiré (elle était valable %(days)d jours). "
                "Demandez à la coordination de la renvoyer."
            )
            % {"days": INVITATION_VALIDITY_DAYS},
        )
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: MemberInvitation, by: User) -> Membership:
    """The invited person joins: a membership with the institution, function, niveau and role of the invitation.

    Only the addressee may accept (the link was sent to their address). When the invitation hands over a
    membership, the successor inherits the open responsibilities of the person they replace.
    """
    invitation = MemberInvitation.objects.select_for_update().select_related("collectif").get(pk=invitation.pk)
    if invitation.status != MemberInvitation.Status.PENDING:
        raise InvitationError("unusable", _("Cette invitation n'est plus valable."))
    if by.email.lower() != invitation.email.lower():
        raise InvitationError(
            "other_user",
            _(
                "Cette invitation est adressée à %(email)s, mais vous êtes connecté(e) avec %(current)s. "
                "Déconnectez-vous, puis rouvrez le lien."
            )
            % {"email": invitation.email, "current": by.email},
        )
    if Membership.objects.active().filter(collectif=invitation.collectif, user=by).exists():
        raise InvitationError("already_member", _("Vous êtes déjà membre de ce collectif."))
    membership = Membership.objects.create(
        user=by,
        collectif=invitation.collectif,
        institution_id=invitation.institution_id,
        function=invitation.function,
        niveau=invitation.niveau,
        role=invitation.role,
    )
    invitation.accepted_at = timezone.now()
    invitation.membership = membership
    invitation.save(update_fields=["accepted_at", "membership"])
    if invitation.replaces_id and invitation.replaces.user_id:
        handover.transfer_responsibilities(
            collectif=invitation.collectif, from_user=invitation.replaces.user, to_user=by
        )
    logger.info("invitation_accept invitation=%s membership=%s by_user=%s", invitation.pk, membership.pk, by.pk)
    return membership


# --- End of a membership and hand-over -------------------------------------------------------------------------


@transaction.atomic
def membership_end(*, membership: Membership, by: User, left_on: datetime.date | None = None) -> Membership:
    """The person leaves the collectif: the membership gets a left date and stays in the history."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.left_on is None:
        membership.left_on = left_on or timezone.localdate()
        membership.save(update_fields=["left_on"])
        logger.info("membership_end membership=%s by_user=%s", membership.pk, by.pk)
    return membership


@dataclass
class HandoverResult:
    ended: Membership
    invitation: MemberInvitation


@transaction.atomic
def membership_handover(
    *,
    membership: Membership,
    by: User,
    successor_email: str,
    function: str,
    niveau: str,
    role: str,
    base_url: str | None = None,
) -> HandoverResult:
    """Hand a membership over to a successor from the same institution.

    The departing membership ends and the successor is invited, whether or not they have an account: nobody
    becomes a member (with their phone in the directory) without accepting, and the answer is the same either
    way, so that it does not tell whether an address has an account. The successor inherits the open
    responsibilities when they accept (`invitation_accept`).
    """
    successor_email = successor_email.strip().lower()
    if membership.user_id and membership.user.email.lower() == successor_email:
        raise InvitationError("same_person", _("La personne qui succède doit être une autre personne."))
    invitation = invitation_create(
        collectif=membership.collectif,
        email=successor_email,
        institution=membership.institution,
        function=function,
        niveau=niveau,
        role=role,
        by=by,
        replaces=membership,
        base_url=base_url,
    )
    ended = membership_end(membership=membership, by=by)
    logger.info("membership_handover membership=%s invitation=%s by_user=%s", membership.pk, invitation.pk, by.pk)
    return HandoverResult(ended=ended, invitation=invitation)


# --- Profile and personal data ---------------------------------------------------------------------------------

PROFILE_FIELDS = [
    "first_name",
    "last_name",
    "phone",
    "notify_reunion_reminders",
    "notify_action_followups",
    "notify_fiche_reviews",
    "notify_discussions",
]


@transaction.atomic
def profile_update(*, by: User, **values) -> User:
    unknown = set(values) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"Unknown profile fields: {sorted(unknown)}")
    for name, value in values.items():
        setattr(by, name, value)
    by.save(update_fields=list(values))
    logger.info("profile_update user=%s fields=%s", by.pk, sorted(values))
    return by


def personal_data_export(user: User) -> dict:
    """Everything the platform holds about the person as such (RGPD, right of access)."""
    from allauth.account.models import EmailAddress

    memberships = Membership.objects.filter(user=user).select_related("collectif", "institution").order_by("joined_on")
    data = {
        "compte": {
            "email": user.email,
            "prenom": user.first_name,
            "nom": user.last_name,
            "telephone": user.phone,
            "inscrit_le": user.date_joined.isoformat(),
            "derniere_connexion": user.last_login.isoformat() if user.last_login else None,
            "editeur_ressources_crpv": user.is_crpv_editor,
        },
        "preferences_de_notification": {
            "rappels_reunions": user.notify_reunion_reminders,
            "relances_actions": user.notify_action_followups,
            "rappels_fiches": user.notify_fiche_reviews,
            "discussions": user.get_notify_discussions_display(),
        },
        "adresses_email": [
            {"email": a.email, "verifiee": a.verified, "principale": a.primary}
            for a in EmailAddress.objects.filter(user=user).order_by("email")
        ],
        "appartenances": [
            {
                "collectif": m.collectif.name,
                "institution": m.institution.name,
                "fonction": m.function,
                "niveau": m.get_niveau_display(),
                "role": m.get_role_display(),
                "arrivee_le": m.joined_on.isoformat(),
                "depart_le": m.left_on.isoformat() if m.left_on else None,
            }
            for m in memberships
        ],
        "invitations_recues": [
            {
                "collectif": i.collectif.name,
                "envoyee_le": i.last_sent_at.isoformat(),
                "statut": i.get_status_display(),
            }
            for i in _invitations_of(user).select_related("collectif").order_by("last_sent_at")
        ],
    }
    # What the person wrote or answered in the other apps (journal entries, answers, attendance, votes, comments…).
    for sections in hooks.personal_data.call(user):
        data.update(sections)
    return data


def _addresses_of(user: User) -> set[str]:
    """Every address of the person (the login and those allauth keeps), lower-cased."""
    from allauth.account.models import EmailAddress

    return {
        user.email.lower(),
        *(e.lower() for e in EmailAddress.objects.filter(user=user).values_list("email", flat=True)),
    } - {""}


def _invitations_of(user: User):
    """The invitations sent to any of the person's addresses, or that made one of their memberships."""
    query = Q(membership__user=user)
    for email in _addresses_of(user):  # an erased invitation (empty address) belongs to nobody
        query |= Q(email__iexact=email)
    return MemberInvitation.objects.filter(query)


@transaction.atomic
def user_delete(*, by: User) -> None:
    """Delete the account. Memberships stay, without the person (« ancien membre »), so that the history of who
    represented which institution keeps its shape. The address is erased wherever it was kept: the invitations
    sent to it lose it (pending ones are withdrawn), so do the outbox's e-mails, the admin's history forgets the
    account's name, and each app erases what would still identify the person (membres.hooks.account_erasure)."""
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    user_id = by.pk
    invitations = _invitations_of(by)
    invitations.filter(pk__in=MemberInvitation.objects.pending().values("pk")).update(revoked_at=timezone.now())
    invitations.update(email="")
    mail_erase_address(emails=_addresses_of(by))
    hooks.account_erasure.call(by)
    LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(User), object_id=str(user_id)).update(
        object_repr=""
    )
    Membership.objects.filter(user=by).update(user=None)
    by.delete()
    logger.info("user_delete user=%s", user_id)
