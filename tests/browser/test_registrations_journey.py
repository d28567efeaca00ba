"""An atelier opened to partners, from the public registration to the restitution's participants table, then the
questionnaire that reaches those present the next day and its result on the reunion page."""

import re
from datetime import datetime, time, timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from restitutions.models import Restitution
from reunions.models import Registration, Reunion
from reunions.services.questionnaires import questionnaires_send_due
from tests.restitutions.factories import RestitutionFactory
from tests.reunions.factories import ReunionFactory

pytestmark = pytest.mark.browser

S = Registration.Status


def link_in(message, kind: str, base: str) -> str:
    url = re.search(rf"https?://\S+/inscription/{kind}/\S+/", message.body).group(0)
    return re.sub(r"^https?://[^/]+", base, url)  # the e-mail uses SITE_URL


def register(page, url, axe_check, *, name, email, structure, kind):
    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Atelier partenaires")
    axe_check(page)
    page.get_by_label("Nom et prénom").fill(name)
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label(re.compile(r"^Structure")).fill(structure)
    page.get_by_label("Type de structure").select_option(kind)
    page.get_by_label("J'accepte que ces informations soient conservées").check()
    page.get_by_role("button", name="S'inscrire").click()
    expect(page.get_by_text("Un e-mail vient de partir")).to_be_visible()
    axe_check(page)


def test_atelier_opened_to_partners_from_registration_to_restitution(
    page, live_server, browser_login, axe_check, coordinator, collectif
):
    base = live_server.url
    atelier = ReunionFactory(
        collectif=collectif,
        kind=Reunion.Kind.ATELIER,
        title="Atelier partenaires",
        starts_at=timezone.now() + timedelta(days=3),
    )
    browser_login(page, coordinator.email)
    page.goto(f"{base}{atelier.get_absolute_url()}")
    page.get_by_role("link", name="Inscriptions publiques").click()
    axe_check(page)
    page.get_by_label("Nombre de places").fill("1")
    page.get_by_role("button", name="Ouvrir les inscriptions").click()
    expect(page.get_by_text("Les inscriptions sont ouvertes.")).to_be_visible()
    axe_check(page)
    public_url = page.locator("a[href*='/inscription/']").first.get_attribute("href")
    public_url = re.sub(r"^https?://[^/]+", base, public_url)

    # Two partners register without an account, from a fresh session.
    page.context.clear_cookies()
    mail.outbox.clear()
    register(page, public_url, axe_check, name="Inès Morel", email="ines@mjc.org", structure="MJC", kind="association")
    register(
        page,
        public_url,
        axe_check,
        name="Paul Girard",
        email="paul@college.fr",
        structure="Collège",
        kind="etablissement",
    )
    assert "/c/" not in page.content()  # nothing of the collectif's private pages
    confirm_ines, confirm_paul = mail.outbox
    for message in (confirm_ines, confirm_paul):
        page.goto(link_in(message, "confirmer", base))
        axe_check(page)
        page.get_by_role("button", name="Confirmer mon inscription").click()
    expect(page.get_by_text("vous êtes sur la liste d'attente")).to_be_visible()
    ines, paul = Registration.objects.order_by("pk")
    assert (ines.status, paul.status) == (S.CONFIRMED, S.WAITING)

    # Inès cancels from her invitation's link: Paul gets the place, and an e-mail with the invitation.
    invitation = next(m for m in mail.outbox if m.to == ["ines@mjc.org"] and "confirmée" in m.subject)
    page.goto(link_in(invitation, "annuler", base))
    axe_check(page)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Annuler mon inscription").click()
    expect(page.get_by_text("Votre inscription est annulée.")).to_be_visible()
    paul.refresh_from_db()
    assert paul.status == S.CONFIRMED
    assert any(m.to == ["paul@college.fr"] and "confirmée" in m.subject for m in mail.outbox)

    # On the day: attendance with Paul and a walk-in.
    Reunion.objects.filter(pk=atelier.pk).update(starts_at=timezone.now() - timedelta(hours=1))
    browser_login(page, coordinator.email)
    page.goto(f"{base}{atelier.get_absolute_url()}")
    page.get_by_role("link", name="Saisir les présences").click()
    axe_check(page)
    page.get_by_label("Nom et prénom").fill("Léa Martin")
    page.get_by_label(re.compile(r"^Structure")).fill("Centre social")
    page.get_by_label("Type de structure").select_option("association")
    page.get_by_label("Adresse e-mail (facultatif)").fill("lea@centre-social.org")
    page.get_by_role("button", name="Ajouter aux présents").click()
    expect(page.get_by_text("Léa Martin est ajouté·e aux présents.")).to_be_visible()
    page.get_by_role("group", name="Présence de Paul Girard").get_by_label("Présent").check()
    page.get_by_role("button", name="Enregistrer les présences").click()
    expect(page.get_by_text("Présences enregistrées.")).to_be_visible()

    # The restitution's participants table, filled from the attendance.
    restitution = RestitutionFactory(collectif=collectif, reunion=atelier, title="Restitution partenaires")
    page.goto(f"{base}{restitution.get_absolute_url()}")
    axe_check(page)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Remplir depuis les présences").click()
    expect(page.get_by_text("Participants (2)")).to_be_visible()
    axe_check(page)
    assert Restitution.objects.get(pk=restitution.pk).participants == [
        {"label": "Établissement scolaire", "count": 1},
        {"label": "Association", "count": 1},
    ]

    # The organiser prepares the questionnaire: three questions of the catalogue.
    page.goto(f"{base}{atelier.get_absolute_url()}")
    page.get_by_role("link", name="Questionnaire après la réunion").click()
    axe_check(page)
    page.get_by_label("Organisation de la rencontre").check()
    page.get_by_label("Envie de poursuivre").uncheck()
    page.get_by_role("button", name="Préparer le questionnaire").click()
    expect(page.get_by_text("Questionnaire enregistré")).to_be_visible()
    axe_check(page)

    # The next day at 10:00 the beat sends it to those present: Paul and Léa (who left her e-mail).
    atelier.refresh_from_db()
    next_morning = datetime.combine(timezone.localdate(atelier.starts_at) + timedelta(days=1), time(10))
    with time_machine.travel(timezone.make_aware(next_morning)):
        mail.outbox.clear()
        assert questionnaires_send_due() == 2
        assert sorted(m.to[0] for m in mail.outbox) == ["lea@centre-social.org", "paul@college.fr"]
        to_paul = next(m for m in mail.outbox if m.to == ["paul@college.fr"])
        answer_url = re.sub(
            r"^https?://[^/]+", base, re.search(r"https?://\S+/questionnaire/\S+/", to_paul.body).group(0)
        )
        page.context.clear_cookies()
        page.goto(answer_url)
        expect(page.get_by_text("Ce questionnaire est anonyme.")).to_be_visible()
        axe_check(page)
        page.get_by_role("group", name="Qualité des échanges").get_by_label("5 — très bien").check()
        page.get_by_role("group", name="Utilité pour ma pratique").get_by_label("4 — bien").check()
        page.get_by_role("group", name="Organisation de la rencontre").get_by_label("3 — moyen").check()
        page.get_by_label("Commentaire libre (facultatif)").fill("Des contacts directs avec le collège.")
        page.get_by_role("button", name="Envoyer ma réponse").click()
        expect(page.get_by_role("heading", name="Merci pour votre réponse")).to_be_visible()
        axe_check(page)
        page.goto(answer_url)
        expect(page.get_by_role("heading", name="Vous avez déjà répondu")).to_be_visible()
        axe_check(page)

        # Its result on the reunion page, for the members of the collectif.
        browser_login(page, coordinator.email)
        page.goto(f"{base}{atelier.get_absolute_url()}")
        results = page.locator("#questionnaire")
        expect(results).to_contain_text("1 réponse sur 2 personnes sollicitées (50 %)")
        expect(results).to_contain_text("Qualité des échanges : moyenne 5,0 sur 5")
        expect(results.get_by_role("img", name=re.compile("Organisation de la rencontre"))).to_be_visible()
        expect(results).to_contain_text("Des contacts directs avec le collège.")
        axe_check(page)
