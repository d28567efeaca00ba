"""The round trip of a reply by e-mail over real SMTP, shared by the in-process test and the one that runs
`manage.py receive_replies`: a notification leaves through the outbox to the SMTP sink, its Reply-To is read from
the mail received there, and the person answers it with smtplib to the reply receiver."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from email.utils import make_msgid

from discussions.services.follows import thread_follow
from discussions.services.messages import message_post
from tests.helpers import wait_for


def notify_follower(thread, *, author, follower):
    """The real path: `follower` follows the thread, `author` writes in it, and the new-message notification leaves
    through the outbox (discussions.services.notify), with the follower's own reply address as its Reply-To."""
    thread_follow(thread=thread, by=follower)
    message_post(thread=thread, by=author, body_html="<p>Qui peut relire le dossier avant jeudi ?</p>")


def received_notification(sink, user):
    assert wait_for(lambda: any(m["To"] == user.email for m in sink.messages), timeout=20)
    return next(m for m in sink.messages if m["To"] == user.email)


def answer(notification, *, port: int, sender: str, text: str, message_id: str | None = None) -> str:
    """Reply to `notification` as a mail client does: to its Reply-To, quoting it. Returns the Message-ID."""
    reply = EmailMessage()
    reply["From"] = sender
    reply["To"] = notification["Reply-To"]
    reply["Subject"] = "Re: " + notification["Subject"]
    reply["Message-ID"] = message_id or make_msgid(domain="client.exemple.net")
    reply["In-Reply-To"] = notification["Message-ID"]
    quoted = "\n".join("> " + line for line in notification.get_body(("plain",)).get_content().splitlines())
    reply.set_content(f"{text}\n\nLe lun. 3 mars 2025 à 10:12, Persévérance scolaire a écrit :\n{quoted}\n")
    with smtplib.SMTP("127.0.0.1", port, timeout=20) as smtp:
        smtp.send_message(reply)
    return reply["Message-ID"]
