import datetime

from collectifs.diff import text_diff
from collectifs.models import CharteAdoption, CharteVersion
from collectifs.services import charte_edit
from tests.helpers import collectif_url


def test_each_edit_makes_a_new_version_and_keeps_the_old_one(coordinator_client, collectif, coordinator):
    for text in ("Nous agissons ensemble.", "Nous agissons ensemble, de niveau à niveau."):
        response = coordinator_client.post(collectif_url(collectif, "collectifs:charte_edit"), {"text": text})
        assert response.status_code == 302
    versions = list(CharteVersion.objects.filter(collectif=collectif).order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].text == "Nous agissons ensemble."
    assert versions[1].author == coordinator


def test_saving_the_same_text_makes_no_version(coordinator_client, collectif, coordinator):
    charte_edit(collectif=collectif, text="Texte.", by=coordinator)
    response = coordinator_client.post(collectif_url(collectif, "collectifs:charte_edit"), {"text": "Texte."})
    assert response.status_code == 200
    assert "Le texte n&#x27;a pas changé" in response.content.decode()
    assert CharteVersion.objects.count() == 1


def test_members_read_the_charte_with_the_diff_marked_with_ins_and_del(
    member_client, collectif, coordinator, member, django_assert_max_num_queries
):
    charte_edit(collectif=collectif, text="Les partenaires se réunissent trois fois par an.", by=coordinator)
    charte_edit(collectif=collectif, text="Les partenaires se réunissent quatre fois par an.", by=coordinator)
    with django_assert_max_num_queries(10):
        response = member_client.get(collectif_url(collectif, "collectifs:charte"))
    html = response.content.decode()
    assert "Version 2" in html
    assert "<del>" in html and "trois" in html.split("<del>", 1)[1].split("</del>", 1)[0]
    assert "quatre" in html.split("<ins>", 1)[1].split("</ins>", 1)[0]
    assert "[ajouté : " in html
    assert "Modifier la charte" not in html


def test_an_earlier_version_can_be_read(member_client, collectif, coordinator, member):
    charte_edit(collectif=collectif, text="Première rédaction.", by=coordinator)
    charte_edit(collectif=collectif, text="Seconde rédaction.", by=coordinator)
    html = member_client.get(collectif_url(collectif, "collectifs:charte") + "?version=1").content.decode()
    assert "Première rédaction." in html
    assert "pas la version en vigueur" in html


def test_coordinator_records_adoption_with_adhering_institutions(
    coordinator_client, collectif, coordinator, institution
):
    version = charte_edit(collectif=collectif, text="Charte.", by=coordinator)
    response = coordinator_client.post(
        collectif_url(collectif, "collectifs:charte_adoption"),
        {"version": version.pk, "adopted_on": "2025-11-20", "institutions": [institution.pk]},
    )
    assert response.status_code == 302
    adoption = CharteAdoption.objects.get()
    assert adoption.adopted_on == datetime.date(2025, 11, 20)
    assert list(adoption.institutions.all()) == [institution]
    html = coordinator_client.get(collectif_url(collectif, "collectifs:charte")).content.decode()
    assert "adoptée le 20/11/2025 par 1 institution : Collège Louis-Aragon" in html


def test_adoption_cannot_use_another_collectifs_version(coordinator_client, collectif, other_collectif, coordinator):
    foreign = charte_edit(collectif=other_collectif, text="Autre charte.", by=coordinator)
    response = coordinator_client.post(
        collectif_url(collectif, "collectifs:charte_adoption"), {"version": foreign.pk, "adopted_on": "2025-11-20"}
    )
    assert response.status_code == 200
    assert not CharteAdoption.objects.exists()


def test_no_charte_yet_says_what_to_do(coordinator_client, member_client, collectif):
    assert "Rédigez-la" in coordinator_client.get(collectif_url(collectif, "collectifs:charte")).content.decode()
    assert (
        "La coordination pourra la rédiger"
        in member_client.get(collectif_url(collectif, "collectifs:charte")).content.decode()
    )


def test_diff_marks_words_and_keeps_paragraphs():
    paragraphs = text_diff("Un deux trois.\n\nQuatre.", "Un deux quatre.\n\nQuatre.")
    assert len(paragraphs) == 2
    kinds = [(s.kind, s.text) for s in paragraphs[0]]
    assert ("delete", "trois.") in kinds and ("insert", "quatre.") in kinds
    assert [(s.kind, s.text) for s in paragraphs[1]] == [("equal", "Quatre.")]
