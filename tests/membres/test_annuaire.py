import csv
import io

import pytest
from django.utils import timezone

from collectifs.models import Institution
from membres.models import Membership, Niveau
from tests.collectifs.factories import InstitutionFactory
from tests.helpers import collectif_url
from tests.membres.factories import MembershipFactory, UserFactory


@pytest.fixture
def big_collectif(collectif, coordinator, member, guest):
    """300 members over 30 institutions of several kinds, the three niveaux and a few former members."""
    kinds = list(Institution.Kind)
    institutions = [
        InstitutionFactory(name=f"Institution {i:02d}", kind=kinds[i % len(kinds)], territoire=collectif.territoire)
        for i in range(30)
    ]
    niveaux = list(Niveau)
    for i in range(297):
        MembershipFactory(
            collectif=collectif,
            institution=institutions[i % 30],
            user=UserFactory(email=f"membre{i}@exemple.org", phone=f"06 00 00 {i // 100:02d} {i % 100:02d}"),
            niveau=niveaux[i % 3],
            left_on=timezone.localdate() if i % 50 == 0 else None,
        )
    return collectif


def test_directory_of_300_members_takes_at_most_10_queries(
    member_client, big_collectif, django_assert_max_num_queries
):
    with django_assert_max_num_queries(10):
        response = member_client.get(collectif_url(big_collectif, "membres:annuaire"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Institution 00" in html
    assert 'aria-label="Pages de l\'annuaire"' in html
    assert "page=3" in html and "page=4" not in html


def test_directory_every_page_and_filter_stays_under_10_queries(
    coordinator_client, big_collectif, django_assert_max_num_queries
):
    for query in (
        "?page=3",
        "?status=all&niveau=politique",
        "?institution_kind=association&role=member",
        "?q=membre1",
    ):
        with django_assert_max_num_queries(10):
            assert coordinator_client.get(collectif_url(big_collectif, "membres:annuaire") + query).status_code == 200


def test_directory_groups_members_by_institution(member_client, collectif, institution, coordinator, member):
    other = InstitutionFactory(
        name="Maison de quartier des Roches", kind="association", territoire=collectif.territoire
    )
    MembershipFactory(collectif=collectif, institution=other, user=UserFactory(last_name="Zidane"))
    html = member_client.get(collectif_url(collectif, "membres:annuaire")).content.decode()
    assert html.index("Collège Louis-Aragon") < html.index("Bernard") < html.index("Maison de quartier des Roches")
    assert html.index("Maison de quartier des Roches") < html.index("Zidane")


def test_members_see_contact_details_guests_do_not(member_client, guest_client, collectif, coordinator):
    coordinator.phone = "04 74 00 00 00"
    coordinator.save(update_fields=["phone"])
    member_html = member_client.get(collectif_url(collectif, "membres:annuaire")).content.decode()
    guest_html = guest_client.get(collectif_url(collectif, "membres:annuaire")).content.decode()
    assert coordinator.email in member_html and "04 74 00 00 00" in member_html
    assert "Sophie Bernard" in guest_html
    assert coordinator.email not in guest_html and "04 74 00 00 00" not in guest_html
    assert "réservées aux membres" in guest_html


def test_filters_by_niveau_kind_role_and_former(member_client, collectif, institution, coordinator, member, guest):
    caf = InstitutionFactory(name="CAF de l'Isère", kind="caf", territoire=collectif.territoire)
    MembershipFactory(
        collectif=collectif, institution=caf, niveau=Niveau.POLITIQUE, user=UserFactory(last_name="Politique")
    )
    MembershipFactory(
        collectif=collectif, institution=caf, user=UserFactory(last_name="Parti"), left_on=timezone.localdate()
    )
    html = member_client.get(collectif_url(collectif, "membres:annuaire") + "?niveau=politique").content.decode()
    assert "Politique" in html and "Haddad" not in html
    html = member_client.get(collectif_url(collectif, "membres:annuaire") + "?institution_kind=caf").content.decode()
    assert "Politique" in html and "Bernard" not in html
    html = member_client.get(collectif_url(collectif, "membres:annuaire") + "?role=guest").content.decode()
    assert "Fontaine" in html and "Haddad" not in html
    html = member_client.get(collectif_url(collectif, "membres:annuaire")).content.decode()
    assert "Parti" not in html
    html = member_client.get(collectif_url(collectif, "membres:annuaire") + "?status=former").content.decode()
    assert "Parti" in html and "Haddad" not in html


def test_coordinator_exports_csv(coordinator_client, collectif, coordinator, member):
    response = coordinator_client.get(collectif_url(collectif, "membres:annuaire_csv"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Nom", "Prénom", "E-mail"]
    emails = {row[2] for row in rows[1:]}
    assert {coordinator.email, member.email} <= emails


def test_coordinator_exports_vcards(coordinator_client, collectif, coordinator, member):
    response = coordinator_client.get(collectif_url(collectif, "membres:annuaire_vcard"))
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/vcard")
    assert body.count("BEGIN:VCARD") == 2
    assert "FN:Nadia Haddad" in body
    assert f"EMAIL;TYPE=INTERNET:{member.email}" in body


def test_deleted_account_shows_as_former_member_in_directory(member_client, collectif, institution, member):
    gone = MembershipFactory(collectif=collectif, institution=institution, user=None)
    html = member_client.get(collectif_url(collectif, "membres:annuaire")).content.decode()
    assert "ancien membre" in html
    assert Membership.objects.filter(pk=gone.pk).exists()
