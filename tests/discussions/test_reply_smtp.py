"""Replies over real SMTP, in this process: the outbox sends to the SMTP sink, the reply receiver
(discussions.smtp, what `manage.py receive_replies` serves) runs in a thread of its own."""

import smtplib

import pytest

from discussions.models import Message
from discussions.smtp import reply_controller
from tests.discussions.replymail import make_thread, reply_mail
from tests.discussions.smtp_round_trip import (
    answer,
    notify_follower,
    received_notification,
)
from tests.helpers import free_port

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def receiver():
    port = free_port()
    controller = reply_controller("127.0.0.1", port)
    controller.start()
    yield port
    controller.stop()


def test_a_notification_answered_by_email_is_posted_in_its_thread_once(
    smtp_sink, receiver, collectif, coordinator, member
):
    thread = make_thread(collectif, coordinator)
    notify_follower(thread, author=coordinator, follower=member)
    notification = received_notification(smtp_sink, member)
    assert notification["Reply-To"].startswith("reponse+")

    message_id = answer(notification, port=receiver, sender=member.email, text="Je le relis mardi.")
    answer(notification, port=receiver, sender=member.email, text="Je le relis mardi.", message_id=message_id)

    (message,) = Message.objects.filter(thread=thread, source=Message.Source.EMAIL)
    assert (message.author, message.source, message.body) == (
        member,
        Message.Source.EMAIL,
        "<p>Je le relis mardi.</p>",
    )
    thread.refresh_from_db()
    assert thread.message_count == 2  # the coordinator's question, then the one reply


def test_the_receiver_relays_nothing_and_refuses_oversized_mail_at_data(receiver, settings, collectif, member):
    with smtplib.SMTP("127.0.0.1", receiver, timeout=20) as smtp:
        code, _ = smtp.ehlo()
        assert code == 250 and smtp.has_extn("size")
        smtp.mail("membre@exemple.org")
        code, text = smtp.rcpt("quelquun@ailleurs.exemple.net")
        assert code == 550 and b"Relaying denied" in text
    settings.REPLY_MAX_BYTES = 2000
    raw = reply_mail(
        to="reponse+x@reponses.exemple.org", sender="membre@exemple.org", text="Voici le compte rendu.\n" * 300
    )
    with smtplib.SMTP("127.0.0.1", receiver, timeout=20) as smtp:
        with pytest.raises(smtplib.SMTPDataError) as refused:
            smtp.sendmail("membre@exemple.org", ["reponse+x@reponses.exemple.org"], raw)
        assert refused.value.smtp_code == 552
    assert not Message.objects.exists()
