"""Background work of restitutions: printing a whole cycle, which may take seconds."""

from __future__ import annotations

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

# A cycle of a dozen restitutions prints in a few seconds; past a minute something is wrong (a huge text):
# stop, say so on the page, and let the user try again.
SOFT_TIME_LIMIT = 60


@shared_task(soft_time_limit=SOFT_TIME_LIMIT, time_limit=SOFT_TIME_LIMIT + 30)
def build_cycle_pdf(cycle_id: int) -> None:
    from restitutions.printing import cycle_pdf_build, cycle_pdf_mark_failed

    try:
        cycle_pdf_build(cycle_id=cycle_id)
    except SoftTimeLimitExceeded:
        cycle_pdf_mark_failed(cycle_id=cycle_id)
