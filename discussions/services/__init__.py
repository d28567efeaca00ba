"""Every change to discussions goes through these functions, one module per topic (`threads`, `messages`,
`follows`, `reads`, `notify`, `digest`): keyword-only, atomic, logged with the acting user's id (`by`). The e-mails
they cause are queued in the outbox (core.outbox) in the same transaction and leave once it has committed.

The Celery task of the daily digest is declared next to its service (`digest.py`); `discussions/tasks.py` only
imports it for Celery's autodiscovery."""
