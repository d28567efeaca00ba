"""The base layout: landmarks, skip link, the user's collectifs in the header, messages."""

import pytest
from django.contrib import messages
from django.http import HttpResponse
from django.template import engines
from django.test import RequestFactory

from tests.collectifs.factories import CollectifFactory
from tests.membres.factories import MembershipFactory


@pytest.mark.django_db
def test_layout_has_skip_link_and_landmarks(client):
    content = client.get("/").content.decode()
    assert content.index('class="skip-link" href="#contenu"') < content.index("<header")
    for landmark in (
        "<header",
        '<nav class="site-nav" aria-label="Navigation principale"',
        '<main id="contenu"',
        "<footer",
    ):
        assert landmark in content
    assert '<html lang="fr">' in content


@pytest.mark.django_db
def test_header_lists_only_the_users_active_collectifs(member_client, member, collectif, other_collectif):
    third = CollectifFactory(name="Collectif de Bourgoin", slug="bourgoin")
    MembershipFactory(user=member, collectif=third)
    content = member_client.get("/").content.decode()
    assert f'href="{collectif.get_absolute_url()}"' in content
    assert f'href="{third.get_absolute_url()}"' in content
    assert f'href="{other_collectif.get_absolute_url()}"' not in content
    assert "Se déconnecter" in content


@pytest.mark.django_db
def test_collectif_page_marks_its_collectif_current_and_shows_its_sections(member_client, collectif):
    content = member_client.get(collectif.get_absolute_url()).content.decode()
    assert f'href="{collectif.get_absolute_url()}" aria-current="page"' in content
    assert f'aria-label="Rubriques du collectif {collectif.name}"' in content


@pytest.mark.django_db
def test_home_of_a_member_runs_few_queries(member_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        assert member_client.get("/").status_code == 200


@pytest.mark.django_db
def test_messages_are_shown_in_a_status_region(member):
    from django.contrib.messages.storage.fallback import FallbackStorage

    request = RequestFactory().get("/")
    request.user = member
    request.session = {}
    request._messages = FallbackStorage(request)
    request.csp_nonce = "n"
    messages.success(request, "Réunion enregistrée.")
    template = engines["django"].from_string('{% extends "base.html" %}')
    response = HttpResponse(template.render({}, request))
    content = response.content.decode()
    assert '<div class="messages" role="status">' in content
    assert '<p class="message message--success">Réunion enregistrée.</p>' in content
