"""What the services of reunions share."""

from __future__ import annotations

import smtplib

SMTP_ERRORS = (smtplib.SMTPException, OSError)

# Sending tasks retry SMTP errors with exponential backoff.
RETRY = {
    "autoretry_for": SMTP_ERRORS,
    "retry_backoff": 30,
    "retry_backoff_max": 1800,
    "retry_jitter": True,
    "max_retries": 6,
}
