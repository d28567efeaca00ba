"""The collectif's reunion settings (default reminder offsets)."""

from __future__ import annotations

import logging

from django.db import transaction

from membres.models import User
from reunions.models import (
    DEFAULT_REMINDER_OFFSETS,
    ReunionSettings,
)

logger = logging.getLogger(__name__)


def collectif_reminder_offsets(collectif) -> list[int]:
    settings_row = ReunionSettings.objects.filter(collectif=collectif).first()
    return (
        settings_row.reminder_offsets if settings_row and settings_row.reminder_offsets else DEFAULT_REMINDER_OFFSETS
    )


@transaction.atomic
def reunion_settings_update(*, collectif, by: User, reminder_offsets: list[int]) -> ReunionSettings:
    row, _ = ReunionSettings.objects.update_or_create(
        collectif=collectif, defaults={"reminder_offsets": reminder_offsets}
    )
    logger.info("reunion_settings_update collectif=%s by=%s offsets=%s", collectif.pk, by.pk, reminder_offsets)
    return row
