import pytest

from fiches_experience.models import FicheExperience, Status

pytestmark = pytest.mark.browser

TITLE = "Un parrainage entre lycéens et collégiens"


def test_editor_drafts_another_publishes_and_a_visitor_finds_and_downloads_it(
    page, live_server, browser_login, axe_check, crpv_editor, second_crpv_editor, tmp_path
):
    # A CRPV editor drafts the fiche, writes a section and sends it for review.
    browser_login(page, crpv_editor.email)
    page.goto(live_server.url + "/fiches/edition/")
    axe_check(page)
    page.get_by_role("link", name="Écrire une fiche").click()
    axe_check(page)
    page.get_by_label("Gabarit").select_option("court")
    page.get_by_label("Titre").fill(TITLE)
    page.get_by_label("Décrochage scolaire").check()
    page.get_by_role("button", name="Créer le brouillon").click()
    assert page.get_by_role("heading", level=1, name=TITLE).is_visible()
    axe_check(page)
    page.get_by_role("link", name="Rédiger « L'idée de départ »").click()
    axe_check(page)
    page.get_by_label("Contenu").fill("Des lycéens accompagnent des collégiens qui perdent pied.")
    page.get_by_role("button", name="Enregistrer la section").click()
    page.get_by_role("link", name="Aperçu public").click()
    assert page.get_by_text("Des lycéens accompagnent des collégiens").is_visible()
    axe_check(page)
    page.get_by_role("link", name="Revenir à l'édition").click()
    page.get_by_role("button", name="Envoyer en relecture").click()
    assert page.get_by_text("attend la relecture d'un autre éditeur").is_visible()
    axe_check(page)
    page.context.clear_cookies()

    # A second editor reviews and publishes it.
    fiche = FicheExperience.objects.get(title=TITLE)
    browser_login(page, second_crpv_editor.email)
    page.goto(f"{live_server.url}/fiches/edition/{fiche.pk}/")
    page.get_by_role("button", name="Publier").click()
    assert page.get_by_text("Fiche publiée dans le catalogue.").is_visible()
    axe_check(page)
    fiche.refresh_from_db()
    assert fiche.status == Status.PUBLISHED and fiche.reviewer == second_crpv_editor
    page.context.clear_cookies()

    # An anonymous visitor finds it by its theme typed without accents, reads it and downloads the PDF.
    page.goto(live_server.url + "/fiches/")
    axe_check(page)
    page.get_by_label("Rechercher une expérience").fill("decrochage scolaire")
    page.get_by_role("button", name="Rechercher").click()
    axe_check(page)
    page.get_by_role("link", name=TITLE).click()
    assert page.get_by_role("heading", level=1, name=TITLE).is_visible()
    axe_check(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger la fiche en PDF").click()
    path = tmp_path / "fiche.pdf"
    download_info.value.save_as(path)
    assert path.read_bytes().startswith(b"%PDF")
