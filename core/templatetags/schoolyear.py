"""`{{ value|school_year_label }}`: « 2025-2026 » for a date or datetime (school years run September to August)."""

from __future__ import annotations

from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

from core import schoolyear

register = template.Library()


@register.filter
def school_year_label(value) -> str:
    if not value:
        return _("Date à fixer")
    if isinstance(value, datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return _("Année scolaire %(label)s") % {"label": schoolyear.label(schoolyear.school_year_of(value))}
