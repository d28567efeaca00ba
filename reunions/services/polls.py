"""Date polls: open, vote, choose a slot; the poll e-mails and the nudge before the deadline."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from celery import shared_task
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.outbox import mail_queue_message
from membres.models import Membership, User
from reunions.models import (
    DatePoll,
    Invitation,
    PollSlot,
    PollVote,
    Reunion,
)
from reunions.services.reunions import reunion_invite

logger = logging.getLogger(__name__)


@transaction.atomic
def poll_create(
    *, reunion: Reunion, by: User, deadline: datetime, slots: list[tuple[datetime, datetime]], memberships
) -> DatePoll:
    """Open a date poll: 2 to 10 slots, a deadline, the people concerned (invited, not yet convened)."""
    if not 2 <= len(slots) <= 10:
        raise ValueError(_("Un sondage propose de 2 à 10 créneaux."))
    poll = DatePoll.objects.create(reunion=reunion, deadline=deadline)
    PollSlot.objects.bulk_create([PollSlot(poll=poll, starts_at=s, ends_at=e) for s, e in slots])
    existing = set(reunion.invitations.values_list("membership_id", flat=True))
    Invitation.objects.bulk_create(
        [Invitation(reunion=reunion, membership=m) for m in memberships if m.pk not in existing], ignore_conflicts=True
    )
    logger.info("poll_create poll=%s reunion=%s by=%s", poll.pk, reunion.pk, by.pk)
    for membership_id in reunion.invitations.values_list("membership_id", flat=True):
        poll_queue_email(poll=poll, membership_id=membership_id, nudge=False)
    return poll


@transaction.atomic
def poll_vote(*, poll: DatePoll, membership: Membership, answers: dict[int, str], by: User) -> None:
    """Record one person's availabilities (`membership`, answering as `by`) while the poll is open."""
    if poll.status != DatePoll.Status.OPEN:
        raise ValueError(_("Ce sondage est clos."))
    slot_ids = set(poll.slots.values_list("pk", flat=True))
    for slot_id, answer in answers.items():
        if slot_id in slot_ids and answer in PollVote.Answer.values:
            PollVote.objects.update_or_create(slot_id=slot_id, membership=membership, defaults={"answer": answer})
    logger.info("poll_vote poll=%s membership=%s by=%s", poll.pk, membership.pk, by.pk)


@transaction.atomic
def poll_choose(*, poll: DatePoll, slot: PollSlot, by: User) -> Reunion:
    """The coordinator picks a slot: the reunion gets its date, the poll closes, everyone concerned is convened."""
    poll = DatePoll.objects.select_for_update().get(pk=poll.pk)
    poll.status, poll.chosen_slot = DatePoll.Status.CLOSED, slot
    poll.save(update_fields=["status", "chosen_slot"])
    reunion = poll.reunion
    reunion.starts_at, reunion.ends_at = slot.starts_at, slot.ends_at
    reunion.save(update_fields=["starts_at", "ends_at", "updated_at"])
    logger.info("poll_choose poll=%s slot=%s by=%s", poll.pk, slot.pk, by.pk)
    reunion_invite(reunion=reunion, by=by, memberships=[])
    return reunion


def poll_queue_email(*, poll: DatePoll, membership_id: int, nudge: bool) -> bool:
    """Queue in the outbox, once per poll and person, the request for availabilities (or its nudge)."""
    from reunions.emails import simple_message, site_url

    membership = Membership.objects.select_related("user").filter(pk=membership_id).first()
    if (
        poll is None
        or membership is None
        or membership.user is None
        or not membership.is_active
        or poll.status != DatePoll.Status.OPEN
    ):
        return False
    if nudge and PollVote.objects.filter(slot__poll=poll, membership=membership).exists():
        return False
    reunion = poll.reunion
    url = site_url() + reunion.get_absolute_url() + "sondage/"
    prefix = _("Relance : ") if nudge else ""
    message = simple_message(
        to=membership.user.email,
        subject=_("[%(collectif)s] %(prefix)sVos disponibilités pour « %(title)s »")
        % {"collectif": reunion.collectif.name, "prefix": prefix, "title": reunion.title},
        template="reunions/email/poll.txt",
        context={"reunion": reunion, "poll": poll, "user": membership.user, "url": url, "nudge": nudge},
    )
    return mail_queue_message(
        key=f"reunion-poll{'-nudge' if nudge else ''}:{poll.pk}:{membership_id}",
        message=message,
        reunion_id=reunion.pk,
        collectif_id=reunion.collectif_id,
    )


def polls_nudge_due(*, now: datetime | None = None) -> int:
    """One nudge per poll, in the last two days before its deadline, to those who have not answered yet."""
    now = now or timezone.now()
    count = 0
    for poll in DatePoll.objects.filter(
        status=DatePoll.Status.OPEN, nudged_at__isnull=True, deadline__gt=now, deadline__lte=now + timedelta(days=2)
    ):
        # The conditional update is the claim: only one run gets 1 back, so nobody is nudged twice; the nudges are
        # queued in the outbox in the same transaction.
        with transaction.atomic():
            if DatePoll.objects.filter(pk=poll.pk, nudged_at__isnull=True).update(nudged_at=now) != 1:
                continue
            voted = set(PollVote.objects.filter(slot__poll=poll).values_list("membership_id", flat=True))
            for membership_id in poll.reunion.invitations.exclude(membership_id__in=voted).values_list(
                "membership_id", flat=True
            ):
                count += poll_queue_email(poll=poll, membership_id=membership_id, nudge=True)
    return count


@shared_task(name="reunions.tasks.send_poll_email")
def send_poll_email(poll_id: int, membership_id: int, nudge: bool) -> bool:
    """Kept for the messages queued by a version before the outbox: the mail goes through the outbox."""
    with transaction.atomic():
        poll = DatePoll.objects.select_related("reunion__collectif").filter(pk=poll_id).first()
        return poll is not None and poll_queue_email(poll=poll, membership_id=membership_id, nudge=nudge)
