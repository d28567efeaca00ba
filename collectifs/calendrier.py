"""The school calendar of a collectif: its académie, hence its zone of school holidays, the public holidays, and the
periods it chose to avoid (conseils de classe, brevet, bac).

Collectifs live by the school year: plénières three to four times a year, nothing in the holidays. Scheduling asks
`date_warnings()` about a date and shows what it answers as a warning, never as a refusal: a coordinator may have
good reasons to meet on a Saturday morning or in the first days of July.

Data:
- school holidays of metropolitan France (zones A, B, C) come from the `vacances-scolaires-france` package, which
  ships the official calendar published by the ministry (data.education.gouv.fr) as a CSV file. When the ministry
  publishes a new school year, a new release of the package carries it: bump its version in pyproject.toml and
  regenerate the lock files. Past the last date it knows, the platform says that the holidays are unknown.
- Corsica and the DROM (Guadeloupe, Martinique, Guyane, La Réunion, Mayotte) have their own calendars, set by their
  rectorats, which the package does not carry: the platform says so and warns that their holidays are unknown.
- public holidays come from the `holidays` package, with the Alsace-Moselle and DROM days where it knows them.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from collectifs.academies import ACADEMIES, Zone
from collectifs.models import PeriodeAEviter

# Meetings ending after this hour warn: partners come after their working day, not in the evening.
LATEST_END = time(20, 0)


_BY_DEPARTEMENT = {dep: code for code, (_n, _z, deps) in ACADEMIES.items() for dep in deps}
# Départements where the `holidays` package knows extra public holidays (Alsace-Moselle, DROM).
_HOLIDAY_SUBDIVISIONS = {
    "57": "57",
    "67": "57",
    "68": "57",
    **{dep: dep for dep in ("971", "972", "973", "974", "976")},
}


def departement_of(territoire) -> str:
    """The département code of a territory: its own code if it is a département (or a DROM), else its first
    ancestor's, else the beginning of its INSEE commune code ("38553" → "38", "97411" → "974", "2A004" → "2A").
    A territory of several départements gives none (the coordinator chooses the académie)."""
    node, seen = territoire, 0
    while node is not None and seen < 10:
        if node.kind in ("departement", "drom") and node.code:
            return node.code.upper()
        node, seen = node.parent, seen + 1
    node = territoire
    while node is not None:
        code = (node.code or "").upper()
        if node.kind in ("commune", "quartier", "epci") and len(code) == 5:
            return code[:3] if code.startswith("97") else code[:2]
        node = node.parent
    return ""


def academie_for_territoire(territoire) -> str:
    """The académie code of a territory, or "" when its département is unknown."""
    if territoire is None:
        return ""
    return _BY_DEPARTEMENT.get(departement_of(territoire), "")


def academie_of(collectif) -> str:
    """The collectif's académie: the one chosen on its calendar page, else the one of its territory."""
    return collectif.academie or academie_for_territoire(collectif.territoire)


def academie_label(code: str) -> str:
    return ACADEMIES[code][0] if code in ACADEMIES else ""


def zone_of(collectif) -> str:
    code = academie_of(collectif)
    return str(ACADEMIES[code][1]) if code in ACADEMIES else ""


def zone_label(zone: str) -> str:
    return str(Zone(zone).label) if zone in Zone.values else _("zone inconnue")


# --- Lookups -------------------------------------------------------------------------------------------------


@functools.cache
def _school_holidays():
    from vacances_scolaires_france import SchoolHolidayDates

    return SchoolHolidayDates()


def school_holidays_known(zone: str, day: date) -> bool:
    """Whether the platform knows the school holidays of `zone` on `day` (metropolitan zones, years in the data)."""
    if zone not in (Zone.A, Zone.B, Zone.C):
        return False
    data = _school_holidays()
    return data.min_year <= day.year <= data.max_year


def school_holiday(zone: str, day: date) -> str:
    """The name of the school holidays of `zone` on `day` (« Vacances de Noël »), or ""."""
    if not school_holidays_known(zone, day):
        return ""
    row = _school_holidays().data.get(day)
    if row and row[_school_holidays().zone_key(zone)]:
        return row["nom_vacances"]
    return ""


@functools.cache
def _public_holidays(year: int, departement: str):
    import holidays

    return holidays.France(years=year, subdiv=_HOLIDAY_SUBDIVISIONS.get(departement), language="fr")


def public_holiday(day: date, departement: str = "") -> str:
    """The name of the public holiday on `day` (« Fête nationale »), or ""."""
    return _public_holidays(day.year, departement).get(day) or ""


def periods_to_avoid(collectif, start: date, end: date):
    """The collectif's periods to avoid that overlap [start, end]."""
    return PeriodeAEviter.objects.filter(collectif=collectif, starts_on__lte=end, ends_on__gte=start).order_by(
        "starts_on"
    )


# --- Warnings ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Context:
    """What the warnings need to know about a collectif, read once for several dates (the slots of a poll)."""

    zone: str
    departement: str
    periods: tuple = ()

    @classmethod
    def of(cls, collectif, start: date | None = None, end: date | None = None) -> Context:
        periods = ()
        if start is not None and collectif.pk:
            periods = tuple(periods_to_avoid(collectif, start, end or start))
        return cls(zone=zone_of(collectif), departement=departement_of(collectif.territoire), periods=periods)


def _local(value: datetime) -> datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


def warnings_for(ctx: Context, starts_at: datetime, ends_at: datetime | None = None) -> list[str]:
    """Why this date may be a poor choice for the collectif, in French; empty when nothing is wrong."""
    start = _local(starts_at)
    end = _local(ends_at) if ends_at else None
    day = start.date()
    found = []
    if day.weekday() >= 5:
        found.append(_("c'est un week-end (%(day)s)") % {"day": _("samedi") if day.weekday() == 5 else _("dimanche")})
    if name := public_holiday(day, ctx.departement):
        found.append(_("c'est un jour férié (%(name)s)") % {"name": name})
    if ctx.zone in (Zone.A, Zone.B, Zone.C) and school_holidays_known(ctx.zone, day):
        if name := school_holiday(ctx.zone, day):
            found.append(
                _("c'est pendant les vacances scolaires (%(name)s, %(zone)s)")
                % {"name": name, "zone": zone_label(ctx.zone)}
            )
    else:
        found.append(
            _("les vacances scolaires de votre zone (%(zone)s) ne sont pas connues de la plateforme pour cette date")
            % {"zone": zone_label(ctx.zone)}
        )
    if start.time() >= LATEST_END or (end is not None and (end.date() > day or end.time() > LATEST_END)):
        found.append(_("la réunion se termine après 20 h"))
    for period in ctx.periods:
        if period.starts_on <= day <= period.ends_on:
            found.append(_("c'est pendant une période à éviter (%(label)s)") % {"label": period.label})
    return found


def date_warnings(collectif, starts_at: datetime | None, ends_at: datetime | None = None) -> list[str]:
    """The warnings for one date of a collectif (none when there is no date yet)."""
    if starts_at is None:
        return []
    day = _local(starts_at).date()
    return warnings_for(Context.of(collectif, day, day), starts_at, ends_at)


def slots_warnings(collectif, slots: list[tuple[datetime, datetime]]) -> list[tuple[datetime, list[str]]]:
    """The warnings of each proposed slot of a date poll, only for the slots that have some."""
    if not slots:
        return []
    days = [_local(s).date() for s, _e in slots]
    ctx = Context.of(collectif, min(days), max(days))
    return [(s, w) for s, e in slots if (w := warnings_for(ctx, s, e))]


def warning_message(starts_at: datetime, reasons: list[str]) -> str:
    when = _local(starts_at)
    return _("Attention, le %(day)s à %(hour)s : %(reasons)s. La date est gardée ; changez-la si besoin.") % {
        "day": f"{when:%d/%m/%Y}",
        "hour": f"{when:%H:%M}",
        "reasons": " ; ".join(reasons),
    }


# --- Month view ----------------------------------------------------------------------------------------------


def day_labels(collectif, first: date, last: date) -> dict[date, str]:
    """For the month view: the school holidays, public holidays and periods to avoid of each day of [first, last]."""
    ctx = Context.of(collectif, first, last)
    labels: dict[date, str] = {}
    day = first
    while day <= last:
        parts = []
        if ctx.zone in (Zone.A, Zone.B, Zone.C) and (name := school_holiday(ctx.zone, day)):
            parts.append(name)
        if name := public_holiday(day, ctx.departement):
            parts.append(_("férié : %(name)s") % {"name": name})
        parts += [str(p.label) for p in ctx.periods if p.starts_on <= day <= p.ends_on]
        if parts:
            labels[day] = " ; ".join(parts)
        day += timedelta(days=1)
    return labels


def is_free_day(ctx: Context, day: date) -> bool:
    """A weekday outside school and public holidays and periods to avoid: where the demo and suggestions go."""
    if day.weekday() >= 5 or public_holiday(day, ctx.departement):
        return False
    if school_holiday(ctx.zone, day):
        return False
    return not any(p.starts_on <= day <= p.ends_on for p in ctx.periods)


def next_free_day(ctx: Context, day: date, *, step: int = 1) -> date:
    """`day` itself when it is free, else the nearest free day after it (`step=-1`: before it)."""
    for _i in range(120):
        if is_free_day(ctx, day):
            return day
        day += timedelta(days=step)
    return day


def school_holiday_periods(zone: str, start: date, end: date) -> list[dict]:
    """The school holidays of `zone` between `start` and `end`, as named periods (first and last day)."""
    periods: list[dict] = []
    day = start
    while day <= end:
        name = school_holiday(zone, day)
        if name:
            if periods and periods[-1]["name"] == name and periods[-1]["last"] == day - timedelta(days=1):
                periods[-1]["last"] = day
            else:
                periods.append({"name": name, "first": day, "last": day})
        day += timedelta(days=1)
    return periods


# --- In views ------------------------------------------------------------------------------------------------


def warn_date(request, collectif, starts_at: datetime | None, ends_at: datetime | None = None) -> list[str]:
    """Add a warning message to the page for a date chosen for the collectif; the date is kept."""
    from django.contrib import messages

    reasons = date_warnings(collectif, starts_at, ends_at)
    if reasons:
        messages.warning(request, warning_message(starts_at, reasons))
    return reasons


def warn_slots(request, collectif, slots: list[tuple[datetime, datetime]]) -> int:
    """Add one warning message per proposed poll slot that falls badly; the slots are kept."""
    from django.contrib import messages

    found = slots_warnings(collectif, slots)
    for starts_at, reasons in found:
        messages.warning(request, warning_message(starts_at, reasons))
    return len(found)
