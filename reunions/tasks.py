"""The module Celery autodiscovers for reunions. Each task is declared next to the service it runs (in
reunions/services/); importing them here registers them under their historical names (`reunions.tasks.*`), which
the beat schedule and the messages already queued use. Tasks take primary keys only and are safe to run twice."""

from reunions.services.beat import send_due_reminders
from reunions.services.minutes import send_notice_email
from reunions.services.polls import send_poll_email
from reunions.services.questionnaires import questionnaires_beat
from reunions.services.registrations import registrations_beat
from reunions.services.reminders import send_reminder_batch
from reunions.services.reunions import send_invitation_email

__all__ = [
    "questionnaires_beat",
    "registrations_beat",
    "send_due_reminders",
    "send_invitation_email",
    "send_notice_email",
    "send_poll_email",
    "send_reminder_batch",
]
