"""Every change to reunions goes through these functions, one module per topic: atomic, logged with the acting
user's id (`by`); the e-mails they cause are queued in the outbox (core.outbox) in the same transaction and leave
once it has committed.

The Celery tasks are declared next to the service they run; `reunions/tasks.py` only imports them for Celery's
autodiscovery (tasks → services, never the reverse)."""
