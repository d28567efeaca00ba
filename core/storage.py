"""Where uploaded and generated files live: always through Django's storage API, never through paths.

Two storages (settings.STORAGES): `default` for files anyone may fetch by URL (none today) and `private` for
meeting documents, journal attachments and cycle PDFs, served only by a view that checked access first. On one
server both are folders on local disk; with several web replicas, both are an S3-compatible bucket
(django-storages), set from the environment (AWS_STORAGE_BUCKET_NAME and the others, see the README).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.utils.functional import LazyObject, cached_property, empty
from django.utils.http import content_disposition_header

PRIVATE = "private"


class PrivateFileSystemStorage(FileSystemStorage):
    """Local disk outside MEDIA_ROOT (PRIVATE_MEDIA_ROOT) with no URL: nothing serves these files but the views."""

    @cached_property
    def base_location(self):
        return self._value_or_setting(self._location, settings.PRIVATE_MEDIA_ROOT)

    def url(self, name):
        raise ValueError("Fichier privé : servi seulement par la vue qui vérifie l'accès.")

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)
        if setting in ("PRIVATE_MEDIA_ROOT", "MEDIA_ROOT"):
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)


class _PrivateStorage(LazyObject):
    """storages["private"], looked up at first use (and again when a test changes STORAGES)."""

    def _setup(self):
        self._wrapped = storages[PRIVATE]


_private_storage = _PrivateStorage()


def private_storage() -> Storage:
    """For `FileField(storage=private_storage)`: migrations name this function, not a storage class."""
    return _private_storage


@receiver(setting_changed)
def _reset_private_storage(*, setting, **kwargs):
    if setting == "STORAGES":
        _private_storage._wrapped = empty


def is_local(storage: Storage) -> bool:
    return isinstance(storage, FileSystemStorage)


def private_file_response(storage: Storage, name: str, *, filename: str, content_type: str) -> HttpResponse:
    """A private file, for a view that has already checked access: streamed from local disk, or a redirect to a
    signed URL valid for a short time (AWS_QUERYSTRING_EXPIRE) on object storage, with the same download name."""
    if not name:
        raise Http404("Pas de fichier.")
    if is_local(storage):
        try:
            handle = storage.open(name, "rb")
        except FileNotFoundError:
            raise Http404("Fichier introuvable.") from None
        response: HttpResponse = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    else:
        if not storage.exists(name):
            raise Http404("Fichier introuvable.")
        parameters = {
            "ResponseContentDisposition": content_disposition_header(True, filename),
            "ResponseContentType": content_type,
        }
        response = HttpResponseRedirect(storage.url(name, parameters=parameters))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def save_replacing(storage: Storage, name: str, content: bytes) -> str:
    """Write `name` whole or not at all, replacing any previous file: a reader never sees half a file.

    Local disk: write beside it then rename. Object storage: one PUT is already all-or-nothing.
    """
    if is_local(storage):
        path = Path(storage.path(name))
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".part")
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        os.replace(tmp, path)
        return name
    if storage.exists(name):
        storage.delete(name)
    return storage.save(name, ContentFile(content))
