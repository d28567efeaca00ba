import pytest
from django.urls import reverse

from collectifs.models import Dispositif, Theme
from fiches_experience.models import FicheExperience, Status
from tests.collectifs.factories import TerritoireFactory
from tests.fiches_experience.factories import FicheFactory
from tests.helpers import client_for

pytestmark = pytest.mark.django_db


def test_editor_creates_a_draft_then_writes_a_section(crpv_client, crpv_editor):
    territoire = TerritoireFactory(name="Villefontaine")
    theme = Theme.objects.get(slug="exclusions-temporaires")
    response = crpv_client.post(
        reverse("fiches_experience:create"),
        {
            "gabarit": "court",
            "title": "Accueillir les collégiens exclus",
            "territoire": territoire.pk,
            "themes": [theme.pk],
            "licence": "cc-by-sa-4.0",
        },
    )
    fiche = FicheExperience.objects.get()
    assert response.status_code == 302 and response.url == reverse("fiches_experience:edit", kwargs={"pk": fiche.pk})
    assert fiche.author == crpv_editor and fiche.status == Status.DRAFT and list(fiche.themes.all()) == [theme]
    url = reverse("fiches_experience:section_edit", kwargs={"pk": fiche.pk, "key": "idee_de_depart"})
    assert crpv_client.get(url).status_code == 200
    crpv_client.post(
        url, {"html": "Premier <strong>paragraphe</strong>.\r\n\r\nSecond <script>alert(1)</script>paragraphe."}
    )
    html = fiche.sections.get(key="idee_de_depart").html
    assert html == "<p>Premier <strong>paragraphe</strong>.</p><p>Second paragraphe.</p>"
    edit = crpv_client.get(reverse("fiches_experience:edit", kwargs={"pk": fiche.pk})).content.decode()
    assert "Envoyer en relecture" in edit and "Publier" not in edit


def test_create_form_redisplays_input_on_error(crpv_client):
    response = crpv_client.post(
        reverse("fiches_experience:create"), {"gabarit": "court", "structure_porteuse": "Ville"}
    )
    content = response.content.decode()
    assert response.status_code == 200 and FicheExperience.objects.count() == 0
    assert 'aria-invalid="true"' in content and 'value="Ville"' in content


def test_author_cannot_publish_own_fiche_when_another_editor_exists(crpv_client, crpv_editor, second_crpv_editor):
    fiche = FicheFactory(in_review=True, author=crpv_editor)
    edit = crpv_client.get(reverse("fiches_experience:edit", kwargs={"pk": fiche.pk})).content.decode()
    assert "attend la relecture d'un autre éditeur" in edit
    response = crpv_client.post(reverse("fiches_experience:publish", kwargs={"pk": fiche.pk}))
    assert response.status_code == 403
    response = client_for(second_crpv_editor).post(reverse("fiches_experience:publish", kwargs={"pk": fiche.pk}))
    assert response.status_code == 302
    fiche.refresh_from_db()
    assert fiche.status == Status.PUBLISHED and fiche.reviewer == second_crpv_editor


def test_archive_asks_for_confirmation(crpv_client):
    fiche = FicheFactory(published=True)
    url = reverse("fiches_experience:archive", kwargs={"pk": fiche.pk})
    assert "Archiver la fiche" in crpv_client.get(url).content.decode()
    fiche.refresh_from_db()
    assert fiche.status == Status.PUBLISHED
    crpv_client.post(url)
    fiche.refresh_from_db()
    assert fiche.status == Status.ARCHIVED


def test_version_page_shows_what_changed(crpv_client, crpv_editor):
    fiche = FicheFactory(author=crpv_editor, sections={"contact": "<p>Ancien contact</p>"})
    crpv_client.post(
        reverse("fiches_experience:section_edit", kwargs={"pk": fiche.pk, "key": "contact"}),
        {"html": "<p>Nouveau contact</p>"},
    )
    versions = crpv_client.get(reverse("fiches_experience:versions", kwargs={"pk": fiche.pk})).content.decode()
    assert "Version 2" in versions
    diff = crpv_client.get(reverse("fiches_experience:version_diff", kwargs={"pk": fiche.pk, "number": 2}))
    content = diff.content.decode()
    assert "<del>Ancien contact</del>" in content and "<ins>Nouveau contact</ins>" in content


def test_editor_list_filters_by_status(crpv_client, django_assert_max_num_queries):
    FicheFactory(title="Un brouillon")
    FicheFactory(published=True, title="Une publiée")
    with django_assert_max_num_queries(8):
        response = crpv_client.get(reverse("fiches_experience:editor_list"), {"statut": "publiee"})
    content = response.content.decode()
    assert "Une publiée" in content and "Un brouillon" not in content


def test_demo_loads_the_samples_published_and_is_idempotent(capsys):
    from io import StringIO

    from fiches_experience import demo
    from membres import demo as membres_demo

    membres_demo.load(StringIO())
    demo.load(StringIO())
    demo.load(StringIO())
    published = FicheExperience.objects.published()
    assert sorted(published.values_list("title", flat=True)) == [
        "Appui à l'évaluation en direction des PRE",
        "Rez'Orne, le réseau des acteurs éducatifs ornais",
        "Un collectif persévérance scolaire à Villefontaine",
    ]
    villefontaine = published.get(title__startswith="Un collectif")
    assert villefontaine.territoire.name == "Villefontaine" and villefontaine.collectif.slug == "villefontaine"
    assert villefontaine.versions.count() == 3  # import, publication, description: nothing on the second load


def test_editors_find_their_desk_from_public_pages_and_the_public_does_not(client, crpv_client):
    fiche = FicheFactory(published=True)
    edit_url = reverse("fiches_experience:edit", kwargs={"pk": fiche.pk})
    assert edit_url in crpv_client.get(fiche.get_absolute_url()).content.decode()
    assert edit_url not in client.get(fiche.get_absolute_url()).content.decode()
    desk = reverse("fiches_experience:editor_list")
    assert desk in crpv_client.get(reverse("fiches_experience:catalogue")).content.decode()
    assert desk not in client.get(reverse("fiches_experience:catalogue")).content.decode()


def test_editor_changes_the_description_and_it_is_a_version(crpv_client, crpv_editor):
    fiche = FicheFactory(author=crpv_editor, title="Ancien titre")
    dispositif = Dispositif.objects.get(slug="pre")
    response = crpv_client.post(
        reverse("fiches_experience:edit", kwargs={"pk": fiche.pk}),
        {"title": "Nouveau titre", "licence": "cc-by-4.0", "dispositifs": [dispositif.pk], "annees": "2019-2022"},
    )
    assert response.status_code == 302
    fiche.refresh_from_db()
    assert (fiche.title, fiche.annees, fiche.licence) == ("Nouveau titre", "2019-2022", "cc-by-4.0")
    assert list(fiche.dispositifs.all()) == [dispositif]
    assert fiche.versions.first().snapshot["title"] == "Nouveau titre"
    assert fiche.slug == "ancien-titre"  # addresses stay stable: links to the fiche keep working
