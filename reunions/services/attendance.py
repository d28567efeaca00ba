"""Attendance: who came to a meeting."""

from __future__ import annotations

import logging

from django.db import transaction

from membres.models import User
from reunions.models import (
    Invitation,
    Registration,
    Reunion,
)

logger = logging.getLogger(__name__)


@transaction.atomic
def attendance_record(
    *, reunion: Reunion, by: User, values: dict[int, str], registrant_values: dict[int, bool | None] | None = None
) -> None:
    """Record who came: members (by invitation) and registrants without an account. A convened reunion becomes
    « tenue »."""
    registrant_values = registrant_values or {}
    registrations = {r.pk: r for r in reunion.registrations.filter(pk__in=list(registrant_values))}
    marked = []
    for pk, value in registrant_values.items():
        reg = registrations.get(pk)
        if reg is not None and reg.attended != value:
            reg.attended = value
            marked.append(reg)
    Registration.objects.bulk_update(marked, ["attended"])
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
    logger.info(
        "attendance_record reunion=%s by=%s changed=%s registrants=%s", reunion.pk, by.pk, len(changed), len(marked)
    )
