import re

import pytest
from playwright.sync_api import expect

from restitutions.models import Point, Restitution
from tests.helpers import pdf_text
from tests.restitutions.factories import SEED_001

pytestmark = pytest.mark.browser


def test_facilitator_pastes_seed_001_fixes_a_point_and_downloads_the_pdf(
    page, live_server, browser_login, axe_check, crpv_editor, collectif, tmp_path
):
    browser_login(page, crpv_editor.email)
    page.goto(f"{live_server.url}/c/{collectif.slug}/restitutions/")
    expect(page.get_by_role("heading", level=1, name="Restitutions d'ateliers")).to_be_visible()
    axe_check(page)

    page.get_by_role("link", name="Coller un texte à importer").click()
    axe_check(page)
    page.get_by_label("Texte de la restitution").fill(SEED_001)
    page.get_by_role("button", name="Analyser le texte").click()
    expect(page.get_by_text("Toutes les lignes ont été placées")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Enregistrer la restitution").click()

    expect(
        page.get_by_role("heading", level=1, name="Les partenariats à mobiliser pour prévenir le décrochage scolaire")
    ).to_be_visible()
    axe_check(page)
    restitution = Restitution.objects.get()
    assert restitution.points.count() == 20

    # Fix one point in place (htmx): the page does not reload.
    page.evaluate("window.__sameDocument = true")
    page.get_by_role("link", name="Modifier le point 2 de « Points d'achoppement ou obstacles »").click()
    editor = page.get_by_label("Modifier le point")
    editor.fill("Éviter la dispersion des forces et des moyens.")
    axe_check(page)
    page.locator("#liste-obstacles").get_by_role("button", name="Enregistrer").click()
    expect(page.locator("#liste-obstacles")).to_contain_text("Éviter la dispersion des forces et des moyens.")
    # Move it first, still without reloading.
    page.get_by_role("button", name="Monter le point 2 de « Points d'achoppement ou obstacles »").click()
    expect(page.locator("#liste-obstacles li").first).to_contain_text("Éviter la dispersion des forces")
    assert page.evaluate("window.__sameDocument") is True
    axe_check(page)
    first = restitution.points.filter(section=Point.Section.OBSTACLES).order_by("position").first()
    assert first.text == "Éviter la dispersion des forces et des moyens."

    # Remove a point: htmx asks for confirmation first.
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("link", name="Supprimer le point 4 de « État des lieux et constats »").click()
    expect(page.locator("#liste-constats li")).to_have_count(3)
    assert page.evaluate("window.__sameDocument") is True

    # The pages used without JavaScript: the confirmation of a removal and the form to edit a point.
    point = restitution.points.filter(section=Point.Section.CONSTATS).first()
    for action in ("supprimer", "modifier"):
        page.goto(f"{live_server.url}{restitution.get_absolute_url()}points/{point.pk}/{action}/")
        axe_check(page)
    page.goto(f"{live_server.url}{restitution.get_absolute_url()}")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger le PDF").click()
    path = tmp_path / "restitution.pdf"
    download_info.value.save_as(path)
    text = pdf_text(path.read_bytes())
    assert "Éviter la dispersion des forces et des moyens." in text
    assert re.search(r"page 1 / \d", text)


def test_editing_points_works_without_javascript(browser, live_server, member, collectif):
    """Plain forms and links only. axe-core needs JavaScript: these pages are checked in the journey above."""
    from tests.membres.factories import PASSWORD
    from tests.restitutions.factories import restitution_from_seed_001

    restitution = restitution_from_seed_001(collectif)
    context = browser.new_context(java_script_enabled=False, locale="fr-FR")
    page = context.new_page()
    page.goto(f"{live_server.url}/compte/login/")
    page.locator("#id_login").fill(member.email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form:has(#id_login) [type=submit]").click()

    page.goto(f"{live_server.url}{restitution.get_absolute_url()}")
    page.get_by_label("Ajouter un point à « Questions vives »").fill("Comment associer les lycées ?")
    page.locator("#liste-questions").get_by_role("button", name="Ajouter").click()
    expect(page.locator("#liste-questions li").last).to_contain_text("Comment associer les lycées ?")
    page.get_by_role("button", name="Monter le point 6 de « Questions vives »").click()
    expect(page.locator("#liste-questions li").nth(4)).to_contain_text("Comment associer les lycées ?")

    page.get_by_role("link", name="Supprimer le point 5 de « Questions vives »").click()
    expect(page.get_by_role("heading", name="Confirmer la suppression")).to_be_visible()
    page.get_by_role("button", name="Oui, supprimer").click()
    expect(page.locator("#liste-questions li")).to_have_count(5)
    expect(page.locator("#liste-questions")).not_to_contain_text("Comment associer les lycées ?")
    context.close()
