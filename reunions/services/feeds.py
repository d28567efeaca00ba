"""Personal calendar feeds: the secret token of each person's feed URLs."""

from __future__ import annotations

import logging
import secrets

from django.db import transaction
from django.utils import timezone

from membres.models import User
from reunions.models import (
    CalendarToken,
)

logger = logging.getLogger(__name__)


@transaction.atomic
def calendar_token_get_or_create(*, by: User) -> CalendarToken:
    token = CalendarToken.objects.filter(user=by, revoked_at__isnull=True).first()
    if token is None:
        token = CalendarToken.objects.create(user=by, token=secrets.token_urlsafe(32))
        logger.info("calendar_token_create by=%s", by.pk)
    return token


@transaction.atomic
def calendar_token_revoke(*, by: User) -> CalendarToken:
    """Revoke the current feed URL (it answers 404 from now on) and give a new one."""
    CalendarToken.objects.filter(user=by, revoked_at__isnull=True).update(revoked_at=timezone.now())
    logger.info("calendar_token_revoke by=%s", by.pk)
    return calendar_token_get_or_create(by=by)
