"""The coordinator's other pages pass axe-core, and the agenda reorders in place with htmx."""

import pytest
from playwright.sync_api import expect

from reunions.services.minutes import minutes_get_or_create
from tests.reunions.factories import AgendaItemFactory, GroupeFactory, InvitationFactory, ReunionFactory

pytestmark = pytest.mark.browser


def test_coordinator_pages_are_accessible_and_agenda_moves_with_htmx(
    page, live_server, browser_login, axe_check, collectif, coordinator, member
):
    from membres.models import Membership

    member_ms = Membership.objects.get(user=member)
    upcoming = ReunionFactory(collectif=collectif, title="Plénière à venir")
    AgendaItemFactory(reunion=upcoming, title="Accueil", position=1)
    AgendaItemFactory(reunion=upcoming, title="Bilan", position=2)
    past = ReunionFactory(collectif=collectif, past=True, title="Plénière passée", secretary=member_ms)
    InvitationFactory(reunion=past, membership=member_ms)
    minutes_get_or_create(reunion=past)
    GroupeFactory(collectif=collectif, name="Dossier CLAS")
    page.set_default_timeout(10_000)
    base = f"{live_server.url}/c/{collectif.slug}"

    browser_login(page, coordinator.email)
    for path in ("/reunions/", "/reunions/mois/", "/a-faire/", "/groupes/", "/reunions/calendrier/"):
        page.goto(base + path)
        axe_check(page)
    for name in ("presences", "compte-rendu", "compte-rendu/rediger", "rappels", "modifier", "inviter"):
        target = past if name in ("presences", "compte-rendu", "compte-rendu/rediger") else upcoming
        page.goto(f"{base}/reunions/{target.pk}/{name}/")
        axe_check(page)

    page.goto(f"{base}/reunions/{upcoming.pk}/")
    axe_check(page)
    url_before = page.url
    page.get_by_role("button", name="Descendre « Accueil »").click()
    expect(page.locator(".agenda__title")).to_have_text(["Bilan", "Accueil"])
    assert page.url == url_before  # swapped in place, no reload
    axe_check(page)
