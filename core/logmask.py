"""No secret in any log line: tokens in URL paths and passwords in connection URLs are masked.

Links that carry their own credential — RSVP answers, calendar feeds, member invitations, allauth's password
reset and e-mail confirmation keys — show up in access logs and in Django's « Not Found: /… » warnings; a
broker or database URL may carry a password. `mask()` replaces them with `***`; `SecretsFilter` applies it to
every record of the console handler (config/settings/base.py LOGGING) and `GunicornLogger` to gunicorn's
access log (gunicorn.conf.py).
"""

from __future__ import annotations

import logging
import re

MASK = "***"

_PATTERNS = [
    # /reunions/reponse/<token>/, /invitation/<token>/, /questionnaire/<token>/,
    # /inscription/confirmer/<token>/ and /inscription/annuler/<token>/
    re.compile(r"(/reunions/reponse/|/invitation/|/questionnaire/|/inscription/(?:confirmer|annuler)/)[^/\s?#\"']+"),
    # /calendrier/<token>.ics and /calendrier/<token>/<collectif>.ics
    re.compile(r"(/calendrier/)(?!nouvelle-adresse)[^/\s?#\"']+(?=\.ics|/)"),
    # allauth keys
    re.compile(r"(/compte/password/reset/key/|/compte/confirm-email/)[^/\s?#\"']+"),
    # token=… in a query string
    re.compile(r"([?&](?:token|key|code)=)[^&\s#\"']+", re.IGNORECASE),
]
# scheme://user:password@host → scheme://user:***@host
_URL_PASSWORD = re.compile(r"(\b[a-z][a-z0-9+.-]*://[^:/@\s]*:)[^@\s]+(@)", re.IGNORECASE)


def mask(text: str) -> str:
    if not text:
        return text
    for pattern in _PATTERNS:
        text = pattern.sub(lambda m: m.group(1) + MASK, text)
    return _URL_PASSWORD.sub(lambda m: m.group(1) + MASK + m.group(2), text)


def _mask_value(value):
    if isinstance(value, str):
        return mask(value)
    if isinstance(value, bytes):
        return mask(value.decode("utf-8", "replace"))
    return value


class SecretsFilter(logging.Filter):
    """Mask the message and its arguments (and the request path Django attaches) of every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = mask(record.msg)
        if isinstance(record.args, dict):
            record.args = {k: _mask_value(v) for k, v in record.args.items()}
        elif isinstance(record.args, tuple):
            record.args = tuple(_mask_value(v) for v in record.args)
        if record.exc_info and not record.exc_text:
            record.exc_text = mask(logging.Formatter().formatException(record.exc_info))
        elif record.exc_text:
            record.exc_text = mask(record.exc_text)
        return True


try:
    from gunicorn.glogging import Logger as _GunicornBase
except ImportError:  # gunicorn is only in the production image
    _GunicornBase = None

if _GunicornBase is not None:

    class GunicornLogger(_GunicornBase):
        """gunicorn's logger with every access-log atom masked (request line, path, query, referer)."""

        def atoms(self, resp, req, environ, request_time):
            atoms = super().atoms(resp, req, environ, request_time)
            for key, value in list(atoms.items()):
                atoms[key] = _mask_value(value)
            return atoms
