"""PDF of adopted minutes through core.pdf's restricted URL fetcher.

WeasyPrint 70 wants its URL fetcher to return a URLFetcherResponse; core.pdf.safe_url_fetcher still returns the
older dict. Until core.pdf adapts, this module wraps it (same restrictions: static and media files only). Once
core.pdf.render_pdf works with WeasyPrint 70, `render_minutes_pdf` can call it directly.
"""

from __future__ import annotations

from django.template.loader import render_to_string

from core import pdf as core_pdf


def render_pdf(template_name: str, context: dict, *, title: str, lang: str = "fr") -> bytes:
    try:
        from weasyprint.urls import URLFetcher, URLFetcherResponse
    except ImportError:  # older WeasyPrint: core.pdf works as it is
        return core_pdf.render_pdf(template_name, context, title=title, lang=lang)
    from weasyprint import HTML

    class SafeFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            result = core_pdf.safe_url_fetcher(url)
            if isinstance(result, URLFetcherResponse):
                return result
            return URLFetcherResponse(
                url, body=result["string"], headers={"Content-Type": result.get("mime_type") or "text/plain"}
            )

    html = render_to_string(template_name, {**context, "pdf_title": title, "pdf_lang": lang})
    document = HTML(string=html, base_url="http://pdf.local/", url_fetcher=SafeFetcher())
    return document.write_pdf(pdf_variant="pdf/ua-1", uncompressed_pdf=False)
