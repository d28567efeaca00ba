"""Background work of restitutions, for Celery's autodiscovery: printing a whole cycle, which may take seconds.

The task is declared in `restitutions.printing`, next to the service it runs; its registered name stays
`restitutions.tasks.build_cycle_pdf`.
"""

from restitutions.printing import SOFT_TIME_LIMIT, build_cycle_pdf

__all__ = ["SOFT_TIME_LIMIT", "build_cycle_pdf"]
