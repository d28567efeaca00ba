"""A coordinator opens a date poll with 3 slots, two members vote, the coordinator picks a slot; the invitation
with its .ics arrives; a member answers « excusé » from the link in it and the reunion page shows it."""

import re

import pytest
from django.core import mail

from reunions.models import Reunion
from tests.helpers import ics_of
from tests.membres.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.browser


def _logout(page, live_server):
    page.context.clear_cookies()


def test_poll_to_invitation_to_excuse(
    page, live_server, browser_login, axe_check, collectif, coordinator, member, institution
):
    second = UserFactory(email="second@exemple.org", first_name="Julien", last_name="Robert")
    MembershipFactory(user=second, collectif=collectif, institution=institution)
    base = live_server.url
    page.set_default_timeout(10_000)

    browser_login(page, coordinator.email)
    page.goto(f"{base}/c/{collectif.slug}/reunions/nouvelle/")
    axe_check(page)
    page.get_by_label("Titre").fill("Plénière de printemps")
    page.get_by_role("button", name="Enregistrer").click()
    assert page.get_by_role("heading", level=1, name="Plénière de printemps").is_visible()
    axe_check(page)
    page.get_by_role("link", name="Proposer des dates").click()
    axe_check(page)
    page.get_by_label("Date limite de réponse").fill("2031-03-01T18:00")
    for i, day in enumerate(("10", "12", "17"), start=1):
        page.get_by_label(re.compile(rf"^Début du créneau {i}\b")).fill(f"2031-03-{day}T14:00")
        page.get_by_label(re.compile(rf"^Fin du créneau {i}\b")).fill(f"2031-03-{day}T16:00")
    page.get_by_label("Tous les membres actifs du collectif").check()
    page.get_by_role("button", name="Ouvrir le sondage").click()
    assert page.get_by_role("heading", name="Sondage de date").is_visible()
    axe_check(page)
    reunion = Reunion.objects.get(title="Plénière de printemps")
    poll_url = page.url

    for voter, choice in ((member, "Oui"), (second, "Si besoin")):
        _logout(page, live_server)
        browser_login(page, voter.email)
        page.goto(poll_url)
        page.get_by_role("group", name=re.compile("mars 2031, 14:00")).first.get_by_label(choice).check()
        page.get_by_role("button", name="Enregistrer mes réponses").click()
        assert page.get_by_text("Vos disponibilités sont enregistrées.").is_visible()
        axe_check(page)

    _logout(page, live_server)
    browser_login(page, coordinator.email)
    page.goto(poll_url)
    assert page.get_by_text("1 oui · 1 si besoin · 0 non").is_visible()
    mail.outbox.clear()
    page.get_by_label(re.compile("10 mars 2031")).check()
    page.get_by_role("button", name="Convoquer à cette date").click()
    assert page.get_by_text("la réunion est convoquée").is_visible()
    axe_check(page)

    invitation = next(m for m in mail.outbox if m.to == [member.email])
    cal = ics_of(invitation)
    assert cal["METHOD"] == "REQUEST"
    assert str(cal.walk("VEVENT")[0]["UID"]) == reunion.ical_uid
    excuse_link = re.search(r"Je suis excusé·e : (\S+)", invitation.body).group(1)

    _logout(page, live_server)
    page.goto(re.sub(r"^https?://[^/]+", base, excuse_link))  # the e-mail uses SITE_URL
    axe_check(page)
    page.get_by_role("button", name=re.compile("Confirmer")).click()
    assert page.get_by_role("heading", name="Réponse enregistrée").is_visible()
    axe_check(page)

    browser_login(page, coordinator.email)
    page.goto(f"{base}{reunion.get_absolute_url()}")
    row = page.get_by_role("row", name=re.compile("Nadia Haddad"))
    assert "Excusé" in row.inner_text()
    axe_check(page)
