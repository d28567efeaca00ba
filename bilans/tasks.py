"""Background work of the annual bilan: printing its PDF and ODT (WeasyPrint takes seconds)."""

from __future__ import annotations

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

SOFT_TIME_LIMIT = 90


@shared_task(soft_time_limit=SOFT_TIME_LIMIT, time_limit=SOFT_TIME_LIMIT + 30)
def build_bilan(collectif_id: int, year: int) -> None:
    from bilans.services import bilan_build, bilan_mark_failed

    try:
        bilan_build(collectif_id=collectif_id, year=year)
    except SoftTimeLimitExceeded:
        bilan_mark_failed(collectif_id=collectif_id, year=year)
