"""Personal calendar feeds: the secret token of each person's feed URLs.

Only the token's SHA-256 is stored: the URL is shown once, when it is created (`calendar_token_new`); a person who
lost it makes a new one, which revokes the old.
"""

from __future__ import annotations

import hashlib
import logging
import secrets

from django.db import transaction
from django.utils import timezone

from membres.models import User
from reunions.models import CalendarToken

logger = logging.getLogger(__name__)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def calendar_token_active(*, by: User) -> CalendarToken | None:
    """The person's working feed token (its hash: the address itself is not kept), if any."""
    return CalendarToken.objects.filter(user=by, revoked_at__isnull=True).first()


@transaction.atomic
def calendar_token_new(*, by: User) -> str:
    """A new secret for the person's feed URLs, returned once; the previous one stops working."""
    CalendarToken.objects.filter(user=by, revoked_at__isnull=True).update(revoked_at=timezone.now())
    token = secrets.token_urlsafe(32)
    CalendarToken.objects.create(user=by, token_hash=hash_token(token))
    logger.info("calendar_token_new by=%s", by.pk)
    return token


@transaction.atomic
def calendar_token_revoke(*, by: User) -> int:
    """Revoke the feed URLs (they answer 404 from now on) without making new ones."""
    count = CalendarToken.objects.filter(user=by, revoked_at__isnull=True).update(revoked_at=timezone.now())
    logger.info("calendar_token_revoke by=%s", by.pk)
    return count
