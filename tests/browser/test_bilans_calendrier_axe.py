"""The bilan page, its status page and the school calendar pass axe-core; one click prepares the bilan."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.reunions.factories import ReunionFactory

pytestmark = pytest.mark.browser


def test_bilan_and_school_calendar_pages_are_accessible(
    page, live_server, browser_login, axe_check, collectif, coordinator, member
):
    ReunionFactory(collectif=collectif, title="Plénière passée", starts_at=timezone.now() - timedelta(days=30))
    page.set_default_timeout(30_000)
    base = f"{live_server.url}/c/{collectif.slug}"
    browser_login(page, coordinator.email)

    page.goto(base + "/calendrier-scolaire/")
    expect(page.get_by_role("heading", level=1, name="Calendrier scolaire")).to_be_visible()
    axe_check(page)

    page.goto(base + "/bilan/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bilan annuel")
    axe_check(page)
    page.get_by_role("button", name="Préparer le bilan").click()
    expect(page.get_by_role("link", name="Télécharger le PDF")).to_be_visible()
    axe_check(page)
