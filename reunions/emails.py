"""Building the e-mails of reunions (one per person, never a shared list of addresses); they leave through the
outbox (core.outbox), which encodes their headers."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from reunions import ics
from reunions.models import Invitation, Reunion

RSVP_SALT = "reunions.rsvp"
RSVP_MAX_AGE = 60 * 60 * 24 * 120  # 120 days: an invitation is sent at most a term ahead.


def site_url() -> str:
    return getattr(settings, "SITE_URL", "http://localhost:8000").rstrip("/")


def rsvp_token(invitation: Invitation, response: str) -> str:
    """Signed: the invitation, the answer and the calendar version (SEQUENCE) the e-mail announced."""
    payload = {"i": invitation.pk, "r": response, "s": invitation.reunion.sequence}
    return signing.dumps(payload, salt=RSVP_SALT, compress=True)


def read_rsvp_token(token: str) -> dict:
    """The invitation pk and answer; raises signing.BadSignature (or SignatureExpired) when forged or too old."""
    return signing.loads(token, salt=RSVP_SALT, max_age=RSVP_MAX_AGE)


def rsvp_url(invitation: Invitation, response: str) -> str:
    return site_url() + reverse("reunions:rsvp", kwargs={"token": rsvp_token(invitation, response)})


def invitation_message(invitation: Invitation, *, connection=None) -> EmailMessage:
    reunion = invitation.reunion
    user = invitation.membership.user
    if reunion.is_cancelled:
        subject = _("Annulée : %(title)s") % {"title": reunion.title}
    elif reunion.sequence > 0:
        subject = _("Modifiée : %(title)s") % {"title": reunion.title}
    else:
        subject = _("Invitation : %(title)s") % {"title": reunion.title}
    context = {
        "reunion": reunion,
        "invitation": invitation,
        "user": user,
        "url": site_url() + reunion.get_absolute_url(),
        "present_url": rsvp_url(invitation, Invitation.Response.PRESENT),
        "excuse_url": rsvp_url(invitation, Invitation.Response.EXCUSED),
    }
    body = render_to_string("reunions/email/invitation.txt", context)
    message = EmailMessage(
        subject=_("[%(collectif)s] %(subject)s") % {"collectif": reunion.collectif.name, "subject": subject},
        body=body,
        to=[user.email],
        connection=connection,
    )
    method = "CANCEL" if reunion.is_cancelled else "REQUEST"
    message.attach(
        "invitation.ics",
        ics.invitation_ics(reunion, attendee_email=user.email, base_url=site_url()),
        f"text/calendar; charset=utf-8; method={method}",
    )
    return message


def reminder_message(reminder, *, connection=None) -> EmailMessage:
    reunion: Reunion = reminder.reunion
    user = reminder.membership.user
    context = {
        "reunion": reunion,
        "reminder": reminder,
        "user": user,
        "url": site_url() + reunion.get_absolute_url(),
    }
    body = render_to_string("reunions/email/reminder.txt", context)
    when = _("demain") if reminder.offset_days == 1 else _("dans %(n)s jours") % {"n": reminder.offset_days}
    return EmailMessage(
        subject=_("[%(collectif)s] Rappel : %(title)s %(when)s")
        % {"collectif": reunion.collectif.name, "title": reunion.title, "when": when},
        body=body,
        to=[user.email],
        connection=connection,
    )


def simple_message(*, to: str, subject: str, template: str, context: dict) -> EmailMessage:
    return EmailMessage(subject=subject, body=render_to_string(template, context), to=[to])


# --- Registrations (people without an account) -------------------------------------------------------------------

REGISTRATION_SALT = "reunions.registration"
REGISTRATION_MAX_AGE = 60 * 60 * 24 * 400  # the link lives as long as the registration may matter.


def registration_token(registration, action: str) -> str:
    """Signed: the registration and what the link does (« confirm » or « cancel »)."""
    return signing.dumps({"g": registration.pk, "a": action}, salt=REGISTRATION_SALT, compress=True)


def read_registration_token(token: str, action: str) -> int:
    """The registration's pk; raises signing.BadSignature when forged, too old or made for another action."""
    payload = signing.loads(token, salt=REGISTRATION_SALT, max_age=REGISTRATION_MAX_AGE)
    if payload.get("a") != action:
        raise signing.BadSignature("wrong action")
    return int(payload["g"])


def registration_url(registration, action: str) -> str:
    name = "reunions:registration_confirm" if action == "confirm" else "reunions:registration_cancel"
    return site_url() + reverse(name, kwargs={"token": registration_token(registration, action)})


def _registration_message(registration, *, subject: str, template: str) -> EmailMessage:
    reunion = registration.reunion
    context = {
        "registration": registration,
        "reunion": reunion,
        "confirm_url": registration_url(registration, "confirm"),
        "cancel_url": registration_url(registration, "cancel"),
    }
    return EmailMessage(
        subject=_("[%(collectif)s] %(subject)s") % {"collectif": reunion.collectif.name, "subject": subject},
        body=render_to_string(template, context),
        to=[registration.email],
    )


def registration_confirm_message(registration) -> EmailMessage:
    return _registration_message(
        registration,
        subject=_("Confirmez votre inscription : %(title)s") % {"title": registration.reunion.title},
        template="reunions/email/registration_confirm.txt",
    )


def registration_waiting_message(registration) -> EmailMessage:
    return _registration_message(
        registration,
        subject=_("Liste d'attente : %(title)s") % {"title": registration.reunion.title},
        template="reunions/email/registration_waiting.txt",
    )


def registration_invitation_message(registration, *, updated: bool = False) -> EmailMessage:
    """The place is given (or the reunion moved: `updated`): the invitation with its .ics (no link to the
    collectif's private pages)."""
    reunion = registration.reunion
    subject = _("Modifiée : %(title)s") if updated else _("Inscription confirmée : %(title)s")
    message = _registration_message(
        registration,
        subject=subject % {"title": reunion.title},
        template="reunions/email/registration_invitation.txt",
    )
    message.attach(
        "invitation.ics",
        ics.invitation_ics(reunion, attendee_email=registration.email, public=True),
        "text/calendar; charset=utf-8; method=REQUEST",
    )
    return message


def registration_reminder_message(registration) -> EmailMessage:
    return _registration_message(
        registration,
        subject=_("Rappel : %(title)s demain") % {"title": registration.reunion.title},
        template="reunions/email/registration_reminder.txt",
    )


def registration_cancelled_message(registration) -> EmailMessage:
    """The reunion is cancelled: the same .ics with METHOD:CANCEL removes it from the registrant's calendar."""
    reunion = registration.reunion
    message = _registration_message(
        registration,
        subject=_("Annulée : %(title)s") % {"title": reunion.title},
        template="reunions/email/registration_cancelled.txt",
    )
    message.attach(
        "invitation.ics",
        ics.invitation_ics(reunion, attendee_email=registration.email, public=True),
        "text/calendar; charset=utf-8; method=CANCEL",
    )
    return message
