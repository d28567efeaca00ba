"""Helpers shared by the test modules: plain functions, imported by tests and called by fixtures.

`conftest.py` holds fixtures only; whatever a test calls directly lives here (see docs/testing.md).
"""

from __future__ import annotations

import re
import socket
import subprocess
import time
from collections.abc import Callable
from typing import Any

from django.test import Client
from django.urls import reverse
from icalendar import Calendar, Event

# --- The cast -----------------------------------------------------------------------------------------------
# The fixed cast of tests/conftest.py, as data: the fixtures and the access walk's module-wide world build the
# same people from it. Role names are those of tests/access.py's ROLES.

COLLECTIF = {"name": "Collectif de Villefontaine", "slug": "villefontaine"}
OTHER_COLLECTIF = {"name": "Collectif de L'Isle-d'Abeau", "slug": "isle-d-abeau"}
INSTITUTION_NAME = "Collège Louis-Aragon"
PEOPLE: dict[str, dict[str, Any]] = {
    "coordinator": {"email": "coordination@exemple.org", "first_name": "Sophie", "last_name": "Bernard"},
    "member": {"email": "membre@exemple.org", "first_name": "Nadia", "last_name": "Haddad"},
    "guest": {"email": "invite@exemple.org", "first_name": "Amélie", "last_name": "Fontaine"},
    "other": {"email": "autre@exemple.org", "first_name": "Karim", "last_name": "Benali"},
    "crpv": {"email": "crpv@exemple.org", "first_name": "Lucie", "last_name": "Perrin", "crpv_editor": True},
    "superuser": {"email": "admin@exemple.org", "superuser": True},
}


def make_collectif(other: bool = False):
    from tests.collectifs.factories import CollectifFactory

    return CollectifFactory(**(OTHER_COLLECTIF if other else COLLECTIF))


def make_institution(collectif):
    from tests.collectifs.factories import InstitutionFactory

    return InstitutionFactory(name=INSTITUTION_NAME, territoire=collectif.territoire)


def make_person(role: str, collectif=None, institution=None):
    """The cast member playing `role`; coordinator, member and guest join `collectif`, other joins its own."""
    from tests.membres.factories import MembershipFactory, UserFactory

    user = UserFactory(**PEOPLE[role])
    if role in ("coordinator", "member", "guest"):
        MembershipFactory(
            user=user,
            collectif=collectif,
            institution=institution,
            coordinator=role == "coordinator",
            guest=role == "guest",
        )
    elif role == "other":
        MembershipFactory(user=user, collectif=collectif)
    return user


# --- HTTP -----------------------------------------------------------------------------------------------------


def client_for(user) -> Client:
    """A test client logged in as `user`; `None` gives an anonymous visitor.

    For a member of the cast by role name, use the `client_as` fixture: `client_as("coordinator")`.
    """
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def collectif_url(collectif, name: str, **kwargs: Any) -> str:
    """The URL of a page of `collectif`: `collectif_url(collectif, "reunions:detail", pk=reunion.pk)`."""
    return reverse(name, kwargs={"collectif_slug": collectif.slug, **kwargs})


# --- Calendars and documents ----------------------------------------------------------------------------------


def parse_ics(data: bytes | str) -> list[Event]:
    """The events (VEVENT) of an iCalendar document, in document order."""
    return Calendar.from_ical(data).walk("VEVENT")


def ics_of(message) -> Calendar:
    """The calendar attached to an e-mail (`mail.outbox[i]`): the invitation's `.ics`."""
    for name, content, _mimetype in message.attachments:
        if name.endswith(".ics"):
            return Calendar.from_ical(content if isinstance(content, (bytes, str)) else content.read())
    raise AssertionError("pas de pièce jointe .ics")


def pdf_text(pdf: bytes) -> str:
    """The text of a PDF (poppler's pdftotext), in reading order, words joined by single spaces (lines wrap
    anywhere)."""
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True).stdout
    return re.sub(r"\s+", " ", out.decode())


# --- Mail --------------------------------------------------------------------------------------------------------


def mails_leave():
    """`with mails_leave(): ...`: run the on-commit callbacks of the block, as if it committed. A test's transaction
    never commits, so without it the outbox's hand-off never runs and nothing reaches `mail.outbox` (pytest-django's
    `django_capture_on_commit_callbacks(execute=True)` fixture does the same where a fixture is handier)."""
    from django.test import TestCase

    return TestCase.captureOnCommitCallbacks(execute=True)


# --- Waiting for another process -----------------------------------------------------------------------------


def wait_for(condition: Callable[[], Any], timeout: float = 30.0, step: float = 0.2) -> bool:
    """Poll `condition` until it is true or `timeout` seconds have passed (a real worker, a live server)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return False


def free_port() -> int:
    """A loopback port nobody listens on (for a server a test starts)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
