"""What the space shows on other pages: the plénière's agenda proposal and section, the groupe's page, the
collectif's home and navigation, the personal data export."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from documents import services
from tests.documents.factories import make_document
from tests.helpers import collectif_url
from tests.reunions.factories import GroupeFactory, ReunionFactory

pytestmark = pytest.mark.django_db


def test_flagged_document_is_proposed_in_the_next_pleniere_then_put_on_its_agenda(
    collectif, member, coordinator_client, member_client
):
    document = make_document(collectif=collectif, by=member, title="Projet de charte", to_discuss=True)
    pleniere = ReunionFactory(collectif=collectif, title="Plénière de juin")
    seance = ReunionFactory(collectif=collectif, kind="seance", groupe=GroupeFactory(collectif=collectif))
    past = ReunionFactory(collectif=collectif, past=True)

    html = coordinator_client.get(pleniere.get_absolute_url()).content.decode()
    assert "Documents proposés" in html and "Inscrire à l'ordre du jour" in html
    assert "Projet de charte" in html
    for reunion in (seance, past):
        assert "Documents proposés" not in coordinator_client.get(reunion.get_absolute_url()).content.decode()
    member_html = member_client.get(pleniere.get_absolute_url()).content.decode()
    assert "Documents proposés" not in member_html  # coordinators set the agenda
    assert "Proposés par les membres" in member_html and "Projet de charte" in member_html

    url = collectif_url(collectif, "documents:put_on_agenda", pk=document.pk, reunion_pk=pleniere.pk)
    response = coordinator_client.post(url)
    assert response.url == pleniere.get_absolute_url() + "#ordre-du-jour"
    document.refresh_from_db()
    assert document.discussed_in == pleniere
    assert list(pleniere.agenda.values_list("title", flat=True)) == ["Document : Projet de charte"]
    html = coordinator_client.get(pleniere.get_absolute_url()).content.decode()
    assert "Documents proposés" not in html
    assert "Inscrits à l'ordre du jour" in html
    assert document.get_absolute_url() in html
    assert "Plénière de juin" in member_client.get(document.get_absolute_url()).content.decode()


def test_htmx_agenda_partial_keeps_the_proposals(collectif, member, coordinator_client):
    make_document(collectif=collectif, by=member, title="Note d'étape", to_discuss=True)
    pleniere = ReunionFactory(collectif=collectif)
    response = coordinator_client.post(
        collectif_url(collectif, "reunions:agenda_add", pk=pleniere.pk),
        {"title": "Accueil"},
        headers={"HX-Request": "true"},
    )
    assert "Documents proposés" in response.content.decode() and "Note d&#x27;étape" in response.content.decode()


def test_put_on_agenda_refuses_a_past_pleniere(collectif, member, coordinator_client):
    document = make_document(collectif=collectif, by=member, to_discuss=True)
    past = ReunionFactory(collectif=collectif, past=True)
    coordinator_client.post(collectif_url(collectif, "documents:put_on_agenda", pk=document.pk, reunion_pk=past.pk))
    document.refresh_from_db()
    assert document.discussed_in is None and not past.agenda.exists()


def test_unscheduled_pleniere_takes_proposals(collectif, member, coordinator_client):
    make_document(collectif=collectif, by=member, title="Projet", to_discuss=True)
    pleniere = ReunionFactory(collectif=collectif, unscheduled=True)
    assert "Documents proposés" in coordinator_client.get(pleniere.get_absolute_url()).content.decode()
    later = ReunionFactory(collectif=collectif, starts_at=timezone.now() + timedelta(days=40))
    assert "Documents proposés" in coordinator_client.get(later.get_absolute_url()).content.decode()


def test_groupe_page_shows_its_folder_and_upload_button(collectif, member, member_client, guest_client):
    groupe = GroupeFactory(collectif=collectif, name="Groupe Parentalité")
    url = collectif_url(collectif, "reunions:groupe_detail", groupe_pk=groupe.pk)
    html = member_client.get(url).content.decode()
    assert "Documents du groupe" in html and "Aucun document dans le dossier du groupe" in html
    assert "Déposer un document" in html
    folder = services.folder_for_groupe(groupe=groupe)
    make_document(collectif=collectif, by=member, folder=folder, title="Questionnaire parents", to_discuss=True)
    html = guest_client.get(url).content.decode()
    assert "Questionnaire parents" in html and "À discuter en plénière" in html
    assert "Déposer un document" not in html


def test_home_panel_and_navigation(collectif, member, member_client):
    make_document(collectif=collectif, by=member, title="Répertoire des structures")
    html = member_client.get(collectif.get_absolute_url()).content.decode()
    assert "Documents récents" in html and "Répertoire des structures" in html
    assert collectif_url(collectif, "documents:space") in html


def test_personal_data_lists_uploads(collectif, member):
    from membres.hooks import personal_data

    make_document(collectif=collectif, by=member, title="Charte", versions=2)
    data = {k: v for part in personal_data.call(member) for k, v in part.items()}
    assert [row["version"] for row in data["documents_deposes"]] == [1, 2]
    assert data["documents_deposes"][0]["document"] == "Charte"
