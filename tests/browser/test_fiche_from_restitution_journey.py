import pytest
from playwright.sync_api import expect

from fiches_experience.models import FicheExperience, Status
from tests.restitutions.factories import restitution_from_seed_001

pytestmark = pytest.mark.browser


def test_coordinator_proposes_seed_001_as_a_fiche_and_the_editor_opens_it(
    page, live_server, browser_login, axe_check, coordinator, crpv_editor, collectif
):
    restitution = restitution_from_seed_001(collectif, facilitators="La Bouture (recherche-action)")
    browser_login(page, coordinator.email)
    page.goto(f"{live_server.url}{restitution.get_absolute_url()}")
    expect(page.get_by_role("heading", level=2, name="Faire connaître l'expérience")).to_be_visible()
    axe_check(page)

    page.get_by_role("button", name="Préparer une fiche expérience").click()

    expect(page.get_by_text("envoyée en relecture au centre de ressources")).to_be_visible()
    expect(page.get_by_text("Une fiche a déjà été préparée à partir de cette restitution")).to_be_visible()
    expect(page.get_by_role("button", name="Préparer une fiche expérience")).to_have_count(0)
    axe_check(page)
    fiche = FicheExperience.objects.get()
    assert fiche.status == Status.IN_REVIEW and fiche.author == coordinator

    page.context.clear_cookies()
    browser_login(page, crpv_editor.email)
    page.goto(f"{live_server.url}{restitution.get_absolute_url()}")
    page.get_by_role("link", name="Ouvrir la fiche « Les partenariats à mobiliser").click()
    expect(page.get_by_role("heading", level=3, name="Enseignements tirés")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Aperçu public").click()
    expect(page.get_by_text("Le PRE (ou DRE) est porteur de l'expérimentation.")).to_be_visible()
