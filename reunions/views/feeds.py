"""Calendar feeds: the page giving one's feed URLs, a new URL (the old one stops working), and the ICS feeds,
read without logging in (the token in the URL is the secret)."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.db.models import Count, Max, Sum
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, quote_etag
from django.utils.translation import gettext as _

from collectifs.access import READ, collectif_view, public_view
from reunions.access import feed_membership_for, feed_user_for, reunion_for
from reunions.emails import site_url
from reunions.ics import feed_etag_from_state, feed_ics, invitation_ics
from reunions.models import Reunion
from reunions.services import feeds as services
from reunions.views.common import ctx

FEED_METHODS = ("GET", "HEAD")


def _feed_urls(request, token: str) -> dict:
    collectif = request.access.collectif
    return {
        "personal_url": site_url() + reverse("reunions:feed_personal", kwargs={"token": token}),
        "collectif_url": site_url()
        + reverse("reunions:feed_collectif", kwargs={"token": token, "collectif_slug": collectif.slug}),
    }


@collectif_view(READ)
def calendar_page(request):
    """Whether the person has a feed address; the address itself is shown only once, when it is made."""
    active = services.calendar_token_active(by=request.user)
    return render(request, "reunions/calendar.html", ctx(request, active=active, personal_url="", collectif_url=""))


@collectif_view(READ, methods=("POST",))
def calendar_revoke(request):
    """Make a new feed address (the old one stops working) and show it, once; or only revoke (`action=revoke`)."""
    if request.POST.get("action") == "revoke":
        services.calendar_token_revoke(by=request.user)
        messages.success(request, _("Vos adresses d'abonnement ne fonctionnent plus."))
        return redirect("reunions:calendar", collectif_slug=request.access.collectif.slug)
    token = services.calendar_token_new(by=request.user)
    active = services.calendar_token_active(by=request.user)
    response = render(request, "reunions/calendar.html", ctx(request, active=active, **_feed_urls(request, token)))
    response["Cache-Control"] = "no-store"
    return response


def _ics_response(body: bytes) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=900"
    return response


def _feed_response(request, reunions, *, name: str) -> HttpResponse:
    """A feed for calendar clients that poll. Its ETag and Last-Modified come from one aggregate over its reunions
    (how many, their last change, their calendar versions), so that an unchanged feed answers 304 without reading
    its rows; a changed one is assembled from each event's cached text (reunions.ics)."""
    base_url = site_url()
    state = reunions.aggregate(n=Count("pk", distinct=True), last=Max("updated_at"), versions=Sum("sequence"))
    last = state["last"]
    etag = quote_etag(feed_etag_from_state(state, name=name, base_url=base_url))
    last_modified = int(last.timestamp()) if last else None
    response = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if response is None:
        response = _ics_response(feed_ics(reunions, name=name, base_url=base_url))
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified)
    response["Cache-Control"] = "private, max-age=900"
    return response


@public_view(methods=FEED_METHODS)
def feed_personal(request, token: str):
    """Every reunion the person is invited to, in their active collectifs."""
    user = feed_user_for(token)
    reunions = (
        Reunion.objects.filter(
            invitations__membership__user=user,
            invitations__membership__left_on__isnull=True,
            starts_at__gte=timezone.now() - timedelta(days=365),
        )
        .select_related("collectif")
        .distinct()
        .order_by("starts_at", "pk")
    )
    return _feed_response(request, reunions, name=_("Mes réunions"))


@public_view(methods=FEED_METHODS)
def feed_collectif(request, token: str, collectif_slug: str):
    """Every dated reunion of a collectif, for its active members."""
    membership = feed_membership_for(feed_user_for(token), collectif_slug)
    collectif = membership.collectif
    since = timezone.now() - timedelta(days=365)
    reunions = Reunion.objects.filter(collectif=collectif, starts_at__gte=since).select_related("collectif")
    name = _("Réunions — %(name)s") % {"name": collectif.name}
    return _feed_response(request, reunions.order_by("starts_at", "pk"), name=name)


@collectif_view(READ, methods=FEED_METHODS)
def reunion_ics(request, pk: int):
    """One reunion's .ics, as attached to the invitation e-mail (the reader as attendee); any reader of the
    collectif may add it to a calendar."""
    reunion = reunion_for(request.access, pk)
    response = _ics_response(invitation_ics(reunion, attendee_email=request.user.email, base_url=site_url()))
    response["Content-Disposition"] = f'attachment; filename="reunion-{reunion.pk}.ics"'
    return response
