"""Dates for the demo data that read true: they follow the school year of the day the demo is loaded, fall on
weekdays outside the school holidays of the collectif's zone and the public holidays, at sensible hours, and the
plénières are named after the season they fall in.

Used by the demo modules of reunions, actions and restitutions (each keeps its own content).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from collectifs import calendrier
from core import schoolyear

# Seasons by their usual first day (21 or 22 of the month): what « Plénière d'automne » means to the users.
SEASONS = [((3, 20), "printemps"), ((6, 21), "ete"), ((9, 22), "automne"), ((12, 21), "hiver")]
SEASON_NAMES = {"automne": "d'automne", "hiver": "d'hiver", "printemps": "de printemps", "ete": "d'été"}


def season_of(day: date) -> str:
    current = "hiver"
    for (month, first), name in SEASONS:
        if (day.month, day.day) >= (month, first):
            current = name
    return current


@dataclass(frozen=True)
class Slot:
    """One plénière of the demo's yearly rhythm: its school year, its name (« d'automne », « de juin ») and day."""

    year: int
    key: str  # automne, hiver, printemps, juin
    day: date

    @property
    def name(self) -> str:
        return "de juin" if self.key == "juin" else SEASON_NAMES[self.key]

    def at(self, hour: int, minute: int = 0) -> datetime:
        return at(self.day, hour, minute)


# The collectif's rhythm (charte: « trois à quatre plénières par an »): the preferred day of each plénière, as
# (month, day, year offset from the September of the school year). Each moves to the nearest free weekday.
RHYTHM = [("automne", 11, 17, 0), ("hiver", 1, 26, 1), ("printemps", 3, 30, 1), ("juin", 6, 16, 1)]


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


class DemoCalendar:
    def __init__(self, collectif, today: date | None = None):
        self.today = today or timezone.localdate()
        self.year = schoolyear.school_year_of(self.today)
        # The periods the collectif avoids count too, over the years the demo spans.
        self.ctx = calendrier.Context.of(collectif, date(self.year - 2, 9, 1), date(self.year + 2, 8, 31))

    def free(self, day: date, *, step: int = 1) -> date:
        return calendrier.next_free_day(self.ctx, day, step=step)

    def slots(self, year: int) -> list[Slot]:
        found = []
        for key, month, day, offset in RHYTHM:
            preferred = date(year + offset, month, day)
            chosen = self.free(preferred)
            if key == "juin" and chosen.month != 6:
                chosen = self.free(preferred, step=-1)
            found.append(Slot(year, key, chosen))
        return found

    def plenieres(self) -> list[Slot]:
        """The rhythm's plénières from two school years back to the next one, in order."""
        return [s for y in range(self.year - 2, self.year + 2) for s in self.slots(y)]

    def past(self, n: int) -> list[Slot]:
        """The last `n` plénières before today, oldest first."""
        return [s for s in self.plenieres() if s.day < self.today][-n:]

    def upcoming(self, n: int) -> list[Slot]:
        """The next `n` plénières after today."""
        return [s for s in self.plenieres() if s.day > self.today][:n]

    def weekday_before(self, days: int) -> date:
        """A free weekday about `days` days before today."""
        return self.free(self.today - timedelta(days=days), step=-1)

    def weekday_after(self, days: int) -> date:
        """A free weekday about `days` days after today."""
        return self.free(self.today + timedelta(days=days))

    def days_in_month_of(self, slot: Slot, n: int) -> list[date]:
        """`n` free weekdays of the slot's month, around its day: the proposals of a date poll."""
        month_days = [slot.day.replace(day=1) + timedelta(days=i) for i in range(31)]
        month_days = [d for d in month_days if d.month == slot.day.month and calendrier.is_free_day(self.ctx, d)]
        month_days.sort(key=lambda d: (abs((d - slot.day).days), d))
        chosen = []
        for d in month_days:
            if all(abs((d - c).days) >= 2 for c in chosen):
                chosen.append(d)
            if len(chosen) == n:
                break
        return sorted(chosen)


# The demo collectif's periods to avoid for the current school year: (kind, label, first day, last day) as
# (month, day) pairs, in the school year's order. Conseils de classe fall at the end of each trimester, the brevet's
# written papers at the end of June.
DEMO_PERIODS = [
    ("conseils_de_classe", "Conseils de classe du 1er trimestre", (12, 1), (12, 12)),
    ("conseils_de_classe", "Conseils de classe du 2e trimestre", (3, 8), (3, 19)),
    ("brevet", "Brevet (épreuves écrites)", (6, 24), (6, 27)),
]


def ensure_demo_periods(collectif, *, by, today: date | None = None) -> None:
    """Add the demo's periods to avoid for the current school year, once."""
    from collectifs import services
    from collectifs.models import PeriodeAEviter

    year = schoolyear.school_year_of(today or timezone.localdate())
    for kind, label, (m1, d1), (m2, d2) in DEMO_PERIODS:
        if PeriodeAEviter.objects.filter(collectif=collectif, school_year=year, label=label).exists():
            continue
        first = date(year if m1 >= 9 else year + 1, m1, d1)
        last = date(year if m2 >= 9 else year + 1, m2, d2)
        services.periode_add(collectif=collectif, kind=kind, label=label, starts_on=first, ends_on=last, by=by)
