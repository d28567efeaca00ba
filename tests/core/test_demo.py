import io

import pytest
from django.apps import apps
from django.core.management import call_command

from collectifs.models import Collectif
from membres.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from membres.models import User


def row_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


@pytest.mark.django_db
def test_load_demo_twice_duplicates_nothing():
    call_command("load_demo", stdout=io.StringIO())
    first = row_counts()
    assert Collectif.objects.filter(slug="villefontaine").exists()
    call_command("load_demo", stdout=io.StringIO())
    assert row_counts() == first


@pytest.mark.django_db
def test_load_demo_prints_accounts_that_can_log_in(client):
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    for email, _description in DEMO_ACCOUNTS:
        assert email in out.getvalue()
        assert User.objects.get(email=email).check_password(DEMO_PASSWORD)
    response = client.post("/compte/login/", {"login": DEMO_ACCOUNTS[0][0], "password": DEMO_PASSWORD})
    assert response.status_code == 302
