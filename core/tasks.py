"""Tasks of the platform itself (the apps' tasks live in their own `tasks.py`)."""

from __future__ import annotations

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(name="core.tasks.ping")
def ping(marker: str = "") -> str:
    """Proof that a worker runs tasks: logs and returns `pong` (used by `make run` checks and tests)."""
    logger.info("pong %s", marker)
    return "pong"
