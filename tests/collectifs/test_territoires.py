import pytest

from collectifs import services
from collectifs.models import Territoire
from collectifs.territoires import classify
from collectifs.territoires_reference import DEPARTEMENTS, DROM_CODES, REGIONS


def test_reference_list_has_the_101_departements_and_18_regions():
    assert len(DEPARTEMENTS) == 101 and len({code for code, _n, _r in DEPARTEMENTS}) == 101
    assert len(REGIONS) == 18
    region_codes = {code for code, _ in REGIONS}
    assert {region for _c, _n, region in DEPARTEMENTS} == region_codes
    assert len(DROM_CODES) == 5


@pytest.mark.parametrize(
    "written,expected",
    [
        ("Seine-Saint-Denis", ("departement", "Seine-Saint-Denis", "93")),
        ("93", ("departement", "Seine-Saint-Denis", "93")),
        ("département de l'Orne", ("departement", "Orne", "61")),
        ("Seine-et-Marne", ("departement", "Seine-et-Marne", "77")),
        (
            "Essonne, Seine-et-Marne et Val-de-Marne",
            ("departements", "Essonne, Seine-et-Marne et Val-de-Marne", "91,77,94"),
        ),
        ("Normandie", ("region", "Normandie", "28")),
        ("Région Île-de-France", ("region", "Île-de-France", "11")),
        ("Réunion", ("drom", "La Réunion", "974")),
        ("Guyane", ("drom", "Guyane", "973")),
    ],
)
def test_names_are_read_at_their_scale(written, expected):
    found = classify(written)
    assert (found.scale, found.name, found.code) == expected


@pytest.mark.parametrize("written", ["Villefontaine", "Nord Isère", "Normandie et Bretagne", ""])
def test_names_outside_the_list_are_not_guessed(written):
    assert classify(written) is None


@pytest.mark.django_db
def test_get_or_create_never_invents_a_departement_as_a_commune():
    essonne = services.territoire_get_or_create(name="Essonne", by=None)
    assert (essonne.kind, essonne.code, essonne.parent.name) == ("departement", "91", "Île-de-France")
    assert services.territoire_get_or_create(name="essonne", by=None) == essonne
    assert services.territoire_get_or_create(name="Nord Isère, Haut-Rhône", by=None) is None
    assert services.territoire_get_or_create(name="Villefontaine", by=None).kind == Territoire.Kind.COMMUNE
