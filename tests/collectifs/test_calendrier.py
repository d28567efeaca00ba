"""The school calendar: académie and zone from the territory, holidays and periods to avoid, warnings that never
block."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from collectifs import calendrier, services
from collectifs.models import PeriodeAEviter, Territoire
from reunions.models import DatePoll, Reunion
from tests.collectifs.factories import CollectifFactory, TerritoireFactory
from tests.reunions.factories import ReunionFactory

PARIS = ZoneInfo("Europe/Paris")
# 15 February 2027: zone A is in its winter holidays, zone B is not (official calendar 2026-2027).
ZONE_A_WINTER = datetime(2027, 2, 15, 14, tzinfo=PARIS)


def commune(name: str, code: str, departement: str | None = None) -> Territoire:
    parent = None
    if departement:
        parent = TerritoireFactory(name=f"Département {departement}", kind="departement", code=departement)
    return TerritoireFactory(name=name, kind=Territoire.Kind.COMMUNE, code=code, parent=parent)


@pytest.fixture
def zone_a(db):
    return CollectifFactory(territoire=commune("Villefontaine", "38553", "38"))


@pytest.fixture
def zone_b(db):
    return CollectifFactory(territoire=commune("Roubaix", "59512"))


def test_academie_and_zone_come_from_the_territory(zone_a, zone_b):
    assert calendrier.academie_of(zone_a) == "grenoble" and calendrier.zone_of(zone_a) == "A"
    assert calendrier.academie_of(zone_b) == "lille" and calendrier.zone_of(zone_b) == "B"
    corse = CollectifFactory(territoire=commune("Ajaccio", "2A004"))
    reunion = CollectifFactory(territoire=commune("Saint-Denis", "97411"))
    assert calendrier.academie_of(corse) == "corse" and calendrier.zone_of(corse) == "corse"
    assert calendrier.academie_of(reunion) == "la-reunion" and calendrier.zone_of(reunion) == "outre-mer"


def test_every_metropolitan_departement_has_an_academie():
    deps = {d for _n, _z, ds in calendrier.ACADEMIES.values() for d in ds}
    expected = {f"{n:02d}" for n in range(1, 96) if n != 20} | {"2A", "2B", "971", "972", "973", "974", "976"}
    assert deps == expected


def test_the_coordinator_can_set_the_academie(zone_a, coordinator):
    services.collectif_set_academie(collectif=zone_a, academie="lille", by=coordinator)
    assert calendrier.zone_of(zone_a) == "B"


def test_a_date_in_zone_a_winter_holidays_warns_zone_a_and_not_zone_b(zone_a, zone_b):
    warnings_a = calendrier.date_warnings(zone_a, ZONE_A_WINTER)
    assert warnings_a == ["c'est pendant les vacances scolaires (Vacances d'hiver, Zone A)"]
    assert calendrier.date_warnings(zone_b, ZONE_A_WINTER) == []


def test_14_july_warns_everyone(zone_a, zone_b):
    day = datetime(2027, 7, 14, 14, tzinfo=PARIS)  # a Wednesday
    for collectif in (zone_a, zone_b):
        assert "c'est un jour férié (Fête nationale)" in calendrier.date_warnings(collectif, day)


def test_weekends_late_hours_and_unknown_holidays_warn(zone_a):
    saturday = datetime(2026, 11, 28, 10, tzinfo=PARIS)
    assert calendrier.date_warnings(zone_a, saturday) == ["c'est un week-end (samedi)"]
    evening = datetime(2026, 11, 24, 19, tzinfo=PARIS)
    assert calendrier.date_warnings(zone_a, evening, evening.replace(hour=21)) == ["la réunion se termine après 20 h"]
    outre_mer = CollectifFactory(territoire=commune("Fort-de-France", "97209"))
    (warning,) = calendrier.date_warnings(outre_mer, datetime(2026, 11, 24, 14, tzinfo=PARIS))
    assert "ne sont pas connues" in warning
    assert "ne sont pas connues" in calendrier.date_warnings(zone_a, datetime(2031, 11, 25, 14, tzinfo=PARIS))[0]


def test_a_period_to_avoid_warns_the_same_way(zone_a, coordinator):
    services.periode_add(
        collectif=zone_a,
        kind=PeriodeAEviter.Kind.CONSEILS_DE_CLASSE,
        label="Conseils de classe du 1er trimestre",
        starts_on=date(2026, 11, 30),
        ends_on=date(2026, 12, 11),
        by=coordinator,
    )
    warnings = calendrier.date_warnings(zone_a, datetime(2026, 12, 1, 14, tzinfo=PARIS))
    assert warnings == ["c'est pendant une période à éviter (Conseils de classe du 1er trimestre)"]
    assert PeriodeAEviter.objects.get().school_year == 2026
    with pytest.raises(services.PeriodeError):
        services.periode_add(
            collectif=zone_a,
            kind="brevet",
            label="",
            starts_on=date(2027, 6, 25),
            ends_on=date(2027, 9, 3),
            by=coordinator,
        )


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_scheduling_in_the_holidays_warns_but_saves(collectif, coordinator_client):
    collectif.territoire = commune("Grenoble", "38185")
    collectif.save()
    response = coordinator_client.post(
        reverse("reunions:create", kwargs={"collectif_slug": collectif.slug}),
        {
            "kind": "pleniere",
            "title": "Plénière d'hiver",
            "starts_at": "2027-02-15T14:00",
            "ends_at": "2027-02-15T16:00",
        },
    )
    assert response.status_code == 302
    assert Reunion.objects.filter(title="Plénière d'hiver").exists()
    (warning,) = [m for m in _messages(response) if m.startswith("Attention")]
    assert "15/02/2027 à 14:00" in warning and "Vacances d'hiver, Zone A" in warning


def test_poll_slots_on_a_public_holiday_warn(collectif, coordinator_client, member):
    collectif.territoire = commune("Lille", "59350")
    collectif.save()
    reunion = ReunionFactory(collectif=collectif, unscheduled=True)
    response = coordinator_client.post(
        reverse("reunions:poll_create", kwargs={"collectif_slug": collectif.slug, "pk": reunion.pk}),
        {
            "deadline": "2027-06-01T18:00",
            "slot_1_start": "2027-07-14T14:00",
            "slot_1_end": "2027-07-14T16:00",
            "slot_2_start": "2027-06-15T14:00",
            "slot_2_end": "2027-06-15T16:00",
            "audience": "all",
            "slot_count": "4",
        },
    )
    assert response.status_code == 302 and DatePoll.objects.filter(reunion=reunion).exists()
    warnings = [m for m in _messages(response) if m.startswith("Attention")]
    assert len(warnings) == 1 and "14/07/2027" in warnings[0] and "Fête nationale" in warnings[0]


def test_month_view_shades_the_holidays(collectif, member_client):
    collectif.territoire = commune("Grenoble", "38185")
    collectif.save()
    page = member_client.get(reverse("reunions:month", kwargs={"collectif_slug": collectif.slug}) + "?mois=2027-02")
    html = page.content.decode()
    assert html.count("month__holiday") >= 14 and "Vacances d&#x27;hiver" in html


def test_reunion_list_groups_by_school_year(collectif, member_client):
    ReunionFactory(collectif=collectif, title="Plénière A", starts_at=datetime(2024, 11, 5, 14, tzinfo=PARIS))
    ReunionFactory(collectif=collectif, title="Plénière B", starts_at=datetime(2025, 3, 5, 14, tzinfo=PARIS))
    ReunionFactory(collectif=collectif, title="Plénière C", starts_at=datetime(2025, 10, 5, 14, tzinfo=PARIS))
    html = member_client.get(reverse("reunions:list", kwargs={"collectif_slug": collectif.slug})).content.decode()
    assert html.index("Année scolaire 2025-2026") < html.index("Plénière C")
    assert html.index("Plénière C") < html.index("Année scolaire 2024-2025") < html.index("Plénière B")


def test_calendar_page_lists_holidays_and_periods_and_coordinators_add_them(collectif, coordinator_client):
    collectif.territoire = commune("Grenoble", "38185")
    collectif.save()
    url = reverse("collectifs:calendrier", kwargs={"collectif_slug": collectif.slug})
    html = coordinator_client.get(url).content.decode()
    assert "Grenoble (d'après le territoire du collectif)" in html and "Zone A" in html
    assert "Vacances de Noël" in html
    response = coordinator_client.post(
        reverse("collectifs:periode_add", kwargs={"collectif_slug": collectif.slug}),
        {"kind": "brevet", "label": "", "starts_on": "2027-06-24", "ends_on": "2027-06-26"},
    )
    assert response.status_code == 302
    assert PeriodeAEviter.objects.get(collectif=collectif).label == "Brevet"
    assert "Brevet" in coordinator_client.get(url).content.decode()


def test_a_drom_or_departement_territory_gives_its_academie(db):
    drom = TerritoireFactory(name="La Réunion", kind=Territoire.Kind.DROM, code="974")
    assert calendrier.academie_for_territoire(drom) == "la-reunion"
    isere = TerritoireFactory(name="Isère", kind=Territoire.Kind.DEPARTEMENT, code="38")
    assert calendrier.academie_for_territoire(isere) == "grenoble"
    several = TerritoireFactory(name="Essonne et Val-de-Marne", kind=Territoire.Kind.DEPARTEMENTS, code="")
    assert calendrier.academie_for_territoire(several) == ""
