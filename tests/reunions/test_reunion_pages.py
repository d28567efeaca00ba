from datetime import UTC, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from reunions.models import AgendaItem, Document, Reunion
from tests.reunions.factories import (
    AgendaItemFactory,
    DocumentFactory,
    InvitationFactory,
    ReunionFactory,
)

pytestmark = pytest.mark.django_db


def url(name, reunion=None, **kw):
    kwargs = {"collectif_slug": "villefontaine", **kw}
    if reunion is not None:
        kwargs["pk"] = reunion.pk
    return reverse(f"reunions:{name}", kwargs=kwargs)


def test_list_of_200_reunions_in_at_most_11_queries(collectif, member_client, django_assert_max_num_queries):
    now = timezone.now()
    Reunion.objects.bulk_create(
        [
            Reunion(collectif=collectif, title=f"Réunion {i}", starts_at=now + timedelta(days=i - 100))
            for i in range(200)
        ]
    )
    # 11, was 12: both sections' sizes are one aggregate, no longer a COUNT per paginator
    with django_assert_max_num_queries(11):
        response = member_client.get(url("list"))
    assert response.status_code == 200
    assert response.content.count(b'class="reunion-item"') == 40  # two pages of 20
    assert b"Page 1 sur 5" in response.content


def test_detail_with_60_invitees_15_items_10_documents_in_at_most_10_queries(
    collectif, coordinator_client, many_members, django_assert_max_num_queries
):
    reunion = ReunionFactory(collectif=collectif)
    for m in many_members(60):
        InvitationFactory(reunion=reunion, membership=m)
    for _ in range(15):
        AgendaItemFactory(reunion=reunion)
    for _ in range(10):
        DocumentFactory(reunion=reunion)
    coordinator_client.get(url("detail", reunion))  # the user and memberships are cached by the session's first page
    # session (read from the database by the test client), reunion, invitations (only the shown columns), decisions,
    # open actions, agenda, documents, reminders and mails by status, and the space's documents proposed for or put on
    # this plénière (one query shared by the documents app's two hooks): the user and the memberships come from the
    # cache
    with django_assert_max_num_queries(10):
        response = coordinator_client.get(url("detail", reunion))
    assert response.status_code == 200
    assert response.content.count(b'class="agenda__item"') == 15
    assert "60 invités" in response.content.decode()


def test_month_view_shows_the_reunions_of_the_month(collectif, member_client):
    reunion = ReunionFactory(collectif=collectif, title="Plénière de mars")
    month = timezone.localtime(reunion.starts_at).strftime("%Y-%m")
    response = member_client.get(url("month") + f"?mois={month}")
    assert "Plénière de mars" in response.content.decode()
    assert "Plénière de mars" not in member_client.get(url("month") + "?mois=1999-01").content.decode()


def test_coordinator_creates_a_reunion_in_paris_time(collectif, coordinator_client):
    response = coordinator_client.post(
        url("create"),
        {
            "kind": "pleniere",
            "title": "Plénière de rentrée",
            "starts_at": "2030-09-20T14:00",
            "ends_at": "2030-09-20T16:00",
            "place": "Mairie",
        },
    )
    reunion = Reunion.objects.get(title="Plénière de rentrée")
    assert response.status_code == 302
    assert timezone.localtime(reunion.starts_at).hour == 14
    assert reunion.starts_at.utcoffset() is not None
    assert reunion.starts_at.astimezone(UTC).hour == 12  # CEST in September


def test_invalid_form_redisplays_input_with_error(coordinator_client):
    response = coordinator_client.post(
        url("create"),
        {
            "kind": "pleniere",
            "title": "Mauvaises heures",
            "starts_at": "2030-09-20T14:00",
            "ends_at": "2030-09-20T13:00",
        },
    )
    assert response.status_code == 200
    assert "La fin doit suivre le début." in response.content.decode()
    assert 'value="Mauvaises heures"' in response.content.decode()


def test_agenda_reorders_without_javascript(collectif, coordinator_client):
    reunion = ReunionFactory(collectif=collectif)
    a = AgendaItemFactory(reunion=reunion, title="A", position=1)
    b = AgendaItemFactory(reunion=reunion, title="B", position=2)
    response = coordinator_client.post(url("agenda_move", reunion, item_pk=b.pk), {"direction": "up"})
    assert response.status_code == 302
    assert list(AgendaItem.objects.filter(reunion=reunion).values_list("pk", flat=True)) == [b.pk, a.pk]


def test_agenda_reorders_with_htmx_returning_the_fragment(collectif, coordinator_client):
    reunion = ReunionFactory(collectif=collectif)
    a = AgendaItemFactory(reunion=reunion, title="Premier", position=1)
    AgendaItemFactory(reunion=reunion, title="Second", position=2)
    response = coordinator_client.post(
        url("agenda_move", reunion, item_pk=a.pk), {"direction": "down"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert body.index("Second") < body.index("Premier")


def test_coordinator_adds_an_agenda_item(collectif, coordinator_client):
    reunion = ReunionFactory(collectif=collectif)
    coordinator_client.post(
        url("agenda_add", reunion), {"title": "Tour de table", "duration_minutes": 15, "presenter": "Coordination"}
    )
    assert reunion.agenda.get().title == "Tour de table"


def _upload(client, reunion, name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(url("document_upload", reunion), {"title": "", "file": SimpleUploadedFile(name, content)})


def test_member_uploads_a_pdf_served_only_through_the_view(collectif, member_client, other_client):
    reunion = ReunionFactory(collectif=collectif)
    response = _upload(member_client, reunion, "ordre.pdf", b"%PDF-1.7\n contenu")
    assert response.status_code == 302
    document = Document.objects.get(reunion=reunion)
    assert not Path(document.file.path).is_relative_to(settings.MEDIA_ROOT)  # no public URL can reach it
    download = member_client.get(url("document", reunion, document_pk=document.pk))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert download["Content-Type"] == "application/pdf"
    assert other_client.get(url("document", reunion, document_pk=document.pk)).status_code == 404


def test_upload_refuses_a_file_whose_content_does_not_match_its_extension(collectif, member_client):
    reunion = ReunionFactory(collectif=collectif)
    response = _upload(member_client, reunion, "faux.pdf", b"MZ\x90\x00 executable")
    assert response.status_code == 200
    assert "ne correspond pas" in response.content.decode()
    response = _upload(member_client, reunion, "script.html", b"<script>alert(1)</script>")
    assert "pas accepté" in response.content.decode()
    assert not Document.objects.exists()


def test_upload_refuses_files_over_10_mb(collectif, member_client):
    reunion = ReunionFactory(collectif=collectif)
    response = _upload(member_client, reunion, "gros.png", b"\x89PNG\r\n\x1a\n" + b"0" * (10 * 1024 * 1024))
    assert "10 Mo" in response.content.decode()
    assert not Document.objects.exists()


def test_groupes_page_lists_groupes_and_coordinator_creates_one(collectif, coordinator, member, coordinator_client):
    response = coordinator_client.post(
        url("groupe_create"),
        {
            "name": "Dossier CLAS",
            "mandate": "Préparer la demande de financement.",
            "pilot": member.pk,
            "members": [member.pk, coordinator.pk],
            "status": "actif",
        },
    )
    assert response.status_code == 302
    page = coordinator_client.get(url("groupes")).content.decode()
    assert "Dossier CLAS" in page
    assert "2 membres" in page


def test_todo_lists_polls_meetings_to_convene_attendance_and_minutes(collectif, coordinator_client):
    from tests.reunions.factories import DatePollFactory

    DatePollFactory(reunion__collectif=collectif, reunion__title="Sondage ouvert")
    ReunionFactory(collectif=collectif, unscheduled=True, title="À convoquer")
    ReunionFactory(
        collectif=collectif,
        title="Présences à saisir",
        status=Reunion.Status.CONVENED,
        starts_at=timezone.now() - timedelta(days=2),
    )
    ReunionFactory(collectif=collectif, past=True, title="Compte rendu attendu")
    page = coordinator_client.get(url("todo")).content.decode()
    for title in ("Sondage ouvert", "À convoquer", "Présences à saisir", "Compte rendu attendu"):
        assert title in page


def test_upcoming_pleniere_lists_the_open_actions_to_follow_up(collectif, other_collectif, member_client):
    from tests.actions.factories import ActionFactory

    pleniere = Reunion.objects.create(
        collectif=collectif,
        kind=Reunion.Kind.PLENIERE,
        status=Reunion.Status.CONVENED,
        title="Plénière de printemps",
        starts_at=timezone.now() + timedelta(days=10),
    )
    ActionFactory(collectif=collectif, title="Café des parents", in_progress=True)
    ActionFactory(collectif=collectif, title="Stage d'établissement", done=True)
    ActionFactory(collectif=other_collectif, title="Action d'un autre collectif", in_progress=True)

    html = member_client.get(pleniere.get_absolute_url()).content.decode()

    assert "Actions à suivre en séance" in html
    assert "Café des parents" in html
    assert "Stage d'établissement" not in html
    assert "Action d'un autre collectif" not in html


def test_get_on_a_post_only_view_is_405_for_a_member(collectif, member_client):
    reunion = ReunionFactory(collectif=collectif)
    assert member_client.get(url("respond", reunion)).status_code == 405
    assert member_client.get(url("calendar_revoke")).status_code == 405


def test_anonymous_visitor_is_sent_to_login_whatever_the_method(collectif, client):
    reunion = ReunionFactory(collectif=collectif)
    for method in (client.get, client.post):
        response = method(url("agenda_add", reunion))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_atelier_page_lists_its_restitutions_through_the_hook(collectif, member_client):
    from reunions.hooks import atelier_restitutions
    from tests.restitutions.factories import RestitutionFactory

    registered = atelier_restitutions.keys()
    assert "restitutions.selectors.restitutions_for_reunion" in registered
    atelier = ReunionFactory(collectif=collectif, kind=Reunion.Kind.ATELIER)
    RestitutionFactory(collectif=collectif, reunion=atelier, title="Restitution du grand atelier")
    response = member_client.get(url("detail", atelier))
    assert response.status_code == 200
    assert "Restitution du grand atelier" in response.content.decode()
