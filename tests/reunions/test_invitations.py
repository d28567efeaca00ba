from datetime import timedelta

import pytest
import time_machine
from django.core import mail, signing
from django.urls import reverse
from django.utils import timezone

from core.models import OutboxMessage
from reunions.emails import rsvp_token
from reunions.models import Invitation, Reunion
from reunions.services.reunions import audience_memberships, invitation_queue_email, reunion_invite, reunion_update
from tests.helpers import ics_of, parse_ics
from tests.reunions.factories import InvitationFactory, ReunionFactory

pytestmark = pytest.mark.django_db


def test_inviting_all_members_sends_one_email_per_person_with_an_ics(
    collectif, coordinator, coordinator_client, memberships, django_capture_on_commit_callbacks
):
    reunion = ReunionFactory(collectif=collectif, status=Reunion.Status.TO_SCHEDULE)
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(
            reverse("reunions:invite", kwargs={"collectif_slug": collectif.slug, "pk": reunion.pk}),
            {"audience": "all"},
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 3
    assert all(len(m.to) == 1 and not m.bcc and not m.cc for m in mail.outbox)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(memberships)
    message = mail.outbox[0]
    assert message.subject.startswith(f"[{collectif.name}] Invitation")
    assert "Je suis excusé·e" in message.body
    cal = ics_of(message)
    assert cal["METHOD"] == "REQUEST"
    event = cal.walk("VEVENT")[0]
    assert str(event["UID"]) == reunion.ical_uid
    assert event["SEQUENCE"] == 0
    assert event.walk("VALARM")
    assert cal.walk("VTIMEZONE")[0]["TZID"] == "Europe/Paris"
    reunion.refresh_from_db()
    assert reunion.status == Reunion.Status.CONVENED
    assert set(Invitation.objects.values_list("sent_sequence", flat=True)) == {0}


def test_inviting_a_groupe_reaches_only_its_members(
    collectif, coordinator, member, guest, django_capture_on_commit_callbacks
):
    from tests.reunions.factories import GroupeFactory

    groupe = GroupeFactory(collectif=collectif)
    groupe.members.set([member])
    reunion = ReunionFactory(collectif=collectif, status=Reunion.Status.TO_SCHEDULE, groupe=groupe, kind="seance")
    people = audience_memberships(collectif=collectif, audience="groupe", groupe=groupe)
    with django_capture_on_commit_callbacks(execute=True):
        reunion_invite(reunion=reunion, by=coordinator, memberships=people)
    assert [m.to for m in mail.outbox] == [[member.email]]


def test_moving_a_convened_meeting_sends_an_update_with_a_higher_sequence(
    collectif, coordinator, member_ms, django_capture_on_commit_callbacks
):
    reunion = ReunionFactory(collectif=collectif, status=Reunion.Status.TO_SCHEDULE)
    with django_capture_on_commit_callbacks(execute=True):
        reunion_invite(reunion=reunion, by=coordinator, memberships=[member_ms])
    with django_capture_on_commit_callbacks(execute=True):
        reunion_update(reunion=reunion, by=coordinator, starts_at=reunion.starts_at + timedelta(days=1))
    assert len(mail.outbox) == 2
    update = mail.outbox[1]
    assert "Modifiée" in update.subject
    event = ics_of(update).walk("VEVENT")[0]
    assert event["SEQUENCE"] == 1
    assert str(event["UID"]) == reunion.ical_uid
    # Changing only the description is not a move: the calendar version goes up (feeds), nobody is e-mailed again.
    with django_capture_on_commit_callbacks(execute=True):
        reunion_update(reunion=reunion, by=coordinator, description="Précision")
    assert len(mail.outbox) == 2
    reunion.refresh_from_db()
    assert reunion.sequence == 2


def test_cancelling_sends_method_cancel_and_status_cancelled(
    collectif, coordinator, coordinator_client, member_ms, django_capture_on_commit_callbacks
):
    reunion = ReunionFactory(collectif=collectif, status=Reunion.Status.TO_SCHEDULE)
    with django_capture_on_commit_callbacks(execute=True):
        reunion_invite(reunion=reunion, by=coordinator, memberships=[member_ms])
    cancel_url = reverse("reunions:cancel", kwargs={"collectif_slug": collectif.slug, "pk": reunion.pk})
    assert "Oui, annuler" in coordinator_client.get(cancel_url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(cancel_url)
    cal = ics_of(mail.outbox[-1])
    assert cal["METHOD"] == "CANCEL"
    assert cal.walk("VEVENT")[0]["STATUS"] == "CANCELLED"
    assert cal.walk("VEVENT")[0]["SEQUENCE"] == 1


def test_invitation_queued_twice_is_sent_once(collectif, member_ms, django_capture_on_commit_callbacks):
    reunion = ReunionFactory(collectif=collectif)
    invitation = InvitationFactory(reunion=reunion, membership=member_ms)
    with django_capture_on_commit_callbacks(execute=True):
        assert invitation_queue_email(invitation=invitation) is True
        invitation.sent_sequence = -1  # even without the invitation's own mark, the outbox key holds
        invitation_queue_email(invitation=invitation)
    assert OutboxMessage.objects.filter(reunion_id=reunion.pk).count() == 1
    assert len(mail.outbox) == 1


def test_a_version_not_sent_yet_is_replaced_by_the_newer_one(collectif, coordinator, member_ms):
    reunion = ReunionFactory(collectif=collectif, status=Reunion.Status.TO_SCHEDULE)
    reunion_invite(reunion=reunion, by=coordinator, memberships=[member_ms])  # callbacks not run: nothing sent yet
    reunion_update(reunion=reunion, by=coordinator, starts_at=reunion.starts_at + timedelta(days=1))
    rows = dict(OutboxMessage.objects.values_list("key", "status"))
    invitation = Invitation.objects.get(reunion=reunion)
    assert rows == {
        f"reunion-invitation:{invitation.pk}:0": OutboxMessage.Status.SKIPPED,
        f"reunion-invitation:{invitation.pk}:1": OutboxMessage.Status.QUEUED,
    }


def test_signed_link_answers_excuse_without_login_and_only_on_post(collectif, member_ms, client):
    reunion = ReunionFactory(collectif=collectif)
    invitation = InvitationFactory(reunion=reunion, membership=member_ms)
    link = reverse("reunions:rsvp", kwargs={"token": rsvp_token(invitation, "excuse")})
    page = client.get(link)
    assert page.status_code == 200
    invitation.refresh_from_db()
    assert invitation.response == Invitation.Response.PENDING  # a mail scanner following the link changes nothing
    client.post(link)
    invitation.refresh_from_db()
    assert invitation.response == Invitation.Response.EXCUSED
    assert invitation.responded_at is not None


def test_forged_or_expired_link_is_refused(collectif, member_ms, client):
    reunion = ReunionFactory(collectif=collectif)
    invitation = InvitationFactory(reunion=reunion, membership=member_ms)
    forged = signing.dumps({"i": invitation.pk, "r": "excuse"}, salt="autre")
    assert client.post(reverse("reunions:rsvp", kwargs={"token": forged})).status_code == 404
    token = rsvp_token(invitation, "excuse")
    with time_machine.travel(timezone.now() + timedelta(days=200)):
        assert client.post(reverse("reunions:rsvp", kwargs={"token": token})).status_code == 410
    invitation.refresh_from_db()
    assert invitation.response == Invitation.Response.PENDING


def test_member_answers_from_the_reunion_page_with_htmx(collectif, member_ms, member_client):
    reunion = ReunionFactory(collectif=collectif)
    InvitationFactory(reunion=reunion, membership=member_ms)
    respond = reverse("reunions:respond", kwargs={"collectif_slug": collectif.slug, "pk": reunion.pk})
    response = member_client.post(respond, {"response": "present"}, HTTP_HX_REQUEST="true")
    assert "<html" not in response.content.decode()
    assert "présent" in response.content.decode()
    assert reunion.invitations.get().response == Invitation.Response.PRESENT


def test_attendance_recorded_for_everyone_on_one_page(collectif, coordinator_client, many_members):
    reunion = ReunionFactory(
        collectif=collectif, status=Reunion.Status.CONVENED, starts_at=timezone.now() - timedelta(hours=3)
    )
    invitations = [InvitationFactory(reunion=reunion, membership=m) for m in many_members(3)]
    page_url = reverse("reunions:attendance", kwargs={"collectif_slug": collectif.slug, "pk": reunion.pk})
    page = coordinator_client.get(page_url).content.decode()
    assert page.count('type="radio"') == 9
    data = {
        f"att_{invitations[0].pk}": "present",
        f"att_{invitations[1].pk}": "excuse",
        f"att_{invitations[2].pk}": "absent",
    }
    assert coordinator_client.post(page_url, data).status_code == 302
    assert [i.attendance for i in Invitation.objects.order_by("pk")] == [
        Invitation.Attendance.PRESENT,
        Invitation.Attendance.EXCUSED,
        Invitation.Attendance.ABSENT,
    ]
    reunion.refresh_from_db()
    assert reunion.status == Reunion.Status.HELD


def test_inviting_named_people_reaches_only_them(
    collectif, coordinator, coordinator_client, member, member_ms, guest, django_capture_on_commit_callbacks
):
    reunion = ReunionFactory(collectif=collectif, status=Reunion.Status.TO_SCHEDULE)
    url = reverse("reunions:invite", kwargs={"collectif_slug": collectif.slug, "pk": reunion.pk})
    response = coordinator_client.post(url, {"audience": "named"})
    assert "Choisissez au moins une personne." in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(url, {"audience": "named", "memberships": [member_ms.pk]})
    assert [m.to for m in mail.outbox] == [[member.email]]


def test_a_former_member_loses_the_collectif_from_their_feed(collectif, member, member_ms, client):
    from reunions.services.feeds import calendar_token_new

    reunion = ReunionFactory(collectif=collectif)
    InvitationFactory(reunion=reunion, membership=member_ms)
    token = calendar_token_new(by=member)
    feed = reverse("reunions:feed_personal", kwargs={"token": token})
    assert len(parse_ics(client.get(feed).content)) == 1
    member_ms.left_on = timezone.localdate()
    member_ms.save()
    assert parse_ics(client.get(feed).content) == []
    assert (
        client.get(
            reverse("reunions:feed_collectif", kwargs={"token": token, "collectif_slug": collectif.slug})
        ).status_code
        == 404
    )
