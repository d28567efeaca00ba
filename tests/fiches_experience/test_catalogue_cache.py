"""The catalogue's results are rendered once per query string and state of the fiches."""

from django.urls import reverse

from fiches_experience.models import Status
from tests.fiches_experience.factories import FicheFactory


def test_catalogue_is_served_from_the_cache_until_a_fiche_changes(db, client, django_assert_max_num_queries):
    fiche = FicheFactory(published=True, title="Médiation entre parents et collège")
    url = reverse("fiches_experience:catalogue")
    assert "Médiation entre parents" in client.get(url, {"q": "mediation"}).content.decode()
    with django_assert_max_num_queries(0):  # the tables' generations are read from Redis
        assert "Médiation entre parents" in client.get(url, {"q": "mediation"}).content.decode()
    fiche.status = Status.ARCHIVED
    fiche.save()
    assert "Médiation entre parents" not in client.get(url, {"q": "mediation"}).content.decode()


def test_a_theme_renamed_by_a_queryset_update_shows_at_once(db, client):
    from collectifs.models import Theme

    theme = Theme.objects.create(name="Cafés des familles", slug="cafes-des-familles-test")
    fiche = FicheFactory(published=True, title="Café des parents")
    fiche.themes.add(theme)
    url = reverse("fiches_experience:catalogue")
    assert "Cafés des familles" in client.get(url, {"q": "parents"}).content.decode()
    Theme.objects.filter(pk=theme.pk).update(name="Rencontres parents-collège")  # no signal, no fiche saved
    assert "Rencontres parents-collège" in client.get(url, {"q": "parents"}).content.decode()


def test_without_the_shared_cache_the_key_reads_the_fiches_state(db, client, settings, django_assert_num_queries):
    settings.PAGE_CACHE_SECONDS = 0
    FicheFactory(published=True, title="Médiation entre parents et collège")
    url = reverse("fiches_experience:catalogue")
    client.get(url, {"q": "mediation"})
    with django_assert_num_queries(1):  # the fiches' count and last change
        assert "Médiation entre parents" in client.get(url, {"q": "mediation"}).content.decode()
