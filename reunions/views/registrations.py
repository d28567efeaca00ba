"""Registration for a reunion opened to partners: the organiser's page (open, settings, list of registrants) and the
public pages (register, confirm by the e-mail's signed link, cancel by the signed link). Public pages show the
reunion's title, kind, date and place only: nothing of the collectif's private pages."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from collectifs.access import MANAGE, collectif_view, public_view
from core.ratelimit import allow, client_ip, too_many_requests
from reunions.access import reunion_for
from reunions.emails import read_registration_token
from reunions.forms import RegistrationForm, RegistrationPageForm
from reunions.models import Registration, RegistrationPage
from reunions.services import registrations as services
from reunions.views.common import ctx

logger = logging.getLogger(__name__)


def _limited(request):
    """Anonymous POSTs of the public pages are counted per client IP (PUBLIC_REGISTRATION_RATE_LIMIT)."""
    if request.method != "POST" or request.user.is_authenticated:
        return None
    limit, window = settings.PUBLIC_REGISTRATION_RATE_LIMIT
    if allow("registration", client_ip(request), limit=limit, window=window):
        return None
    logger.warning("rate_limited scope=registration")
    return too_many_requests(request, _("Trop de demandes depuis votre connexion : réessayez dans quelques minutes."))


@collectif_view(MANAGE, methods=("GET", "HEAD", "POST"))
def registrations(request, pk: int):
    """The organiser opens the public page and sees who registered (one query for the whole list)."""
    reunion = reunion_for(request.access, pk)
    page = RegistrationPage.objects.filter(reunion=reunion).first()
    initial = {"retention_months": 12}
    if page:
        initial = {"closes_at": page.closes_at, "capacity": page.capacity, "retention_months": page.retention_months}
    form = RegistrationPageForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.registration_page_open(reunion=reunion, by=request.user, **form.cleaned_data)
        messages.success(request, _("Les inscriptions sont ouvertes."))
        return redirect("reunions:registrations", collectif_slug=reunion.collectif.slug, pk=reunion.pk)
    rows = list(reunion.registrations.order_by("status", "created_at", "pk")) if page else []
    counts = {status: sum(1 for r in rows if r.status == status) for status in Registration.Status.values}
    public_url = request.build_absolute_uri(page.get_absolute_url()) if page else ""
    return render(
        request,
        "reunions/registrations.html",
        ctx(request, reunion=reunion, page=page, form=form, rows=rows, counts=counts, public_url=public_url),
    )


@collectif_view(MANAGE, methods=("POST",))
def registrations_close(request, pk: int):
    reunion = reunion_for(request.access, pk)
    page = get_object_or_404(RegistrationPage, reunion=reunion)
    services.registration_page_close(page=page, by=request.user)
    messages.success(request, _("Les inscriptions sont fermées."))
    return redirect("reunions:registrations", collectif_slug=reunion.collectif.slug, pk=reunion.pk)


@public_view(methods=("GET", "HEAD", "POST"))
def register(request, public_id: str):
    """The public form. A bot filling the honeypot gets the same answer as a person, and nothing is recorded."""
    page = get_object_or_404(RegistrationPage.objects.select_related("reunion__collectif"), public_id=public_id)
    if (limited := _limited(request)) is not None:
        return limited
    form = RegistrationForm(request.POST or None)
    done = False
    if request.method == "POST" and page.accepts:
        if form.is_bot():
            logger.info("registration_honeypot reunion=%s", page.reunion_id)
            done = True
        elif form.is_valid():
            data = form.cleaned_data
            services.registration_create(
                page=page,
                name=data["name"],
                email=data["email"],
                structure=data["structure"],
                structure_kind=data["structure_kind"],
            )
            done = True
    return render(
        request, "reunions/register.html", {"page": page, "reunion": page.reunion, "form": form, "done": done}
    )


def _registration_from(token: str, action: str) -> Registration:
    """The registration a signed link names; a forged, expired or erased one is 404."""
    try:
        pk = read_registration_token(token, action)
    except signing.BadSignature:
        raise Http404(_("Lien invalide.")) from None
    return get_object_or_404(Registration.objects.select_related("reunion__collectif"), pk=pk, erased_at__isnull=True)


@public_view(methods=("GET", "HEAD", "POST"))
def registration_confirm(request, token: str):
    """A GET only shows the button (mail scanners follow links); the POST confirms."""
    registration = _registration_from(token, "confirm")
    if (limited := _limited(request)) is not None:
        return limited
    if request.method == "POST":
        registration = services.registration_confirm(registration=registration)
    context = {"registration": registration, "reunion": registration.reunion, "action": "confirm"}
    return render(request, "reunions/registration_link.html", context)


@public_view(methods=("GET", "HEAD", "POST"))
def registration_cancel(request, token: str):
    registration = _registration_from(token, "cancel")
    if (limited := _limited(request)) is not None:
        return limited
    if request.method == "POST":
        registration = services.registration_cancel(registration=registration)
    context = {"registration": registration, "reunion": registration.reunion, "action": "cancel"}
    return render(request, "reunions/registration_link.html", context)
