from celery import shared_task

from actions import services


@shared_task(name="actions.tasks.send_followup_nudges")
def send_followup_nudges() -> int:
    """Monthly (beat): the « Où en êtes-vous ? » digests. Safe to run twice: one row per (user, month)."""
    return services.followup_nudges_send()
