"""What the pages of documents share."""

from __future__ import annotations

from django.core.paginator import Page, Paginator

PAGE_SIZE = 25


def ctx(request, **extra) -> dict:
    return {"collectif": request.access.collectif, "access": request.access, **extra}


def paginate(request, queryset, size: int = PAGE_SIZE) -> tuple[Page, str]:
    """The requested page, and the query string without `page` for the pagination's links."""
    page = Paginator(queryset, size).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()
