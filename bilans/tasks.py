"""Background work of the annual bilan, for Celery's autodiscovery: printing its PDF and ODT.

The task is declared in `bilans.services`, next to the service it runs; its registered name is
`bilans.tasks.build_bilan`.
"""

from bilans.services import SOFT_TIME_LIMIT, build_bilan

__all__ = ["SOFT_TIME_LIMIT", "build_bilan"]
