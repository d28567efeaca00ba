"""The periodic work of reunions (beat, every 5 minutes): due reminders, poll nudges, secretaries' reminders."""

from __future__ import annotations

from celery import shared_task

from reunions.services.minutes import secretaries_remind_due
from reunions.services.polls import polls_nudge_due
from reunions.services.reminders import REMINDER_BATCH_SIZE, reminders_due_ids, send_reminder_batch


def due_work_dispatch() -> int:
    """Hand the due reminders to workers in batches, nudge polls, remind secretaries; returns how many reminders
    were handed over."""
    ids = reminders_due_ids()
    for start in range(0, len(ids), REMINDER_BATCH_SIZE):
        send_reminder_batch.delay(ids[start : start + REMINDER_BATCH_SIZE])
    polls_nudge_due()
    secretaries_remind_due()
    return len(ids)


@shared_task(name="reunions.tasks.send_due_reminders")
def send_due_reminders() -> int:
    """Every 5 minutes (CELERY_BEAT_SCHEDULE)."""
    return due_work_dispatch()
