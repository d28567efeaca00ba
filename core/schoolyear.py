"""School years run from September to August: the indicators, the action filters, the school calendar and the
annual bilan count by them."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")


def school_year_of(day: date) -> int:
    """The starting year of the school year containing `day` (2024 for 2024-2025)."""
    return day.year if day.month >= 9 else day.year - 1


def bounds(year: int) -> tuple[date, date]:
    return date(year, 9, 1), date(year + 1, 8, 31)


def datetime_bounds(year: int) -> tuple[datetime, datetime]:
    """[1 September 00:00, next 1 September 00:00) in Paris time."""
    return datetime.combine(date(year, 9, 1), time.min, PARIS), datetime.combine(date(year + 1, 9, 1), time.min, PARIS)


def label(year: int) -> str:
    return f"{year}-{year + 1}"


def parse(value: str | None) -> int | None:
    """'2024-2025' or '2024' → 2024; anything else → None."""
    if not value:
        return None
    head = value.split("-")[0]
    if not head.isdigit() or len(head) != 4:
        return None
    return int(head)


def recent_years(today: date, back: int = 6) -> list[int]:
    current = school_year_of(today)
    return list(range(current, current - back - 1, -1))
