from django import template
from django.utils.safestring import mark_safe

from core.html import sanitize_html
from fiches_experience.text import obfuscate_emails

register = template.Library()


@register.filter
def fiche_html(html: str) -> str:
    """A section as the public sees it: sanitized again (defence in depth), e-mail addresses obfuscated."""
    return mark_safe(obfuscate_emails(sanitize_html(html)))  # sanitized by nh3 just above
