"""Dates of a page's many rows, formatted in Python with the day and month names translated once per page."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django.utils.dates import MONTHS, WEEKDAYS


class DateLabels:
    """Formats as the `date` filter does (`"l j F Y, H:i"` and `"c"`, in the current time zone), for a page that
    prints a date on each of its rows: the filter translates the day and month names again for every row."""

    def __init__(self) -> None:
        self.tz = timezone.get_current_timezone()
        self.weekdays = {number: str(name) for number, name in WEEKDAYS.items()}
        self.months = {number: str(name) for number, name in MONTHS.items()}

    def local(self, value: datetime) -> datetime:
        return timezone.localtime(value, self.tz)

    def long(self, value: datetime) -> str:
        """`date:"l j F Y, H:i"`: « vendredi 27 novembre 2026, 16:40 »."""
        local = self.local(value)
        return f"{self.weekdays[local.weekday()]} {local.day} {self.months[local.month]} {local.year}, {local:%H:%M}"

    def day(self, value: datetime) -> str:
        """`date:"j F Y"`: « 27 novembre 2026 »."""
        local = self.local(value)
        return f"{local.day} {self.months[local.month]} {local.year}"

    def iso(self, value: datetime) -> str:
        """`date:"c"`, for `<time datetime=...>`."""
        return self.local(value).isoformat()
