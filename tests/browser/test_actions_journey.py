import pytest
from playwright.sync_api import expect

from tests.actions.factories import theme

# Transactional (live server): tests/conftest.py's `transactional_db` re-seeds the reference vocabularies.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_member_logs_an_action_journals_it_and_the_coordinator_counts_it(
    page, browser, live_server, browser_login, axe_check, member, coordinator, collectif
):
    theme("Orientation")
    browser_login(page, member.email)
    page.goto(f"{live_server.url}/c/{collectif.slug}/actions/")
    axe_check(page)
    page.get_by_role("link", name="Nouvelle action", exact=True).click()
    axe_check(page)
    page.get_by_label("Titre").fill("Forum des métiers 2027")
    page.get_by_label("Description").fill("Un forum avec les entreprises du territoire.")
    page.get_by_label("Orientation", exact=True).check()
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", level=1, name="Forum des métiers 2027")).to_be_visible()
    axe_check(page)

    # Two journal entries through htmx: the page is not reloaded (the marker set on window survives).
    page.evaluate("window.__sansRechargement = true")
    for kind, text in [("Étape", "Réunion de lancement avec les entreprises."), ("Difficulté", "Salle trop petite.")]:
        page.get_by_label("Type").select_option(label=kind)
        page.get_by_label("Date").fill("2026-11-20")
        page.get_by_label("Texte").fill(text)
        if kind == "Difficulté":
            page.get_by_label("Pièce jointe").set_input_files(
                files=[{"name": "plan-salle.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 plan"}]
            )
        page.get_by_role("button", name="Ajouter au journal").click()
        expect(page.locator("#journal").get_by_text(text)).to_be_visible()
    assert page.evaluate("window.__sansRechargement === true")
    expect(page.locator(".journal-entry")).to_have_count(2)
    expect(page.get_by_role("link", name="Pièce jointe : plan-salle.pdf")).to_be_visible()
    axe_check(page)

    page.get_by_role("link", name="Actions du collectif").click()
    page.get_by_label("Thème").select_option(label="Orientation")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.get_by_role("link", name="Forum des métiers 2027")).to_be_visible()
    expect(page.get_by_role("heading", name="1 action")).to_be_visible()
    axe_check(page)

    coordinator_page = browser.new_page()
    browser_login(coordinator_page, coordinator.email)
    coordinator_page.goto(f"{live_server.url}/c/{collectif.slug}/indicateurs/")
    themes_table = coordinator_page.locator("table", has_text="Actions par thème")
    expect(themes_table.get_by_role("row", name="Orientation 1")).to_be_visible()
    expect(coordinator_page.get_by_role("heading", name="Décrochage du collectif")).to_be_visible()
    axe_check(coordinator_page)
    coordinator_page.close()
