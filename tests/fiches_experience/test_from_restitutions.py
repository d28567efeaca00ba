"""A restitution (or a cycle of ateliers) becomes a fiche expérience in one click, prefilled and sent to review."""

from datetime import date

import pytest
from django.db import IntegrityError
from django.urls import reverse

from fiches_experience import services
from fiches_experience.models import FicheExperience, Gabarit, Status
from fiches_experience.text import html_to_text
from restitutions import selectors as restitution_selectors
from tests.fiches_experience.factories import FicheFactory
from tests.restitutions.factories import (
    FreeSectionFactory,
    RestitutionFactory,
    cycle_with_restitutions,
    restitution_from_seed_001,
)

SEED_001_PARTICIPANTS = [
    {"label": "Service de l'Éducation nationale", "count": 8},
    {"label": "Collectivité", "count": 3},
    {"label": "Dispositif porteur (PRE/DRE, Cité éducative…)", "count": 2},
    {"label": "Association", "count": 4},
]


def _draft_url(restitution):
    return reverse(
        "fiches_experience:from_restitution",
        kwargs={"collectif_slug": restitution.collectif.slug, "pk": restitution.pk},
    )


def _cycle_url(cycle):
    return reverse("fiches_experience:from_cycle", kwargs={"collectif_slug": cycle.collectif.slug, "pk": cycle.pk})


def _sections(fiche) -> dict[str, str]:
    return {s.key: html_to_text(s.html) for s in fiche.sections.all()}


@pytest.fixture
def seed_001(collectif):
    return restitution_from_seed_001(
        collectif,
        held_on=date(2025, 11, 13),
        facilitators="La Bouture (recherche-action)",
        participants=SEED_001_PARTICIPANTS,
    )


def test_coordinator_drafts_a_crpv_fiche_from_seed_001_sent_to_review(coordinator_client, coordinator, seed_001):
    response = coordinator_client.post(_draft_url(seed_001))

    assert response.status_code == 302 and response.url == seed_001.get_absolute_url()
    fiche = FicheExperience.objects.get(source_restitution_id=seed_001.pk)
    assert fiche.gabarit == Gabarit.CRPV and fiche.status == Status.IN_REVIEW and fiche.submitted_at
    assert fiche.author == coordinator and fiche.collectif == seed_001.collectif
    assert fiche.title == "Les partenariats à mobiliser pour prévenir le décrochage scolaire"
    assert fiche.territoire == seed_001.collectif.territoire and fiche.annees == "2025"
    assert fiche.structure_porteuse == "La Bouture (recherche-action)"
    assert [v.change for v in fiche.versions.order_by("number")] == [
        "Brouillon créé depuis la restitution « Les partenariats à mobiliser pour prévenir le décrochage scolaire »",
        "Envoyée en relecture",
    ]
    sections = _sections(fiche)
    # Context: the « État des lieux et constats ».
    assert "La question de la prévention du décrochage est travaillée par de nombreux acteurs" in sections["contexte"]
    assert "Nécessité de dégager du temps" not in sections["contexte"]
    # Objectives: what the atelier worked on.
    assert "Les partenariats à mobiliser pour prévenir le décrochage scolaire" in sections["objectifs"]
    # What happened: the atelier, its participants and its « Questions vives ».
    assert "13 novembre 2025" in sections["mesures"] and "17 participants" in sections["mesures"]
    assert "Évoquer le décrochage avec les familles demeure une difficulté" in sections["mesures"]
    # Lessons: the « Points d'appui ou leviers » and the « Points d'achoppement ou obstacles ».
    assert "Le PRE (ou DRE) est porteur de l'expérimentation." in sections["enseignements"]
    assert "Nécessité de dégager du temps." in sections["enseignements"]
    assert "Points d'achoppement ou obstacles" in sections["enseignements"]
    assert "La Bouture (recherche-action)" in sections["acteurs"]
    assert "Service de l'Éducation nationale : 8" in sections["acteurs"]
    assert f"Territoire : {seed_001.collectif.territoire}" in sections["identite"]
    assert sections["evaluation"] == "" and sections["contacts"] == ""
    # The fiche is findable in the editors' search like any other.
    assert "Le PRE (ou DRE) est porteur" in FicheExperience.objects.get(pk=fiche.pk).search_text


def test_the_restitution_page_offers_the_fiche_then_says_it_exists(coordinator_client, seed_001):
    html = coordinator_client.get(seed_001.get_absolute_url()).content.decode()
    assert "Préparer une fiche expérience" in html and _draft_url(seed_001) in html

    page = coordinator_client.post(_draft_url(seed_001), follow=True).content.decode()

    assert "envoyée en relecture au centre de ressources" in page
    assert "Une fiche a déjà été préparée à partir de cette restitution" in page and "(en relecture)" in page
    assert "Préparer une fiche expérience" not in page


def test_a_second_click_opens_the_fiche_already_drafted(crpv_client, seed_001):
    first = crpv_client.post(_draft_url(seed_001))
    second = crpv_client.post(_draft_url(seed_001), follow=True)

    fiche = FicheExperience.objects.get()
    assert first.url == reverse("fiches_experience:edit", kwargs={"pk": fiche.pk})
    assert second.redirect_chain == [(first.url, 302)]
    assert "Une fiche expérience existe déjà pour cette restitution" in second.content.decode()
    # The editing page links back to the restitution it was drafted from.
    assert f'Préparée à partir de <a href="{seed_001.get_absolute_url()}">la restitution' in second.content.decode()
    assert fiche.versions.count() == 2
    page = crpv_client.get(seed_001.get_absolute_url()).content.decode()
    assert "Ouvrir la fiche" in page and first.url in page


def test_a_fiche_already_published_is_opened_too(coordinator_client, seed_001, crpv_editor, second_crpv_editor):
    fiche, created = services.fiche_draft_from_restitutions(
        prefill=restitution_selectors.restitution_fiche_prefill(seed_001), by=crpv_editor
    )
    services.fiche_publish(fiche=fiche, by=second_crpv_editor)

    response = coordinator_client.post(_draft_url(seed_001), follow=True)

    assert created and FicheExperience.objects.count() == 1
    html = response.content.decode()
    assert "existe déjà pour cette restitution" in html and "(publiée)" in html
    assert fiche.get_absolute_url() in html


def test_the_editor_who_drafted_it_does_not_publish_it_alone(crpv_client, crpv_editor, second_crpv_editor, seed_001):
    landed = crpv_client.post(_draft_url(seed_001), follow=True).content.decode()
    fiche = FicheExperience.objects.get()

    assert "réécrivez ses sections, un autre éditeur la publiera" in landed and "En relecture" in landed
    refused = crpv_client.post(reverse("fiches_experience:publish", kwargs={"pk": fiche.pk}))

    assert refused.status_code == 403
    services.fiche_publish(fiche=fiche, by=second_crpv_editor)
    assert FicheExperience.objects.get().status == Status.PUBLISHED


def test_members_and_guests_do_not_draft_and_see_no_button(member_client, guest_client, seed_001):
    for client in (member_client, guest_client):
        assert client.post(_draft_url(seed_001)).status_code == 403
        assert "Préparer une fiche expérience" not in client.get(seed_001.get_absolute_url()).content.decode()
    assert not FicheExperience.objects.exists()


def test_another_collectifs_restitution_answers_404(coordinator_client, crpv_client, collectif, other_collectif):
    foreign = RestitutionFactory(collectif=other_collectif)
    url = reverse("fiches_experience:from_restitution", kwargs={"collectif_slug": collectif.slug, "pk": foreign.pk})

    assert coordinator_client.post(url).status_code == 404
    assert crpv_client.post(url).status_code == 404
    assert not FicheExperience.objects.exists()


def test_a_cycle_becomes_one_fiche_with_the_content_of_its_restitutions(coordinator_client, collectif):
    cycle = cycle_with_restitutions(collectif, n=2)
    cycle.starts_on, cycle.ends_on = date(2025, 3, 1), date(2026, 2, 1)
    cycle.save()
    first = cycle.restitutions.order_by("pk").first()
    FreeSectionFactory(restitution=first)

    response = coordinator_client.post(_cycle_url(cycle))
    coordinator_client.post(_cycle_url(cycle))

    assert response.status_code == 302 and response.url == cycle.get_absolute_url()
    fiche = FicheExperience.objects.get()
    assert fiche.source_cycle_id == cycle.pk and fiche.source_restitution_id is None
    assert fiche.title == "Cycle des ateliers de printemps" and fiche.status == Status.IN_REVIEW
    assert fiche.structure_porteuse == "La Bouture" and fiche.annees == "2025-2026"
    sections = _sections(fiche)
    assert (
        "Levier de l'atelier 1." in sections["enseignements"] and "Levier de l'atelier 2." in sections["enseignements"]
    )
    assert "Cycle de 2 ateliers « Cycle des ateliers de printemps », organisé par La Bouture" in sections["identite"]
    assert "(mars 2025 – février 2026)" in sections["identite"]
    assert "Atelier 1 — Restitution 0" in sections["objectifs"]
    assert "Définir le pilote dans la coconstruction du projet local d'animation" in sections["mesures"]
    page = coordinator_client.get(cycle.get_absolute_url()).content.decode()
    assert "Une fiche a déjà été préparée à partir de ce cycle d'ateliers" in page


def test_two_requests_at_once_make_one_fiche(seed_001, coordinator, monkeypatch):
    """The second request did not see the first one's fiche before creating: the constraint keeps one."""
    prefill = restitution_selectors.restitution_fiche_prefill(seed_001)
    first, _ = services.fiche_draft_from_restitutions(prefill=prefill, by=coordinator)
    looked_up = []
    real = services.fiche_from_restitutions

    def not_yet(**kwargs):
        looked_up.append(kwargs)
        return None if len(looked_up) == 1 else real(**kwargs)

    monkeypatch.setattr(services, "fiche_from_restitutions", not_yet)
    second, created = services.fiche_draft_from_restitutions(prefill=prefill, by=coordinator)

    assert second == first and not created and FicheExperience.objects.count() == 1


def test_one_fiche_per_restitution_in_the_database(crpv_editor):
    FicheFactory(author=crpv_editor, source_restitution_id=7)
    with pytest.raises(IntegrityError):
        FicheFactory(author=crpv_editor, source_restitution_id=7)


def test_restitution_page_stays_in_few_queries_with_the_fiche_offer(
    coordinator_client, seed_001, django_assert_max_num_queries
):
    coordinator_client.post(_draft_url(seed_001))
    coordinator_client.get(seed_001.get_absolute_url())  # warm the signed-in user's cache

    with django_assert_max_num_queries(8):
        response = coordinator_client.get(seed_001.get_absolute_url())

    assert "Une fiche a déjà été préparée" in response.content.decode()


def test_a_cycle_fiche_takes_as_many_queries_for_six_ateliers_as_for_two(coordinator_client, collectif):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from restitutions.models import Cycle

    counts = []
    for n in (2, 6):
        cycle = cycle_with_restitutions(collectif, n=n)
        Cycle.objects.filter(pk=cycle.pk).update(name=f"Cycle de {n} ateliers")  # titles (and slugs) of their own
        for restitution in cycle.restitutions.all():
            FreeSectionFactory(restitution=restitution)
        coordinator_client.get(cycle.get_absolute_url())  # warm the signed-in user's cache
        with CaptureQueriesContext(connection) as queries:
            assert coordinator_client.post(_cycle_url(cycle)).status_code == 302
        counts.append(len(queries))

    assert FicheExperience.objects.count() == 2
    assert counts[0] == counts[1]
