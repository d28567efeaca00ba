"""Tasks of the platform itself (the apps' tasks live in their own `tasks.py`). The outbox's tasks are declared
next to their service (core/outbox.py) and imported here for Celery's autodiscovery."""

from __future__ import annotations

import logging

from celery import shared_task

from core.outbox import outbox_purge_task, outbox_send, outbox_sweep_task

logger = logging.getLogger(__name__)

__all__ = ["outbox_purge_task", "outbox_send", "outbox_sweep_task", "ping"]


@shared_task(name="core.tasks.ping")
def ping(marker: str = "") -> str:
    """Proof that a worker runs tasks: logs and returns `pong` (used by `make run` checks and tests)."""
    logger.info("pong %s", marker)
    return "pong"
