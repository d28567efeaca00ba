import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from collectifs.models import Theme
from fiches_experience import services
from fiches_experience.diff import version_diff
from fiches_experience.models import COURT_SECTIONS, CRPV_SECTIONS, FicheExperience, Gabarit, Status
from tests.collectifs.factories import TerritoireFactory
from tests.fiches_experience.factories import FicheFactory
from tests.membres.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_new_fiche_has_every_section_of_its_gabarit_in_order(crpv_editor):
    court = services.fiche_create(by=crpv_editor, title="Court", gabarit=Gabarit.COURT)
    crpv = services.fiche_create(by=crpv_editor, title="Long", gabarit=Gabarit.CRPV)
    assert [s.heading for s in court.sections.order_by("position")] == [h for _, h in COURT_SECTIONS]
    assert [s.heading for s in crpv.sections.order_by("position")] == [h for _, h in CRPV_SECTIONS]
    assert court.status == Status.DRAFT and court.author == crpv_editor


def test_slug_is_unique_and_never_a_reserved_word(crpv_editor):
    first = services.fiche_create(by=crpv_editor, title="Édition")
    second = services.fiche_create(by=crpv_editor, title="Édition")
    assert first.slug == "fiche-edition"
    assert second.slug == "fiche-edition-2"


def test_section_html_is_sanitized_and_keeps_structure(crpv_editor):
    fiche = FicheFactory(author=crpv_editor)
    section = services.fiche_section_update(
        fiche=fiche,
        by=crpv_editor,
        key="ce_qui_se_passe",
        html='<p style="color:red" onclick="x()">Un <strong>collectif</strong></p><script>alert(1)</script>'
        '<ul><li><a href="javascript:alert(1)">lien</a></li></ul><img src="x">',
    )
    assert (
        section.html
        == '<p>Un <strong>collectif</strong></p><ul><li><a rel="noopener noreferrer nofollow">lien</a></li></ul>'
    )


def test_editor_submits_and_another_editor_publishes_with_a_review_date(crpv_editor, second_crpv_editor):
    fiche = FicheFactory(author=crpv_editor)
    services.fiche_submit(fiche=fiche, by=crpv_editor)
    with pytest.raises(PermissionDenied):
        services.fiche_publish(fiche=fiche, by=crpv_editor)
    services.fiche_publish(fiche=fiche, by=second_crpv_editor)
    fiche.refresh_from_db()
    assert fiche.status == Status.PUBLISHED
    assert fiche.reviewer == second_crpv_editor
    assert fiche.review_on == timezone.localdate() + services.REVIEW_AFTER


def test_the_only_editor_may_publish_their_own_fiche(crpv_editor):
    fiche = FicheFactory(author=crpv_editor)
    services.fiche_submit(fiche=fiche, by=crpv_editor)
    services.fiche_publish(fiche=fiche, by=crpv_editor)
    assert fiche.status == Status.PUBLISHED


def test_a_draft_cannot_be_published_without_review(crpv_editor, second_crpv_editor):
    fiche = FicheFactory(author=crpv_editor)
    with pytest.raises(PermissionDenied):
        services.fiche_publish(fiche=fiche, by=second_crpv_editor)


def test_a_member_who_is_not_an_editor_cannot_write(member):
    fiche = FicheFactory()
    with pytest.raises(PermissionDenied):
        services.fiche_section_update(fiche=fiche, by=member, key="contact", html="<p>x</p>")


def test_archived_fiche_is_no_longer_editable_and_can_come_back_as_draft(crpv_editor):
    fiche = FicheFactory(published=True, author=crpv_editor)
    services.fiche_archive(fiche=fiche, by=crpv_editor)
    with pytest.raises(PermissionDenied):
        services.fiche_section_update(fiche=fiche, by=crpv_editor, key="contact", html="<p>x</p>")
    services.fiche_return_to_draft(fiche=fiche, by=crpv_editor)
    assert fiche.status == Status.DRAFT


def test_every_change_is_a_version_and_versions_are_compared(crpv_editor):
    fiche = FicheFactory(author=crpv_editor, sections={"idee_de_depart": "<p>Première idée.</p>"})
    services.fiche_section_update(
        fiche=fiche, by=crpv_editor, key="idee_de_depart", html="<p>Première idée.</p><p>Deuxième.</p>"
    )
    services.fiche_update(fiche=fiche, by=crpv_editor, title="Nouveau titre")
    numbers = list(fiche.versions.order_by("number").values_list("number", "change"))
    assert numbers == [(1, "Création"), (2, "Section « L'idée de départ » modifiée"), (3, "Description modifiée")]
    v1, v2, v3 = fiche.versions.order_by("number")
    changes = version_diff(v1.snapshot, v2.snapshot)
    assert [c.label for c in changes] == ["L'idée de départ"]
    assert [(line.op, line.text) for line in changes[0].lines] == [(" ", "Première idée."), ("+", "Deuxième.")]
    title_change = version_diff(v2.snapshot, v3.snapshot)[0]
    assert title_change.label == "Titre"
    assert {(line.op, line.text) for line in title_change.lines} >= {
        ("-", fiche.versions.get(number=1).snapshot["title"]),
        ("+", "Nouveau titre"),
    }


def test_fiche_create_draft_from_action_fills_the_short_gabarit(crpv_editor):
    theme = Theme.objects.get(slug="exclusions-temporaires")
    territoire = TerritoireFactory(name="Villefontaine")
    fiche = services.fiche_create_draft_from_action(
        title="Accueil des collégiens exclus",
        territoire=territoire,
        themes=[theme],
        description_html="<p>Une idée.</p><script>x</script>",
        journal_html="<p>Ce qui s'est passé.</p>",
        by=crpv_editor,
        source_action_id=42,
    )
    sections = {s.heading: s.html for s in fiche.sections.all()}
    assert fiche.gabarit == Gabarit.COURT and fiche.status == Status.DRAFT and fiche.source_action_id == 42
    assert sections["L'idée de départ"] == "<p>Une idée.</p>"
    assert sections["Ce qui se passe"] == "<p>Ce qui s'est passé.</p>"
    assert list(fiche.themes.all()) == [theme]
    assert FicheExperience.objects.get(pk=fiche.pk).territoire == territoire


def test_inactive_editors_do_not_count_as_other_reviewers(crpv_editor):
    UserFactory(email="ancien-crpv@exemple.org", crpv_editor=True, is_active=False)
    fiche = FicheFactory(in_review=True, author=crpv_editor)
    services.fiche_publish(fiche=fiche, by=crpv_editor)
    assert fiche.status == Status.PUBLISHED
