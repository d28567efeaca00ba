from membres.models import Niveau
from tests.collectifs.factories import InstitutionFactory
from tests.helpers import client_for, collectif_url
from tests.membres.factories import MembershipFactory, UserFactory


def test_cartography_shows_who_represents_each_institution_at_each_niveau(
    member_client, collectif, coordinator, member
):
    dsden = InstitutionFactory(name="DSDEN de l'Isère", kind="education_nationale", territoire=collectif.territoire)
    MembershipFactory(
        collectif=collectif,
        institution=dsden,
        niveau=Niveau.ENCADREMENT,
        function="Chargée de mission",
        user=UserFactory(first_name="Claire", last_name="Dumas"),
    )
    response = member_client.get(collectif_url(collectif, "collectifs:cartographie"))
    assert response.status_code == 200
    html = response.content.decode()
    row = html.split("DSDEN de l&#x27;Isère", 1)[1].split("</tr>", 1)[0]
    cells = row.split("<td")[1:]
    assert len(cells) == 3
    assert "aucun représentant" in cells[0]  # terrain
    assert "Claire Dumas" in cells[1]  # encadrement
    assert "aucun représentant" in cells[2]  # politique
    assert "Niveau politique / décisionnel : 2 institutions sans représentant" in html


def test_cartography_links_print_stylesheet(member_client, collectif, member):
    html = member_client.get(collectif_url(collectif, "collectifs:cartographie")).content.decode()
    assert "css/collectifs.css" in html


def test_cartography_ignores_former_members(member_client, collectif, institution, member):
    from django.utils import timezone

    MembershipFactory(
        collectif=collectif,
        institution=institution,
        niveau=Niveau.POLITIQUE,
        user=UserFactory(last_name="Partie"),
        left_on=timezone.localdate(),
    )
    assert "Partie" not in member_client.get(collectif_url(collectif, "collectifs:cartographie")).content.decode()


def test_cartography_of_300_members_takes_at_most_10_queries(
    member_client, collectif, member, django_assert_max_num_queries
):
    institutions = [
        InstitutionFactory(name=f"Institution {i:02d}", territoire=collectif.territoire) for i in range(40)
    ]
    niveaux = list(Niveau)
    for i in range(299):
        MembershipFactory(
            collectif=collectif,
            institution=institutions[i % 40],
            niveau=niveaux[(i // 40) % 3],
            user=UserFactory(email=f"carto{i}@exemple.org"),
        )
    with django_assert_max_num_queries(10):
        response = member_client.get(collectif_url(collectif, "collectifs:cartographie"))
    assert response.status_code == 200
    assert response.content.decode().count("<tr>") == 41 + 1  # header + 41 institutions


def test_empty_collectif_says_what_to_do(superuser, collectif):
    html = client_for(superuser).get(collectif_url(collectif, "collectifs:cartographie")).content.decode()
    assert "inviter les partenaires" in html


def test_signatory_institution_without_anyone_left_shows_a_full_empty_row(
    member_client, collectif, coordinator, member
):
    from collectifs.services import charte_adopt, charte_edit

    caf = InstitutionFactory(name="CAF de l'Isère", kind="caf", territoire=collectif.territoire)
    version = charte_edit(collectif=collectif, text="Charte.", by=coordinator)
    charte_adopt(
        collectif=collectif, version=version, adopted_on=version.created_at.date(), institutions=[caf], by=coordinator
    )
    html = member_client.get(collectif_url(collectif, "collectifs:cartographie")).content.decode()
    row = html.split("CAF de l&#x27;Isère", 1)[1].split("</tr>", 1)[0]
    assert row.count("aucun représentant") == 3
