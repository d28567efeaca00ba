import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from actions import services
from actions.models import Action, JournalEntry
from tests.actions.factories import ActionFactory, JournalEntryFactory, theme
from tests.helpers import client_for
from tests.membres.factories import MembershipFactory, UserFactory


def detail_url(action):
    return reverse("actions:detail", kwargs={"collectif_slug": action.collectif.slug, "pk": action.pk})


def test_member_creates_an_action_with_themes_and_referents(member_client, member, collectif, institution):
    orientation = theme("Orientation")
    response = member_client.post(
        reverse("actions:create", kwargs={"collectif_slug": collectif.slug}),
        {
            "title": "Forum des métiers",
            "description": "Un forum avec les entreprises du territoire.",
            "status": "preparation",
            "themes": [orientation.pk],
            "lead_institution": institution.pk,
            "referents": [member.pk],
            "target_public": "Élèves de 3e",
        },
    )
    action = Action.objects.get(title="Forum des métiers")
    assert response.status_code == 302
    assert response["Location"] == detail_url(action)
    assert action.collectif == collectif
    assert action.created_by == member
    assert list(action.themes.all()) == [orientation]
    assert list(action.referents.all()) == [member]


def test_create_form_refuses_a_referent_who_is_not_a_member(member_client, collectif, other_member):
    response = member_client.post(
        reverse("actions:create", kwargs={"collectif_slug": collectif.slug}),
        {"title": "Forum", "status": "idee", "referents": [other_member.pk]},
    )
    assert response.status_code == 200
    assert not Action.objects.exists()
    assert 'aria-invalid="true"' in response.content.decode()


def test_create_form_redisplays_input_on_error(member_client, collectif):
    response = member_client.post(
        reverse("actions:create", kwargs={"collectif_slug": collectif.slug}),
        {"title": "", "description": "Texte gardé", "status": "idee"},
    )
    html = response.content.decode()
    assert "Texte gardé" in html
    assert 'aria-describedby="id_title_errors"' in html


def test_guest_reads_but_cannot_create(guest_client, collectif):
    action = ActionFactory(collectif=collectif)
    assert guest_client.get(detail_url(action)).status_code == 200
    response = guest_client.post(
        reverse("actions:create", kwargs={"collectif_slug": collectif.slug}), {"title": "X", "status": "idee"}
    )
    assert response.status_code == 403


def test_referent_edits_the_action_but_another_member_cannot(collectif, member, coordinator):
    other = UserFactory()
    MembershipFactory(user=other, collectif=collectif)
    action = ActionFactory(collectif=collectif, referents=[member])
    url = reverse("actions:edit", kwargs={"collectif_slug": collectif.slug, "pk": action.pk})
    assert client_for(other).get(url).status_code == 403
    response = client_for(member).post(url, {"title": "Nouveau titre", "referents": [member.pk]})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.title == "Nouveau titre"
    assert client_for(coordinator).get(url).status_code == 200


def test_detail_page_query_count(member_client, collectif, member, django_assert_max_num_queries):
    action = ActionFactory(collectif=collectif, referents=[member])
    for _ in range(5):
        entry = JournalEntryFactory(action=action, author=member)
        services.journal_entry_edit(entry=entry, by=member, kind="note", text="modifié", entry_date=entry.date)
    with django_assert_max_num_queries(14):
        response = member_client.get(detail_url(action))
    assert response.status_code == 200


# --- Status: only forward, or abandoned with a reason ---------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "target"),
    [("idee", "preparation"), ("idee", "en_cours"), ("preparation", "realisee"), ("en_cours", "realisee")],
)
def test_status_moves_forward(collectif, coordinator, start, target):
    action = ActionFactory(collectif=collectif, status=start)
    services.action_change_status(action=action, by=coordinator, status=target)
    action.refresh_from_db()
    assert action.status == target


@pytest.mark.parametrize(
    ("start", "target"),
    [("en_cours", "idee"), ("realisee", "en_cours"), ("preparation", "preparation"), ("abandonnee", "en_cours")],
)
def test_status_never_moves_back_or_out_of_a_closed_state(collectif, coordinator, start, target):
    action = ActionFactory(collectif=collectif, status=start)
    with pytest.raises(ValidationError):
        services.action_change_status(action=action, by=coordinator, status=target)
    action.refresh_from_db()
    assert action.status == start


def test_abandoning_requires_a_reason_and_keeps_it(collectif, coordinator):
    action = ActionFactory(collectif=collectif, in_progress=True)
    with pytest.raises(ValidationError):
        services.action_change_status(action=action, by=coordinator, status="abandonnee", reason="  ")
    services.action_change_status(action=action, by=coordinator, status="abandonnee", reason="Plus de local")
    action.refresh_from_db()
    assert (action.status, action.abandon_reason) == (Action.Status.ABANDONED, "Plus de local")
    assert action.ends_on is not None


def test_done_action_cannot_be_abandoned(collectif, coordinator):
    action = ActionFactory(collectif=collectif, done=True)
    with pytest.raises(ValidationError):
        services.action_change_status(action=action, by=coordinator, status="abandonnee", reason="x")


def test_status_view_refuses_going_back_and_says_why(coordinator_client, collectif):
    action = ActionFactory(collectif=collectif, in_progress=True)
    url = reverse("actions:change_status", kwargs={"collectif_slug": collectif.slug, "pk": action.pk})
    response = coordinator_client.post(url, {"status": "idee"}, follow=True)
    action.refresh_from_db()
    assert action.status == Action.Status.IN_PROGRESS
    assert "message--error" in response.content.decode()


def test_referent_member_changes_status_through_the_view(collectif, member):
    action = ActionFactory(collectif=collectif, referents=[member])
    url = reverse("actions:change_status", kwargs={"collectif_slug": collectif.slug, "pk": action.pk})
    client_for(member).post(url, {"status": "abandonnee", "reason": "Doublon avec le PRE"})
    action.refresh_from_db()
    assert action.status == Action.Status.ABANDONED


def test_new_action_cannot_start_abandoned(collectif, member):
    with pytest.raises(ValidationError):
        services.action_create(collectif=collectif, by=member, title="X", status="abandonnee")


# --- Journal ------------------------------------------------------------------------------------------------


def journal_url(action):
    return reverse("actions:journal_add", kwargs={"collectif_slug": action.collectif.slug, "pk": action.pk})


def test_journal_entry_added_with_htmx_returns_the_journal_fragment(member_client, member, collectif):
    action = ActionFactory(collectif=collectif)
    response = member_client.post(
        journal_url(action),
        {"kind": "difficulte", "date": "2025-02-03", "text": "Salle indisponible"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="journal"')
    assert "<html" not in html
    assert "Salle indisponible" in html
    entry = JournalEntry.objects.get()
    assert (entry.author, entry.kind, entry.date) == (member, "difficulte", datetime.date(2025, 2, 3))


def test_journal_entry_added_without_javascript_redirects_to_the_journal(member_client, collectif):
    action = ActionFactory(collectif=collectif)
    response = member_client.post(journal_url(action), {"kind": "note", "date": "2025-02-03", "text": "Note"})
    assert response.status_code == 302
    assert response["Location"].endswith("#journal")
    assert JournalEntry.objects.count() == 1


def test_invalid_journal_entry_without_javascript_shows_errors_and_keeps_input(member_client, collectif):
    action = ActionFactory(collectif=collectif)
    response = member_client.post(journal_url(action), {"kind": "note", "date": "pas une date", "text": "Gardé"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Gardé" in html and "errorlist" in html
    assert not JournalEntry.objects.exists()


def test_guest_cannot_write_in_the_journal(guest_client, collectif):
    action = ActionFactory(collectif=collectif)
    response = guest_client.post(journal_url(action), {"kind": "note", "date": "2025-02-03", "text": "x"})
    assert response.status_code == 403


def test_attachment_is_stored_and_served_only_through_the_collectif(member_client, collectif, other_member):
    action = ActionFactory(collectif=collectif)
    upload = SimpleUploadedFile("bilan.pdf", b"%PDF-1.4 bilan", content_type="application/pdf")
    member_client.post(
        journal_url(action), {"kind": "resultat", "date": "2025-02-03", "text": "Bilan", "attachment": upload}
    )
    entry = JournalEntry.objects.get()
    assert entry.attachment_name == "bilan.pdf"
    assert "bilan" not in entry.attachment.name  # stored under a random name
    url = reverse(
        "actions:journal_attachment", kwargs={"collectif_slug": collectif.slug, "pk": action.pk, "entry_pk": entry.pk}
    )
    response = member_client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == b"%PDF-1.4 bilan"
    assert client_for(other_member).get(url).status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("page.html", b"<script>alert(1)</script>", "type de fichier"),
        ("faux.pdf", b"<html>pas un pdf</html>", "ne correspond pas"),
        ("gros.pdf", b"%PDF" + b"0" * (5 * 1024 * 1024), "5 Mo"),
    ],
)
def test_attachment_type_and_size_are_checked(member_client, collectif, name, content, message):
    action = ActionFactory(collectif=collectif)
    upload = SimpleUploadedFile(name, content)
    response = member_client.post(
        journal_url(action), {"kind": "note", "date": "2025-02-03", "text": "x", "attachment": upload}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not JournalEntry.objects.exists()


def test_editing_an_entry_keeps_the_previous_version(member_client, member, collectif):
    action = ActionFactory(collectif=collectif)
    entry = JournalEntryFactory(action=action, author=member, text="Première version", kind="note")
    url = reverse(
        "actions:journal_edit", kwargs={"collectif_slug": collectif.slug, "pk": action.pk, "entry_pk": entry.pk}
    )
    response = member_client.post(url, {"kind": "resultat", "date": entry.date.isoformat(), "text": "Seconde version"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.text == "Seconde version"
    version = entry.versions.get()
    assert (version.text, version.kind, version.edited_by) == ("Première version", "note", member)
    html = member_client.get(detail_url(action)).content.decode()
    assert "Versions précédentes (1)" in html and "Première version" in html


def test_only_author_or_coordinator_edits_an_entry(collectif, member, coordinator):
    other = UserFactory()
    MembershipFactory(user=other, collectif=collectif)
    entry = JournalEntryFactory(action=ActionFactory(collectif=collectif), author=member)
    url = reverse(
        "actions:journal_edit", kwargs={"collectif_slug": collectif.slug, "pk": entry.action_id, "entry_pk": entry.pk}
    )
    assert client_for(other).get(url).status_code == 403
    assert client_for(member).get(url).status_code == 200
    assert client_for(coordinator).get(url).status_code == 200


def test_journal_form_warns_not_to_name_pupils(member_client, collectif):
    action = ActionFactory(collectif=collectif)
    assert "pas des situations individuelles" in member_client.get(detail_url(action)).content.decode()


def test_invalid_journal_entry_with_htmx_returns_the_fragment_with_errors(member_client, collectif):
    action = ActionFactory(collectif=collectif)
    response = member_client.post(
        journal_url(action), {"kind": "note", "date": "2025-02-03", "text": ""}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200  # htmx swaps 2xx only
    assert html.lstrip().startswith('<section id="journal"')
    assert 'aria-invalid="true"' in html
    assert not JournalEntry.objects.exists()


def test_for_member_limits_actions_to_the_users_collectifs(collectif, other_collectif, member, superuser):
    mine = ActionFactory(collectif=collectif)
    theirs = ActionFactory(collectif=other_collectif)
    assert list(Action.objects.for_member(member)) == [mine]
    assert set(Action.objects.for_member(superuser)) == {mine, theirs}


def test_edit_refuses_an_end_before_the_start(coordinator_client, collectif):
    action = ActionFactory(collectif=collectif)
    url = reverse("actions:edit", kwargs={"collectif_slug": collectif.slug, "pk": action.pk})
    response = coordinator_client.post(url, {"title": "X", "starts_on": "2025-03-01", "ends_on": "2025-02-01"})
    assert response.status_code == 200
    assert "La fin ne peut pas précéder le début." in response.content.decode()
