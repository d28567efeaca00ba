import pytest
from django.urls import reverse

from tests.helpers import client_for

MODELS = [
    ("collectifs", "territoire"),
    ("collectifs", "institution"),
    ("collectifs", "theme"),
    ("collectifs", "dispositif"),
    ("collectifs", "collectif"),
    ("collectifs", "charteversion"),
    ("collectifs", "charteadoption"),
    ("membres", "user"),
    ("membres", "membership"),
    ("membres", "memberinvitation"),
]


@pytest.mark.parametrize(("app", "model"), MODELS)
def test_superuser_searches_and_filters_every_model_in_the_admin(app, model, superuser, member, collectif):
    client = client_for(superuser)
    url = reverse(f"admin:{app}_{model}_changelist")
    assert client.get(url + "?q=Villefontaine").status_code == 200
    response = client.get(url)
    assert response.status_code == 200
    assert 'id="searchbar"' in response.content.decode()
