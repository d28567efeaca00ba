"""Groupes de tâches."""

from __future__ import annotations

import logging

from django.db import transaction

from membres.models import User
from reunions.models import (
    GroupeDeTaches,
)

logger = logging.getLogger(__name__)


@transaction.atomic
def groupe_save(*, groupe: GroupeDeTaches, by: User, members) -> GroupeDeTaches:
    groupe.save()
    groupe.members.set(members)
    logger.info("groupe_save groupe=%s by=%s", groupe.pk, by.pk)
    return groupe
