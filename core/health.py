"""What `/healthz` checks: the database answers a query and the Celery broker accepts a connection."""

from __future__ import annotations

import logging

from django.db import DEFAULT_DB_ALIAS, connections

logger = logging.getLogger(__name__)

BROKER_TIMEOUT_SECONDS = 2


def database_ok(alias: str = DEFAULT_DB_ALIAS) -> bool:
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        logger.exception("Health check: database %s is down", alias)
        return False


def broker_ok() -> bool:
    from celery import current_app as app  # the project's app, made current by `config` at start-up

    try:
        with app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT_SECONDS)
        return True
    except Exception:
        # Never the broker URL: it carries the password.
        logger.exception("Health check: broker is down")
        return False


def status() -> dict[str, str]:
    return {
        "database": "ok" if database_ok() else "down",
        "broker": "ok" if broker_ok() else "down",
    }
