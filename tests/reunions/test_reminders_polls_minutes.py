import re
import smtplib
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from core.models import OutboxMessage
from core.outbox import MAX_ATTEMPTS, outbox_due_ids, outbox_send_batch
from reunions.models import DatePoll, Invitation, Minutes, MinutesVersion, PollVote, ReminderDue, Reunion
from reunions.services.feeds import calendar_token_new
from reunions.services.minutes import minutes_adopt, minutes_get_or_create, minutes_save
from reunions.services.polls import poll_create, poll_vote
from reunions.services.reminders import reminders_claim, reminders_send_batch
from reunions.services.reunions import invitation_respond, reunion_cancel, reunion_invite, reunion_update
from reunions.tasks import send_due_reminders
from tests.helpers import ics_of, mails_leave, parse_ics, pdf_text
from tests.reunions.factories import (
    DecisionFactory,
    InvitationFactory,
    ReunionFactory,
)

pytestmark = pytest.mark.django_db


def _convened(collectif, coordinator, memberships, days=10):
    reunion = ReunionFactory(
        collectif=collectif, status=Reunion.Status.TO_SCHEDULE, starts_at=timezone.now() + timedelta(days=days)
    )
    reunion_invite(reunion=reunion, by=coordinator, memberships=memberships)
    return reunion


# --- Reminders -----------------------------------------------------------------------------------------------


def test_convening_arms_the_collectif_default_reminders(collectif, coordinator, member_ms, coordinator_ms):
    reunion = _convened(collectif, coordinator, [member_ms, coordinator_ms])
    rows = ReminderDue.objects.filter(reunion=reunion)
    assert sorted(rows.values_list("offset_days", flat=True)) == [1, 1, 7, 7]
    row = rows.get(membership=member_ms, offset_days=7)
    assert row.due_at == reunion.starts_at - timedelta(days=7)


def test_no_reminder_for_who_declined_or_turned_reminders_off(
    collectif, coordinator, member, member_ms, coordinator_ms
):
    coordinator.notify_reunion_reminders = False
    coordinator.save()
    reunion = _convened(collectif, coordinator, [member_ms, coordinator_ms])
    assert set(ReminderDue.objects.filter(reunion=reunion).values_list("membership_id", flat=True)) == {member_ms.pk}
    invitation_respond(invitation=reunion.invitations.get(membership=member_ms), response="excuse", by=member)
    assert not ReminderDue.objects.filter(reunion=reunion, status=ReminderDue.Status.PENDING).exists()


def test_reminder_sent_once_even_when_the_beat_runs_twice(collectif, coordinator, member_ms):
    reunion = _convened(collectif, coordinator, [member_ms])
    with time_machine.travel(reunion.starts_at - timedelta(days=1, minutes=-1)):
        with mails_leave():
            send_due_reminders()
        with mails_leave():
            send_due_reminders()
    reminders = [m for m in mail.outbox if "Rappel" in m.subject]
    assert len(reminders) == 2  # J-7 (late but still before the meeting) and J-1, once each
    assert set(ReminderDue.objects.values_list("status", flat=True)) == {ReminderDue.Status.SENT}


def test_unique_constraint_forbids_a_second_row_for_the_same_offset(collectif, coordinator, member_ms):
    from django.db import IntegrityError, transaction

    reunion = _convened(collectif, coordinator, [member_ms])
    with pytest.raises(IntegrityError), transaction.atomic():
        ReminderDue.objects.create(reunion=reunion, membership=member_ms, offset_days=7, due_at=timezone.now())


def test_moving_the_meeting_recomputes_and_drops_the_old_date(collectif, coordinator, member_ms):
    reunion = _convened(collectif, coordinator, [member_ms], days=10)
    new_start = timezone.now() + timedelta(days=3)
    reunion_update(reunion=reunion, by=coordinator, starts_at=new_start, ends_at=new_start + timedelta(hours=2))
    rows = {r.offset_days: r for r in ReminderDue.objects.filter(reunion=reunion)}
    assert rows[7].status == ReminderDue.Status.SKIPPED  # J-7 of the new date has passed
    assert rows[1].status == ReminderDue.Status.PENDING and rows[1].due_at == new_start - timedelta(days=1)


def test_no_reminder_for_a_cancelled_or_past_meeting(collectif, coordinator, member_ms):
    reunion = _convened(collectif, coordinator, [member_ms])
    reunion_cancel(reunion=reunion, by=coordinator)
    assert not ReminderDue.objects.filter(reunion=reunion, status=ReminderDue.Status.PENDING).exists()
    other = _convened(collectif, coordinator, [member_ms], days=2)
    row = ReminderDue.objects.get(reunion=other, offset_days=1)
    Reunion.objects.filter(pk=other.pk).update(starts_at=timezone.now() - timedelta(hours=1))
    ReminderDue.objects.filter(pk=row.pk).update(due_at=timezone.now() - timedelta(hours=2))
    reminders_send_batch(ids=[row.pk])
    row.refresh_from_db()
    assert row.status == ReminderDue.Status.SKIPPED
    assert not [m for m in mail.outbox if "Rappel" in m.subject]


def test_per_reunion_settings_off_offsets_and_note(collectif, coordinator, coordinator_client, member_ms):
    reunion = _convened(collectif, coordinator, [member_ms], days=20)
    url = reverse("reunions:reminders", kwargs={"collectif_slug": collectif.slug, "pk": reunion.pk})
    coordinator_client.post(url, {"enabled": "on", "offsets": "14, 2", "note": "Apportez vos chiffres."})
    pending = ReminderDue.objects.filter(reunion=reunion, status=ReminderDue.Status.PENDING)
    assert sorted(pending.values_list("offset_days", flat=True)) == [2, 14]
    with time_machine.travel(reunion.starts_at - timedelta(days=2)), mails_leave():
        send_due_reminders()
    assert "Apportez vos chiffres." in mail.outbox[-1].body
    coordinator_client.post(url, {"offsets": "", "note": ""})
    assert not ReminderDue.objects.filter(reunion=reunion, status=ReminderDue.Status.PENDING).exists()


def test_collectif_defaults_apply_to_new_meetings(collectif, coordinator, coordinator_client, member_ms):
    coordinator_client.post(reverse("reunions:settings", kwargs={"collectif_slug": collectif.slug}), {"offsets": "3"})
    reunion = _convened(collectif, coordinator, [member_ms])
    assert list(ReminderDue.objects.filter(reunion=reunion).values_list("offset_days", flat=True)) == [3]


def test_smtp_failure_retries_with_backoff_then_shows_on_the_coordinator_page(
    collectif, coordinator, coordinator_client, member_ms, monkeypatch
):
    reunion = _convened(collectif, coordinator, [member_ms], days=2)
    row = ReminderDue.objects.get(reunion=reunion, offset_days=1)

    def fail(self, *args, **kwargs):
        raise smtplib.SMTPServerDisconnected("relais injoignable")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", fail)
    moment = reunion.starts_at - timedelta(hours=20)
    with time_machine.travel(moment, tick=False), mails_leave():
        reminders_send_batch(ids=[row.pk])
    row.refresh_from_db()
    assert row.status == ReminderDue.Status.SENT  # handed to the outbox, which retries
    message = OutboxMessage.objects.get(key__startswith=f"reunion-reminder:{row.pk}:")
    assert (message.status, message.attempts) == (OutboxMessage.Status.QUEUED, 1)
    assert message.next_attempt_at == moment + timedelta(minutes=2)
    assert "relais injoignable" in message.last_error
    with time_machine.travel(moment, tick=False):
        assert message.pk not in outbox_due_ids()  # waiting for its backoff
    for _ in range(MAX_ATTEMPTS - 1):
        OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=None)
        outbox_send_batch(ids=[message.pk])
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxMessage.Status.FAILED, MAX_ATTEMPTS)
    page = coordinator_client.get(reunion.get_absolute_url()).content.decode()
    assert "n&#x27;a pas pu partir" in page or "n'a pas pu partir" in page
    todo = coordinator_client.get(reverse("reunions:todo", kwargs={"collectif_slug": collectif.slug})).content.decode()
    assert "E-mails en échec" in todo

    # The coordinator retries once the mail server is back: the mail leaves, once.
    monkeypatch.undo()
    mail.outbox.clear()
    url = reverse("reunions:mails_retry", kwargs={"collectif_slug": collectif.slug, "pk": reunion.pk})
    with mails_leave():
        assert coordinator_client.post(url).status_code == 302
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert [m.to for m in mail.outbox] == [[member_ms.user.email]]


def test_two_claims_of_the_same_rows_never_both_get_them(collectif, coordinator, member_ms):
    reunion = _convened(collectif, coordinator, [member_ms], days=2)
    ids = list(ReminderDue.objects.filter(reunion=reunion).values_list("pk", flat=True))
    with time_machine.travel(reunion.starts_at - timedelta(hours=20)):
        first = reminders_claim(ids=ids)
        second = reminders_claim(ids=ids)
    assert first and second == []


# --- Date poll -----------------------------------------------------------------------------------------------


def _poll(collectif, coordinator, memberships, n=3):
    reunion = ReunionFactory(collectif=collectif, unscheduled=True)
    start = (timezone.now() + timedelta(days=20)).replace(microsecond=0)
    slots = [(start + timedelta(days=i), start + timedelta(days=i, hours=2)) for i in range(n)]
    return poll_create(
        reunion=reunion,
        by=coordinator,
        deadline=timezone.now() + timedelta(days=5),
        slots=slots,
        memberships=memberships,
    )


def test_coordinator_opens_a_poll_from_the_form(
    collectif, coordinator_client, memberships, django_capture_on_commit_callbacks
):
    reunion = ReunionFactory(collectif=collectif, unscheduled=True)
    url = reverse("reunions:poll_create", kwargs={"collectif_slug": collectif.slug, "pk": reunion.pk})
    data = {
        "deadline": "2031-01-10T18:00",
        "slot_1_start": "2031-01-20T14:00",
        "slot_1_end": "2031-01-20T16:00",
        "audience": "all",
        "slot_count": "4",
    }
    response = coordinator_client.post(url, data)
    assert "de 2 à 10 créneaux" in response.content.decode()
    data |= {"slot_2_start": "2031-01-22T14:00", "slot_2_end": "2031-01-22T16:00"}
    with django_capture_on_commit_callbacks(execute=True):
        assert coordinator_client.post(url, data).status_code == 302
    poll = DatePoll.objects.get(reunion=reunion)
    assert poll.slots.count() == 2
    assert len(mail.outbox) == 3


def test_members_vote_without_javascript_and_the_tally_shows_who_answered_what(
    collectif, coordinator, member_ms, coordinator_ms, member_client
):
    poll = _poll(collectif, coordinator, [member_ms, coordinator_ms])
    slots = list(poll.slots.all())
    url = reverse("reunions:poll", kwargs={"collectif_slug": collectif.slug, "pk": poll.reunion.pk})
    member_client.post(
        url, {f"slot_{slots[0].pk}": "oui", f"slot_{slots[1].pk}": "si_besoin", f"slot_{slots[2].pk}": "non"}
    )
    assert PollVote.objects.filter(membership=member_ms).count() == 3
    page = member_client.get(url).content.decode()
    assert "1 oui · 0 si besoin · 0 non" in page
    assert "Sans réponse : Sophie Bernard" in page


def test_guest_not_invited_cannot_vote(collectif, coordinator, member_ms, guest_client):
    poll = _poll(collectif, coordinator, [member_ms])
    url = reverse("reunions:poll", kwargs={"collectif_slug": collectif.slug, "pk": poll.reunion.pk})
    assert guest_client.post(url, {}).status_code == 403


def test_choosing_a_slot_convenes_and_sends_invitations(
    collectif, coordinator, coordinator_client, member_ms, django_capture_on_commit_callbacks
):
    poll = _poll(collectif, coordinator, [member_ms])
    slot = poll.slots.last()
    url = reverse("reunions:poll_choose", kwargs={"collectif_slug": collectif.slug, "pk": poll.reunion.pk})
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(url, {"slot": slot.pk})
    reunion = Reunion.objects.get(pk=poll.reunion.pk)
    assert reunion.status == Reunion.Status.CONVENED
    assert reunion.starts_at == slot.starts_at
    assert ics_of(mail.outbox[-1]).walk("VEVENT")[0].decoded("DTSTART") == slot.starts_at
    poll.refresh_from_db()
    assert poll.status == DatePoll.Status.CLOSED and poll.chosen_slot == slot


def test_one_nudge_before_the_deadline_to_those_who_have_not_answered(
    collectif, coordinator, member_ms, coordinator_ms
):
    poll = _poll(collectif, coordinator, [member_ms, coordinator_ms])
    poll_vote(poll=poll, membership=coordinator_ms, answers={poll.slots.first().pk: "oui"}, by=coordinator)
    mail.outbox.clear()
    with time_machine.travel(poll.deadline - timedelta(days=1)):
        with mails_leave():
            send_due_reminders()
        with mails_leave():
            send_due_reminders()
    assert [m.to for m in mail.outbox] == [[member_ms.user.email]]
    assert "Relance" in mail.outbox[0].subject


def test_poll_refuses_fewer_than_two_slots(collectif, coordinator, member_ms):
    with pytest.raises(ValueError):
        _poll(collectif, coordinator, [member_ms], n=1)


# --- Minutes -------------------------------------------------------------------------------------------------


def test_minutes_follow_the_agenda_and_are_sanitized(collectif, member_ms, member_client):
    from tests.reunions.factories import AgendaItemFactory

    reunion = ReunionFactory(collectif=collectif, past=True, secretary=member_ms)
    AgendaItemFactory(reunion=reunion, title="Bilan du café des parents")
    url = reverse("reunions:minutes_edit", kwargs={"collectif_slug": collectif.slug, "pk": reunion.pk})
    page = member_client.get(url).content.decode()
    assert "Bilan du café des parents" in page
    assert "Aucun élève ni aucune famille" in page
    section = Minutes.objects.get(reunion=reunion).sections.first()
    member_client.post(url, {f"section_{section.pk}": '<p onclick="x()">Bien <b>vu</b><script>alert(1)</script></p>'})
    section.refresh_from_db()
    assert section.body == "<p>Bien <b>vu</b></p>"


def test_minutes_lifecycle_submit_comment_adopt_and_correct(
    collectif, coordinator, member_ms, member_client, coordinator_client, django_capture_on_commit_callbacks
):
    reunion = ReunionFactory(collectif=collectif, past=True, secretary=member_ms)
    InvitationFactory(reunion=reunion, membership=member_ms, attendance=Invitation.Attendance.PRESENT)
    DecisionFactory(reunion=reunion, text="Reconduire le café des parents")
    kw = {"collectif_slug": collectif.slug, "pk": reunion.pk}
    member_client.get(reverse("reunions:minutes_edit", kwargs=kw))
    with django_capture_on_commit_callbacks(execute=True):
        member_client.post(reverse("reunions:minutes_submit", kwargs=kw), {"comment_days": 5})
    minutes = Minutes.objects.get(reunion=reunion)
    assert minutes.status == Minutes.Status.SUBMITTED
    assert mail.outbox[-1].to == [member_ms.user.email]
    member_client.post(reverse("reunions:minutes_comment", kwargs=kw), {"body": "Ajouter le calendrier."})
    assert minutes.comments.count() == 1
    with time_machine.travel(timezone.now() + timedelta(days=6)):
        assert (
            member_client.post(reverse("reunions:minutes_comment", kwargs=kw), {"body": "Trop tard"}).status_code
            == 403
        )
    coordinator_client.post(reverse("reunions:minutes_adopt", kwargs=kw))
    minutes.refresh_from_db()
    reunion.refresh_from_db()
    assert minutes.status == Minutes.Status.ADOPTED and minutes.version == 1
    assert reunion.status == Reunion.Status.MINUTES_ADOPTED
    v1 = MinutesVersion.objects.get(minutes=minutes, number=1)
    assert v1.decisions == ["Reconduire le café des parents"]
    # Frozen: the edit page refuses; a correction makes version 2 and keeps version 1 as it was.
    assert member_client.get(reverse("reunions:minutes_edit", kwargs=kw)).status_code == 302
    coordinator_client.post(reverse("reunions:minutes_reopen", kwargs=kw))
    minutes.refresh_from_db()
    section = minutes.sections.first()
    minutes_save(minutes=minutes, by=coordinator, bodies={section.pk: "<p>Corrigé</p>"})
    coordinator_client.post(reverse("reunions:minutes_adopt", kwargs=kw))
    assert MinutesVersion.objects.filter(minutes=minutes).count() == 2
    v1.refresh_from_db()
    assert "Corrigé" not in v1.html
    assert "Corrigé" in MinutesVersion.objects.get(minutes=minutes, number=2).html


def test_adopted_minutes_print_as_pdf(collectif, coordinator, member_client):
    reunion = ReunionFactory(collectif=collectif, past=True, title="Plénière imprimée")
    minutes = minutes_get_or_create(reunion=reunion)
    minutes_adopt(minutes=minutes, by=coordinator)
    response = member_client.get(
        reverse("reunions:minutes_pdf", kwargs={"collectif_slug": collectif.slug, "pk": reunion.pk})
    )
    assert response["Content-Type"] == "application/pdf"
    assert "Plénière imprimée" in pdf_text(response.content)


def test_create_action_link_only_when_the_actions_url_exists(collectif, member_client):
    reunion = ReunionFactory(collectif=collectif, past=True)
    DecisionFactory(reunion=reunion)
    page = member_client.get(reunion.get_absolute_url()).content.decode()
    from django.urls import NoReverseMatch

    try:
        reverse("actions:create_from_decision", kwargs={"collectif_slug": collectif.slug, "decision_pk": 1})
        exists = True
    except NoReverseMatch:
        exists = False
    assert ("Créer une action" in page) is exists


def test_secretary_reminded_once_three_days_after_if_nothing_submitted(collectif, member_ms):
    reunion = ReunionFactory(
        collectif=collectif, past=True, secretary=member_ms, starts_at=timezone.now() - timedelta(days=2)
    )
    with mails_leave():
        send_due_reminders()
    assert not mail.outbox
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        with mails_leave():
            send_due_reminders()
        with mails_leave():
            send_due_reminders()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [member_ms.user.email]
    assert reunion.title in mail.outbox[0].body


# --- Calendar feeds ------------------------------------------------------------------------------------------


def test_personal_feed_is_valid_ics_with_timezone_and_revocable(collectif, member, member_ms, member_client, client):
    reunion = ReunionFactory(collectif=collectif, title="Plénière du flux")
    InvitationFactory(reunion=reunion, membership=member_ms)
    ReunionFactory(collectif=collectif, title="Sans moi")
    page = member_client.post(reverse("reunions:calendar_revoke", kwargs={"collectif_slug": collectif.slug}))
    token = re.search(r"/calendrier/([^/]+)\.ics", page.content.decode()).group(1)
    response = client.get(reverse("reunions:feed_personal", kwargs={"token": token}))
    assert response["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(response.content)
    assert cal.walk("VTIMEZONE")[0]["TZID"] == "Europe/Paris"
    assert [str(e["SUMMARY"]) for e in parse_ics(response.content)] == ["Plénière — Plénière du flux"]
    member_client.post(reverse("reunions:calendar_revoke", kwargs={"collectif_slug": collectif.slug}))
    assert client.get(reverse("reunions:feed_personal", kwargs={"token": token})).status_code == 404


def test_collectif_feed_lists_all_its_reunions_for_members_only(collectif, member, other_member, client):
    ReunionFactory(collectif=collectif, title="Une")
    ReunionFactory(collectif=collectif, title="Deux")
    token = calendar_token_new(by=member)
    cal = Calendar.from_ical(
        client.get(
            reverse("reunions:feed_collectif", kwargs={"token": token, "collectif_slug": collectif.slug})
        ).content
    )
    assert len(cal.walk("VEVENT")) == 2
    other = calendar_token_new(by=other_member)
    url = reverse("reunions:feed_collectif", kwargs={"token": other, "collectif_slug": collectif.slug})
    assert client.get(url).status_code == 404


def test_demo_loads_twice_without_duplicates():
    from io import StringIO

    from django.core.management import call_command

    call_command("load_demo", stdout=StringIO())
    count = Reunion.objects.count()
    call_command("load_demo", stdout=StringIO())
    assert Reunion.objects.count() == count >= 6
    assert DatePoll.objects.filter(status=DatePoll.Status.OPEN).exists()
    assert MinutesVersion.objects.count() >= 2
    assert ReminderDue.objects.filter(status=ReminderDue.Status.PENDING).exists()


def test_reminder_headers_encoded_once_still_decode_to_french(collectif, coordinator, member_ms):
    from email import message_from_bytes, policy

    reunion = _convened(collectif, coordinator, [member_ms], days=2)
    with time_machine.travel(reunion.starts_at - timedelta(hours=20)), mails_leave():
        send_due_reminders()
    parsed = message_from_bytes(mail.outbox[-1].message().as_bytes(), policy=policy.default)
    # Django folds long subjects after « Subject: », which the parser keeps as one leading space (as before).
    assert parsed["Subject"].strip() == f"[{collectif.name}] Rappel : {reunion.title} demain"
    assert parsed["From"].addresses[0].display_name == "Persévérance scolaire"
    assert parsed["To"].addresses[0].addr_spec == member_ms.user.email
