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
