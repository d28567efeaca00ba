import pytest
from playwright.sync_api import expect

from tests.helpers import make_person
from tests.reunions.factories import GroupeFactory

# Transactional (live server): tests/conftest.py's `transactional_db` re-seeds the reference vocabularies.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_member_opens_a_thread_on_a_groupe_another_answers_and_the_first_sees_it_unread(
    page, browser, live_server, browser_login, axe_check, member, coordinator, collectif
):
    groupe = GroupeFactory(collectif=collectif, name="Accueil des collégiens exclus")
    base = f"{live_server.url}/c/{collectif.slug}"

    # Nadia (member) opens a thread from the groupe's page, mentioning the coordinator.
    browser_login(page, member.email)
    page.goto(f"{base}/groupes/{groupe.pk}/")
    expect(page.get_by_role("heading", name="Discussions du groupe")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Ouvrir une discussion").click()
    expect(page.get_by_text("N'y nommez aucun élève ni aucune famille")).to_be_visible()
    axe_check(page)
    page.get_by_label("Sujet").fill("Fiche de liaison avec les maisons de quartier")
    page.get_by_label("Premier message").fill("Je propose un modèle commun aux trois collèges.")
    page.locator("summary", has_text="Prévenir aussi").click()
    page.get_by_label("Sophie Bernard").check()
    page.get_by_role("button", name="Ouvrir la discussion").click()
    expect(page.get_by_role("heading", level=1, name="Fiche de liaison avec les maisons de quartier")).to_be_visible()
    expect(page.get_by_text("@Sophie Bernard")).to_be_visible()
    expect(page.get_by_role("button", name="Ne plus suivre")).to_be_visible()
    axe_check(page)

    # Sophie (coordinator) sees it unread on the collectif's home, opens it and answers with the toolbar.
    other = browser.new_page()
    browser_login(other, coordinator.email)
    other.goto(f"{base}/")
    panel = other.locator("section", has=other.get_by_role("heading", name="Discussions actives"))
    expect(panel.get_by_text("1 non lu")).to_be_visible()
    axe_check(other)
    panel.get_by_role("link", name="Fiche de liaison avec les maisons de quartier").click()
    expect(other.get_by_text("Nouveau", exact=True)).to_be_visible()
    box = other.get_by_label("Votre message")
    box.fill("D'accord pour jeudi : ")
    box.press("End")
    other.get_by_role("toolbar", name="Mise en forme du message").get_by_role("button", name="Gras").click()
    expect(box).to_have_value("D'accord pour jeudi : <strong>texte en gras</strong>")
    box.fill("D'accord pour <strong>jeudi</strong>, je relis le modèle.")
    other.get_by_role("button", name="Publier le message").click()
    expect(other.locator(".prose strong", has_text="jeudi")).to_be_visible()
    axe_check(other)
    other.close()

    # Nadia sees the answer unread in the list, then on the thread.
    page.goto(f"{base}/discussions/")
    row = page.locator(".thread-row", has_text="Fiche de liaison avec les maisons de quartier")
    expect(row.get_by_text("1 non lu")).to_be_visible()
    axe_check(page)
    row.get_by_role("link", name="Fiche de liaison avec les maisons de quartier").click()
    answer = page.locator(".message-item--new")
    expect(answer).to_have_count(1)
    expect(answer.get_by_text("je relis le modèle")).to_be_visible()
    expect(answer.get_by_text("Nouveau", exact=True)).to_be_visible()
    page.goto(f"{base}/discussions/")
    expect(page.locator(".thread-row", has_text="Fiche de liaison").get_by_text("non lu")).to_have_count(0)


def test_a_guest_reads_and_follows_but_does_not_write(page, live_server, browser_login, axe_check, collectif, member):
    from tests.discussions.factories import thread_open

    guest = make_person("guest", collectif, member.memberships.get().institution)
    thread = thread_open(collectif, member, title="Calendrier des séances")
    browser_login(page, guest.email)
    page.goto(f"{live_server.url}{thread.get_absolute_url()}")
    expect(page.get_by_text("seuls les membres du collectif y écrivent")).to_be_visible()
    expect(page.get_by_role("button", name="Publier le message")).to_have_count(0)
    page.get_by_role("button", name="Suivre la discussion").click()
    expect(page.get_by_role("button", name="Ne plus suivre")).to_be_visible()
    axe_check(page)
