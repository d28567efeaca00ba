"""Builders shared by the reply-by-email tests: a thread, and the e-mail a person's mail client sends back."""

from __future__ import annotations

from email import policy
from email.message import EmailMessage
from email.utils import make_msgid

from discussions.models import Thread


def make_thread(collectif, by, title: str = "Dossier de demande de subvention CAF") -> Thread:
    return Thread.objects.create(collectif=collectif, created_by=by, title=title)


def reply_mail(
    *,
    to: str,
    sender: str,
    text: str = "Je relis le dossier mardi.\n\nLe lun. 3 mars 2025 à 10:12, Sophie a écrit :\n> Qui relit ?\n",
    message_id: str | None = None,
    headers: dict[str, str] | None = None,
    attachment: tuple[str, bytes] | None = None,
    subject: str = "Re: Dossier de demande de subvention CAF",
) -> bytes:
    """The bytes of a reply as a mail client sends it (text/plain, UTF-8, CRLF line ends)."""
    message = EmailMessage()
    message["From"] = f"Quelqu'un <{sender}>"
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = message_id or make_msgid(domain="client.exemple.net")
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(text)
    if attachment:
        name, content = attachment
        message.add_attachment(content, maintype="application", subtype="pdf", filename=name)
    return message.as_bytes(policy=policy.SMTP)
