"""The module Celery autodiscovers for discussions. The task is declared next to the service it runs
(discussions/services/digest.py); importing it here registers it for the worker."""

from discussions.services.digest import send_daily_digests

__all__ = ["send_daily_digests"]
