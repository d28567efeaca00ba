"""Replies by e-mail: one received e-mail becomes a message of its thread, or is refused and answered.

Two ways in, both calling `receive`: django-anymail's inbound webhooks (`anymail_inbound`, connected to
`anymail.signals.inbound` in DiscussionsConfig.ready) and the SMTP receiver (`manage.py receive_replies`,
discussions/smtp.py). In order:

1. mail written by a robot is dropped without an answer: auto-replies and out-of-office (`Auto-Submitted`,
   `Precedence: bulk/junk/list/auto_reply`, `X-Autoreply`), delivery reports, an empty or MAILER-DAEMON sender, and
   anything from our own addresses (our answers carry `Auto-Submitted: auto-replied`): no loop of automatic mails;
2. one recipient must be a reply address of REPLY_DOMAIN, signed by us (discussions/replies.py) and not expired;
3. the thread must still exist; the sender (From) must be the person the address was issued to, still active and
   still writing in the thread's collectif (a member or coordinator whose membership has not ended);
4. the e-mail must stay under REPLY_MAX_BYTES and have some text once the quote and the signature are removed;
5. it is posted with `message_post`, its Message-ID as `email_message_id`: the same e-mail received twice (the
   provider retried, the sender pressed « Envoyer » again on the same draft) is posted once.

A refusal posts nothing and is answered by a short French e-mail through the outbox, saying why and what to do, but
only to an address we can trust: the account's own address, or a sender who held a genuine address of ours (a
forwarded notification). A forged address from a stranger gets no answer (it would be backscatter to a spoofed
sender), and nobody gets more than BOUNCES_PER_DAY answers a day. Every outcome is logged, without the text.

The sender's address is read from From, which a mail server does not authenticate: the signed address, which only
reached that person's mailbox, is what stands for the password; From must match it so that a forwarded notification
does not let a colleague post in someone else's name.
"""

from __future__ import annotations

import email
import hashlib
import logging
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesHeaderParser
from email.utils import getaddresses, parseaddr

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.urls import NoReverseMatch
from django.utils import timezone
from django.utils.translation import gettext as _

from collectifs.access import load_collectif_access
from core.models import OutboxMessage
from core.outbox import mail_queue
from discussions.models import Message as ThreadMessage
from discussions.models import Thread
from discussions.replies import ReplyAddressError, ReplyToken, is_reply_domain, read_reply_address
from discussions.reply_text import attachment_names, reply_body_html
from discussions.services.messages import message_post
from membres.models import User

logger = logging.getLogger(__name__)

BOUNCES_PER_DAY = 5
_ROBOT_PRECEDENCE = {"bulk", "junk", "list", "auto_reply", "auto-reply"}
_ROBOT_LOCAL_PARTS = {"mailer-daemon", "postmaster", "noreply", "no-reply", "ne-pas-repondre", "nepasrepondre"}


@dataclass(frozen=True)
class Outcome:
    """What became of one received e-mail. `status`: posted, duplicate (already posted), refused (a `reason`, and
    `bounced` when the sender was answered) or ignored (written by a robot: nothing posted, nobody answered)."""

    POSTED = "posted"
    DUPLICATE = "duplicate"
    REFUSED = "refused"
    IGNORED = "ignored"

    status: str
    reason: str = ""
    message: ThreadMessage | None = None
    bounced: bool = False


class Refusal:
    """Why a reply was not posted (the `reason` of a refused Outcome)."""

    FOREIGN = "foreign"  # sent to none of our reply addresses
    FORGED = ReplyAddressError.FORGED
    EXPIRED = ReplyAddressError.EXPIRED
    UNKNOWN_THREAD = "unknown_thread"
    WRONG_SENDER = "wrong_sender"  # the address was issued to somebody else
    NOT_MEMBER = "not_member"
    TOO_LARGE = "too_large"
    EMPTY = "empty"


# --- Entry points -------------------------------------------------------------------------------------------------


def receive(
    raw: bytes | Message,
    *,
    envelope_to: list[str] | None = None,
    envelope_from: str | None = None,
) -> Outcome:
    """Post one received e-mail (its bytes, or a parsed message such as anymail's) in its thread, or refuse it.
    `envelope_to`: the SMTP recipients when known (a reply in Bcc); `envelope_from`: the SMTP sender when known, ""
    for the null sender of delivery reports."""
    data = raw if isinstance(raw, bytes) else raw.as_bytes(policy=policy.SMTP)
    # The headers decide everything but the text: an oversized mail is refused without parsing its body.
    message = BytesHeaderParser(policy=policy.default).parsebytes(data)
    sender = _sender(message)
    message_id = _message_id(message, data)
    context = f"message_id={message_id[:80]!r} sender_hash={_hash(sender)[:12]}"

    robot = _robot(message, sender, envelope_from)
    if robot:
        logger.info("reply_ignored why=%s %s", robot, context)
        return Outcome(Outcome.IGNORED, reason=robot)

    address = _reply_address(message, envelope_to)
    if not address:
        return _refuse(Refusal.FOREIGN, message, sender, message_id, context)
    try:
        token = read_reply_address(address)
    except ReplyAddressError as exc:
        return _refuse(exc.reason, message, sender, message_id, context)
    context += f" thread={token.thread_id} user={token.user_id}"

    thread = Thread.objects.select_related("collectif").filter(pk=token.thread_id).first()
    if thread is None:
        return _refuse(Refusal.UNKNOWN_THREAD, message, sender, message_id, context, token=token)
    user = User.objects.filter(pk=token.user_id).first()
    if user is None:  # the account was deleted
        return _refuse(Refusal.NOT_MEMBER, message, sender, message_id, context, token=token, thread=thread)
    if not _is_address_of(user, sender):
        return _refuse(Refusal.WRONG_SENDER, message, sender, message_id, context, token=token, thread=thread)
    if not _still_writes(user, thread):
        return _refuse(Refusal.NOT_MEMBER, message, sender, message_id, context, token=token, thread=thread)
    if len(data) > settings.REPLY_MAX_BYTES:
        return _refuse(Refusal.TOO_LARGE, message, sender, message_id, context, token=token, thread=thread)

    message = email.message_from_bytes(data, policy=policy.default)
    body = reply_body_html(message)
    if not body:
        return _refuse(Refusal.EMPTY, message, sender, message_id, context, token=token, thread=thread)
    if attachment_names(message):
        # The document space takes files from the site (type and size checks); a mail's attachments are not kept.
        body += "<p><em>{}</em></p>".format(_("(pièces jointes non reprises : déposez-les sur le site)"))

    try:
        posted, created = message_post(
            thread=thread,
            by=user,
            body_html=body,
            source=ThreadMessage.Source.EMAIL,
            email_message_id=message_id,
        )
    except ValidationError:
        # The service checks the writer again (a membership ended since the check above): refused all the same.
        return _refuse(Refusal.NOT_MEMBER, message, sender, message_id, context, token=token, thread=thread)
    logger.info("reply_%s message=%s %s", "posted" if created else "duplicate", posted.pk, context)
    return Outcome(Outcome.POSTED if created else Outcome.DUPLICATE, message=posted)


def anymail_inbound(sender, event, esp_name, **kwargs) -> None:
    """Receiver of `anymail.signals.inbound`: a provider's webhook delivered one e-mail."""
    message = event.message
    envelope_to = [message.envelope_recipient] if getattr(message, "envelope_recipient", None) else None
    envelope_from = getattr(message, "envelope_sender", None)
    outcome = receive(message, envelope_to=envelope_to, envelope_from=envelope_from)
    logger.info("reply_webhook esp=%s status=%s reason=%s", esp_name, outcome.status, outcome.reason)


# --- Reading the e-mail -----------------------------------------------------------------------------------------


def _hash(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def _sender(message: EmailMessage) -> str:
    addresses = [address for _name, address in getaddresses(message.get_all("From", []))]
    return addresses[0].strip().lower() if len(addresses) == 1 else ""


def _message_id(message: EmailMessage, data: bytes) -> str:
    """The Message-ID, or for a mail without one a digest of its bytes (the same mail twice still posts once)."""
    value = " ".join(str(message.get("Message-ID", "")).split())
    if not value:
        return f"<{_hash(data.decode('latin-1'))[:40]}@sans-identifiant>"
    if len(value) > 255:
        return f"<{_hash(value)[:40]}@identifiant-long>"
    return value


def _robot(message: EmailMessage, sender: str, envelope_from: str | None) -> str:
    """Why this mail was written by a robot ("" for a person)."""
    auto = str(message.get("Auto-Submitted", "no")).strip().lower()
    if auto and auto != "no":
        return "auto-submitted"
    if str(message.get("Precedence", "")).strip().lower() in _ROBOT_PRECEDENCE:
        return "precedence"
    if any(header in message for header in ("X-Autoreply", "X-Autorespond", "X-Auto-Response")):
        return "auto-reply"
    if message.get_content_type() == "multipart/report":
        return "delivery-report"
    if envelope_from is not None and not parseaddr(envelope_from)[1]:
        return "null-sender"
    if not sender:
        return "no-sender"
    local = sender.rpartition("@")[0]
    if local in _ROBOT_LOCAL_PARTS or local.startswith(("mailer-daemon", "bounce")):
        return "robot-address"
    if is_reply_domain(sender) or sender == parseaddr(settings.DEFAULT_FROM_EMAIL)[1].lower():
        return "our-own"
    return ""


def _reply_address(message: EmailMessage, envelope_to: list[str] | None) -> str:
    """The first of our reply addresses among the recipients: SMTP envelope first, then the headers a relay writes
    (Delivered-To, X-Original-To), then To and Cc."""
    candidates = list(envelope_to or [])
    for header in ("Delivered-To", "X-Original-To", "To", "Cc"):
        candidates += [address for _name, address in getaddresses(message.get_all(header, []))]
    return next((address for address in candidates if is_reply_domain(address)), "")


def _is_address_of(user: User, sender: str) -> bool:
    """The account's address, or another address of the account that allauth verified."""
    if user.email.strip().lower() == sender:
        return True
    return EmailAddress.objects.filter(user=user, email__iexact=sender, verified=True).exists()


def _still_writes(user: User, thread: Thread) -> bool:
    """The person may still post in the thread: an active account, and the right to write in the thread's collectif
    (collectifs.access: an active member or coordinator; guests only read, former members no longer write)."""
    if not user.is_active:
        return False
    try:
        access = load_collectif_access(user, thread.collectif.slug)
    except Http404:  # not, or no longer, in the collectif
        return False
    return access.can_write


# --- Refusals -----------------------------------------------------------------------------------------------------


def _refuse(
    reason: str,
    message: EmailMessage,
    sender: str,
    message_id: str,
    context: str,
    *,
    token: ReplyToken | None = None,
    thread: Thread | None = None,
) -> Outcome:
    bounced = _bounce(reason, message, sender, message_id, token=token, thread=thread)
    logger.warning("reply_refused reason=%s bounced=%s %s", reason, bounced, context)
    return Outcome(Outcome.REFUSED, reason=reason, bounced=bounced)


def _trusted(sender: str, token: ReplyToken | None) -> bool:
    """Answer only someone who really wrote: the address of an account, or a sender who held an address we signed
    (its token checked out). A stranger writing to a made-up address may be a spoofed sender: no answer."""
    return token is not None or User.objects.filter(email__iexact=sender, is_active=True).exists()


def _bounce(
    reason: str,
    message: EmailMessage,
    sender: str,
    message_id: str,
    *,
    token: ReplyToken | None,
    thread: Thread | None,
) -> bool:
    if not sender or not _trusted(sender, token):
        return False
    day = timezone.localdate().isoformat()
    prefix = f"reply-bounce:{day}:{_hash(sender)[:16]}:"
    with transaction.atomic():
        if OutboxMessage.objects.filter(key__startswith=prefix).count() >= BOUNCES_PER_DAY:
            return False
        subject = " ".join(str(message.get("Subject", "")).split())
        return mail_queue(
            key=prefix + _hash(message_id)[:16],
            to=sender,
            subject=_("Votre réponse n'a pas été publiée") + (f" — {subject[:150]}" if subject else ""),
            body=_bounce_text(reason, thread=thread, size_limit=settings.REPLY_MAX_BYTES),
            collectif_id=thread.collectif_id if thread is not None else None,
            headers={
                # RFC 3834: an automatic answer, which no robot answers back (ours ignore it too, see _robot).
                "Auto-Submitted": "auto-replied",
                "X-Auto-Response-Suppress": "All",
                "In-Reply-To": message_id,
                "References": message_id,
            },
        )


def _thread_link(thread: Thread | None) -> str:
    if thread is None:
        return settings.SITE_URL
    try:
        return settings.SITE_URL + thread.get_absolute_url()
    except NoReverseMatch:
        # The thread page comes with the discussions pages (branch `discussions`); until then, the site.
        return settings.SITE_URL


def _bounce_text(reason: str, *, thread: Thread | None, size_limit: int) -> str:
    site = settings.SITE_URL
    link = _thread_link(thread)
    why = {
        Refusal.FOREIGN: _(
            "Votre e-mail n'était adressé à aucune discussion de la plateforme : seule l'adresse de réponse d'une "
            "notification mène à sa discussion."
        ),
        Refusal.FORGED: _(
            "L'adresse à laquelle vous avez répondu n'est pas une adresse de réponse valable (elle a pu être modifiée "
            "ou recopiée incomplètement)."
        ),
        Refusal.EXPIRED: _(
            "L'adresse à laquelle vous avez répondu a expiré : elle vaut %(days)s jours après la notification qui la "
            "portait."
        )
        % {"days": settings.REPLY_ADDRESS_MAX_AGE_DAYS},
        Refusal.UNKNOWN_THREAD: _("La discussion à laquelle vous avez répondu n'existe plus."),
        Refusal.WRONG_SENDER: _(
            "Cette adresse de réponse est personnelle : elle a été donnée à une autre personne que l'expéditeur de "
            "votre e-mail. Une notification transférée ne permet pas de répondre au nom de son destinataire."
        ),
        Refusal.NOT_MEMBER: _(
            "Vous ne pouvez plus écrire dans cette discussion : vous n'êtes plus membre de son collectif, ou votre "
            "rôle ne permet que la lecture."
        ),
        Refusal.TOO_LARGE: _("Votre e-mail dépasse la taille acceptée (%(size)s Mo, pièces jointes comprises).")
        % {"size": size_limit // (1024 * 1024)},
        Refusal.EMPTY: _(
            "Nous n'avons trouvé aucun texte dans votre réponse une fois retirés le message cité et la signature."
        ),
    }[reason]
    what = {
        Refusal.FOREIGN: _("Pour écrire dans une discussion, connectez-vous sur %(site)s.") % {"site": site},
        Refusal.FORGED: _(
            "Répondez avec le bouton « Répondre » de la notification reçue, ou écrivez directement sur %(site)s."
        )
        % {"site": site},
        Refusal.EXPIRED: _("Écrivez votre message sur la plateforme : %(link)s") % {"link": link},
        Refusal.UNKNOWN_THREAD: _("Vous pouvez ouvrir une nouvelle discussion sur %(site)s.") % {"site": site},
        Refusal.WRONG_SENDER: _(
            "Répondez depuis l'adresse e-mail de votre compte, ou connectez-vous sur %(site)s ; si vous n'avez pas de "
            "compte, demandez une invitation à la coordination du collectif."
        )
        % {"site": site},
        Refusal.NOT_MEMBER: _("Si c'est une erreur, adressez-vous à la coordination du collectif."),
        Refusal.TOO_LARGE: _(
            "Envoyez un message plus court, sans pièces jointes, et déposez les fichiers dans l'espace documentaire : "
            "%(link)s"
        )
        % {"link": link},
        Refusal.EMPTY: _("Écrivez votre réponse au-dessus du message cité, puis envoyez-la à nouveau."),
    }[reason]
    return "\n\n".join(
        [
            _("Bonjour,"),
            _("Votre réponse n'a pas été publiée."),
            why,
            what,
            _("Ce message est automatique : inutile d'y répondre."),
        ]
    )
