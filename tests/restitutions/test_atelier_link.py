"""An atelier (a reunion of kind atelier) and its restitutions point at each other."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from reunions.models import Reunion
from tests.restitutions.factories import RestitutionFactory


def _atelier(collectif, **fields):
    return Reunion.objects.create(
        collectif=collectif,
        kind=Reunion.Kind.ATELIER,
        status=Reunion.Status.HELD,
        title="Atelier 2 : les partenariats à mobiliser",
        starts_at=timezone.now() - timedelta(days=3),
        **fields,
    )


def test_atelier_page_lists_its_restitution(member_client, collectif):
    atelier = _atelier(collectif)
    RestitutionFactory(collectif=collectif, reunion=atelier, title="Restitution atelier 2 partenariats")
    html = member_client.get(atelier.get_absolute_url()).content.decode()
    assert "Restitution atelier 2 partenariats" in html


def test_atelier_without_restitution_offers_to_write_one_prefilled(member_client, collectif):
    atelier = _atelier(collectif)
    html = member_client.get(atelier.get_absolute_url()).content.decode()
    assert "pas encore écrite" in html
    create = reverse("restitutions:create", kwargs={"collectif_slug": collectif.slug}) + f"?reunion={atelier.pk}"
    assert create in html
    form = member_client.get(create).content.decode()
    assert 'value="Atelier 2 : les partenariats à mobiliser"' in form
    assert f'<option value="{atelier.pk}" selected>' in form


def test_malformed_or_foreign_ids_in_the_create_link_are_ignored(member_client, collectif, other_collectif):
    foreign = _atelier(other_collectif)
    url = reverse("restitutions:create", kwargs={"collectif_slug": collectif.slug})
    assert member_client.get(url + "?cycle=abc&reunion=xyz").status_code == 200
    form = member_client.get(url + f"?reunion={foreign.pk}").content.decode()
    assert foreign.title not in form
