"""`{{ html|clean_html }}`: stored rich text is sanitized again when shown, never trusted because it was sanitized
when saved (a row edited in the admin or the database, or an older sanitizer, must not reach the page)."""

from django import template
from django.utils.safestring import mark_safe

from core.html import sanitize_html

register = template.Library()


@register.filter
def clean_html(value: str) -> str:
    return mark_safe(sanitize_html(value or ""))


@register.filter
def clean_document(value: str) -> str:
    """As clean_html, keeping the sections and headings of an assembled document (adopted minutes)."""
    return mark_safe(sanitize_html(value or "", document=True))
