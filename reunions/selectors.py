"""Reads of reunions spanning several models: the poll's grid and tallies, the coordinator's to-do."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count
from django.utils import timezone

from core.models import OutboxMessage
from core.outbox import mail_counts
from reunions.models import DatePoll, Invitation, Minutes, PollSlot, PollVote, ReminderDue, Reunion


def poll_grid(slots: list[PollSlot], votes: list[PollVote], invitations: list[Invitation]) -> dict:
    """Who answered what per slot (`rows`), the totals per slot (`tally`), and who has not answered (`waiting`)."""
    grid = {(v.slot_id, v.membership_id): v.answer for v in votes}
    rows = [
        {"invitation": inv, "answers": [grid.get((s.pk, inv.membership_id), "") for s in slots]} for inv in invitations
    ]
    tally = [
        {
            "slot": s,
            "oui": sum(1 for v in votes if v.slot_id == s.pk and v.answer == PollVote.Answer.YES),
            "si_besoin": sum(1 for v in votes if v.slot_id == s.pk and v.answer == PollVote.Answer.MAYBE),
            "non": sum(1 for v in votes if v.slot_id == s.pk and v.answer == PollVote.Answer.NO),
        }
        for s in slots
    ]
    answered = {v.membership_id for v in votes}
    return {"rows": rows, "tally": tally, "waiting": [i for i in invitations if i.membership_id not in answered]}


def coordinator_todo(collectif, *, now: datetime | None = None) -> dict[str, list]:
    """What waits for the coordination: open polls (with their answer counts), reunions to convene, attendance to
    record, minutes not adopted yet, reminders that failed."""
    now = now or timezone.now()
    reunions = Reunion.objects.filter(collectif=collectif)
    open_polls = (
        DatePoll.objects.filter(reunion__collectif=collectif, status=DatePoll.Status.OPEN)
        .select_related("reunion")
        .annotate(
            voters=Count("slots__votes__membership", distinct=True),
            invited=Count("reunion__invitations", distinct=True),
        )
    )
    to_convene = reunions.filter(status=Reunion.Status.TO_SCHEDULE, poll__isnull=True).order_by("starts_at", "pk")
    attendance_due = reunions.filter(status=Reunion.Status.CONVENED, starts_at__lt=now).order_by("starts_at")
    minutes_due = (
        reunions.filter(status=Reunion.Status.HELD, starts_at__lt=now)
        .exclude(minutes__status=Minutes.Status.ADOPTED)
        .select_related("minutes", "secretary__user")
        .order_by("starts_at")
    )
    failed_mails = dict(
        OutboxMessage.objects.filter(collectif_id=collectif.pk, status=OutboxMessage.Status.FAILED)
        .exclude(reunion_id=None)
        .values_list("reunion_id")
        .annotate(n=Count("pk"))
        .values_list("reunion_id", "n")
    )
    failed_reminders = (
        ReminderDue.objects.filter(reunion__collectif=collectif, status=ReminderDue.Status.FAILED)
        .values_list("reunion_id")
        .annotate(n=Count("pk"))
        .values_list("reunion_id", "n")
    )
    for reunion_id, n in failed_reminders:  # failed before the outbox sent the reminders
        failed_mails[reunion_id] = failed_mails.get(reunion_id, 0) + n
    titles = dict(reunions.filter(pk__in=failed_mails).values_list("pk", "title"))
    failed = [
        {"reunion_id": pk, "reunion__title": titles[pk], "n": n}
        for pk, n in sorted(failed_mails.items())
        if pk in titles
    ]
    return {
        "open_polls": list(open_polls),
        "to_convene": list(to_convene),
        "attendance_due": list(attendance_due),
        "minutes_due": list(minutes_due),
        "failed": failed,
    }


def mail_stats(reunion: Reunion) -> dict[str, int]:
    """The reunion's e-mails in the outbox (invitations, updates, polls, notices, reminders): waiting, sent, failed."""
    return mail_counts(reunion_id=reunion.pk)


def reminder_stats(reunion: Reunion) -> dict[str, int]:
    """How many reminders of the reunion are in each status."""
    return dict(reunion.reminders.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
