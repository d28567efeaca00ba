"""Celery tasks of reunions: each takes primary keys only and calls one service; each is safe to run twice."""

from __future__ import annotations

import smtplib

from celery import shared_task

from reunions import services

RETRY = {
    "autoretry_for": (smtplib.SMTPException, OSError),
    "retry_backoff": 30,
    "retry_backoff_max": 1800,
    "retry_jitter": True,
    "max_retries": 6,
}


@shared_task(name="reunions.tasks.send_invitation_email", **RETRY)
def send_invitation_email(invitation_id: int, sequence: int) -> bool:
    return services.invitation_send_email(invitation_id=invitation_id, sequence=sequence)


@shared_task(name="reunions.tasks.send_poll_email", **RETRY)
def send_poll_email(poll_id: int, membership_id: int, nudge: bool) -> bool:
    return services.poll_send_email(poll_id=poll_id, membership_id=membership_id, nudge=nudge)


@shared_task(name="reunions.tasks.send_notice_email", **RETRY)
def send_notice_email(reunion_id: int, membership_id: int, text: str, path: str) -> bool:
    return services.notice_send_email(reunion_id=reunion_id, membership_id=membership_id, text=text, path=path)


@shared_task(name="reunions.tasks.send_reminder_batch")
def send_reminder_batch(ids: list[int]) -> dict:
    return services.reminders_send_batch(ids=ids)


@shared_task(name="reunions.tasks.send_due_reminders")
def send_due_reminders() -> int:
    """Every 5 minutes (beat): hand the due reminders to workers in batches, nudge polls, remind secretaries."""
    ids = services.reminders_due_ids()
    for start in range(0, len(ids), services.REMINDER_BATCH_SIZE):
        send_reminder_batch.delay(ids[start : start + services.REMINDER_BATCH_SIZE])
    services.polls_nudge_due()
    services.secretaries_remind_due()
    return len(ids)
