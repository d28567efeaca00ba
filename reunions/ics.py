"""iCalendar documents of reunions: the invitation attached to each e-mail and the calendar feeds.

Each event keeps the same UID for the life of the reunion and carries its SEQUENCE, raised on every change,
so that Google Calendar, Outlook and Thunderbird replace the event they already have instead of adding one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from datetime import timedelta
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from icalendar import Alarm, Calendar, Event, vCalAddress, vText

from reunions.models import Reunion

PRODID = "-//Perseverance scolaire//Reunions//FR"


def _calendar(method: str | None = None, name: str = "") -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    if name:
        cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    return cal


def reunion_event(
    reunion: Reunion, *, attendee_email: str = "", base_url: str = "", dtstamp=None, public: bool = False
) -> Event:
    """`public`: for a registrant without an account, the event names no page of the collectif."""
    tz = timezone.get_default_timezone()
    event = Event()
    event.add("uid", reunion.ical_uid)
    event.add("sequence", reunion.sequence)
    event.add("dtstamp", dtstamp or timezone.now())
    event.add("summary", f"{reunion.get_kind_display()} — {reunion.title}")
    event.add("dtstart", timezone.localtime(reunion.starts_at, tz))
    ends = reunion.ends_at or reunion.starts_at + timedelta(hours=2)
    event.add("dtend", timezone.localtime(ends, tz))
    if reunion.where:
        event.add("location", reunion.where)
    description = "\n".join(
        part
        for part in [
            reunion.theme,
            reunion.description,
            reunion.video_url,
            "" if public else base_url + reunion.get_absolute_url(),
        ]
        if part
    )
    event.add("description", description)
    if reunion.video_url:
        event.add("url", reunion.video_url)
    organizer = vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL.rsplit('<', 1)[-1].rstrip('>')}")
    organizer.params["cn"] = vText(reunion.collectif.name)
    event.add("organizer", organizer)
    if attendee_email:
        attendee = vCalAddress(f"mailto:{attendee_email}")
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        attendee.params["partstat"] = vText("NEEDS-ACTION")
        attendee.params["rsvp"] = vText("FALSE")
        event.add("attendee", attendee)
    if reunion.is_cancelled:
        event.add("status", "CANCELLED")
    else:
        event.add("status", "CONFIRMED")
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"Rappel : {reunion.title}")
        alarm.add("trigger", timedelta(hours=-1))
        event.add_component(alarm)
    return event


def invitation_ics(reunion: Reunion, *, attendee_email: str, base_url: str = "", public: bool = False) -> bytes:
    """METHOD:REQUEST for an invitation or an update, METHOD:CANCEL for a cancelled reunion."""
    head = _calendar("CANCEL" if reunion.is_cancelled else "REQUEST").to_ical()
    event = reunion_event(reunion, attendee_email=attendee_email, base_url=base_url, public=public).to_ical()
    end = b"END:VCALENDAR\r\n"
    return b"".join([head.removesuffix(end), event, _vtimezone(settings.TIME_ZONE), end])


# A feed's events are served from the cache, each under a key naming everything `reunion_event` prints: a
# calendar client polls the same feed every few minutes, and a reunion rarely changes between two polls.
EVENT_CACHE_SECONDS = 7 * 24 * 3600


def event_key(reunion: Reunion, base_url: str = "") -> str:
    """(reunion, SEQUENCE, last change) and a digest of the printed fields: a change made without saving
    `updated_at` (an `update_fields` list, a queryset `update`) still makes a new key."""
    fields = (
        reunion.kind,
        reunion.title,
        reunion.theme,
        reunion.description,
        reunion.video_url,
        reunion.place,
        reunion.status,
        reunion.starts_at.isoformat() if reunion.starts_at else "",
        reunion.ends_at.isoformat() if reunion.ends_at else "",
        reunion.collectif.name,
        reunion.collectif.slug,
        base_url,
    )
    digest = hashlib.sha256("\x1f".join(fields).encode()).hexdigest()[:16]
    updated = reunion.updated_at.timestamp() if reunion.updated_at else 0
    return f"ics:event:{reunion.pk}:{reunion.sequence}:{updated}:{digest}"


def feed_etag_from_state(state: dict, *, name: str, base_url: str = "") -> str:
    """Changes whenever the feed's text would: its name (the collectif's), how many reunions it holds, their last
    change and their calendar versions (every service that changes what an event prints saves `updated_at`)."""
    last = state["last"].isoformat() if state["last"] else ""
    parts = [name, base_url, str(state["n"]), last, str(state["versions"] or 0)]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


@lru_cache(maxsize=4)
def _vtimezone(tzid: str) -> bytes:
    from icalendar import Timezone

    return Timezone.from_tzid(tzid).to_ical()


def _event_texts(reunions: Sequence[Reunion], base_url: str) -> list[bytes]:
    keys = [event_key(r, base_url) for r in reunions]
    found = cache.get_many(keys)
    missing = {}
    for key, reunion in zip(keys, reunions, strict=True):
        if key not in found:
            # DTSTAMP is the reunion's last change, not now: the same text for every poll until it changes.
            text = reunion_event(reunion, base_url=base_url, dtstamp=reunion.updated_at).to_ical()
            found[key] = missing[key] = text
    if missing:
        cache.set_many(missing, EVENT_CACHE_SECONDS)
    return [found[key] for key in keys]


def feed_ics(reunions: Iterable[Reunion], *, name: str, base_url: str = "") -> bytes:
    """The feed (METHOD:PUBLISH): the calendar's head, each event's cached text, the Paris VTIMEZONE."""
    dated = [r for r in reunions if r.starts_at]
    head = _calendar("PUBLISH", name=name).to_ical()
    end = b"END:VCALENDAR\r\n"
    return b"".join([head.removesuffix(end), *_event_texts(dated, base_url), _vtimezone(settings.TIME_ZONE), end])
