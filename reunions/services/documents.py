"""Documents attached to a meeting."""

from __future__ import annotations

import logging

from django.db import transaction

from membres.models import User
from reunions.models import (
    Document,
    Reunion,
)

logger = logging.getLogger(__name__)


@transaction.atomic
def document_add(*, reunion: Reunion, by: User, title: str, upload) -> Document:
    document = Document(
        reunion=reunion,
        title=title or upload.name,
        original_name=upload.name[:255],
        size=upload.size,
        content_type=getattr(upload, "checked_content_type", "application/octet-stream"),
        uploaded_by=by,
    )
    document.file.save(upload.name, upload, save=False)
    document.save()
    logger.info("document_add reunion=%s document=%s by=%s", reunion.pk, document.pk, by.pk)
    return document


@transaction.atomic
def document_delete(*, document: Document, by: User) -> None:
    logger.info("document_delete document=%s by=%s", document.pk, by.pk)
    storage, name = document.file.storage, document.file.name
    document.delete()
    transaction.on_commit(lambda: storage.delete(name))
