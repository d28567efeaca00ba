"""Reunions: create, change, cancel, invite; the invitation e-mails and the answers."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from core.outbox import mail_queue_message, mail_retry_failed, mail_withdraw
from membres.models import Membership, User
from reunions.models import (
    DatePoll,
    GroupeDeTaches,
    Invitation,
    ReminderDue,
    Reunion,
)
from reunions.services.registrations import registrations_cancel_all, registrations_send_update
from reunions.services.reminders import reminders_recompute

logger = logging.getLogger(__name__)

SCHEDULE_FIELDS = ("starts_at", "ends_at", "place", "video_url", "title")


@transaction.atomic
def reunion_create(*, collectif, by: User, **fields) -> Reunion:
    reunion = Reunion.objects.create(collectif=collectif, **fields)
    logger.info("reunion_create reunion=%s by=%s", reunion.pk, by.pk)
    return reunion


@transaction.atomic
def reunion_update(*, reunion: Reunion, by: User, **fields) -> Reunion:
    """Change a reunion. Once it is convened, every change raises its calendar version (SEQUENCE, so that feeds
    replace the event); a change of date, place or title is also e-mailed to everyone invited, and the reminders
    are recomputed for the new date."""
    reunion = Reunion.objects.select_for_update().get(pk=reunion.pk)
    moved = any(getattr(reunion, name) != fields[name] for name in SCHEDULE_FIELDS if name in fields)
    changed = any(getattr(reunion, name) != value for name, value in fields.items())
    for name, value in fields.items():
        setattr(reunion, name, value)
    convened = reunion.status == Reunion.Status.CONVENED
    if changed and convened:
        reunion.sequence += 1
    reunion.save()
    logger.info("reunion_update reunion=%s by=%s moved=%s", reunion.pk, by.pk, moved)
    if moved and convened:
        _enqueue_invitation_emails(reunion, reunion.invitations.select_related("membership__user"))
    if moved:
        registrations_send_update(reunion=reunion)
    reminders_recompute(reunion=reunion)
    return reunion


@transaction.atomic
def reunion_cancel(*, reunion: Reunion, by: User) -> Reunion:
    """Cancel: every invited person gets a cancellation (METHOD:CANCEL) and no reminder goes out any more."""
    reunion = Reunion.objects.select_for_update().get(pk=reunion.pk)
    was_convened = reunion.status == Reunion.Status.CONVENED
    reunion.status = Reunion.Status.CANCELLED
    reunion.sequence += 1
    reunion.save(update_fields=["status", "sequence", "updated_at"])
    if hasattr(reunion, "poll"):
        DatePoll.objects.filter(pk=reunion.poll.pk).update(status=DatePoll.Status.CLOSED)
    logger.info("reunion_cancel reunion=%s by=%s", reunion.pk, by.pk)
    if was_convened:
        _enqueue_invitation_emails(reunion, reunion.invitations.select_related("membership__user"))
    registrations_cancel_all(reunion=reunion)
    reminders_recompute(reunion=reunion)
    return reunion


def audience_memberships(*, collectif, audience: str, groupe: GroupeDeTaches | None = None, memberships=()):
    """The active memberships of an audience: « all » members, a groupe's « groupe » members, or « named » ones."""
    active = Membership.objects.active().filter(collectif=collectif, user__isnull=False)
    if audience == "all":
        return list(active)
    if audience == "groupe" and groupe is not None:
        return list(active.filter(user__in=groupe.members.all()))
    return list(active.filter(pk__in=[m.pk for m in memberships]))


@transaction.atomic
def reunion_invite(*, reunion: Reunion, by: User, memberships: Iterable[Membership]) -> list[Invitation]:
    """Invite people (one invitation each). A reunion with a date becomes convened and each new invitee gets
    their own e-mail with the .ics; a reunion still to schedule only records who is concerned (for its poll)."""
    reunion = Reunion.objects.select_for_update().get(pk=reunion.pk)
    existing = set(reunion.invitations.values_list("membership_id", flat=True))
    new = [Invitation(reunion=reunion, membership=m) for m in memberships if m.pk not in existing]
    Invitation.objects.bulk_create(new, ignore_conflicts=True)
    created = list(
        reunion.invitations.select_related("membership__user").filter(membership_id__in=[i.membership_id for i in new])
    )
    if reunion.starts_at and reunion.status in (Reunion.Status.TO_SCHEDULE, Reunion.Status.CONVENED):
        first_convocation = reunion.status == Reunion.Status.TO_SCHEDULE
        reunion.status = Reunion.Status.CONVENED
        reunion.save(update_fields=["status", "updated_at"])
        _enqueue_invitation_emails(
            reunion, reunion.invitations.select_related("membership__user") if first_convocation else created
        )
        reminders_recompute(reunion=reunion)
    logger.info("reunion_invite reunion=%s by=%s invited=%s", reunion.pk, by.pk, len(created))
    return created


def _enqueue_invitation_emails(reunion: Reunion, invitations) -> None:
    """Queue each current member's mail in the outbox, in the transaction that convenes, moves or cancels the
    reunion. Someone who left keeps their invitation as history, but no longer gets the place, the video link or
    answer links of the collectif's meetings."""
    for invitation in invitations:
        if invitation.membership.left_on is not None or not invitation.membership.user_id:
            continue
        invitation.reunion = reunion
        invitation_queue_email(invitation=invitation)


def invitation_queue_email(*, invitation: Invitation) -> bool:
    """Queue one person's invitation (or update, or cancellation) of the reunion's current calendar version, once:
    the outbox key names the invitation and the version. A version not sent yet is replaced by the newer one."""
    from reunions.emails import invitation_message

    reunion = invitation.reunion
    sequence = reunion.sequence
    if (
        invitation.membership.user is None
        or not invitation.membership.is_active
        or invitation.sent_sequence >= sequence
    ):
        return False
    key = f"reunion-invitation:{invitation.pk}:{sequence}"
    mail_withdraw(key_prefix=f"reunion-invitation:{invitation.pk}:", keep=key)
    mail_queue_message(
        key=key, message=invitation_message(invitation), reunion_id=reunion.pk, collectif_id=reunion.collectif_id
    )
    Invitation.objects.filter(pk=invitation.pk, sent_sequence__lt=sequence).update(sent_sequence=sequence)
    return True


@transaction.atomic
def reunion_mails_retry(*, reunion: Reunion, by: User) -> int:
    """The coordinator sends the reunion's failed e-mails again (their attempts start over)."""
    count = mail_retry_failed(reunion_id=reunion.pk, by_id=by.pk)
    logger.info("reunion_mails_retry reunion=%s mails=%s by=%s", reunion.pk, count, by.pk)
    return count


@transaction.atomic
def invitation_respond(*, invitation: Invitation, response: str, by: User | None = None) -> Invitation:
    """Record the answer before the meeting. Declining drops the person's pending reminders."""
    invitation.response = response
    invitation.responded_at = timezone.now()
    invitation.save(update_fields=["response", "responded_at"])
    if response == Invitation.Response.EXCUSED:
        invitation.reunion.reminders.filter(
            membership_id=invitation.membership_id, status=ReminderDue.Status.PENDING
        ).update(status=ReminderDue.Status.SKIPPED)
    else:
        reminders_recompute(reunion=invitation.reunion)
    logger.info("invitation_respond invitation=%s response=%s by=%s", invitation.pk, response, getattr(by, "pk", None))
    return invitation


@shared_task(name="reunions.tasks.send_invitation_email")
def send_invitation_email(invitation_id: int, sequence: int) -> bool:
    """Kept for the messages queued by a version before the outbox: the mail goes through the outbox."""
    with transaction.atomic():
        invitations = Invitation.objects.select_related("reunion__collectif", "membership__user")
        invitation = invitations.filter(pk=invitation_id).first()
        if invitation is None or invitation.reunion.sequence != sequence:
            return False
        return invitation_queue_email(invitation=invitation)
