"""The catalogue's results are rendered once per query string and state of the fiches."""

from django.urls import reverse

from fiches_experience.models import Status
from tests.fiches_experience.factories import FicheFactory


def test_catalogue_is_served_from_the_cache_until_a_fiche_changes(db, client, django_assert_max_num_queries):
    fiche = FicheFactory(published=True, title="Médiation entre parents et collège")
    url = reverse("fiches_experience:catalogue")
    assert "Médiation entre parents" in client.get(url, {"q": "mediation"}).content.decode()
    with django_assert_max_num_queries(1):  # the fiches' state only
        assert "Médiation entre parents" in client.get(url, {"q": "mediation"}).content.decode()
    fiche.status = Status.ARCHIVED
    fiche.save()
    assert "Médiation entre parents" not in client.get(url, {"q": "mediation"}).content.decode()
