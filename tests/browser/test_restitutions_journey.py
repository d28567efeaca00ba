import re

import pytest
from playwright.sync_api import expect

from restitutions.models import Point, Restitution
from tests.restitutions.factories import SEED_001
from tests.restitutions.pdftools import pdf_text

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

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger le PDF").click()
    path = tmp_path / "restitution.pdf"
    download_info.value.save_as(path)
    text = pdf_text(path.read_bytes())
    assert "Éviter la dispersion des forces et des moyens." in text
    assert re.search(r"page 1 / \d", text)
