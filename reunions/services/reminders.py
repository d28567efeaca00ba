"""Reminders before a meeting: (re)computed rows, claimed in batches by workers and handed to the outbox when due."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.outbox import mail_queue_message
from membres.models import User
from reunions.models import (
    Invitation,
    ReminderDue,
    Reunion,
)
from reunions.services.settings import collectif_reminder_offsets

REMINDER_BATCH_SIZE = 50

logger = logging.getLogger(__name__)


@transaction.atomic
def reunion_reminders_update(
    *, reunion: Reunion, by: User, enabled: bool, offsets: list[int] | None, note: str
) -> None:
    reunion.reminders_enabled = enabled
    reunion.reminder_offsets = offsets or None
    reunion.reminder_note = note
    reunion.save(update_fields=["reminders_enabled", "reminder_offsets", "reminder_note", "updated_at"])
    logger.info("reunion_reminders_update reunion=%s by=%s", reunion.pk, by.pk)
    reminders_recompute(reunion=reunion)


def reminders_recompute(*, reunion: Reunion) -> None:
    """Arm one row per (person, offset) still due for the reunion as it is now; drop the others.

    Nobody who declined, nobody who turned reminders off, nothing for a cancelled, undated or past meeting,
    nothing whose time has already gone by. A row already sent for the same date stays sent; a row sent for an
    old date is re-armed for the new one (same row: the unique constraint holds)."""
    now = timezone.now()
    wanted: dict[tuple[int, int], datetime] = {}
    if (
        reunion.reminders_enabled
        and reunion.starts_at
        and reunion.starts_at > now
        and reunion.status == Reunion.Status.CONVENED
    ):
        offsets = reunion.reminder_offsets or collectif_reminder_offsets(reunion.collectif)
        invitations = reunion.invitations.exclude(response=Invitation.Response.EXCUSED).filter(
            membership__user__notify_reunion_reminders=True, membership__left_on__isnull=True
        )
        for membership_id in invitations.values_list("membership_id", flat=True):
            for offset in offsets:
                due = reunion.starts_at - timedelta(days=offset)
                if due > now:
                    wanted[(membership_id, offset)] = due
    existing = {(r.membership_id, r.offset_days): r for r in ReminderDue.objects.filter(reunion=reunion)}
    S = ReminderDue.Status
    to_update, to_create = [], []
    for key, due in wanted.items():
        row = existing.get(key)
        if row is None:
            to_create.append(ReminderDue(reunion=reunion, membership_id=key[0], offset_days=key[1], due_at=due))
        elif row.status == S.SENDING or (row.status == S.SENT and row.due_at == due):
            continue
        elif row.status != S.PENDING or row.due_at != due:
            row.status, row.due_at, row.attempts, row.next_attempt_at, row.last_error = S.PENDING, due, 0, None, ""
            to_update.append(row)
    for key, row in existing.items():
        if key not in wanted and row.status in (S.PENDING, S.FAILED):
            row.status = S.SKIPPED
            to_update.append(row)
    ReminderDue.objects.bulk_create(to_create, ignore_conflicts=True)
    ReminderDue.objects.bulk_update(to_update, ["status", "due_at", "attempts", "next_attempt_at", "last_error"])


def reminders_due_ids(*, now: datetime | None = None) -> list[int]:
    """Rows to send now: pending and due (after their backoff), or claimed by a worker whose lease expired."""
    now = now or timezone.now()
    S = ReminderDue.Status
    return list(
        ReminderDue.objects.filter(
            Q(status=S.PENDING, due_at__lte=now) & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
            | Q(status=S.SENDING, claimed_at__lt=now - reminder_lease())
        )
        .order_by("due_at", "pk")
        .values_list("pk", flat=True)
    )


def reminders_claim(*, ids: list[int], now: datetime | None = None) -> list[int]:
    """Atomically take rows for this worker: locked rows (another worker's) are skipped, taken rows become
    « sending » before any mail leaves, so two workers never send the same row."""
    now = now or timezone.now()
    S = ReminderDue.Status
    with transaction.atomic():
        claimable = ReminderDue.objects.filter(pk__in=ids).filter(
            Q(status=S.PENDING, due_at__lte=now) & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
            | Q(status=S.SENDING, claimed_at__lt=now - reminder_lease())
        )
        claimed = list(claimable.select_for_update(skip_locked=True).values_list("pk", flat=True))
        ReminderDue.objects.filter(pk__in=claimed).update(status=S.SENDING, claimed_at=now)
    return claimed


def _reminder_is_moot(reminder: ReminderDue, now: datetime) -> bool:
    reunion = reminder.reunion
    user = reminder.membership.user
    return (
        user is None
        or not user.notify_reunion_reminders
        or reunion.status != Reunion.Status.CONVENED
        or not reunion.reminders_enabled
        or reunion.starts_at is None
        or reunion.starts_at <= now
        or reminder.membership.left_on is not None
        or reminder.declined
    )


def reminders_send_batch(*, ids: list[int]) -> dict[str, int]:
    """Claim the given reminders, then queue each one's mail in the outbox and mark the row « sent » in one
    transaction: the outbox sends it (once: its key names the row and its date). A worker killed before the commit
    leaves the rows « sending », taken again after the lease; the outbox key keeps a second run from queuing twice."""
    from reunions.emails import reminder_message

    now = timezone.now()
    claimed = reminders_claim(ids=ids, now=now)
    counts = {"sent": 0, "skipped": 0}
    if not claimed:
        return counts
    rows = list(ReminderDue.objects.filter(pk__in=claimed).select_related("reunion__collectif", "membership__user"))
    declined = set(
        Invitation.objects.filter(
            reunion_id__in={r.reunion_id for r in rows}, response=Invitation.Response.EXCUSED
        ).values_list("reunion_id", "membership_id")
    )
    S = ReminderDue.Status
    sent, skipped = [], []
    with transaction.atomic():
        for row in rows:
            row.declined = (row.reunion_id, row.membership_id) in declined
            if _reminder_is_moot(row, now):
                skipped.append(row.pk)
                continue
            mail_queue_message(
                key=f"reunion-reminder:{row.pk}:{row.due_at.timestamp():.0f}",
                message=reminder_message(row),
                reunion_id=row.reunion_id,
                collectif_id=row.reunion.collectif_id,
            )
            sent.append(row.pk)
        ReminderDue.objects.filter(pk__in=skipped).update(status=S.SKIPPED)
        ReminderDue.objects.filter(pk__in=sent).update(status=S.SENT, sent_at=now, last_error="")
    counts["sent"], counts["skipped"] = len(sent), len(skipped)
    return counts


@transaction.atomic
def reminder_retry(*, reminder: ReminderDue, by: User) -> None:
    """A coordinator asks for a failed reminder to be tried again at the next run."""
    ReminderDue.objects.filter(pk=reminder.pk, status=ReminderDue.Status.FAILED).update(
        status=ReminderDue.Status.PENDING, next_attempt_at=None, attempts=0
    )
    logger.info("reminder_retry reminder=%s by=%s", reminder.pk, by.pk)


def reminder_lease() -> timedelta:
    """A row claimed (status « sending ») by a worker that died is taken again after this lease."""
    return timedelta(seconds=settings.REUNIONS_REMINDER_LEASE_SECONDS)


@shared_task(name="reunions.tasks.send_reminder_batch")
def send_reminder_batch(ids: list[int]) -> dict:
    return reminders_send_batch(ids=ids)
