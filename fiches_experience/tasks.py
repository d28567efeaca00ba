"""Background work of fiches: the daily review reminders (beat entry in config/settings/base.py)."""

from celery import shared_task

from fiches_experience import services


@shared_task(name="fiches_experience.tasks.send_review_reminders")
def send_review_reminders() -> int:
    """Remind authors of the published fiches whose review date has come (idempotent, see the service)."""
    return services.fiche_send_review_reminders()
