"""Public registration for a reunion opened to partners: no account, a confirmed e-mail, the waiting list, the
cancel link, reminders, erasure at the end of the retention period, and what the organiser sees."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from core.models import OutboxMessage
from membres.models import User
from reunions.emails import registration_token
from reunions.models import Registration, RegistrationPage, Reunion
from reunions.services.registrations import (
    registration_reminders_queue,
    registrations_beat,
    registrations_erase_expired,
)
from tests.helpers import collectif_url, ics_of, mails_leave
from tests.reunions.factories import RegistrationFactory, RegistrationPageFactory, ReunionFactory

pytestmark = pytest.mark.django_db

S = Registration.Status


def form_data(**extra):
    data = {
        "name": "Inès Morel",
        "email": "ines.morel@mjc-exemple.org",
        "structure": "MJC des Roches",
        "structure_kind": "association",
        "consent": "on",
        "website": "",
    }
    return {**data, **extra}


def link(message, kind: str) -> str:
    return re.search(rf"https?://[^/\s]+(/inscription/{kind}/[^\s]+/)", message.body).group(1)


@pytest.fixture
def reg_page(collectif):
    return RegistrationPageFactory(reunion__collectif=collectif, capacity=1)


def register(client, reg_page, **extra):
    with mails_leave():
        return client.post(reverse("reunions:register", kwargs={"public_id": reg_page.public_id}), form_data(**extra))


def confirm(client, message):
    with mails_leave():
        return client.post(link(message, "confirmer"))


def test_organiser_opens_the_registration_page(collectif, coordinator_client):
    reunion = ReunionFactory(collectif=collectif, kind=Reunion.Kind.ATELIER)
    url = collectif_url(collectif, "reunions:registrations", pk=reunion.pk)
    response = coordinator_client.post(url, {"capacity": "30", "retention_months": "12", "closes_at": ""})
    assert response.status_code == 302
    reg_page = RegistrationPage.objects.get(reunion=reunion)
    assert (reg_page.capacity, reg_page.retention_months, reg_page.is_open) == (30, 12, True)
    assert reg_page.public_id in coordinator_client.get(url).content.decode()


def test_a_person_registers_confirms_and_gets_the_invitation_without_an_account(client, reg_page):
    users_before = User.objects.count()
    response = register(client, reg_page)
    assert response.status_code == 200 and "Un e-mail vient de partir" in response.content.decode()
    registration = Registration.objects.get()
    assert registration.status == S.PENDING and registration.consented_at
    assert registration.erase_after == (
        timezone.localdate(reg_page.reunion.starts_at).replace(
            year=timezone.localdate(reg_page.reunion.starts_at).year + 1
        )
    )
    (confirm_mail,) = mail.outbox
    assert confirm_mail.to == ["ines.morel@mjc-exemple.org"]
    # A GET (a mail scanner) only shows the button.
    assert client.get(link(confirm_mail, "confirmer")).status_code == 200
    assert Registration.objects.get().status == S.PENDING
    response = confirm(client, confirm_mail)
    assert response.status_code == 200
    assert Registration.objects.get().status == S.CONFIRMED
    invitation = mail.outbox[1]
    event = ics_of(invitation).walk("VEVENT")[0]
    assert str(event["UID"]) == reg_page.reunion.ical_uid
    # Nothing of the collectif's private pages reaches a registrant.
    assert f"/c/{reg_page.reunion.collectif.slug}/" not in invitation.body + str(event.get("DESCRIPTION", ""))
    assert "/inscription/annuler/" in invitation.body
    assert User.objects.count() == users_before
    # Confirming twice changes nothing and sends nothing.
    confirm(client, confirm_mail)
    assert len(mail.outbox) == 2


def test_beyond_capacity_the_waiting_list_gets_the_place_freed_by_a_cancellation(client, reg_page):
    register(client, reg_page)
    register(client, reg_page, name="Paul Girard", email="paul@college-exemple.fr", structure_kind="etablissement")
    first, second = mail.outbox
    confirm(client, first)
    confirm(client, second)
    ines, paul = Registration.objects.order_by("pk")
    assert (ines.status, paul.status) == (S.CONFIRMED, S.WAITING)
    assert "liste d'attente" in mail.outbox[-1].body
    cancel_url = link(mail.outbox[2], "annuler")
    assert client.get(cancel_url).status_code == 200
    mail.outbox.clear()
    with mails_leave():
        assert client.post(cancel_url).status_code == 200
    ines.refresh_from_db()
    paul.refresh_from_db()
    assert (ines.status, paul.status) == (S.CANCELLED, S.CONFIRMED)
    (promoted,) = mail.outbox
    assert promoted.to == ["paul@college-exemple.fr"] and ics_of(promoted)


def test_registering_twice_with_the_same_address_keeps_one_registration(client, reg_page):
    register(client, reg_page)
    response = register(client, reg_page, email="INES.MOREL@mjc-exemple.org")
    assert "Un e-mail vient de partir" in response.content.decode()
    assert Registration.objects.count() == 1 and len(mail.outbox) == 1


def test_honeypot_records_nothing_and_looks_the_same(client, reg_page):
    response = register(client, reg_page, website="http://spam.example")
    assert response.status_code == 200 and "Un e-mail vient de partir" in response.content.decode()
    assert not Registration.objects.exists() and not mail.outbox


def test_errors_are_tied_to_their_fields(client, reg_page):
    response = register(client, reg_page, email="pas-une-adresse", consent="")
    html = response.content.decode()
    assert not Registration.objects.exists()
    assert 'aria-describedby="id_email_error' in html or 'id="id_email_error"' in html
    assert 'aria-invalid="true"' in html


def test_anonymous_posts_are_rate_limited_per_ip(client, reg_page, settings):
    settings.PUBLIC_REGISTRATION_RATE_LIMIT = (2, 600)
    for n in range(2):
        assert register(client, reg_page, email=f"p{n}@exemple.org").status_code == 200
    assert register(client, reg_page, email="p3@exemple.org").status_code == 429
    assert Registration.objects.count() == 2


def test_closed_or_full_date_page_takes_no_registration(client, reg_page):
    reg_page.closes_at = timezone.now() - timedelta(hours=1)
    reg_page.save()
    response = register(client, reg_page)
    assert "Les inscriptions sont closes" in response.content.decode()
    assert not Registration.objects.exists()


def test_a_forged_link_or_a_link_of_another_action_is_404(client, reg_page):
    registration = RegistrationFactory(reunion=reg_page.reunion, pending=True)
    confirm_token = registration_token(registration, "confirm")
    assert client.get(reverse("reunions:registration_cancel", kwargs={"token": confirm_token})).status_code == 404
    assert (
        client.get(reverse("reunions:registration_confirm", kwargs={"token": confirm_token + "x"})).status_code == 404
    )


def test_public_page_shows_nothing_of_the_collectif_private_pages(client, reg_page):
    html = client.get(reverse("reunions:register", kwargs={"public_id": reg_page.public_id})).content.decode()
    assert reg_page.reunion.title in html
    assert f"/c/{reg_page.reunion.collectif.slug}/" not in html
    assert "conservation" in html.lower() or "effacés 12 mois après la réunion" in html


def test_j_minus_1_reminder_is_queued_once_per_registration(reg_page):
    reunion = reg_page.reunion
    confirmed = RegistrationFactory(reunion=reunion)
    RegistrationFactory(reunion=reunion, pending=True)
    RegistrationFactory(reunion=reunion, status=S.CANCELLED)
    with time_machine.travel(reunion.starts_at - timedelta(days=2)):
        assert registration_reminders_queue() == 0
    with time_machine.travel(reunion.starts_at - timedelta(hours=20)):
        assert registration_reminders_queue() == 1
        assert registration_reminders_queue() == 0
    (row,) = OutboxMessage.objects.filter(key__startswith="registration-reminder:")
    assert row.key == f"registration-reminder:{confirmed.pk}" and row.to == confirmed.email


def test_retention_task_erases_only_registrants_past_their_period(reg_page, collectif, member):
    reunion = reg_page.reunion
    old = RegistrationFactory(reunion=reunion, erase_after=reunion.starts_at.date() + timedelta(days=30))
    kept = RegistrationFactory(reunion=reunion, erase_after=reunion.starts_at.date() + timedelta(days=400))
    member_before = User.objects.values().get(pk=member.pk)
    for registration, address in ((old, old.email), (kept, kept.email)):
        OutboxMessage.objects.create(
            key=f"registration-invitation:{registration.pk}", to=address, subject="Inscription", body="Bonjour"
        )
    member_mail = OutboxMessage.objects.create(key="reunion-invitation:1:0", to=old.email, subject="S", body="B")
    with time_machine.travel(reunion.starts_at + timedelta(days=60)):
        assert registrations_beat()["erased"] == 1
        assert registrations_erase_expired() == 0
    old.refresh_from_db()
    kept.refresh_from_db()
    assert (old.name, old.email, old.structure) == ("", "", "")
    assert old.structure_kind == "association" and old.status == S.CONFIRMED and old.erased_at
    assert kept.name.startswith("Personne inscrite") and kept.email and kept.structure and not kept.erased_at
    assert User.objects.values().get(pk=member.pk) == member_before
    erased_mail = OutboxMessage.objects.get(key=f"registration-invitation:{old.pk}")
    assert (erased_mail.to, erased_mail.body, erased_mail.status) == ("", "", OutboxMessage.Status.SKIPPED)
    assert OutboxMessage.objects.get(key=f"registration-invitation:{kept.pk}").to == kept.email
    member_mail.refresh_from_db()
    assert member_mail.to and member_mail.body == "B"
    # An erased registration's links lead nowhere.
    token = registration_token(old, "cancel")
    from django.test import Client

    assert Client().get(reverse("reunions:registration_cancel", kwargs={"token": token})).status_code == 404


def test_organiser_list_of_250_registrants_in_constant_queries(
    coordinator_client, collectif, reg_page, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = collectif_url(collectif, "reunions:registrations", pk=reg_page.reunion.pk)
    RegistrationFactory(reunion=reg_page.reunion)
    coordinator_client.get(url)  # the signed-in user is then read from the cache, as on every later page
    with CaptureQueriesContext(connection) as one:
        coordinator_client.get(url)
    RegistrationFactory.create_batch(249, reunion=reg_page.reunion)
    with django_assert_num_queries(len(one.captured_queries)):
        response = coordinator_client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count("<tr>") == 251
    assert len(one.captured_queries) <= 12


def test_cancelling_the_reunion_tells_registrants_with_a_cancel_ics(coordinator_client, collectif, reg_page):
    reunion = reg_page.reunion
    confirmed = RegistrationFactory(reunion=reunion)
    waiting = RegistrationFactory(reunion=reunion, waiting=True)
    RegistrationFactory(reunion=reunion, pending=True)
    with mails_leave():
        response = coordinator_client.post(collectif_url(collectif, "reunions:cancel", pk=reunion.pk))
    assert response.status_code == 302
    sent = {m.to[0]: m for m in mail.outbox if "inscrit" in m.to[0]}
    assert set(sent) == {confirmed.email, waiting.email}
    assert ics_of(sent[confirmed.email])["METHOD"] == "CANCEL"
    reg_page.refresh_from_db()
    assert not reg_page.is_open


def test_moving_the_reunion_sends_registrants_the_new_ics(coordinator, reg_page):
    from reunions.services.reunions import reunion_update

    reunion = reg_page.reunion
    confirmed = RegistrationFactory(reunion=reunion)
    RegistrationFactory(reunion=reunion, pending=True)
    for hours in (1, 2):
        reunion_update(reunion=reunion, by=coordinator, starts_at=reunion.starts_at + timedelta(hours=hours))
        reunion.refresh_from_db()
    rows = OutboxMessage.objects.filter(key__startswith="registration-update:").order_by("pk")
    assert [(r.to, r.status) for r in rows] == [
        (confirmed.email, OutboxMessage.Status.SKIPPED),  # replaced by the newer version before it left
        (confirmed.email, OutboxMessage.Status.QUEUED),
    ]
    assert rows[1].key == f"registration-update:{confirmed.pk}:{reunion.sequence}"
    assert f"SEQUENCE:{reunion.sequence}" in rows[1].attachments[0]["content"]


def test_a_pending_registrant_still_confirms_after_the_closing_date(client, reg_page):
    """Registered before the closing date, the e-mail opened after it: the confirmation works (a place if there is
    one), while the public form takes no new registration."""
    register(client, reg_page)
    message = mail.outbox[-1]
    reg_page.closes_at = timezone.now() - timedelta(minutes=5)
    reg_page.save()
    assert "Confirmer mon inscription" in client.get(link(message, "confirmer")).content.decode()
    response = confirm(client, message)
    assert "Votre place est réservée" in response.content.decode()
    assert Registration.objects.get().status == S.CONFIRMED
    assert "Les inscriptions sont closes" in register(client, reg_page, email="autre@exemple.org").content.decode()


def test_moving_the_reunion_does_not_send_registrants_a_second_reminder(coordinator, reg_page):
    """The J-1 reminder is keyed on the registration: once sent, moving the reunion (later the same day, or to the
    next day) brings the new .ics but no second reminder."""
    from reunions.services.reunions import reunion_update

    reunion = reg_page.reunion
    confirmed = RegistrationFactory(reunion=reunion)
    with time_machine.travel(reunion.starts_at - timedelta(hours=20)):
        assert registration_reminders_queue() == 1
        for shift in (timedelta(hours=2), timedelta(days=1)):
            reunion_update(reunion=reunion, by=coordinator, starts_at=reunion.starts_at + shift)
            reunion.refresh_from_db()
    with time_machine.travel(reunion.starts_at - timedelta(hours=20)):
        assert registration_reminders_queue() == 0
        registrations_beat()
    reminders = OutboxMessage.objects.filter(to=confirmed.email, key__startswith="registration-reminder:")
    assert reminders.count() == 1
    assert OutboxMessage.objects.filter(to=confirmed.email, key__startswith="registration-update:").exists()
