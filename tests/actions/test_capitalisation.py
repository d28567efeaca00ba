"""Capitalisation: an action that worked becomes the draft of a fiche expérience, reviewed by the CRPV."""

from django.urls import reverse

from fiches_experience.models import FicheExperience, Status
from tests.actions.factories import ActionFactory, JournalEntryFactory


def _url(action):
    return reverse("actions:capitalise", kwargs={"collectif_slug": action.collectif.slug, "pk": action.pk})


def test_coordinator_drafts_a_fiche_from_a_done_action_with_its_description_and_journal(
    coordinator_client, collectif, coordinator
):
    action = ActionFactory(
        collectif=collectif,
        title="Accueil des collégiens exclus",
        done=True,
        description="Un accueil de jour pour les collégiens temporairement exclus.",
    )
    JournalEntryFactory(action=action, author=coordinator, text="Convention signée avec les trois collèges.")

    response = coordinator_client.post(_url(action), follow=True)

    fiche = FicheExperience.objects.get(source_action_id=action.pk)
    assert fiche.title == "Accueil des collégiens exclus"
    assert fiche.status == Status.DRAFT
    sections = {s.key: s.html for s in fiche.sections.all()}
    assert "temporairement exclus" in sections["idee_de_depart"]
    assert "Convention signée" in sections["ce_qui_se_passe"]
    html = response.content.decode()
    assert "centre de ressources le relira" in html
    assert "Proposer une fiche expérience" not in html


def test_asking_twice_drafts_one_fiche(coordinator_client, collectif):
    action = ActionFactory(collectif=collectif, done=True)
    coordinator_client.post(_url(action))
    coordinator_client.post(_url(action))
    assert FicheExperience.objects.filter(source_action_id=action.pk).count() == 1


def test_an_action_still_under_way_cannot_become_a_fiche(coordinator_client, collectif):
    action = ActionFactory(collectif=collectif, in_progress=True)
    page = coordinator_client.get(action.get_absolute_url()).content.decode()
    assert "Proposer une fiche expérience" not in page
    assert coordinator_client.post(_url(action)).status_code == 403
    assert not FicheExperience.objects.filter(source_action_id=action.pk).exists()


def test_journal_text_is_escaped_in_the_draft(coordinator_client, collectif, coordinator):
    action = ActionFactory(collectif=collectif, done=True)
    JournalEntryFactory(action=action, author=coordinator, text="<script>alert(1)</script> bilan")
    coordinator_client.post(_url(action))
    fiche = FicheExperience.objects.get(source_action_id=action.pk)
    assert "<script>" not in fiche.sections.get(key="ce_qui_se_passe").html
