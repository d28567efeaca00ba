"""Answering an invitation from its e-mail, without logging in."""

from __future__ import annotations

from django.core import signing
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from collectifs.access import public_view
from reunions.access import rsvp_invitation_for
from reunions.emails import read_rsvp_token
from reunions.models import Invitation
from reunions.services import reunions as services


@public_view(methods=("GET", "HEAD", "POST"))
def rsvp(request, token: str):
    """Answer from the e-mail without logging in: the signed link names the invitation and the answer. A GET only
    shows the question (mail scanners follow links); the answer is recorded by the button (POST)."""
    try:
        payload = read_rsvp_token(token)
    except signing.SignatureExpired:
        return render(request, "reunions/rsvp.html", {"expired": True, "invitation": None, "done": False}, status=410)
    except signing.BadSignature:
        raise Http404(_("Lien invalide.")) from None
    answering = request.method == "POST"
    invitation = rsvp_invitation_for(payload["i"], answering=answering)
    response = payload["r"]
    if answering:
        # The person who answers is the invitee, whose link this is.
        services.invitation_respond(invitation=invitation, response=response, by=invitation.membership.user)
    return render(
        request,
        "reunions/rsvp.html",
        {
            "invitation": invitation,
            "response_label": Invitation.Response(response).label,
            "done": answering,
            "expired": False,
        },
    )
