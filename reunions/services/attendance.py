"""Attendance: who came to a meeting."""

from __future__ import annotations

import logging

from django.db import transaction

from membres.models import User
from reunions.models import (
    Invitation,
    Reunion,
)

logger = logging.getLogger(__name__)


@transaction.atomic
def attendance_record(*, reunion: Reunion, by: User, values: dict[int, str]) -> None:
    """Record who came. A convened reunion whose date is past becomes « tenue »."""
    invitations = {i.pk: i for i in reunion.invitations.all()}
    changed = []
    for pk, value in values.items():
        inv = invitations.get(pk)
        if inv is not None and inv.attendance != value:
            inv.attendance = value
            changed.append(inv)
    Invitation.objects.bulk_update(changed, ["attendance"])
    if reunion.status == Reunion.Status.CONVENED:
        reunion.status = Reunion.Status.HELD
        reunion.save(update_fields=["status", "updated_at"])
    logger.info("attendance_record reunion=%s by=%s changed=%s", reunion.pk, by.pk, len(changed))
