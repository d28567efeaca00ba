"""iCalendar documents of reunions: the invitation attached to each e-mail and the calendar feeds.

Each event keeps the same UID for the life of the reunion and carries its SEQUENCE, raised on every change,
so that Google Calendar, Outlook and Thunderbird replace the event they already have instead of adding one.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
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


def reunion_event(reunion: Reunion, *, attendee_email: str = "", base_url: str = "") -> Event:
    tz = timezone.get_default_timezone()
    event = Event()
    event.add("uid", reunion.ical_uid)
    event.add("sequence", reunion.sequence)
    event.add("dtstamp", timezone.now())
    event.add("summary", f"{reunion.get_kind_display()} — {reunion.title}")
    event.add("dtstart", timezone.localtime(reunion.starts_at, tz))
    ends = reunion.ends_at or reunion.starts_at + timedelta(hours=2)
    event.add("dtend", timezone.localtime(ends, tz))
    if reunion.where:
        event.add("location", reunion.where)
    description = "\n".join(
        part
        for part in [reunion.theme, reunion.description, reunion.video_url, base_url + reunion.get_absolute_url()]
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


def invitation_ics(reunion: Reunion, *, attendee_email: str, base_url: str = "") -> bytes:
    """METHOD:REQUEST for an invitation or an update, METHOD:CANCEL for a cancelled reunion."""
    cal = _calendar("CANCEL" if reunion.is_cancelled else "REQUEST")
    cal.add_component(reunion_event(reunion, attendee_email=attendee_email, base_url=base_url))
    cal.add_missing_timezones()
    return cal.to_ical()


def feed_ics(reunions: Iterable[Reunion], *, name: str, base_url: str = "") -> bytes:
    cal = _calendar("PUBLISH", name=name)
    for reunion in reunions:
        if reunion.starts_at:
            cal.add_component(reunion_event(reunion, base_url=base_url))
    cal.add_missing_timezones()
    if not cal.walk("VTIMEZONE"):
        from icalendar import Timezone

        cal.add_component(Timezone.from_tzid(settings.TIME_ZONE))
    return cal.to_ical()
