"""Checking uploaded files (meeting documents, journal attachments): one table of the types the platform accepts.

A file is accepted when its extension is allowed where it is uploaded *and* its first bytes are those of that
type (its « magic number »), so that a renamed executable or HTML page is refused. The content type served back
comes from this table, never from what the browser claimed.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from django import forms
from django.utils.translation import gettext as _

_ZIP = (b"PK\x03\x04",)
_OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)

# extension → (accepted first bytes, content type); an empty tuple means plain text, whose start is not checked.
FILE_TYPES: dict[str, tuple[tuple[bytes, ...], str]] = {
    "pdf": ((b"%PDF-",), "application/pdf"),
    "docx": (_ZIP, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": (_ZIP, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "pptx": (_ZIP, "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    "odt": (_ZIP, "application/vnd.oasis.opendocument.text"),
    "ods": (_ZIP, "application/vnd.oasis.opendocument.spreadsheet"),
    "odp": (_ZIP, "application/vnd.oasis.opendocument.presentation"),
    "doc": (_OLE, "application/msword"),
    "xls": (_OLE, "application/vnd.ms-excel"),
    "ppt": (_OLE, "application/vnd.ms-powerpoint"),
    "png": ((b"\x89PNG\r\n\x1a\n",), "image/png"),
    "jpg": ((b"\xff\xd8\xff",), "image/jpeg"),
    "jpeg": ((b"\xff\xd8\xff",), "image/jpeg"),
    "gif": ((b"GIF87a", b"GIF89a"), "image/gif"),
    "webp": ((b"RIFF",), "image/webp"),
    "txt": ((), "text/plain"),
    "csv": ((), "text/csv"),
}


def extension(name: str) -> str:
    return Path(name).suffix.lower().lstrip(".")


def content_type_for(name: str) -> str:
    """The content type to serve a stored file with, from its extension."""
    return FILE_TYPES.get(extension(name), ((), "application/octet-stream"))[1]


def check_upload(upload, *, allowed: Iterable[str], max_size: int, refused_message: str) -> str:
    """Validate an uploaded file and return its content type; raise a ValidationError in French otherwise."""
    if upload.size > max_size:
        raise forms.ValidationError(_("Le fichier dépasse %(size)s Mo.") % {"size": max_size // (1024 * 1024)})
    ext = extension(upload.name)
    if ext not in allowed or ext not in FILE_TYPES:
        raise forms.ValidationError(refused_message)
    magics, content_type = FILE_TYPES[ext]
    if magics:
        upload.seek(0)
        head = upload.read(16)
        upload.seek(0)
        if not any(head.startswith(m) for m in magics) or (ext == "webp" and head[8:12] != b"WEBP"):
            raise forms.ValidationError(_("Le contenu du fichier ne correspond pas à son extension."))
    return content_type
