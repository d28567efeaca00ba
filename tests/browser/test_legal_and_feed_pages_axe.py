"""The legal pages (linked from every footer) and the calendar page showing a new feed address pass axe-core."""

import pytest

pytestmark = pytest.mark.browser


def test_legal_pages_and_new_feed_address_are_accessible(
    page, live_server, browser_login, axe_check, collectif, member
):
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/")
    for name in ("Mentions légales", "Politique de confidentialité", "Accessibilité : partiellement conforme"):
        page.get_by_role("link", name=name).click()
        axe_check(page)
    browser_login(page, member.email)
    page.goto(f"{live_server.url}/c/{collectif.slug}/reunions/calendrier/")
    page.get_by_role("button", name="Créer mes adresses d'abonnement").click()
    assert ".ics" in page.get_by_label("Mes réunions (tous mes collectifs)").input_value()
    axe_check(page)
