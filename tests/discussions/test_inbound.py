"""A received reply: posted once in its thread as its author, or refused, never posted, and answered in French
through the outbox; mail written by robots is dropped without an answer."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.utils import timezone

from core.models import OutboxMessage
from discussions.inbound import BOUNCES_PER_DAY, Outcome, Refusal, receive
from discussions.models import Follow, Message
from discussions.replies import reply_address
from tests.discussions.replymail import make_thread, reply_mail
from tests.helpers import mails_leave

MEMBER = "membre@exemple.org"


@pytest.fixture
def thread(collectif, coordinator):
    return make_thread(collectif, coordinator)


@pytest.fixture
def address(thread, member):
    return reply_address(member, thread)


def bounces() -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(key__startswith="reply-bounce:"))


def test_a_reply_is_posted_once_as_its_author_who_then_follows_the_thread(thread, member, address):
    raw = reply_mail(to=address, sender=MEMBER, message_id="<abc@client.exemple.net>")
    outcome = receive(raw)
    assert outcome.status == Outcome.POSTED
    message = Message.objects.get(thread=thread)
    assert message == outcome.message
    assert (message.author, message.source) == (member, Message.Source.EMAIL)
    assert message.body == "<p>Je relis le dossier mardi.</p>"
    assert message.email_message_id == "<abc@client.exemple.net>"
    thread.refresh_from_db()
    assert thread.message_count == 1
    assert Follow.objects.filter(thread=thread, user=member, active=True).exists()

    again = receive(raw)
    assert (again.status, again.message) == (Outcome.DUPLICATE, message)
    assert Message.objects.filter(thread=thread).count() == 1
    assert bounces() == []


def test_the_address_is_found_in_the_envelope_and_whatever_its_case(thread, member, address):
    raw = reply_mail(to="Collectif <liste@exemple.org>", sender="MEMBRE@Exemple.org")
    assert receive(raw, envelope_to=[address.upper()]).status == Outcome.POSTED


def test_a_reply_from_another_verified_address_of_the_account_is_posted(thread, member, address):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=member, email="nadia.perso@exemple.net", verified=True)
    EmailAddress.objects.create(user=member, email="pas-verifiee@exemple.net", verified=False)
    assert receive(reply_mail(to=address, sender="Nadia.Perso@exemple.net")).status == Outcome.POSTED
    refused = receive(reply_mail(to=address, sender="pas-verifiee@exemple.net"))
    assert (refused.status, refused.reason) == (Outcome.REFUSED, Refusal.WRONG_SENDER)


def test_attachments_are_not_kept_and_the_message_says_so(thread, address):
    raw = reply_mail(to=address, sender=MEMBER, attachment=("budget.pdf", b"%PDF-1.4 ..."))
    assert receive(raw).status == Outcome.POSTED
    body = Message.objects.get(thread=thread).body
    assert body.startswith("<p>Je relis le dossier mardi.</p>")
    assert "pièces jointes non reprises : déposez-les sur le site" in body


def _expired_address(member, thread):
    # Well past the limit: one day past it in UTC can be the limit itself in Paris, across a change of summer time.
    with time_machine.travel(timezone.now() - datetime.timedelta(days=settings.REPLY_ADDRESS_MAX_AGE_DAYS + 5)):
        return reply_address(member, thread)


def _forged(address):
    local, domain = address.split("@")
    return f"{local[:-2]}{'zz' if local[-2:] != 'zz' else 'yy'}@{domain}"


@pytest.mark.parametrize(
    ("case", "reason", "explains"),
    [
        ("forged", Refusal.FORGED, "n'est pas une adresse de réponse valable"),
        ("expired", Refusal.EXPIRED, "a expiré"),
        ("foreign", Refusal.FOREIGN, "n'était adressé à aucune discussion"),
        ("unknown_thread", Refusal.UNKNOWN_THREAD, "n'existe plus"),
        ("wrong_sender", Refusal.WRONG_SENDER, "donnée à une autre personne"),
        ("former_member", Refusal.NOT_MEMBER, "n'êtes plus membre"),
        ("guest", Refusal.NOT_MEMBER, "ne permet que la lecture"),
        ("too_large", Refusal.TOO_LARGE, "dépasse la taille acceptée (1 Mo"),
        ("empty", Refusal.EMPTY, "aucun texte"),
    ],
)
def test_a_refused_reply_is_never_posted_and_its_sender_gets_a_french_explanation(
    case, reason, explains, thread, member, coordinator, guest, address, settings
):
    sender, to, text = MEMBER, address, None
    if case == "forged":
        to = _forged(address)
    elif case == "expired":
        to = _expired_address(member, thread)
    elif case == "foreign":
        to = "secretariat@college-aragon.exemple.org"
    elif case == "unknown_thread":
        thread.delete()
    elif case == "wrong_sender":
        sender = coordinator.email  # a forwarded notification, answered by someone else
    elif case == "former_member":
        member.memberships.update(left_on=timezone.localdate())
    elif case == "guest":
        sender, to = guest.email, reply_address(guest, thread)
    elif case == "too_large":
        settings.REPLY_MAX_BYTES = 1024 * 1024
        text = "Voici le compte rendu.\n" + "x" * (1024 * 1024)
    elif case == "empty":
        text = "\n\nLe lun. 3 mars 2025 à 10:12, Sophie a écrit :\n> Qui relit ?\n"
    raw = reply_mail(to=to, sender=sender, **({"text": text} if text else {}))

    outcome = receive(raw)

    assert (outcome.status, outcome.reason, outcome.bounced) == (Outcome.REFUSED, reason, True)
    assert not Message.objects.exists()
    (bounce,) = bounces()
    assert bounce.to == sender
    assert bounce.subject.startswith("Votre réponse n'a pas été publiée")
    assert explains in bounce.body, bounce.body
    assert bounce.headers["Auto-Submitted"] == "auto-replied"
    # Received twice, refused twice, answered once.
    assert receive(raw).status == Outcome.REFUSED
    assert len(bounces()) == 1


def test_the_explanation_leaves_as_an_automatic_mail_that_comes_back_ignored(thread, member, address):
    raw = reply_mail(to=_forged(address), sender=MEMBER, message_id="<orig@client.exemple.net>")
    with mails_leave():
        receive(raw)
    (sent,) = mail.outbox
    assert sent.to == [MEMBER]
    assert sent.extra_headers["Auto-Submitted"] == "auto-replied"
    assert sent.extra_headers["In-Reply-To"] == "<orig@client.exemple.net>"
    assert "Votre réponse n'a pas été publiée." in sent.body
    # An out-of-office answering our explanation, or our explanation sent back to a reply address: no loop.
    echoed = sent.message()
    echoed.replace_header("To", address)
    assert receive(echoed.as_bytes()).status == Outcome.IGNORED
    assert len(bounces()) == 1


@pytest.mark.parametrize(
    ("headers", "envelope_from", "sender"),
    [
        ({"Auto-Submitted": "auto-replied"}, None, MEMBER),
        ({"Precedence": "bulk"}, None, MEMBER),
        ({"Precedence": "auto_reply"}, None, MEMBER),
        ({"X-Autoreply": "yes"}, None, MEMBER),
        ({}, "", MEMBER),  # the null sender of a delivery report
        ({}, None, "MAILER-DAEMON@mx.exemple.org"),
        ({}, None, "ne-pas-repondre@perseverance.localhost"),
    ],
    ids=["auto-submitted", "bulk", "auto-reply", "x-autoreply", "null-sender", "mailer-daemon", "our-own-sender"],
)
def test_mail_written_by_a_robot_is_neither_posted_nor_answered(thread, address, headers, envelope_from, sender):
    outcome = receive(reply_mail(to=address, sender=sender, headers=headers), envelope_from=envelope_from)
    assert outcome.status == Outcome.IGNORED
    assert not Message.objects.exists()
    assert bounces() == []


def test_a_stranger_writing_to_a_made_up_address_gets_no_answer(thread, address):
    outcome = receive(reply_mail(to=_forged(address), sender="inconnu@spam.exemple.net"))
    assert (outcome.status, outcome.reason, outcome.bounced) == (Outcome.REFUSED, Refusal.FORGED, False)
    assert bounces() == []


def test_nobody_gets_more_than_a_few_explanations_a_day(thread, address):
    for n in range(BOUNCES_PER_DAY + 3):
        receive(reply_mail(to=_forged(address), sender=MEMBER, message_id=f"<essai-{n}@client.exemple.net>"))
    assert len(bounces()) == BOUNCES_PER_DAY
    assert not Message.objects.exists()


def test_every_outcome_is_logged_without_the_text(thread, address, caplog):
    caplog.set_level("INFO", logger="discussions.inbound")
    receive(reply_mail(to=address, sender=MEMBER, text="Texte confidentiel du message"))
    receive(reply_mail(to=_forged(address), sender=MEMBER))
    assert "reply_posted" in caplog.text and "reply_refused reason=forged" in caplog.text
    assert "confidentiel" not in caplog.text and MEMBER not in caplog.text


def test_a_reply_the_posting_service_refuses_is_refused_and_answered(thread, address, monkeypatch):
    from django.core.exceptions import ValidationError

    def refuses(**kwargs):
        raise ValidationError("Seuls les membres du collectif écrivent dans ses discussions.")

    monkeypatch.setattr("discussions.inbound.message_post", refuses)
    outcome = receive(reply_mail(to=address, sender=MEMBER))
    assert (outcome.status, outcome.reason, outcome.bounced) == (Outcome.REFUSED, Refusal.NOT_MEMBER, True)
    assert not Message.objects.exists()
