"""Every PDF of the platform is printed by WeasyPrint through this module.

The URL fetcher reads only the project's own static and media files: no network, no file elsewhere on disk,
so that a link or image in user text cannot make the server fetch anything.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string


class ForbiddenResource(ValueError):
    pass


def _local_path(url: str) -> Path | None:
    parsed = urlparse(url)
    path = unquote(parsed.path)
    if parsed.scheme not in ("", "http", "https", "file") or parsed.netloc not in ("", "localhost", "pdf.local"):
        return None
    if path.startswith(settings.STATIC_URL):
        found = finders.find(path.removeprefix(settings.STATIC_URL))
        return Path(found).resolve() if found else None
    if path.startswith(settings.MEDIA_URL):
        media_root = Path(settings.MEDIA_ROOT).resolve()
        candidate = (media_root / path.removeprefix(settings.MEDIA_URL)).resolve()
        return candidate if candidate.is_relative_to(media_root) else None
    return None


def safe_url_fetcher(url: str, *args, **kwargs) -> dict:
    """WeasyPrint URL fetcher restricted to STATIC_URL and MEDIA_URL of this project."""
    if url.startswith("data:"):
        from weasyprint.urls import default_url_fetcher

        return default_url_fetcher(url)
    path = _local_path(url)
    if path is None or not path.is_file():
        raise ForbiddenResource(f"Ressource refusée pour le PDF : {url}")
    mime_type, _ = mimetypes.guess_type(path.name)
    return {"string": path.read_bytes(), "mime_type": mime_type, "filename": path.name}


def _weasyprint_fetcher():
    """WeasyPrint 70 wants a URLFetcher instance returning URLFetcherResponse: wrap safe_url_fetcher in one."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class SafeURLFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            result = safe_url_fetcher(url)
            if isinstance(result, URLFetcherResponse):
                return result
            return URLFetcherResponse(url, body=result["string"], headers={"Content-Type": result["mime_type"] or ""})

    return SafeURLFetcher()


def render_pdf(template_name: str, context: dict, *, title: str, lang: str = "fr") -> bytes:
    """Render a template to an accessible tagged PDF (PDF/UA) with title and language metadata."""
    from weasyprint import HTML

    html = render_to_string(template_name, {**context, "pdf_title": title, "pdf_lang": lang})
    document = HTML(string=html, base_url="http://pdf.local/", url_fetcher=_weasyprint_fetcher())
    return document.write_pdf(pdf_variant="pdf/ua-1", uncompressed_pdf=False)
