"""What the document space accepts: the same types and size as meeting documents (`reunions.forms`), checked by
`core.uploads.check_upload` (extension and first bytes)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.uploads import check_upload
from reunions.forms import DOCUMENT_EXTENSIONS, MAX_DOCUMENT_SIZE

__all__ = ["DOCUMENT_EXTENSIONS", "MAX_DOCUMENT_SIZE", "check_document_upload"]


def check_document_upload(upload) -> str:
    """Validate an uploaded file for the space and return the content type to serve it with (ValidationError in
    French otherwise). The result is kept on the upload (`checked_content_type`) so it is checked once."""
    content_type = getattr(upload, "checked_content_type", None)
    if content_type:
        return content_type
    content_type = check_upload(
        upload,
        allowed=DOCUMENT_EXTENSIONS,
        max_size=MAX_DOCUMENT_SIZE,
        refused_message=_("Ce type de fichier n'est pas accepté (PDF, bureautique ou image)."),
    )
    upload.checked_content_type = content_type
    return content_type
