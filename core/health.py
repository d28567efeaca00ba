"""What `/healthz` checks: the database answers a query and the Celery broker answers a ping.

The load balancer calls this every few seconds on every web process: the broker connection is opened once per
process and reused (a ping on the open connection), not opened and closed at each call; it is dropped and opened
again only after a failure or when the broker URL changes.
"""

from __future__ import annotations

import logging
import threading

from django.db import DEFAULT_DB_ALIAS, connections

logger = logging.getLogger(__name__)

BROKER_TIMEOUT_SECONDS = 2

_lock = threading.Lock()
_broker: dict = {"url": None, "connection": None}


def database_ok(alias: str = DEFAULT_DB_ALIAS) -> bool:
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        logger.exception("Health check: database %s is down", alias)
        return False


def _celery_app():
    from celery import current_app  # the project's app, made current by `config` at start-up

    return current_app


def _drop_broker_connection() -> None:
    connection, _broker["connection"], _broker["url"] = _broker["connection"], None, None
    if connection is not None:
        try:
            connection.release()
        except Exception:
            logger.debug("Health check: closing the broker connection failed", exc_info=True)


def broker_ok() -> bool:
    app = _celery_app()
    with _lock:
        try:
            if _broker["connection"] is None or _broker["url"] != app.conf.broker_url:
                _drop_broker_connection()
                connection = app.connection_for_write()
                connection.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT_SECONDS)
                _broker.update(url=app.conf.broker_url, connection=connection)
            # Redis (and any transport whose channel has a client that pings): one round trip on the open socket.
            client = getattr(_broker["connection"].default_channel, "client", None)
            if client is not None and hasattr(client, "ping"):
                client.ping()
            return True
        except Exception:
            # Never the broker URL: it carries the password.
            logger.exception("Health check: broker is down")
            _drop_broker_connection()
            return False


def status() -> dict[str, str]:
    return {
        "database": "ok" if database_ok() else "down",
        "broker": "ok" if broker_ok() else "down",
    }
