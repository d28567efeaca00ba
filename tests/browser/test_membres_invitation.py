import re

import pytest
from django.core import mail

from membres.models import Membership

pytestmark = pytest.mark.browser

NEW_EMAIL = "nouvelle.infirmiere@exemple.org"


def test_coordinator_invites_a_new_member_who_signs_up_and_lands_in_the_collectif(
    page, live_server, browser_login, axe_check, coordinator, collectif, institution, other_member
):
    browser_login(page, coordinator.email)
    page.goto(f"{live_server.url}/c/{collectif.slug}/annuaire/")
    axe_check(page)
    page.get_by_role("link", name="Inviter une personne").first.click()
    assert page.get_by_role("heading", level=1, name="Inviter une personne").is_visible()
    axe_check(page)
    page.locator("#id_email").fill(NEW_EMAIL)
    page.locator("#id_institution").select_option(label=institution.name)
    page.locator("#id_function").fill("Infirmière scolaire")
    page.locator("#id_niveau").select_option("terrain")
    page.get_by_role("button", name="Envoyer l'invitation").click()
    assert page.get_by_text(f"Invitation envoyée à {NEW_EMAIL}").is_visible()
    axe_check(page)

    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/invitation/\S+/", mail.outbox[0].body).group(0)
    assert link.startswith(live_server.url)

    # The new person, in a fresh session, opens the link, chooses a password and lands in the collectif.
    page.context.clear_cookies()
    page.goto(link)
    axe_check(page)
    assert page.locator("#id_email").input_value() == NEW_EMAIL
    page.locator("#id_password1").fill("Persévérer-ensemble-2026")
    page.locator("#id_password2").fill("Persévérer-ensemble-2026")
    page.locator("form:has(#id_password1) [type=submit]").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1, name=collectif.name).is_visible()
    axe_check(page)
    membership = Membership.objects.active().get(user__email=NEW_EMAIL)
    assert (membership.collectif, membership.function) == (collectif, "Infirmière scolaire")

    # A member of another collectif does not even learn that this one's pages exist.
    page.context.clear_cookies()
    browser_login(page, other_member.email)
    for path in ("", "annuaire/", "cartographie/", "charte/"):
        response = page.goto(f"{live_server.url}/c/{collectif.slug}/{path}")
        assert response.status == 404
    axe_check(page)
