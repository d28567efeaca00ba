import pytest
from django.test import Client


@pytest.mark.django_db
def test_unknown_page_answers_a_french_404_in_the_layout(client):
    response = client.get("/nulle-part/")
    assert response.status_code == 404
    content = response.content.decode()
    assert "Page introuvable" in content
    assert 'lang="fr"' in content and "Aller au contenu" in content


@pytest.mark.django_db
@pytest.mark.urls("tests.core.urls_forbidden")
def test_refused_action_answers_a_french_403_with_the_reason(member_client):
    response = member_client.get("/__interdit__/")
    assert response.status_code == 403
    assert "Accès refusé" in response.content.decode()
    assert "réservée à la coordination" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.urls("tests.core.urls_forbidden")
def test_server_error_answers_a_french_500_page():
    response = Client(raise_request_exception=False).get("/__panne__/")
    assert response.status_code == 500
    assert "Une erreur est survenue" in response.content.decode()
