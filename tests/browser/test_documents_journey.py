"""A member shares a draft in their groupe's folder, a second version, proposes it for the plénière; the coordinator
finds it in the plénière's agenda and puts it on the agenda; the member opens a discussion on the document and the
coordinator answers it (axe-core on each page)."""

import pytest
from playwright.sync_api import expect

from tests.reunions.factories import GroupeFactory, ReunionFactory

# Transactional (live server): tests/conftest.py's `transactional_db` re-seeds the reference vocabularies.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ODT_V1 = b"PK\x03\x04" + b"\x00" * 40  # the first bytes of an OpenDocument file (checked by core.uploads)
ODT_V2 = b"PK\x03\x04" + b"\x01" * 60


def test_member_shares_a_document_in_two_versions_and_the_coordinator_puts_it_on_the_agenda(
    page, browser, live_server, browser_login, axe_check, member, coordinator, collectif
):
    groupe = GroupeFactory(collectif=collectif, name="Accueil des collégiens exclus")
    groupe.members.add(member)
    pleniere = ReunionFactory(collectif=collectif, title="Plénière de printemps")

    browser_login(page, member.email)
    page.goto(f"{live_server.url}/c/{collectif.slug}/groupes/{groupe.pk}/")
    expect(page.get_by_role("heading", name="Documents du groupe")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Déposer un document dans le dossier du groupe").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Accueil des collégiens exclus")
    axe_check(page)
    page.get_by_label("Fichier").set_input_files(
        files=[{"name": "protocole.odt", "mimeType": "application/vnd.oasis.opendocument.text", "buffer": ODT_V1}]
    )
    page.get_by_label("Titre").fill("Projet de protocole d'accueil")
    page.get_by_label("Note de version").fill("Premier jet après la séance")
    page.get_by_role("button", name="Déposer", exact=True).click()
    expect(page.get_by_role("heading", level=1, name="Projet de protocole d'accueil")).to_be_visible()
    axe_check(page)

    page.get_by_label("Nouvelle version").set_input_files(
        files=[{"name": "protocole-v2.odt", "mimeType": "application/vnd.oasis.opendocument.text", "buffer": ODT_V2}]
    )
    page.get_by_label("Ce qui change").fill("Rôle des maisons de quartier ajouté")
    page.get_by_role("button", name="Déposer la version").click()
    expect(page.get_by_text("Version 2 déposée.")).to_be_visible()
    versions = page.locator("#versions")
    expect(versions.get_by_text("Rôle des maisons de quartier ajouté")).to_be_visible()
    expect(versions.get_by_text("Premier jet après la séance")).to_be_visible()

    page.get_by_role("button", name="À discuter en plénière").click()
    expect(page.get_by_text("Le document est proposé à l'ordre du jour de la prochaine plénière.")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Documents du collectif").click()
    expect(page.get_by_role("link", name="Projet de protocole d'accueil")).to_be_visible()
    axe_check(page)

    coordinator_page = browser.new_page()
    browser_login(coordinator_page, coordinator.email)
    coordinator_page.goto(f"{live_server.url}{pleniere.get_absolute_url()}")
    proposals = coordinator_page.locator("#documents-proposes")
    expect(proposals.get_by_role("link", name="Projet de protocole d'accueil")).to_be_visible()
    axe_check(coordinator_page)
    proposals.get_by_role("button", name="Inscrire à l'ordre du jour").click()
    expect(
        coordinator_page.get_by_text("« Projet de protocole d'accueil » est inscrit à l'ordre du jour.")
    ).to_be_visible()
    expect(coordinator_page.locator("#ordre-du-jour")).to_contain_text("Document : Projet de protocole d'accueil")
    expect(coordinator_page.locator("#documents-proposes")).to_have_count(0)
    expect(
        coordinator_page.locator("#documents-du-collectif").get_by_role("link", name="Projet de protocole d'accueil")
    ).to_be_visible()
    axe_check(coordinator_page)

    # The member opens a discussion on the document; the coordinator answers; the member reads the answer.
    page.get_by_role("link", name="Projet de protocole d'accueil").first.click()
    expect(page.get_by_role("heading", level=1, name="Projet de protocole d'accueil")).to_be_visible()
    document_url = page.url
    on_document = page.locator("section", has=page.get_by_role("heading", name="Discussions sur ce document"))
    expect(on_document.get_by_text("Aucune discussion sur ce document.")).to_be_visible()
    on_document.get_by_role("link", name="Ouvrir une discussion").click()
    expect(page.get_by_text("N'y nommez aucun élève ni aucune famille")).to_be_visible()
    axe_check(page)
    page.get_by_label("Sujet").fill("Relecture du protocole")
    page.get_by_label("Premier message").fill("Pouvez-vous relire la partie sur les maisons de quartier ?")
    page.get_by_role("button", name="Ouvrir la discussion").click()
    expect(page.get_by_role("heading", level=1, name="Relecture du protocole")).to_be_visible()
    axe_check(page)
    thread_url = page.url

    coordinator_page.goto(thread_url)
    coordinator_page.get_by_label("Votre message").fill("Relu : c'est clair, nous le présentons en plénière.")
    coordinator_page.get_by_role("button", name="Publier le message").click()
    expect(coordinator_page.get_by_text("Relu : c'est clair, nous le présentons en plénière.")).to_be_visible()
    axe_check(coordinator_page)
    coordinator_page.close()

    page.goto(thread_url)
    answer = page.locator(".message-item--new")
    expect(answer.get_by_text("Relu : c'est clair, nous le présentons en plénière.")).to_be_visible()
    page.goto(document_url)
    expect(on_document.get_by_role("link", name="Relecture du protocole")).to_be_visible()
