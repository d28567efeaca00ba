"""Every PDF of the platform is printed by WeasyPrint through this module.

The URL fetcher reads only the project's own static and media files: no network, no file elsewhere on disk,
so that a link or image in user text cannot make the server fetch anything.
"""

from __future__ import annotations

import hashlib
import json
import mimetypes
from collections.abc import Callable, Iterable
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.loader import render_to_string


class ForbiddenResource(ValueError):
    pass


def _local_path(url: str) -> Path | None:
    parsed = urlparse(url)
    path = unquote(parsed.path)
    if parsed.scheme not in ("", "http", "https", "file") or parsed.netloc not in ("", "localhost", "pdf.local"):
        return None
    if ".." in Path(path).parts:
        return None
    if path.startswith(settings.STATIC_URL):
        name = path.removeprefix(settings.STATIC_URL)
        found = finders.find(name)
        if found:
            return Path(found).resolve()
        # Under the production settings `{% static %}` gives the hashed names of collectstatic, which only
        # STATIC_ROOT holds (the finders know the source names).
        if settings.STATIC_ROOT:
            static_root = Path(settings.STATIC_ROOT).resolve()
            candidate = (static_root / name).resolve()
            return candidate if candidate.is_relative_to(static_root) else None
        return None
    if path.startswith(settings.MEDIA_URL):
        media_root = Path(settings.MEDIA_ROOT).resolve()
        candidate = (media_root / path.removeprefix(settings.MEDIA_URL)).resolve()
        return candidate if candidate.is_relative_to(media_root) else None
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
            path = _local_path(url)
            if path is None or not path.is_file():
                raise ForbiddenResource(f"Ressource refusée pour le PDF : {url}")
            mime_type, _ = mimetypes.guess_type(path.name)
            return URLFetcherResponse(
                url, path.read_bytes(), {"Content-Type": mime_type or "application/octet-stream"}
            )

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


def render_pdf_html(template_name: str, context: dict, *, title: str, lang: str = "fr") -> str:
    """The HTML that `render_pdf` prints: what a PDF shows, hence the key of a PDF cached by content."""
    return render_to_string(template_name, {**context, "pdf_title": title, "pdf_lang": lang})


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    document = HTML(string=html, base_url="http://pdf.local/", url_fetcher=safe_url_fetcher._get())
    return document.write_pdf(pdf_variant="pdf/ua-1", uncompressed_pdf=False, font_config=_shared_font_config())


def render_pdf(template_name: str, context: dict, *, title: str, lang: str = "fr") -> bytes:
    """Render a template to an accessible tagged PDF (PDF/UA) with title and language metadata."""
    return html_to_pdf(render_pdf_html(template_name, context, title=title, lang=lang))


# Under a prefix that no URL serves: the PDFs are handed out by views, after their access check.
PDF_CACHE_PREFIX = "private/pdf-cache"


def cached_pdf_name(key_parts: Iterable[object]) -> str:
    digest = hashlib.sha256(json.dumps(list(key_parts), default=str).encode()).hexdigest()
    return f"{PDF_CACHE_PREFIX}/{digest[:2]}/{digest}.pdf"


def cached_pdf(key_parts: Iterable[object], render: Callable[[], bytes]) -> bytes:
    """The PDF for `key_parts` (everything the PDF shows, e.g. its HTML, or an immutable version's id), printed
    once and then read from the default storage. A changed content has a new key, so nothing is invalidated; a
    draft is simply never passed here. Two workers printing the same PDF at once both succeed (the first file
    written is kept)."""
    name = cached_pdf_name(key_parts)
    try:
        with default_storage.open(name, "rb") as handle:
            return handle.read()
    except (FileNotFoundError, OSError):
        pass
    pdf = render()
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(pdf))
    return pdf
