"""Every PDF of the platform is printed by WeasyPrint through this module.

The URL fetcher reads only the project's own static and media files: no network, no file elsewhere on disk,
so that a link or image in user text cannot make the server fetch anything.
"""

from __future__ import annotations

import hashlib
import logging
import mimetypes
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import Storage, default_storage
from django.template.loader import render_to_string

from core.storage import save_replacing

logger = logging.getLogger(__name__)


class ForbiddenResource(ValueError):
    pass


def _static_file(name: str) -> Path | None:
    """A static file by the name `{% static %}` wrote: the source name (finders, development) or, in production,
    the collected and hashed name (`css/print.3f2a….css`), which only STATIC_ROOT knows."""
    found = finders.find(name)
    if found:
        return Path(found).resolve()
    static_root = Path(settings.STATIC_ROOT).resolve()
    collected = (static_root / name).resolve()
    if collected.is_relative_to(static_root) and collected.is_file():
        return collected
    return None


def _read_local(url: str) -> tuple[bytes, str] | None:
    """The bytes and file name behind a STATIC_URL or MEDIA_URL address of this project, or None (refused)."""
    parsed = urlparse(url)
    path = unquote(parsed.path)
    if parsed.scheme not in ("", "http", "https", "file") or parsed.netloc not in ("", "localhost", "pdf.local"):
        return None
    if ".." in Path(path).parts:
        return None
    if path.startswith(settings.STATIC_URL):
        found = _static_file(path.removeprefix(settings.STATIC_URL))
        return (found.read_bytes(), found.name) if found else None
    if path.startswith(settings.MEDIA_URL):
        # Public uploads, through the storage API (local disk or object storage alike).
        name = path.removeprefix(settings.MEDIA_URL)
        try:
            if not name or not default_storage.exists(name):
                return None
            with default_storage.open(name, "rb") as handle:
                return handle.read(), Path(name).name
        except (SuspiciousFileOperation, OSError):
            return None
    return None


def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class SafeURLFetcher(URLFetcher):
        """WeasyPrint URL fetcher restricted to STATIC_URL and MEDIA_URL of this project (and data: URLs).

        WeasyPrint 70 expects a URLFetcher (a `fetch` method returning a URLFetcherResponse); a refused URL
        raises, which WeasyPrint reports as a warning and skips (the image or stylesheet is left out).
        """

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            found = _read_local(url)
            if found is None:
                logger.warning("PDF resource refused: %s", url)
                raise ForbiddenResource(f"Ressource refusée pour le PDF : {url}")
            content, name = found
            mime_type, _ = mimetypes.guess_type(name)
            return URLFetcherResponse(url, content, {"Content-Type": mime_type or "application/octet-stream"})

    return SafeURLFetcher


class _LazyFetcher:
    """`safe_url_fetcher(url)`: built on first use, so that importing this module does not import WeasyPrint."""

    _instance = None

    def _get(self):
        if _LazyFetcher._instance is None:
            _LazyFetcher._instance = _fetcher_class()(allowed_protocols=("data",), allow_redirects=False)
        return _LazyFetcher._instance

    def __call__(self, url: str, *args, **kwargs):
        return self._get().fetch(url)

    def __getattr__(self, name):
        return getattr(self._get(), name)


safe_url_fetcher = _LazyFetcher()


_font_config = None


def _shared_font_config():
    """One FontConfiguration per process: the shipped fonts are read and registered once, not at every PDF."""
    global _font_config
    if _font_config is None:
        from weasyprint.text.fonts import FontConfiguration

        _font_config = FontConfiguration()
    return _font_config


def render_html(template_name: str, context: dict, *, title: str, lang: str = "fr") -> str:
    return render_to_string(template_name, {**context, "pdf_title": title, "pdf_lang": lang})


def html_to_pdf(html: str) -> bytes:
    """An accessible tagged PDF (PDF/UA) of a page rendered by `render_html`."""
    from weasyprint import HTML

    document = HTML(string=html, base_url="http://pdf.local/", url_fetcher=safe_url_fetcher._get())
    return document.write_pdf(pdf_variant="pdf/ua-1", uncompressed_pdf=False, font_config=_shared_font_config())


def render_pdf(template_name: str, context: dict, *, title: str, lang: str = "fr") -> bytes:
    """Render a template to an accessible tagged PDF (PDF/UA) with title and language metadata."""
    return html_to_pdf(render_html(template_name, context, title=title, lang=lang))


# --- PDFs kept in the default storage, keyed by a hash of their content -----------------------------------------


def content_digest(*parts: str | bytes) -> str:
    """A short hash of what a PDF shows: the same content always gives the same file name."""
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode() if isinstance(part, str) else part)
        h.update(b"\x00")
    return h.hexdigest()[:20]


def stored_pdf_name(folder: str, stem: str, digest: str) -> str:
    return f"{folder}/{stem}-{digest}.pdf"


def save_stored_pdf(*, folder: str, stem: str, digest: str, pdf: bytes, storage: Storage | None = None) -> str:
    """Save `folder/stem-digest.pdf` whole (core.storage.save_replacing) and remove the files of the same stem with
    another digest (one PDF a document). Returns the storage name."""
    storage = storage or default_storage
    name = stored_pdf_name(folder, stem, digest)
    saved = save_replacing(storage, name, pdf)
    if saved != name:  # the storage picked another name (a racing save): keep only the canonical one
        storage.delete(saved)
    try:
        _, files = storage.listdir(folder)
    except FileNotFoundError:
        files = []
    for file_name in files:
        if file_name.startswith(f"{stem}-") and file_name.endswith(".pdf") and f"{folder}/{file_name}" != name:
            storage.delete(f"{folder}/{file_name}")
    logger.info("stored_pdf name=%s bytes=%s", name, len(pdf))
    return name


def stored_pdf(
    *, folder: str, stem: str, digest: str, build: Callable[[], bytes], storage: Storage | None = None
) -> bytes:
    """The PDF `folder/stem-digest.pdf` from the storage (default: `default_storage`), built and saved first if
    missing. A new digest means the content changed: the former file of the same stem is removed when the new one
    is saved. A draft is never passed here: it prints on demand.
    """
    storage = storage or default_storage
    name = stored_pdf_name(folder, stem, digest)
    if storage.exists(name):
        with storage.open(name, "rb") as handle:
            stored = handle.read()
        # A file still being written (by a storage without atomic rename) lacks its trailer: print it ourselves.
        if stored.rstrip().endswith(b"%%EOF"):
            return stored
        return build()
    pdf = build()
    save_stored_pdf(folder=folder, stem=stem, digest=digest, pdf=pdf, storage=storage)
    return pdf


def cached_pdf(
    template_name: str,
    context: dict,
    *,
    title: str,
    folder: str,
    stem: str,
    lang: str = "fr",
    storage: Storage | None = None,
) -> bytes:
    """Render the page (cheap), and print it (costly) only when no PDF of exactly this page is stored yet.
    `storage`: the private storage for what only members may read (minutes, restitutions), the default one for
    what anyone may (published fiches)."""
    html = render_html(template_name, context, title=title, lang=lang)
    return stored_pdf(
        folder=folder, stem=stem, digest=content_digest(html), build=lambda: html_to_pdf(html), storage=storage
    )
