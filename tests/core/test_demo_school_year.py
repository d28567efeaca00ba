"""The demo reads true whatever the day it is loaded: its dates follow the school year of that day, no reunion falls
in the school holidays of the demo collectif's zone, on a public holiday or on a weekend, meetings end by 20:00 and
every plénière named after a season falls in it."""

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from django.utils.html import escape

from actions.models import Action
from collectifs import calendrier
from collectifs.demo_dates import season_of
from collectifs.models import Collectif
from membres.models import Membership
from restitutions.models import Restitution
from reunions.models import PollSlot, Reunion

PARIS = ZoneInfo("Europe/Paris")
DAYS = [date(2026, 9, 1), date(2026, 12, 20), date(2027, 7, 15)]
SEASON_WORDS = {"d'automne": "automne", "d'hiver": "hiver", "de printemps": "printemps", "d'été": "ete"}


def _load(day: date) -> Collectif:
    with time_machine.travel(datetime(day.year, day.month, day.day, 9, 30, tzinfo=PARIS), tick=False):
        call_command("load_demo", stdout=io.StringIO())
    return Collectif.objects.get(slug="villefontaine")


@pytest.mark.parametrize("day", DAYS, ids=[f"{d:%d-%m}" for d in DAYS])
def test_demo_reunions_avoid_holidays_weekends_and_late_hours(db, day):
    collectif = _load(day)
    assert calendrier.zone_of(collectif) == "A"  # Isère: académie de Grenoble
    assert collectif.periodes_a_eviter.count() == 3
    dated = list(Reunion.objects.filter(collectif=collectif).exclude(starts_at=None))
    assert len(dated) >= 10
    # No warning at all: not in the holidays of zone A, not on a weekend or public holiday, not after 20:00, not in
    # a period to avoid.
    for reunion in dated:
        assert calendrier.date_warnings(collectif, reunion.starts_at, reunion.ends_at) == [], reunion.title
    for slot in PollSlot.objects.filter(poll__reunion__collectif=collectif):
        assert calendrier.date_warnings(collectif, slot.starts_at, slot.ends_at) == [], slot


@pytest.mark.parametrize("day", DAYS, ids=[f"{d:%d-%m}" for d in DAYS])
def test_demo_plenieres_are_named_after_their_season_and_the_poll_offers_its_month(db, day):
    collectif = _load(day)
    plenieres = Reunion.objects.filter(collectif=collectif, kind=Reunion.Kind.PLENIERE)
    named = 0
    for reunion in plenieres:
        days = [timezone.localtime(reunion.starts_at).date()] if reunion.starts_at else []
        days += [timezone.localtime(s.starts_at).date() for s in PollSlot.objects.filter(poll__reunion=reunion)]
        assert days, reunion.title
        for words, season in SEASON_WORDS.items():
            if f"Plénière {words}" in reunion.title:
                named += 1
                assert all(season_of(d) == season for d in days), (reunion.title, days)
        if "Plénière de juin" in reunion.title:
            named += 1
            assert all(d.month == 6 for d in days), (reunion.title, days)
    assert named >= 6
    loaded_at = datetime(day.year, day.month, day.day, tzinfo=PARIS)
    past = plenieres.filter(starts_at__lt=loaded_at, status=Reunion.Status.MINUTES_ADOPTED)
    upcoming = plenieres.filter(status=Reunion.Status.CONVENED)
    assert past.count() >= 4 and upcoming.count() == 1


def test_demo_follows_the_school_year_of_the_day_it_is_loaded(db):
    collectif = _load(date(2026, 12, 20))
    starts = [timezone.localtime(r.starts_at).date() for r in Reunion.objects.exclude(starts_at=None)]
    assert min(starts) >= date(2025, 9, 1) and max(starts) <= date(2027, 8, 31)
    upcoming = Reunion.objects.get(collectif=collectif, status=Reunion.Status.CONVENED, kind=Reunion.Kind.PLENIERE)
    assert upcoming.title.startswith("Plénière d'hiver")


def test_demo_ateliers_have_one_number_per_cycle_and_hour_and_no_minutes_to_ask(db, client):
    collectif = _load(date(2026, 12, 20))
    ateliers = Reunion.objects.filter(collectif=collectif, kind=Reunion.Kind.ATELIER)
    seen = set()
    for restitution in Restitution.objects.filter(collectif=collectif).select_related("reunion"):
        key = (restitution.cycle_id, restitution.atelier_numbers, restitution.reunion.starts_at)
        assert key not in seen
        seen.add(key)
    assert ateliers.count() == 4 + 1  # seeds 001 and 004, and the first atelier of seed 002's cycle
    coordinator = Membership.objects.get(collectif=collectif, user__email="coordination@exemple.org").user
    with time_machine.travel(datetime(2026, 12, 20, 10, tzinfo=PARIS), tick=False):
        client.force_login(coordinator)
        page = client.get(f"/c/{collectif.slug}/a-faire/").content.decode()
    assert "Groupe accueil des exclus — séance 1" in page  # a held séance still asks for its minutes
    for atelier in ateliers:
        assert escape(atelier.title)[:40] not in page


def test_demo_action_referents_belong_to_the_institution_that_carries_the_action(db):
    collectif = _load(date(2026, 9, 1))
    actions = Action.objects.filter(collectif=collectif).prefetch_related("referents")
    checked = 0
    for action in actions:
        institutions = set(
            Membership.objects.filter(collectif=collectif, user__in=action.referents.all()).values_list(
                "institution_id", flat=True
            )
        )
        assert institutions <= {action.lead_institution_id}, action.title
        checked += bool(institutions)
    assert checked >= 25
