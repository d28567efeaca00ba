import json

import pytest
from django.urls import reverse

from collectifs.models import Dispositif, Theme
from fiches_experience import search, services
from fiches_experience.models import FicheExperience, Gabarit, PublicCible
from tests.collectifs.factories import TerritoireFactory
from tests.fiches_experience.factories import FicheFactory
from tests.helpers import client_for, pdf_text

pytestmark = pytest.mark.django_db
CATALOGUE = reverse("fiches_experience:catalogue")


def titles(response) -> list[str]:
    return [f.title for f in response.context["result"].page.object_list]


def test_catalogue_is_public_and_lists_only_published_fiches(client):
    FicheFactory(published=True, title="Publiée")
    FicheFactory(title="Brouillon")
    FicheFactory(in_review=True, title="En relecture")
    FicheFactory(archived=True, title="Archivée")
    response = client.get(CATALOGUE)
    assert response.status_code == 200
    assert titles(response) == ["Publiée"]


def test_search_ignores_accents_and_endings(client):
    FicheFactory(published=True, title="Prévenir le décrochage scolaire au collège")
    FicheFactory(published=True, title="Relations avec les parents", sections={"contact": "<p>Mairie</p>"})
    assert titles(client.get(CATALOGUE, {"q": "decrochage"})) == ["Prévenir le décrochage scolaire au collège"]
    assert titles(client.get(CATALOGUE, {"q": "DÉCROCHAGES"})) == ["Prévenir le décrochage scolaire au collège"]
    assert titles(client.get(CATALOGUE, {"q": "parent"})) == ["Relations avec les parents"]


def test_title_weighs_more_than_sections(client):
    FicheFactory(
        published=True,
        title="Un réseau d'acteurs",
        sections={"idee_de_depart": "<p>Le réseau parle aussi d'orientation scolaire, un peu.</p>"},
    )
    FicheFactory(published=True, title="Orientation scolaire en troisième")
    assert titles(client.get(CATALOGUE, {"q": "orientation"})) == [
        "Orientation scolaire en troisième",
        "Un réseau d'acteurs",
    ]


def test_a_fiche_that_opens_on_the_words_ranks_before_one_that_mentions_them_late(client):
    """The rank reads the title, the metadata and the sections' opening (services.RANK_OPENING characters); the
    whole text still decides what matches."""
    late = "<p>" + "Un texte sur autre chose. " * 20 + "Puis la médiation.</p>"
    FicheFactory(published=True, title="Fiche courte", sections={"idee_de_depart": "<p>La médiation au collège.</p>"})
    FicheFactory(published=True, title="Fiche longue", sections={"idee_de_depart": late})  # newer: first on a tie
    assert titles(client.get(CATALOGUE, {"q": "mediation"})) == ["Fiche courte", "Fiche longue"]


def test_word_starts_finds_what_the_stems_pattern_finds():
    texts = [
        "Décrochages, DÉCROCHAGE et raccrochage ; l'École, écoles, préécole, Œuvre, İstanbul décrochage",
        # out of Latin-1 but no letter the regex would fold: typographic apostrophe, dash, ellipsis, œ
        "L’école — décrochage… cœur d’écoles, œuvre ; ÉCOLE",
        "ſcolaire et Ÿvette, scolaires",  # letters out of Latin-1 that the regex folds into s and ÿ
    ]
    for text in texts:
        for stems in (["decrochag"], ["ecol", "decroch"], ["istanbul"], ["oeuvr"], ["scolair"], ["yvet"], ["xyz"]):
            expected = [m.span() for m in search._stems_pattern(stems).finditer(text)]
            assert search._word_starts(text, stems) == expected, (text, stems)
    text = "Décrochages, DÉCROCHAGE et raccrochage ; l'École, écoles, préécole"
    assert len(search._word_starts(text, ["decrochag", "ecol"])) == 4


def test_theme_names_are_searchable(client):
    theme = Theme.objects.get(slug="exclusions-temporaires")
    FicheFactory(published=True, title="Accueillir les collégiens", themes=[theme])
    assert titles(client.get(CATALOGUE, {"q": "exclusions temporaires"})) == ["Accueillir les collégiens"]


def test_excerpt_is_the_passage_with_the_most_matches():
    text = " ".join(["mot"] * 50 + ["décrochage", "scolaire", "et", "décrochages"] + ["autre"] * 50)
    excerpt = search.excerpt_html(text, ["decrochag"], length=60)
    assert excerpt.startswith("… ") and excerpt.endswith(" …")
    assert excerpt.count("<mark>") == 2
    assert search.excerpt_html("rien à voir", ["decrochag"]) == ""
    assert search.stems_from_tsquery("'decrochag' & 'scolair'") == ["decrochag", "scolair"]


def test_excerpt_highlights_matches_and_escapes_text(client):
    FicheFactory(
        published=True,
        title="Fiche",
        sections={"idee_de_depart": "<p>Contre le décrochage &lt;script&gt;alert(1)&lt;/script&gt; ensemble.</p>"},
    )
    response = client.get(CATALOGUE, {"q": "decrochage"})
    excerpt = response.context["result"].page.object_list[0].excerpt
    assert "<mark>décrochage</mark>" in excerpt
    assert "<script" not in excerpt and "alert(1)" in excerpt
    assert b"<mark>d\xc3\xa9crochage</mark>" in response.content


def test_facets_count_results_and_filter(client):
    isere = TerritoireFactory(name="Isère")
    orne = TerritoireFactory(name="Orne")
    parents = Theme.objects.get(slug="relations-avec-les-parents")
    pre = Dispositif.objects.get(slug="pre")
    a = FicheFactory(published=True, title="A", territoire=isere, themes=[parents])
    a.dispositifs.add(pre)
    a.public_cible = PublicCible.PARENTS
    a.save()
    FicheFactory(published=True, title="B", territoire=isere, gabarit=Gabarit.CRPV)
    FicheFactory(published=True, title="C", territoire=orne, themes=[parents])
    result = client.get(CATALOGUE).context["result"]
    facets = {f.name: {v.label: v.count for v in f.values} for f in result.facets}
    assert facets["territoire"] == {"Isère": 2, "Orne": 1}
    assert facets["theme"] == {"Relations avec les parents": 2}
    assert facets["dispositif"] == {"PRE": 1}
    assert facets["public"] == {"Parents et familles": 1}
    assert facets["gabarit"] == {"Gabarit court": 2, "Gabarit CRPV": 1}
    assert result.total == 3
    assert sorted(titles(client.get(CATALOGUE, {"territoire": isere.pk}))) == ["A", "B"]
    assert sorted(titles(client.get(CATALOGUE, {"theme": parents.slug}))) == ["A", "C"]
    assert titles(client.get(CATALOGUE, {"theme": parents.slug, "territoire": orne.pk})) == ["C"]
    assert titles(client.get(CATALOGUE, {"gabarit": "crpv"})) == ["B"]
    assert titles(client.get(CATALOGUE, {"dispositif": "pre", "public": "parents"})) == ["A"]
    assert titles(client.get(CATALOGUE, {"territoire": "x"})) == []


@pytest.mark.parametrize("params", [{}, {"theme": "decrochage-scolaire", "page": "3"}, {"q": "decrochage"}])
def test_a_catalogue_with_nothing_to_show_says_what_to_do(client, params):
    FicheFactory(title="Brouillon sur le décrochage")  # not published
    response = client.get(CATALOGUE, params)
    assert response.status_code == 200
    assert "Aucune fiche ne correspond" in response.content.decode()


def test_catalogue_paginates(client):
    for n in range(search.PAGE_SIZE + 3):
        FicheFactory(published=True, title=f"Fiche {n:02d} sur le décrochage")
    first = client.get(CATALOGUE, {"q": "decrochage"})
    second = client.get(CATALOGUE, {"q": "decrochage", "page": 2})
    assert len(titles(first)) == search.PAGE_SIZE and len(titles(second)) == 3
    assert first.context["result"].total == search.PAGE_SIZE + 3
    assert "q=decrochage&amp;page=2" in first.content.decode()
    # A page out of range shows the last one, as Django's paginator does (its cards read apart from the list).
    for page in ("99", "0", "-1"):
        assert titles(client.get(CATALOGUE, {"q": "decrochage", "page": page})) == titles(second)
    assert titles(client.get(CATALOGUE, {"q": "decrochage", "page": "deux"})) == titles(first)
    assert titles(client.get(CATALOGUE, {"page": "99"})) == titles(client.get(CATALOGUE, {"page": "2"}))


def test_a_search_or_a_browse_is_one_query_once_the_facet_index_is_built(client, django_assert_num_queries):
    theme = Theme.objects.get(slug="decrochage-scolaire")
    for n in range(3):
        FicheFactory(published=True, title=f"Décrochage {n}", themes=[theme], territoire=TerritoireFactory())
    client.get(CATALOGUE, {"q": "collège"})  # the facet index is built (three queries)
    with django_assert_num_queries(1):
        response = client.get(CATALOGUE, {"q": "décrochage"})
    assert len(titles(response)) == 3
    assert {f.name: [v.count for v in f.values] for f in response.context["result"].facets}["theme"] == [3]
    with django_assert_num_queries(1):
        assert len(titles(client.get(CATALOGUE, {"theme": theme.slug}))) == 3


def test_a_theme_given_to_a_fiche_is_counted_at_once(client):
    """The facet index is kept per process while the link tables are unchanged: a theme added moves their
    generation, and the next search counts it."""
    fiche = FicheFactory(published=True, title="Café des parents")
    facets = client.get(CATALOGUE, {"q": "parents"}).context["result"].facets
    assert {f.name: f.values for f in facets}["theme"] == []
    fiche.themes.add(Theme.objects.get(slug="decrochage-scolaire"))
    result = client.get(CATALOGUE, {"q": "café"}).context["result"]
    themes = {f.name: f.values for f in result.facets}["theme"]
    assert [(v.value, v.count) for v in themes] == [("decrochage-scolaire", 1)]
    assert result.page.object_list[0].themes == [Theme.objects.get(slug="decrochage-scolaire").name]


@pytest.mark.parametrize(
    "params",
    [{}, {"q": "décrochage scolaire"}, {"q": "decrochage", "theme": "decrochage-scolaire", "gabarit": "court"}],
)
def test_catalogue_and_search_run_in_at_most_8_queries(client, crpv_editor, django_assert_max_num_queries, params):
    theme = Theme.objects.get(slug="decrochage-scolaire")
    for n in range(25):
        FicheFactory(published=True, title=f"Décrochage {n}", themes=[theme], territoire=TerritoireFactory())
    editor_client = client_for(crpv_editor)
    with django_assert_max_num_queries(8):
        assert client.get(CATALOGUE, params).status_code == 200
    with django_assert_max_num_queries(8):
        assert editor_client.get(CATALOGUE, params).status_code == 200


def test_search_falls_back_to_icontains_without_postgresql(monkeypatch):
    FicheFactory(
        published=True,
        title="Orientation en fin de troisième",
        sections={"idee_de_depart": "<p>Un forum sur l'orientation pour les élèves de troisième.</p>"},
    )
    monkeypatch.setattr(search, "is_postgresql", lambda: False)
    result = search.catalogue({"q": "orientation troisième"})
    assert [f.title for f in result.page.object_list] == ["Orientation en fin de troisième"]
    assert "l&#x27;<mark>orientation</mark>" in result.page.object_list[0].excerpt
    assert "<mark>troisième</mark>." in result.page.object_list[0].excerpt


def test_fiche_page_obfuscates_email_addresses(client, django_assert_max_num_queries):
    fiche = FicheFactory(
        published=True,
        sections={
            "contact": '<p>Jeanne Martin : <a href="mailto:jeanne.martin@exemple.fr">jeanne.martin@exemple.fr</a></p>'
        },
    )
    with django_assert_max_num_queries(8):
        response = client.get(fiche.get_absolute_url())
    content = response.content.decode()
    assert "jeanne.martin [arobase] exemple [point] fr" in content
    assert "@exemple.fr" not in content and "mailto:" not in content
    assert '<meta name="viewport"' in content


def test_unpublished_fiche_answers_404_but_editor_preview_shows_it(client, crpv_client):
    fiche = FicheFactory(title="Pas encore publiée")
    assert client.get(fiche.get_absolute_url()).status_code == 404
    preview = crpv_client.get(reverse("fiches_experience:preview", kwargs={"pk": fiche.pk}))
    assert preview.status_code == 200 and "Pas encore publiée" in preview.content.decode()


def test_pdf_of_a_fiche(client):
    fiche = FicheFactory(
        published=True,
        title="Un collectif à Villefontaine",
        sections={"idee_de_depart": "<p>Culture commune du décrochage.</p>", "contact": "<p>a.b@exemple.fr</p>"},
    )
    response = client.get(reverse("fiches_experience:pdf", kwargs={"slug": fiche.slug}))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Un collectif à Villefontaine" in text
    assert "Culture commune du décrochage." in text
    assert "a.b [arobase] exemple [point] fr" in text


def test_atom_feed_lists_newly_published_fiches(client):
    FicheFactory(published=True, title="Nouvelle fiche publiée")
    FicheFactory(title="Brouillon caché")
    response = client.get(reverse("fiches_experience:feed"))
    content = response.content.decode()
    assert response["Content-Type"].startswith("application/atom+xml")
    assert "Nouvelle fiche publiée" in content and "Brouillon caché" not in content


def test_open_data_exports_published_fiches_as_json_and_csv(client):
    FicheFactory(published=True, title="Ouverte", sections={"contact": "<p>x.y@exemple.fr</p>"})
    FicheFactory(title="Brouillon")
    data = json.loads(client.get(reverse("fiches_experience:export_json")).content)
    assert [f["titre"] for f in data["fiches"]] == ["Ouverte"]
    contact = next(s for s in data["fiches"][0]["sections"] if s["titre"] == "Contact")
    assert contact["html"] == "<p>x.y [arobase] exemple [point] fr</p>"
    csv_text = client.get(reverse("fiches_experience:export_csv")).content.decode("utf-8-sig")
    lines = csv_text.splitlines()
    assert lines[0].startswith("slug;url;titre;gabarit")
    assert "Ouverte" in csv_text and "Brouillon" not in csv_text and "@exemple.fr" not in csv_text


def test_reindex_keeps_search_in_step_with_edits(client, crpv_editor):
    fiche = FicheFactory(published=True, author=crpv_editor, title="Fiche")
    assert titles(client.get(CATALOGUE, {"q": "mediation"})) == []
    services.fiche_section_update(fiche=fiche, by=crpv_editor, key="contact", html="<p>Médiation scolaire</p>")
    assert titles(client.get(CATALOGUE, {"q": "mediation"})) == ["Fiche"]
    assert FicheExperience.objects.get(pk=fiche.pk).search_text.count("Médiation") == 1
